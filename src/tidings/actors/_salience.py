"""Antecedents for pronouns.

Subjects beat other mentions, recency breaks ties.  Persons are kept in
order of mention with their gender when the text shows it: an honorific
("Mr", "Ms", "Mrs"), a gendered role word ("spokeswoman", "king") or a
common first name (``data/actors/first_names.tsv``; the dictionary person's
own first name when the text gives only the surname): "Ms Drake met Mr
Lamb.  She said..." gives "she" to Ms Drake, not to the more recent Mr
Lamb, and "Donald Roe criticised the leader after she ..." gives "she" to
nobody rather than to Roe.  Genders are not guessed from pronouns (a wrong
guess would misdirect every later pronoun).  The person list and the genders
belong to the article (:class:`~tidings.actors._article.ArticleMemory`), so
they carry over paragraph breaks.
"""

from __future__ import annotations

import functools
from pathlib import Path

from tidings.model import Actor

SINGULAR_PRONOUNS = frozenset({"it", "its", "itself"})
PLURAL_PRONOUNS = frozenset({"they", "them", "their", "themselves"})
_MASCULINE = frozenset({"he", "him", "his", "himself"})
_FEMININE = frozenset({"she", "her", "hers", "herself"})
PERSON_PRONOUNS = _MASCULINE | _FEMININE
# Only a subject pronoun falls back to an office ("his vehicle" is no actor's).
_SUBJECT_PRONOUNS = frozenset({"he", "she"})

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
# Role words that say the gender of the person they name.
_FEMININE_WORDS = (
    "spokeswoman chairwoman congresswoman businesswoman councilwoman"
    " queen princess duchess empress actress lady baroness"
)
_MASCULINE_WORDS = "spokesman congressman businessman councilman king prince duke emperor baron"
_GENDERED_WORDS = {
    **dict.fromkeys(_FEMININE_WORDS.split(), "f"),
    **dict.fromkeys(_MASCULINE_WORDS.split(), "m"),
}
_FIRST_NAMES_FILE = Path(__file__).resolve().parent.parent / "data" / "actors" / "first_names.tsv"
_KEEP_PERSONS = 8  # persons remembered for pronouns, most recent last
#: Heads of a pair description ("the two leaders", "both countries") and what they pick up:
#: the last two persons named, or two states (a coordination of two, else the last two
#: persons' countries: the sides a story's two protagonists stand for).
_PAIR_PERSONS = frozenset({"leaders", "men", "women", "presidents", "premiers", "counterparts"})
_PAIR_STATES = frozenset(
    {"countries", "nations", "sides", "governments", "neighbors", "neighbours"}
)


def honorific_gender(tok) -> str | None:
    """ "m" or "f" when an honorific in the phrase of ``tok`` says so ("Ms Roe")."""
    for t in tok.doc[tok.left_edge.i : tok.i]:
        gender = _HONORIFICS.get(t.lower_)
        if gender is not None:
            return gender
    return None


@functools.lru_cache(maxsize=1)
def _first_names() -> dict[str, str]:
    """Common first names and their gender (``data/actors/first_names.tsv``)."""
    out: dict[str, str] = {}
    for line in _FIRST_NAMES_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, gender = line.split("\t")
            out[name] = gender
    return out


