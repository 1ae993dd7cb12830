"""How certain is an event? Modality from the trigger's syntactic context.

The trigger and the chain of verbs governing it (through control verbs such
as "pledged to", "appears to", and clausal complements of "said") are
inspected for cue words.  The strongest cue wins, in this order: negated,
hypothetical, future, uncertain, reported, asserted; the cue words are
returned so every event can show why it got its modality.
"""

from __future__ import annotations

from dataclasses import replace

from tidings.coding._frames import LIGHT_VERBS, to_infinitive
from tidings.coding._triggers import repaired_lemma
from tidings.model import Event

_NEGATORS = {"not", "n't", "never", "no"}
_FUTURE_AUX = {"will", "shall", "'ll", "wo"}
_HYPOTHETICAL_AUX = {"would", "could", "might", "may", "should", "'d", "must"}
_HYPOTHETICAL_MARKS = {"if", "unless", "whether"}
# Temporal subordinators whose present tense is the future in news: "after he meets Lavrov",
# "when the two leaders meet next week" (a past act is told in the past tense).
_TEMPORAL_MARKS = {"when", "after", "before", "once", "until", "till"}
_PRESENT_TAGS = {"VBZ", "VBP"}
# Heads whose infinitival complement has not happened yet: plans, promises,
# offers, threats ("agreed to withdraw", "is ready to contribute troops").
_FUTURE_HEADS = {
    "plan",
    "schedule",
    "expect",
    "intend",
    "prepare",
    "aim",
    "hope",
    "set",
    "go",
    "agree",
    "pledge",
    "promise",
    "vow",
    "offer",
    "decide",
    "commit",
    "threaten",
    "ready",
    "willing",
    "prepared",
    "determined",
    "want",
    "seek",
    "propose",
    "due",
    "plot",
    "conspire",
    "scheme",
}
_UNCERTAIN_HEADS = {"appear", "seem", "likely", "unlikely"}
# Passive raising verbs: "Obama is believed to have warned Putin", "is said to have met".
_UNCERTAIN_PASSIVES = frozenset(
    {"believe", "think", "suspect", "rumor", "rumour", "presume", "say", "report", "allege"}
)
# Heads whose infinitival complement did not happen: "refused to meet X", "failed to stop".
_NEGATING_HEADS = frozenset({"refuse", "decline", "fail", "neglect", "refusal", "failure"})
# Heads that decline to speak: in "declined to comment" and "refused to say how many" the
# statement was not made, but the refusal is CAMEO's own act 011 (decline comment).
_DECLINING_HEADS = frozenset({"decline", "refuse", "refusal"})
# Nouns whose infinitival complement is only possible: "had incentives to strike first",
# "Turkey's right to defend its airspace", "a chance to criticize".
_POSSIBILITY_NOUNS = frozenset(
    {
        "incentive",
        "reason",
        "right",
        "need",
        "chance",
        "opportunity",
        "option",
        "ability",
        "capacity",
        "capability",
        "authority",
        "permission",
        "power",
        "temptation",
    }
)
# Nouns whose infinitival complement is planned or offered, not done: "Iran's plan to
# attack", "a bid to buy Greenland", "the threat to withdraw".
_PROSPECTIVE_NOUNS = frozenset(
    {
        "plan",
        "proposal",
        "bid",
        "offer",
        "promise",
        "pledge",
        "threat",
        "intention",
        "intent",
        "plot",
        "readiness",
        "willingness",
        "commitment",
        "attempt",
        "effort",
        "desire",
        "wish",
        "hope",
        "goal",
        "aim",
        "ambition",
    }
)
# Appeals and invitations: what they ask for has not happened ("urged China to pressure
# North Korea", "invited Trump to visit Denmark"),
# the guidelines' hypothetical.
_APPEAL_HEADS = frozenset(
    {
        "urge",
        "ask",
        "call",
        "demand",
        "press",
        "request",
        "encourage",
        "push",
        "pressure",
        "lobby",
        "appeal",
        "implore",
        "invite",
    }
)
# Commitments, warnings and proposals: with the reporting verbs (REPORTING_HEADS) and
# appeals (_APPEAL_HEADS), acts of speech whose attached condition is part of what was
# said ("called for sanctions if Iran breaks the limit", "reaffirmed the commitment to the
# Baltic states if they face aggression"); the statement itself was made.
_SPEECH_ACTS = frozenset(
    {
        "reaffirm",
        "reiterate",
        "pledge",
        "promise",
        "vow",
        "threaten",
        "warn",
        "caution",
        "offer",
        "propose",
        "suggest",
    }
)
# Verbs of obligation: what they govern is only owed ("needs to ask", "ought to").
DEONTIC_HEADS = frozenset({"need", "ought"})
# Predicates that leave their clausal subject or complement open.
_DOUBT_WORDS = frozenset({"unclear", "uncertain", "unknown", "doubtful", "unconfirmed"})
_UNCERTAIN_ADVERBS = {
    "reportedly",
    "allegedly",
    "apparently",
    "likely",
    "possibly",
    "probably",
    "perhaps",
    "purportedly",
}
REPORTING_HEADS = {
    "say",
    "tell",
    "claim",
    "report",
    "announce",
    "state",
    "add",
    "insist",
    "allege",
    "assert",
    "declare",
    "confirm",
    "note",
    "write",
}
# Accusations: the act they charge someone with ("accused Iran of attacking the
# tankers", "blamed Kyiv for the shelling") is the accuser's claim, not the outlet's.
_ACCUSATION_HEADS = frozenset({"accuse", "blame", "charge", "suspect", "indict"})
_ACCUSATION_PREPS = frozenset({"of", "for", "with"})
# Verbs whose "that" clause is what someone else says, without being statement verbs of
# the coder ("pointed out that Truman once considered...", "reports suggested Trump had
# threatened ..."): what the clause reports is ``reported``.
_CONTENT_HEADS = frozenset(
    {"point", "suggest", "argue", "explain", "reveal", "admit", "acknowledge", "testify"}
)
# Verbs whose object event has not happened yet ("the plan envisions talks").
_PROSPECTIVE_HEADS = {
    "envision",
    "envisage",
    "propose",
    "plan",
    "seek",
    "want",
    "demand",
    "urge",
    "expect",
    "hope",
    "prepare",
    "schedule",
}
# "after the assassination", "since the invasion": the event has happened.
_PRESUPPOSING_PREPS = {"after", "since", "following", "despite", "amid", "over", "because"}
_FUTURE_NOUN_MODS = {"planned", "upcoming", "future", "scheduled", "proposed", "forthcoming"}
# Verbs that call a planned gathering off ("cancelled his visit", "postponed the talks",
# "the summit was scrapped"): the gathering did not happen; calling it off is its own
# act, coded from the verb.  "call off" and "put off" need their particle.  Only
# gatherings: a deal, aid or sanctions that are cancelled or suspended existed.
_CALLING_OFF = frozenset({"cancel", "postpone", "scrap", "shelve", "suspend", "delay", "abandon"})
_CALLING_OFF_PARTICLES = frozenset({"call", "put"})
_GATHERINGS = frozenset(
    {"visit", "trip", "tour", "meeting", "summit", "talk", "talks", "negotiation", "conference"}
)
_CLIMB_DEPS = {
    "xcomp",
    "ccomp",
    "conj",
    "advcl",
    "pcomp",
    "pobj",
    "prep",
    "acl",
    "dobj",
    "relcl",
    "acomp",
}
_PRIORITY = ("negated", "hypothetical", "future", "uncertain", "reported")


