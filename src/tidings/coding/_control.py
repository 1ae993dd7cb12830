"""Understood subjects: who performs a clause that names no subject of its own.

Helpers of :mod:`tidings.coding._coder`'s subject search, kept apart so that
module stays readable: the controller of a subjectless participle adjunct and
the noun a relative clause is about.
"""

from __future__ import annotations

from tidings.coding._frames import children_with

__all__ = ["adjunct_governor", "antecedent"]

# Prepositions whose gerund the governing verb's object performs ("accused X
# of arming", "barred X from joining", "thanked X for helping").
_OBJECT_CONTROL_PREPS = frozenset({"of", "from", "for", "into"})
# Prepositions and markers of a time or manner adjunct: "met X after visiting Y",
# "by sending", "while praising".
_TIME_PREPS = frozenset(
    {"after", "before", "since", "upon", "by", "despite", "without", "while", "when", "whilst"}
)


def antecedent(noun):
    """The noun a relative clause is about: "Georgia, a country which fought
    Russia" is about Georgia (the apposition's head), not "a country"."""
    if noun.dep_ == "appos" and not noun.conjuncts and noun.head.pos_ in {"PROPN", "NOUN"}:
        return noun.head
    return noun


def adjunct_governor(verb) -> tuple[str, object] | None:
    """Where the understood subject of a subjectless participle clause is.

    "After meeting X, Pence said", "While praising Denmark, Trump said": the
    main clause's subject does the adjunct's action -- ``("subject-of",
    main verb)``.  Under "of"/"from"/"for" of a verb with an object the object
    does it ("accused Iran of arming rebels", "barred Serbia from joining") --
    ``("object", object token)``.  A bare adjunct (", citing X", ", killing 50")
    gives None: it is left to the other readings, its own event ranked apart.
    """
    if verb.tag_ not in {"VBG", "VBN"}:
        return None
    head = verb.head
    if verb.dep_ == "pcomp" and head.dep_ == "prep" and head.head.i != head.i:
        governor = head.head
        if governor.pos_ not in {"VERB", "AUX"}:
            return None
        if head.lower_ in _OBJECT_CONTROL_PREPS:
            objects = children_with(governor, {"dobj"})
            return ("object", objects[0]) if objects else None
        if verb.i > governor.i and head.lower_ not in _TIME_PREPS:
            return None  # "warned against attacking Y": a topic, not the speaker's act
        return "subject-of", governor
    if (
        verb.dep_ == "advcl"
        and head.i != verb.i
        and head.pos_ in {"VERB", "AUX"}
        and any(c.dep_ == "mark" and c.lower_ in _TIME_PREPS for c in verb.children)
    ):
        return "subject-of", head
    return None