def person_gender(tok, dictionary_name: str | None = None) -> str | None:
    """ "m" or "f" when the phrase of person ``tok`` shows it: an honorific, a
    gendered role word, a known first name ("Donald Roe"), else the first name
    of the dictionary's full name for the person (``dictionary_name``)."""
    phrase = tok.doc[tok.left_edge.i : tok.i + 1]
    gender = honorific_gender(tok)
    if gender is None:
        gender = next(
            (_GENDERED_WORDS[t.lower_] for t in phrase if t.lower_ in _GENDERED_WORDS), None
        )
    if gender is not None:
        return gender
    names = _first_names()
    given = next((t for t in phrase if t.ent_type_ == "PERSON" and t.pos_ == "PROPN"), None)
    if given is not None and given.i != tok.i:
        return names.get(given.lower_)
    if dictionary_name and " " in dictionary_name:
        return names.get(dictionary_name.split()[0])
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
        self._person_heads: dict[str, int] = {}  # person key -> its last head token here

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
            self._person_heads[key] = tok.i
            return
        self.singular = actors
        self._singular_at = start
        if tok.dep_ in {"nsubj", "nsubjpass"}:
            self.singular_subject = actors
            self._subject_at = start

    def refresh(self, resolved: dict[int, tuple[Actor, ...]]) -> None:
        """Keep the persons remembered for later paragraphs as the paragraph finally
        resolved them: a country their sentence gave them after they were seen
        ("Prime Minister Mette Frederiksen ... a state visit to Denmark") stays theirs."""
        for n, actors in enumerate(self.persons):
            i = self._person_heads.get(_key(actors))
            if i is not None and resolved.get(i):
                self.persons[n] = resolved[i]

    def pair(self, tok) -> tuple[Actor, ...]:
        """The two actors a pair description at ``tok`` means ("the two leaders" after
        "Trump met Kim": Trump and Kim; "both countries": a coordination of two, or the
        countries of the last two persons), or none when it is no pair description or no
        pair is known."""
        kind = _pair_kind(tok)
        if kind is None:
            return ()
        persons = tuple(actors[0] for actors in self.persons[-2:] if actors[0].country)
        if kind == "persons":
            return persons if len(persons) == 2 else ()
        if len({a.country for a in self.plural}) == 2 == len(self.plural):
            return self.plural
        countries = [a.country for a in persons]
        if len(set(countries)) != 2:
            return ()
        return tuple(Actor(code=c, text=c, country=c) for c in countries)

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
            return self._person(low, i)
        if low in PLURAL_PRONOUNS:
            if self.plural:
                return self.plural
            if len(self._in_sentence) > 1:
                return tuple(self._in_sentence)
            return self.singular
        return ()

    def _person(self, low: str, i: int) -> tuple[Actor, ...]:
        """The most recent person whose known gender does not rule the pronoun out;
        with none, for "he"/"she", an office named earlier in the pronoun's sentence
        ("Trump called the Danish leader 'nasty' after she rebuffed his idea")."""
        wanted = "m" if low in _MASCULINE else "f"
        for actors in reversed(self.persons):
            key = _key(actors)
            known = self.genders.get(key)
            if known is None or known == wanted:
                return actors
        if low not in _SUBJECT_PRONOUNS:
            return ()
        here = self._sentence_of[i]
        for actors, at in (
            (self.singular_subject, self._subject_at),
            (self.singular, self._singular_at),
        ):
            if actors and at == here and all(a.agent and _an_office(a) for a in actors):
                return actors
        return ()


#: Last words of institutions, which "he" or "she" never means ("DOJ let the lawyer in
#: before she met ...", "the State Department said she would travel").
_INSTITUTION_WORDS = frozenset(
    {
        "department", "ministry", "house", "pentagon", "kremlin", "office", "agency",
        "government", "administration", "court", "council", "committee", "parliament",
        "congress", "senate", "police", "army", "military", "navy", "embassy", "bureau",
        "service", "commission", "party", "coalition", "team", "campaign", "authorities",
    }
)  # fmt: skip


def _an_office(actor: Actor) -> bool:
    """Whether an actor's words name an office a person holds ("the Danish prime
    minister"), not an institution ("State Department", "DOJ")."""
    words = actor.text.split()
    if not words:
        return False
    last = words[-1]
    return not (last.isupper() and len(last) > 1) and last.lower() not in _INSTITUTION_WORDS


_OBJECT_DEPS = frozenset({"dobj", "dative", "iobj"})
_RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})


