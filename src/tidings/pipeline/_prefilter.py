"""The pre-filter of the pipeline: which sentences are worth a parse.

Most sentences of a news article carry no event; parsing only those that can
(a trigger whose rule finds its words, and something that can be an actor)
is where the pipeline's speed over a bare spaCy pass comes from.  The policy
needs the coder's trigger rules and the resolver's names, so it lives with
the pipeline, the one module that composes stages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tidings.nlp import surface_forms
from tidings.time import may_mention_date

if TYPE_CHECKING:
    from tidings.pipeline import Pipeline

__all__ = ["EventSentenceFilter"]


# Words that refer back to an actor named earlier: a sentence with one of
# them can carry an event although it names no actor itself.
# Only the pronouns the actor stage resolves count ("I", "we" and relative
# pronouns never become actors: a relative pronoun's antecedent is in its own
# sentence).
_REFERRING = frozenset(
    {"he", "she", "they", "it", "its", "his", "her", "their", "him", "them"}
    | {"itself", "himself", "herself", "themselves"}
)


class EventSentenceFilter:
    """The pre-filter's policy: which sentences are parsed, which get entities.

    A sentence is parsed when it has a word form of a trigger lemma one of
    whose rules finds the other words it needs (particle, preposition,
    object or context words, in any inflection) in the sentence, and
    something that can be an actor: a dictionary name or role word, a
    capitalised word after the first or a first word that is no common word
    (an unknown name), or a pronoun.  Entities are recognised on a parsed
    sentence only when it kept a trigger lemma after tagging and has a
    proper noun that no dictionary name covers (person labels are what the
    actor stage reads entities for: surnames, pronoun antecedents; a
    dictionary name already says what the entity is) or a year, clock time
    or date word (dates, :func:`tidings.time.may_mention_date`).  Places and
    dates found through entity labels can still be lost where the recogniser
    does not run (``benchmarks/prefilter.py`` reports how many).
    """

    def __init__(self, pipeline: Pipeline) -> None:
        self.resolver = pipeline.resolver
        self.coder = pipeline.coder
        nlp = pipeline.nlp
        self._common = _common_words(nlp)
        self.forms = surface_forms(nlp, self.coder.trigger_lemmas())
        requirements = self.coder.rule_requirements()
        words = frozenset(
            w.split()[0]
            for reqs in requirements.values()
            for groups in reqs
            for group in groups
            for w in group
            if w.strip()
        )
        forms_of: dict[str, set[str]] = {}
        for form, bases in surface_forms(nlp, {"VERB": words, "NOUN": words}).items():
            for base in bases:
                forms_of.setdefault(base, set()).add(form)
        # lemma -> None (a rule needs nothing more) or, per rule, groups of word forms
        self._needs: dict[str, tuple[tuple[frozenset[str], ...], ...] | None] = {}
        for lemma, reqs in requirements.items():
            if any(not groups for groups in reqs):
                self._needs[lemma] = None
                continue
            self._needs[lemma] = tuple(
                tuple(
                    frozenset(f for w in group if w.strip() for f in forms_of[w.split()[0]])
                    for group in groups
                )
                for groups in reqs
            )

    def _trigger_possible(self, lowers: list[str]) -> bool:
        """Whether a word could be a trigger whose rule finds what it needs in the sentence."""
        present = set(lowers)
        for word in lowers:
            for lemma in self.forms.get(word, ()):
                if lemma not in self._needs:
                    continue  # only null rules: it can block an event, never make one
                needs = self._needs[lemma]
                if needs is None or any(all(g & present for g in groups) for groups in needs):
                    return True
        return False

    def select(self, sentences: list) -> list[bool]:
        """Parse the sentences that can yield an event, and the sentences naming
        an actor before one of them with a pronoun (the antecedent's place)."""
        tokens = [list(sent) for sent in sentences]
        named = [self._names_actor(toks) for toks in tokens]
        referring = [any(t.lower_ in _REFERRING for t in toks) for toks in tokens]
        chosen = [
            self._trigger_possible([t.lower_ for t in toks])
            and (referring[i] or named[i] or self._names_someone(toks))
            for i, toks in enumerate(tokens)
        ]
        pronoun_later = False
        for i in range(len(tokens) - 1, -1, -1):
            if not chosen[i] and named[i] and pronoun_later:
                chosen[i] = True
            pronoun_later = pronoun_later or (chosen[i] and referring[i])
        return chosen

    def _names_someone(self, tokens: list) -> bool:
        """A capitalised word after the first, or a first word that is no common word
        ("Johnson added ...": a surname the article introduced earlier)."""
        if any(t.text[:1].isupper() for t in tokens[1:]):
            return True
        first = next((t for t in tokens if t.is_alpha), None)
        return first is not None and first.text[:1].isupper() and first.lower_ not in self._common

    def _names_actor(self, tokens: list) -> bool:
        return any(m.kind != "discard" for m in self.resolver.find(None, tokens))

    def needs_entities(self, sentence) -> bool:
        if not self.coder.has_trigger(sentence):
            return False
        tokens = list(sentence)
        named = {
            i
            for m in self.resolver.find(None, tokens)
            if m.kind == "actor"
            for i in range(m.start, m.end)
        }
        if any(t.pos_ == "PROPN" and i not in named for i, t in enumerate(tokens)):
            return True
        return may_mention_date(tokens)


def _common_words(nlp) -> frozenset[str]:
    """Lower-case words that are not names: spaCy's stop words and the lemmatizer's
    known words of every part of speech."""
    words = set(nlp.Defaults.stop_words)
    lookups = nlp.get_pipe("lemmatizer").lookups
    if lookups.has_table("lemma_index"):
        for known in lookups.get_table("lemma_index").values():
            words.update(known)
    return frozenset(words)