#: Every head the modality rules look up (see :func:`_head_lemma`).
_KNOWN_HEADS = frozenset().union(
    _FUTURE_HEADS,
    _UNCERTAIN_HEADS,
    _UNCERTAIN_PASSIVES,
    _NEGATING_HEADS,
    _APPEAL_HEADS,
    _SPEECH_ACTS,
    DEONTIC_HEADS,
    REPORTING_HEADS,
    _CONTENT_HEADS,
    _ACCUSATION_HEADS,
)


def _head_lemma(tok) -> str:
    """The lemma of a governing verb, checked against the head lists: spaCy's rule
    lemmatiser strips some forms to another word ("hopes" -> "hop", "plotted" ->
    "plott"), which the regular base of the written form ("hope", "plot") repairs."""
    return repaired_lemma(tok, _KNOWN_HEADS)


def _called_off(noun) -> str | None:
    """The word that calls off the gathering ``noun`` names, if one does: the verb whose
    object or passive subject it is ("postponed the talks", "the visit was cancelled"),
    or a modifier the headline parser folded into the noun's phrase ("Trump cancels
    state visit", "the scrapped summit")."""
    if noun.lemma_.lower() not in _GATHERINGS:
        return None
    head = noun.head
    if noun.dep_ in {"dobj", "nsubjpass"} and head.pos_ == "VERB":
        lemma = head.lemma_.lower()
        particles = {c.lower_ for c in head.children if c.dep_ == "prt"}
        if lemma in _CALLING_OFF or (lemma in _CALLING_OFF_PARTICLES and "off" in particles):
            return head.text
    for child in noun.children:
        if (
            child.dep_ in {"amod", "compound"}
            and child.i < noun.i
            and child.lemma_.lower() in _CALLING_OFF
        ):
            return child.text
    return None


