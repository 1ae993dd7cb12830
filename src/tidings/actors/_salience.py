"""Antecedents for pronouns.

Subjects beat other mentions, recency breaks ties.  Persons are kept in
order of mention with their gender when an honorific shows it ("Mr", "Ms",
"Mrs"): "Ms Drake met Mr Lamb.  She said..." gives "she" to Ms Drake, not
to the more recent Mr Lamb.  Genders are not guessed from pronouns (a wrong
guess would misdirect every later pronoun).  The person list and the genders
belong to the article (:class:`~tidings.actors._article.ArticleMemory`), so
they carry over paragraph breaks.
"""

from __future__ import annotations

from tidings.model import Actor

SINGULAR_PRONOUNS = frozenset({"it", "its", "itself"})
PLURAL_PRONOUNS = frozenset({"they", "them", "their", "themselves"})
_MASCULINE = frozenset({"he", "him", "his", "himself"})
_FEMININE = frozenset({"she", "her", "hers", "herself"})
PERSON_PRONOUNS = _MASCULINE | _FEMININE

_HONORIFICS = {
    "mr": "m",
    "mr.": "m",
    "sir": "m",
    "ms": "f",
    "ms.": "f",
    "mrs": "f",
    "mrs.": "f",
    "miss": "f",
    "madam": "f",
    "dame": "f",
}
_KEEP_PERSONS = 8  # persons remembered for pronouns, most recent last


def honorific_gender(tok) -> str | None:
    """ "m" or "f" when an honorific in the phrase of ``tok`` says so ("Ms Roe")."""
    for t in tok.doc[tok.left_edge.i : tok.i]:
        gender = _HONORIFICS.get(t.lower_)
        if gender is not None:
            return gender
    return None


def _key(actors: tuple[Actor, ...]) -> str:
    actor = actors[0]
    return actor.entry or actor.text.split()[-1].lower() if actor.text else actor.code


class Salience:
    """Antecedents of pronouns in one paragraph, seeded from the article."""

    def __init__(
        self,
        sentence_of: list[int],
        persons: list[tuple[Actor, ...]] | None = None,
        genders: dict[str, str] | None = None,
    ) -> None:
        self._sentence_of = sentence_of  # token index -> index of its sentence's first token
        self.singular: tuple[Actor, ...] = ()
        self.singular_subject: tuple[Actor, ...] = ()
        self.plural: tuple[Actor, ...] = ()
        self.persons = persons if persons is not None else []
        self.genders = genders if genders is not None else {}
        self._sentence_start = -1
        self._in_sentence: list[Actor] = []
        # sentences (first token index) of the last singular mention and singular subject
        self._singular_at = -1
        self._subject_at = -1

    def restore(self, state: tuple) -> None:
        """Carry the antecedents of the article's previous paragraph over."""
        if state:
            self.singular, self.singular_subject, self.plural = state

    def state(self) -> tuple:
        return (self.singular, self.singular_subject, self.plural)

    def add(self, tok, actors: tuple[Actor, ...], *, person: bool, gender: str | None) -> None:
        start = self._sentence_of[tok.i]
        if start != self._sentence_start:
            self._sentence_start, self._in_sentence = start, []
        for actor in actors:
            if all(a.code != actor.code for a in self._in_sentence):
                self._in_sentence.append(actor)
        if len(actors) > 1 or tok.tag_ in {"NNS", "NNPS"}:
            self.plural = actors
            return
        if person:
            key = _key(actors)
            if gender is not None:
                self.genders.setdefault(key, gender)
            self.persons[:] = [p for p in self.persons if _key(p) != key]
            self.persons.append(actors)
            del self.persons[:-_KEEP_PERSONS]
            return
        self.singular = actors
        self._singular_at = start
        if tok.dep_ in {"nsubj", "nsubjpass"}:
            self.singular_subject = actors
            self._subject_at = start

    def for_pronoun(self, low: str, i: int) -> tuple[Actor, ...]:
        """The antecedent of pronoun ``low`` at token ``i``."""
        if low in SINGULAR_PRONOUNS:
            here = self._sentence_of[i]
            if self.singular and here == self._singular_at != self._subject_at:
                # "They grew wary of Russia since it annexed Crimea": a singular named
                # earlier in the pronoun's own sentence beats a subject of an earlier one
                # (within one sentence the subject still wins: "Russia said Turkey ...,
                # it added").
                return self.singular
            return self.singular_subject or self.singular
        if low in PERSON_PRONOUNS:
            return self._person(low)
        if low in PLURAL_PRONOUNS:
            if self.plural:
                return self.plural
            if len(self._in_sentence) > 1:
                return tuple(self._in_sentence)
            return self.singular
        return ()

    def _person(self, low: str) -> tuple[Actor, ...]:
        """The most recent person whose known gender does not rule the pronoun out."""
        wanted = "m" if low in _MASCULINE else "f"
        for actors in reversed(self.persons):
            key = _key(actors)
            known = self.genders.get(key)
            if known is None or known == wanted:
                return actors
        return ()
