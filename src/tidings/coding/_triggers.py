"""What the coder's rules need, for the parser pre-filter.

The pre-filter (``PipelineConfig(prefilter=True)``) decides from words alone
which sentences are worth parsing; these methods tell it which lemmas have
rules and which other words each rule needs.  A mixin of
:class:`~tidings.coding._coder.Coder` (it reads ``lexicon`` and the lemma sets).
"""

from __future__ import annotations

from tidings.coding._exclusions import NAMING_VERBS
from tidings.coding._frames import trigger_lemma
from tidings.dictionaries.verbs import ALT_SEP

__all__ = ["TriggerIndex", "repaired_lemma"]


#: Dependencies of an adjective predicated of the clause's subject ("was critical of").
PREDICATIVE_DEPS = frozenset({"acomp"})
#: Nouns that make a participle before them part of a title ("visiting fellow at AEI"),
#: also when the parser takes the participle for a verb with the noun as its object.
TITLE_NOUNS = frozenset(
    {"fellow", "professor", "scholar", "researcher", "lecturer", "scientist", "instructor"}
)


class TriggerIndex:
    """Trigger lemmas and rule requirements of a coder's lexicon."""

    def trigger_lemmas(self) -> dict[str, frozenset[str]]:
        """The lemmas with coding rules, by part of speech (``VERB``, ``NOUN``, ``ADJ``)."""
        return {"VERB": self._verb_lemmas, "NOUN": self._noun_lemmas, "ADJ": self._adj_lemmas}

    def rule_requirements(self) -> dict[str, list[tuple[tuple[str, ...], ...]]]:
        """What each trigger lemma's coding rules need besides the lemma itself.

        For every lemma, one entry per rule that codes an event (null rules
        ``---`` only block): a tuple of groups of words, one of each group
        having to occur in the sentence (particle, preposition, one of the
        object words, each ``words`` entry with its ``|`` alternatives).  An
        empty entry is a rule that needs nothing more.  The pre-filter uses it
        to skip sentences whose trigger words cannot match any rule.
        """
        out: dict[str, list[tuple[tuple[str, ...], ...]]] = {}
        for rule in self.lexicon.rules:
            if rule.code in {"---", ""}:
                continue
            groups = [tuple(w.split(ALT_SEP)) for w in rule.words]
            if rule.object:
                groups.append(tuple(rule.object))
            groups.extend((word,) for word in (rule.particle, rule.prep) if word)
            out.setdefault(rule.lemma, []).append(tuple(groups))
        return out

    def trigger_pos(self, tok) -> str | None:
        """``"VERB"`` or ``"NOUN"`` when the tagged token's lemma has rules as that
        part of speech (the test :meth:`Coder.candidates` starts from), else None."""
        pos = tok.pos_
        if pos in {"VERB", "AUX"}:
            if tok.dep_ in {"amod", "compound"} and tok.i < tok.head.i:
                # a participle naming a kind of thing, not an act: "visiting fellow",
                # "the ruling party", "a leading supplier"
                return None
            if (
                (tok.tag_ == "VBG" and _titled(tok))
                or _when_it_comes(tok)
                or _generic(tok)
                or _habitual(tok)
                or _naming(tok)
            ):
                return None
            return "VERB" if self.rule_lemma(tok) in self._verb_lemmas else None
        if pos in {"NOUN", "PROPN"}:
            return "NOUN" if trigger_lemma(tok) in self._noun_lemmas else None
        if pos == "ADJ" and tok.dep_ in PREDICATIVE_DEPS:
            # "X was critical of Y": only an adjective predicated of its subject acts
            return "ADJ" if trigger_lemma(tok) in self._adj_lemmas else None
        return None

    def rule_lemma(self, tok) -> str:
        """The lemma a trigger's rules are filed under, and what the coder's word lists are
        checked against: :func:`trigger_lemma`, except for a verb whose lemmatiser guess has
        no rules, which takes the lexicon's verb its written form is a regular inflection
        of: spaCy's rule lemmatiser strips "lambasted" to "lambast" and "fined" to "fin",
        missing the lexicon's "lambaste" and "fine"; "rapped" stays "rap" (not an
        inflection of "rape")."""
        return repaired_lemma(tok, self._verb_lemmas)

    def has_trigger(self, tokens) -> bool:
        """Whether any tagged token's lemma has a coding rule (cheaper than :meth:`candidates`)."""
        return any(self.trigger_pos(tok) is not None for tok in tokens)