def _light_object(trigger) -> bool:
    """Whether ``trigger`` is an event noun carried by a light verb ("hold talks")."""
    return trigger.dep_ == "dobj" and trigger.head.lemma_.lower() in LIGHT_VERBS


def _clause_chain(trigger) -> list:
    """The trigger, then the verbs that govern it up to the sentence root."""
    chain = [trigger]
    tok = trigger
    while tok.dep_ in _CLIMB_DEPS and tok.head.i != tok.i:
        tok = tok.head
        chain.append(tok)
        if len(chain) > 12:
            break
    return chain


def _reported(clause) -> bool:
    """Whether ``clause`` is the complement of a reporting verb ("said [they would ...]")."""
    return (
        clause.dep_ == "ccomp"
        and clause.head.i != clause.i
        and clause.head.lemma_.lower() in REPORTING_HEADS
        and clause.head.i < clause.i
    )


# Links from a clause to the verb above it that end the governing clause: what
# is negated, conditioned or uncertain up there is another action.
_BOUNDARY_DEPS = frozenset({"ccomp", "advcl", "relcl", "acl", "csubj", "parataxis"})


def _clause_boundary(tok) -> bool:
    """Whether the link from ``tok`` to its head leaves ``tok``'s clause.

    Control and raising (``xcomp``: "did not agree to meet"), objects and
    prepositions (an event noun: "did not hold talks") stay in the clause; a
    coordinated verb with its own subject is a clause of its own.
    """
    if tok.dep_ in _BOUNDARY_DEPS:
        return True
    return tok.dep_ == "conj" and any(c.dep_ in {"nsubj", "nsubjpass"} for c in tok.children)


def _conditional(clause) -> str | None:
    """The "if" of a conditional adverbial clause, else None."""
    for child in clause.children:
        if child.dep_ == "mark" and child.lower_ == "if":
            return child.text
    return None


def _condition_is_said(verb) -> bool:
    """Whether ``verb`` is a statement made (past or present tense) whose condition is part
    of what it says rather than a condition on the statement."""
    lemma = verb.lemma_.lower()
    spoken = lemma in _SPEECH_ACTS or lemma in REPORTING_HEADS or lemma in _APPEAL_HEADS
    return spoken and verb.tag_ in {"VBD", "VBN", "VBZ", "VBP"}


