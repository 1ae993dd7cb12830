"""Conventions of the real-news guidelines the coder follows (issue #13).

Small decisions kept apart from :mod:`tidings.coding._coder` so that module
stays readable: which events need no target, which verbs name a policy
option, and how a speaker's stance toward a statement's content is marked.
"""

from __future__ import annotations

from tidings.model import Actor, Event

__all__ = [
    "ACCUSE",
    "CONSIDER_OPTION",
    "RECIPROCAL_LEMMAS",
    "SYMMETRIC_LEMMAS",
    "attributed",
    "clausal_complement",
    "objectless",
    "ordered_outcome",
    "warns_about_another",
    "warns_of_own_side",
]

# Events that need no target: coordinated participants act on each other.
SYMMETRIC_LEMMAS = frozenset(
    {
        "meet",
        "talk",
        "negotiate",
        "agree",
        "consult",
        "confer",
        "discuss",
        "cooperate",
        "talks",
        "meeting",
        "negotiation",
        "consultation",
        "summit",
        "agreement",
        "deal",
        "treaty",
        "accord",
        "ceasefire",
        "truce",
    }
)

# Conflictual verbs that are reciprocal with a coordinated subject and no object
# ("France and Germany disagreed", "police and protesters clashed"): not
# symmetric in the guidelines' sense (04, 06, 057), but each side acts on the other.
RECIPROCAL_LEMMAS = frozenset(
    {"disagree", "clash", "quarrel", "feud", "spar", "fight", "wrangle", "bicker", "skirmish"}
)

# Roots the guidelines code without a target when there is none: statements
# of intent with no object (03) and protests with no addressee (14).
# Only commitments are intents without an object ("pledged to serve as
# guarantors"); wanting or hoping is no action (guidelines: "readiness,
# promises and commitments are root 03").
COMMITMENT_LEMMAS = frozenset(
    {"pledge", "promise", "vow", "commit", "agree", "offer", "undertake", "guarantee", "swear"}
)


CONSIDER_OPTION = "014"
ACCUSE = "112"


def clausal_complement(verb) -> bool:
    """Whether a verb has a verbal complement after it ("considering sending troops")."""
    return any(
        c.dep_ in {"xcomp", "ccomp"} and c.pos_ in {"VERB", "AUX"} and c.i > verb.i
        for c in verb.children
    )


def objectless(root: str, lemma: str) -> bool:
    """Whether an event of this root and trigger is coded with no target."""
    return root == "14" or (root == "03" and lemma in COMMITMENT_LEMMAS)


def attributed(event: Event) -> bool:
    """Whether an event is a statement's stance toward its content's actor."""
    return event.evidence.rule.endswith("/attributed")


def ordered_outcome(verb):
    """The participle an order brings about ("ordered Mubarak freed", "ordered the
    diplomats expelled"), or None.  An authority's order is coded as the act it orders
    (the guidelines code "ordered ... freed" as a release), with the order's subject as
    source and the participle's subject as target, as the order's own frame has them."""
    if verb.lemma_.lower() != "order":
        return None
    for child in verb.children:
        if (
            child.dep_ == "ccomp"
            and child.i > verb.i
            and child.tag_ in {"VBN", "VBD"}
            and not any(c.dep_ in {"aux", "auxpass", "mark"} for c in child.children)
        ):
            return child
    return None


def _key(actor: Actor) -> str:
    return actor.country or actor.code[:3]


def warns_about_another(lemma: str, root: str, kind: str, sources, targets) -> bool:
    """Whether a warning is about what another actor does ("the US vice-president
    warned that Moscow continued to redraw borders"): an accusation (112), as the
    guidelines code it.  A warning of the speaker's own side's act ("Iran's spokesman
    warned Iran could enrich uranium") stays a threat (13)."""
    return (
        lemma == "warn"
        and root == "13"
        and kind == "complement"
        and bool(sources and targets)
        # both sides' countries known: "the spokesman warned Iran could ..." with the
        # spokesman's country unresolved is not a warning about another state
        and all(a.country for a in (*sources, *targets))
        and not {_key(s) for s in sources} & {_key(t) for t in targets}
    )


def warns_of_own_side(lemma: str, kind: str, sources, targets) -> bool:
    """Whether a warning's complement is the speaker's own side's act ("Iran's spokesman
    warned Iran could enrich uranium"): a threat with no target, not one aimed at itself."""
    return (
        lemma == "warn"
        and kind == "complement"
        and bool(sources and targets)
        and all(a.country for a in (*sources, *targets))
        and {_key(t) for t in targets} <= {_key(s) for s in sources}
    )
