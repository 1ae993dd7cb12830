"""The tense of an event, which decides which "Tuesday" or "Dec. 27" is meant.

Why not just read ``token.morph``: most future events are *infinitives*
("is scheduled to hold talks on Monday", "are due to resume on Jan. 23")
whose own morphology says nothing, and headlines and captions use the
present for past events.  So the tense is read from the auxiliaries first,
then from the verbs that govern a non-finite trigger (control verbs such as
"plan", "expect", "be due", "be going"), and only then from the tag.

Three values are returned: ``"past"`` and ``"future"`` pick the occurrence
before or after publication; ``"present"`` picks the nearest one, which is
the right reading for headline and caption present ("Putin meets Erdogan on
Monday").
"""

from __future__ import annotations

__all__ = ["PROSPECTIVE", "clause_verb", "is_verb", "tense_of"]

_FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
_MODALS = frozenset({"could", "would", "might", "may", "should", "can", "must", "'d", "ca"})
_PERFECT_AUX = frozenset({"has", "have", "had", "'ve"})
_PAST_AUX = frozenset({"was", "were", "did"})
_PRESENT_AUX = frozenset({"is", "are", "am", "'s", "'re", "'m", "do", "does"})
# Verbs (and "due", "likely", "about") whose complement happens later than
# they do: "agreed to meet on Friday" is a future meeting even in the past
# tense.  Shared with the date search, which must not take their dates for
# their complements (or the other way round).
PROSPECTIVE = frozenset(
    {
        "plan", "schedule", "expect", "intend", "prepare", "aim", "hope", "set", "due",
        "go", "agree", "promise", "pledge", "vow", "threaten", "want", "seek", "decide",
        "propose", "slate", "poise", "be", "likely", "about", "ready", "wish", "offer",
        "urge", "ask", "call", "demand", "warn",
    }
)  # fmt: skip
# Passive participles that put their own event in the future ("talks are set for Friday").
_FUTURE_PASSIVES = frozenset({"schedule", "set", "slate", "plan", "expect", "due"})
_FUTURE_NOUN_MODS = frozenset(
    {"planned", "upcoming", "scheduled", "proposed", "forthcoming", "future", "next", "coming"}
)
_NONFINITE_CLIMB = frozenset({"xcomp", "advcl", "pcomp", "acl", "conj", "relcl", "ccomp", "prep"})


def is_verb(tok) -> bool:
    """A verb or a predicative auxiliary ("This *was* visible")."""
    return tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB")


def clause_verb(tok):
    """The verb heading the clause that contains ``tok`` (``tok`` itself for verbs).

    Returns ``None`` for a verbless fragment (a headline such as "Putin-Erdogan
    talks in Moscow").
    """
    steps = 0
    while not is_verb(tok):
        if tok.head.i == tok.i or steps > 12:
            return None
        tok = tok.head
        steps += 1
    return tok


def _own_tense(verb) -> str | None:
    """Tense from the verb's auxiliaries and tag; ``None`` if it is non-finite."""
    auxes = [c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(a in _FUTURE_AUX for a in auxes):
        return "future"
    if any(a in _MODALS for a in auxes):
        # "could be finalized" looks ahead; "could have met" looks back.
        return "past" if "have" in auxes else "future"
    if any(a in _PERFECT_AUX for a in auxes) or any(a in _PAST_AUX for a in auxes):
        return "past"
    if any(a in _PRESENT_AUX for a in auxes):
        if verb.lemma_ in _FUTURE_PASSIVES and verb.tag_ == "VBN":
            return "future"
        return "present"
    if "to" in auxes:
        return None
    tag = verb.tag_
    if tag == "VBD":
        return "past"
    if tag in ("VBZ", "VBP"):
        return "present"
    if tag == "MD":
        return "future"
    if tag in ("VBG", "VBN"):
        return None
    if tag == "VB" and verb.dep_ in ("conj", "xcomp"):
        return None  # "will meet and sign": inherits from the first conjunct
    return "present"  # bare VB: captions ("Supporters clash with police")


def _governed_tense(verb) -> str:
    """Tense of a non-finite verb, from the verbs that govern it."""
    tok = verb
    for _ in range(8):
        head = tok.head
        if head.i == tok.i or (is_verb(tok) and tok.dep_ not in _NONFINITE_CLIMB):
            break
        if tok.dep_ == "xcomp" and head.lemma_.lower() in PROSPECTIVE:
            governor = _own_tense(head)
            if governor is None:
                governor = _governed_tense(head)
            # "was expected to arrive on Tuesday": the plan is reported, the
            # event may be before or after publication; take the nearest.
            return "present" if governor == "past" else "future"
        if not is_verb(head):
            tok = head
            continue
        found = _own_tense(head)
        if found is not None:
            return found
        tok = head
    has_to = any(c.lower_ == "to" and c.dep_ == "aux" for c in verb.children)
    return "future" if has_to else "present"  # headline "Putin to meet Erdogan on Tuesday"


def tense_of(trigger) -> str:
    """``"past"``, ``"present"`` or ``"future"`` for an event trigger token.

    Nominal triggers take the tense of the verb governing them, unless they
    are marked as prospective ("the planned talks", "next meeting").
    """
    if not is_verb(trigger):
        if any(c.lower_ in _FUTURE_NOUN_MODS for c in trigger.children):
            return "future"
        verb = clause_verb(trigger)
        if verb is None:
            return "present"
    else:
        verb = trigger
    own = _own_tense(verb)
    return own if own is not None else _governed_tense(verb)