def modality_of(trigger, *, nominal: bool = False) -> tuple[str, tuple[str, ...]]:
    """Return (modality, cue words) for a trigger token."""
    found: dict[str, list[str]] = {}

    def cue(kind: str, word: str) -> None:
        found.setdefault(kind, []).append(word)

    if nominal:
        for child in trigger.children:
            if child.lower_ in _FUTURE_NOUN_MODS:
                cue("future", child.text)
            elif child.dep_ == "det" and child.lower_ == "no":
                # "there was no meeting between X and Y", "with no extradition treaty"
                cue("negated", child.text)
        # "an agreement between X and Y, which could be finalized next week": the
        # parser often hangs the relative clause on the last noun of the phrase.
        for clause in trigger.subtree:
            if clause.dep_ in {"relcl", "acl"} and clause.head.pos_ in {"NOUN", "PROPN"}:
                for aux in clause.children:
                    if aux.dep_ in {"aux", "auxpass"} and aux.lower_ in _FUTURE_AUX:
                        cue("future", aux.text)
                    elif aux.dep_ in {"aux", "auxpass"} and aux.lower_ in _HYPOTHETICAL_AUX:
                        cue("hypothetical", aux.text)
        if trigger.dep_ in {"dobj", "pobj"} and trigger.head.lemma_.lower() in _PROSPECTIVE_HEADS:
            cue("future", trigger.head.text)
        called_off = _called_off(trigger)
        if called_off:
            cue("negated", called_off)
        # A nominal event in subject position is presupposed ("the assassination
        # of X will make..."): the governing verb's modality does not apply.
        presupposed = trigger.dep_ in {"nsubj", "nsubjpass"} or (
            trigger.dep_ == "pobj" and trigger.head.lower_ in _PRESUPPOSING_PREPS
        )
        head_chain = [] if presupposed else _clause_chain(trigger)[1:]
        chain = [trigger, *head_chain]
    else:
        chain = _clause_chain(trigger)
    for clause in (trigger, *trigger.ancestors):
        if clause.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in {"if", "unless"} for c in clause.children
        ):
            # "If the suggestion is that we kill ...": nothing inside a condition,
            # however deep, is asserted.
            cue("hypothetical", next(c.text for c in clause.children if c.dep_ == "mark"))
            break
    in_scope = True  # whether ``tok``'s own clause still governs the trigger
    for depth, tok in enumerate(chain):
        governs_below = in_scope  # the clause below still held the trigger
        if depth > 0 and in_scope and _clause_boundary(chain[depth - 1]):
            # "Trump said he was 'sorry' that X had not ...", "X, who did not
            # attend, said ...": a negation, condition or tense of another
            # clause does not apply to the trigger's action.
            in_scope = False
        for child in tok.children:
            low = child.lower_
            if child.dep_ == "mark" and low == "whether" and depth > 0:
                # "The key issue is whether Turkey can deliver the groups it sends
                # to fight": nothing inside an embedded question is asserted.
                cue("hypothetical", child.text)
            elif child.dep_ == "acomp" and child.lemma_.lower() in _DOUBT_WORDS:
                # "It is unclear with whom the regime is negotiating".
                cue("uncertain", child.text)
            if not in_scope:
                if child.dep_ == "prep" and low == "according":
                    cue("reported", "according to")
                continue
            if (
                child.dep_ == "advcl"
                and _conditional(child)
                and depth == 0
                and not _condition_is_said(tok)
            ):
                # "Y will retaliate if X attacks": the condition governs Y's action.
                cue("hypothetical", _conditional(child))
            if child.dep_ == "neg" or (child.dep_ == "advmod" and low in {"never"}):
                if tok.pos_ in {"VERB", "AUX"} or tok.i == trigger.i:
                    cue("negated", child.text)
            elif child.dep_ in {"aux", "auxpass"}:
                if low in _FUTURE_AUX or (low == "would" and _reported(tok)):
                    # "said they would boycott": reported speech shifts "will" back.
                    cue("future", child.text)
                elif low in _HYPOTHETICAL_AUX:
                    cue("hypothetical", child.text)
            elif child.dep_ == "mark" and low in _HYPOTHETICAL_MARKS:
                cue("hypothetical", child.text)
            elif (
                child.dep_ in {"mark", "advmod"}
                and low in _TEMPORAL_MARKS
                and tok.dep_ == "advcl"
                and tok.tag_ in _PRESENT_TAGS
            ):
                cue("future", child.text)
            elif child.dep_ == "advmod" and low in _UNCERTAIN_ADVERBS:
                cue("uncertain", child.text)
            elif child.dep_ == "prep" and low == "according":
                cue("reported", "according to")
        if depth > 0:
            prev = chain[depth - 1]
            lemma = _head_lemma(tok)
            infinitive = prev.dep_ == "xcomp" or (
                prev.dep_ == "acl" and tok.pos_ == "NOUN" and to_infinitive(prev)
            )
            if (
                in_scope
                and prev.dep_ == "xcomp"
                and (
                    lemma in _UNCERTAIN_HEADS
                    or (
                        lemma in _UNCERTAIN_PASSIVES
                        and any(c.dep_ == "auxpass" for c in tok.children)
                    )
                )
            ):
                cue("uncertain", tok.text)
            elif (
                governs_below and infinitive and tok.pos_ == "NOUN" and lemma in _POSSIBILITY_NOUNS
            ):
                cue("hypothetical", tok.text)
            elif (
                prev.dep_ == "pcomp"
                and tok.lower_ == "without"
                and (depth == 1 or (depth == 2 and trigger.dep_ == "dobj"))
            ):
                # "began the talks without notifying him": the notice was not given.
                cue("negated", tok.text)
            elif (
                tok.pos_ == "NOUN"
                and prev.dep_ == "prep"
                and any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children)
            ):
                # "showed no sign of backing down", "has no intention of meeting".
                cue("negated", "no")
            elif tok.lower_ == "short" and tok.head.lemma_.lower() in {"stop", "fall"}:
                # "stopped short of accusing Iran": the accusation was not made.
                cue("negated", f"{tok.head.text} {tok.text}")
            elif governs_below and infinitive and lemma in _NEGATING_HEADS:
                # Only the complement's own act did not happen: in "failed to stop the
                # attack" the attack did; in "refused to hold talks" the talks did not.
                if depth == 1 or (depth == 2 and _light_object(trigger)):
                    cue("negated", tok.text)
            elif (
                governs_below and infinitive and tok.pos_ == "NOUN" and lemma in _PROSPECTIVE_NOUNS
            ):
                cue("future", tok.text)
            elif in_scope and prev.dep_ == "xcomp" and lemma in DEONTIC_HEADS:
                # "Moscow needs to ask itself ...": an obligation, not an act.
                cue("hypothetical", tok.text)
            elif in_scope and prev.dep_ == "xcomp" and lemma in _FUTURE_HEADS and prev.tag_ == "VB":
                cue("future", tok.text)
            elif (
                governs_below
                and prev.dep_ in {"xcomp", "ccomp"}
                and prev.tag_ in {"VB", "VBP"}
                and lemma in _APPEAL_HEADS
            ):
                cue("hypothetical", tok.text)
            elif (
                prev.dep_ == "ccomp" and (lemma in REPORTING_HEADS or lemma in _CONTENT_HEADS)
            ) or (
                # "accused Iran of attacking the tankers"
                prev.dep_ == "prep"
                and prev.lower_ in _ACCUSATION_PREPS
                and lemma in _ACCUSATION_HEADS
            ):
                cue("reported", tok.text)
    for kind in _PRIORITY:
        if kind in found:
            words = tuple(dict.fromkeys(w for k in _PRIORITY for w in found.get(k, ())))
            return kind, words
    return "asserted", ()


def declined_statement(trigger) -> bool:
    """Whether ``trigger`` is what its head declined to do ("declined to comment on X").

    The caller codes the head's refusal instead of a denied statement."""
    return (
        trigger.dep_ in {"xcomp", "acl"}
        and to_infinitive(trigger)
        and _head_lemma(trigger.head) in _DECLINING_HEADS
    )


#: Subjects that make an act the speaker's own ("We condemn the violence").
FIRST_PERSON_SUBJECTS = frozenset({"i", "we"})


def as_quoted(event: Event, trigger) -> Event:
    """An event a quote reports is ``reported``; the speaker's own act in the first
    person ("We condemn the violence") is the statement itself and keeps its modality."""
    if event.modality != "asserted" or any(
        c.dep_ in {"nsubj", "nsubjpass"} and c.lower_ in FIRST_PERSON_SUBJECTS
        for c in trigger.children
    ):
        return event
    evidence = replace(event.evidence, cues=(*event.evidence.cues, "quote"))
    return replace(event, modality="reported", evidence=evidence)