def _generic(tok) -> bool:
    """Whether ``tok`` describes a class of people rather than reporting an act: a
    present-tense relative clause on a bare plural ("Americans who support Israel",
    "countries that sponsor terrorism"); "the Iranians who attacked the embassy" acted."""
    head = tok.head
    return (
        tok.dep_ == "relcl"
        and tok.tag_ in {"VBP", "VBZ"}
        and head.tag_ in {"NNS", "NNPS"}
        and not any(c.dep_ in {"det", "poss", "nummod"} for c in head.children)
    )


#: Adverbs that make an act a habit, which the guidelines do not code ("are regularly
#: condemned", "often violates").
_HABITUAL_ADVERBS = frozenset(
    {"regularly", "routinely", "often", "frequently", "usually", "typically", "habitually"}
)


def _habitual(tok) -> bool:
    """Whether the verb ``tok`` states a habit rather than an act."""
    return any(c.dep_ == "advmod" and c.lower_ in _HABITUAL_ADVERBS for c in tok.children)


def _naming(tok) -> bool:
    """Whether the verb ``tok`` is a participle naming the noun it follows ("..., called
    the USMCA", which the parser may also read as a verb of its own with a predicate but
    neither subject nor object)."""
    if tok.lemma_.lower() not in NAMING_VERBS:
        return False
    named = [c for c in tok.children if c.dep_ in {"oprd", "attr", "dobj"}]
    if not named or any(c.ent_type_ in {"DATE", "TIME"} for c in named):
        return False  # "a newspaper called Thursday on Arabs to unite": an appeal
    if any(c.dep_ == "prep" and c.lower_ in {"on", "for", "upon"} for c in tok.children):
        return False
    deps = {c.dep_ for c in tok.children}
    if tok.tag_ == "VBN" and tok.dep_ == "acl":
        return "agent" not in deps
    return tok.dep_ == "conj" and "oprd" in deps and not deps & {"nsubj", "dobj", "nsubjpass"}


def _when_it_comes(tok) -> bool:
    """Whether ``tok`` is the "come" of "when it comes to X" (about X, no movement)."""
    return tok.lemma_.lower() == "come" and any(
        c.dep_ == "nsubj" and c.lower_ == "it" for c in tok.children
    )


def _titled(tok) -> bool:
    """Whether the participle ``tok`` opens a title: the next word is a title noun."""
    nxt = tok.i + 1
    return nxt < len(tok.doc) and tok.doc[nxt].lower_ in TITLE_NOUNS


def repaired_lemma(tok, known) -> str:
    """:func:`trigger_lemma` of ``tok``, or, for a verb whose lemma is not in ``known``,
    the first regular base of its written form that is (see :func:`_regular_bases`):
    the lemmatiser's slips repaired against the words a caller looks up."""
    lemma = trigger_lemma(tok)
    if lemma in known or tok.pos_ not in {"VERB", "AUX"}:
        return lemma
    return next((b for b in _regular_bases(tok.lower_) if b in known), lemma)


def _regular_bases(word: str) -> tuple[str, ...]:
    """The base forms ``word`` may be a regular inflection of, the one with a restored
    final "e" first ("raped" -> "rape", "rap"; "enrolled" -> "enrolle", "enroll";
    "relaunching" -> "relaunche", "relaunch"): the caller takes the first the lexicon
    knows, so a candidate that is no English verb costs nothing."""
    if word.endswith("ing") and len(word) > 5:
        return (word[:-3] + "e", word[:-3])
    if word.endswith("ed") and len(word) > 4:
        return (word[:-1], word[:-2])
    if word.endswith("s") and len(word) > 3:
        return (word[:-1], word[:-2]) if word.endswith("es") else (word[:-1],)
    return ()