def clause_subjects(pronoun) -> list:
    """The subject tokens (with their conjuncts) of the clause whose object ``pronoun``
    is; a relative pronoun subject stands for the noun its clause describes.  Why: an
    object pronoun other than a reflexive never means its own clause's subject
    ("leaders who slammed them" are not "them"), so those are no antecedents for it."""
    if pronoun.dep_ not in _OBJECT_DEPS or pronoun.lower_.endswith(("self", "selves")):
        return []
    verb = pronoun.head
    subjects = []
    for child in verb.children:
        if child.dep_ not in {"nsubj", "nsubjpass"}:
            continue
        if child.lower_ in _RELATIVE_PRONOUNS and verb.dep_ == "relcl":
            child = verb.head
        subjects.extend([child, *child.conjuncts])
    return subjects


def without_bound(
    antecedent: tuple[Actor, ...], subjects: list, resolved: dict[int, tuple[Actor, ...]]
) -> tuple[Actor, ...]:
    """``antecedent`` less the actors its clause's subjects resolved to."""
    bound = {(a.code, a.text) for tok in subjects for a in resolved.get(tok.i, ())}
    return tuple(a for a in antecedent if (a.code, a.text) not in bound)


_SPEECH_CLAUSE_DEPS = frozenset({"ccomp", "parataxis"})


def speaker_name(pronoun) -> list | None:
    """The words of the person a subject "he"/"she" stands for when it opens what that
    person said: in "Rosenstein said he briefed the president", "he" is Rosenstein,
    not the last person the article named (Mueller, or Putin a paragraph earlier).
    None when the pronoun is no such subject or the speaker is not a bare name."""
    if pronoun.lower_ not in _SUBJECT_PRONOUNS or pronoun.dep_ != "nsubj":
        return None
    clause = pronoun.head
    if clause.dep_ not in _SPEECH_CLAUSE_DEPS:
        return None
    for subject in clause.head.children:
        if subject.dep_ != "nsubj" or subject.i > pronoun.i:
            continue
        if any(c.dep_ == "det" for c in subject.children):
            return None  # "The President said he ...": a title, resolved as any phrase
        words = list(subject.subtree)
        names = [t for t in words if t.pos_ == "PROPN" and t.ent_type_ in _PERSON_OR_UNTAGGED]
        if names and len(names) == sum(t.pos_ == "PROPN" for t in words):
            return words
    return None


def speaker_actors(words: list, resolved: dict[int, tuple[Actor, ...]]) -> tuple[Actor, ...]:
    """What the speaker's words resolved to (the head's actors first); () for a person
    the dictionaries do not know, whom the pronoun then names too: it gets no
    antecedent rather than a wrong one."""
    for tok in sorted(words, key=lambda t: t.dep_ != "nsubj"):
        if tok.i in resolved:
            return resolved[tok.i]
    return ()


# A name the tagger left untagged ("Rosenstein said ...") is most often a person's.
_PERSON_OR_UNTAGGED = frozenset({"PERSON", ""})


def _pair_kind(tok) -> str | None:
    """``"persons"`` or ``"states"`` when ``tok`` heads a bare "the two X" or "both X" subject;
    "both sides of the aisle" (an "of" phrase) and "both Republican leaders" (a modifier
    that says which) are no pair of actors named before."""
    low = tok.lower_
    kind = "persons" if low in _PAIR_PERSONS else "states" if low in _PAIR_STATES else None
    if kind is None or tok.dep_ not in {"nsubj", "nsubjpass"}:
        return None  # as an object ("talks between the two neighbors") it may hold the subject
    deps = {c.lower_: c.dep_ for c in tok.children if c.i < tok.i}
    two = deps.get("two") == "nummod" and deps.get("the") == "det" and len(deps) == 2
    both = deps.get("both") in {"det", "predet", "preconj"} and len(deps) == 1
    if not (two or both) or any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.rights):
        return None
    return kind
