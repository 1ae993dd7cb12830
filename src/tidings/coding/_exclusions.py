"""Words that look like an event's actor or target and are not.

The frames in :mod:`~tidings.coding._frames` find an event's sides by grammar;
these tests say where grammar misleads on whole news articles: the side an
"against" phrase opposes is no recipient of cooperation, a phrase set before the
verb only sets the scene, whoever names a thing in "what X called Y" does not
undergo the act, and a subject that is an act ("Trump's decision") or a share of a
population ("20 percent of voters") is not someone acting.
"""

from __future__ import annotations

__all__ = [
    "AGAINST_IS_NO_RECIPIENT",
    "FORCE_ROOTS",
    "NON_AGENT_HEADS",
    "POLL_SHARES",
    "allied_party",
    "bare_participle",
    "free_relative",
    "fronted_phrase",
    "idle_talk",
    "names_no_act",
    "non_agent",
    "opposed_party",
    "poll_share",
    "standing_relation",
    "states_a_fact",
]


# Roots of cooperation: an "against" phrase under them names what the cooperation is
# aimed at ("backed attacks against US forces", "cooperate against terrorism"), never the
# actor who receives it.  (Statements, appeals and intents keep it: "called on Arabs to
# mobilize against Sharon", "hackers capable of cyber warfare against the United States".)
AGAINST_IS_NO_RECIPIENT = frozenset({"04", "05", "06", "07"})

#: Roots of force: done to their own target, never to one in what the act is for
#: ("struggled to persuade North Korea", "fought to protect the minorities").
FORCE_ROOTS = frozenset({"14", "15", "16", "17", "18", "19", "20"})


def opposed_party(tok) -> bool:
    """Whether ``tok`` (or the list it is coordinated in) is the object of "against"."""
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    return tok.dep_ == "pobj" and tok.head.lower_ == "against"


def allied_party(tok) -> bool:
    """Whether ``tok`` (or the list it is coordinated in) is on the actor's side: the object
    of "alongside" or of "on the side of" ("Russia, which has been fighting on the side of
    Assad", "Hezbollah fought alongside Syrian government forces"): no target of the act."""
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    if tok.dep_ != "pobj":
        return False
    prep = tok.head
    if prep.lower_ == "alongside" or (tok.lower_ == "side" and prep.lower_ in {"on", "by"}):
        return True  # the side itself: what is found under it is on the actor's side
    side = prep.head
    return (
        prep.lower_ == "of"
        and side.lower_ == "side"
        and side.dep_ == "pobj"
        and side.head.lower_ in {"on", "by"}
    )


def fronted_phrase(tok, verb) -> bool:
    """Whether ``tok`` is the object of a preposition of ``verb`` placed before it."""
    prep = tok.head
    return tok.dep_ == "pobj" and prep.dep_ == "prep" and prep.head.i == verb.i and prep.i < verb.i


#: Verbs of naming: in "what he called interference" the speaker only names the thing, and
#: "the agreement, called the USMCA" gives a name (:func:`tidings.coding._triggers`).
NAMING_VERBS = frozenset(
    {"call", "describe", "term", "dub", "label", "characterize", "brand", "name", "nickname"}
    | {"title"}
)


def free_relative(clause) -> bool:
    """Whether ``clause`` is a "what X called Y" clause: it names a thing, and X is only the
    one who named it ("rejected what he called interference"); "rejected what Ukraine
    proposed" still rejects Ukraine's proposal."""
    return clause.lemma_.lower() in NAMING_VERBS and any(
        c.tag_ in {"WP", "WDT"} and c.dep_ in {"dobj", "nsubj"} for c in clause.children
    )


#: Heads of a subject that names an act, a plan or a manner, not who acts: "a White House
#: visit from Zelensky to pressure him", "Trump's decision upset U.S. allies", "Trump's
#: actions suggest".  What such a subject "does" is no act of the actor in its modifier.
NON_AGENT_HEADS = frozenset(
    {
        "decision",
        "visit",
        "move",
        "action",
        "approach",
        "policy",
        "trip",
        "shooting",
        "crisis",
        "tendency",
        "posture",
        "insistence",
        "principle",
        "behavior",
        "behaviour",
        "conduct",
        "handling",
        "stance",
        "position",
        "presence",
        "victory",
        "defeat",
    }
)


def non_agent(tokens) -> bool:
    """Whether any of the (source) tokens heads a phrase naming an act, not an actor."""
    return any(t.pos_ == "NOUN" and t.lemma_.lower() in NON_AGENT_HEADS for t in tokens)


#: Heads of a share of a population: "20 percent of voters support him" reports a poll,
#: not an act of the voters.
POLL_SHARES = frozenset({"percent", "%", "percentage", "pct"})


def poll_share(tokens) -> bool:
    """Whether any of the (source) tokens is a share of a population ("percent of X")."""
    return any(t.lower_ in POLL_SHARES for t in tokens)


# Modals that make a "that" clause say what someone should do.
_DIRECTIVE_MODALS = frozenset({"should", "must", "ought", "shall"})


# Verbs PETRARCH reads as appeals whose "that" clause usually states a view instead.
_VIEW_OR_APPEAL = frozenset({"suggest", "believe"})


def states_a_fact(verb, comp) -> bool:
    """Whether the "that" clause of "suggest" or "believe" states a view, not what its
    subject should do: "suggested that Americans don't understand the threat", "believes
    Dagolath can cope" judge or predict, where "suggested that Israel should ease the
    blockade" (a modal) or "suggested that Israel ease it" (a bare subjunctive) appeal to
    Israel.  Other appeal verbs ("urged that ...") keep their clause's subject."""
    if verb.lemma_.lower() not in _VIEW_OR_APPEAL:
        return False
    auxes = [c for c in comp.children if c.dep_ in {"aux", "auxpass"}]
    if any(a.lower_ in _DIRECTIVE_MODALS for a in auxes):
        return False
    return not (comp.tag_ == "VB" and not auxes)


def bare_participle(tok) -> bool:
    """Whether ``tok`` is a past participle clause with no subject, auxiliary or agent of
    its own ("Asked about X, ...", "X, when asked why ..., noted"), unlike "after he was
    asked" or "backed by Russia": the subject it inherits is the one acted on, and who
    acted is not said, so it has no source.

    The parser reads "when asked" after a subject as a relative clause in the past tense;
    "when" tells the clause apart.
    """
    if tok.tag_ not in {"VBN", "VBD"}:
        return False
    if any(c.dep_ in {"nsubj", "nsubjpass", "aux", "auxpass", "agent"} for c in tok.children):
        return False
    if tok.tag_ == "VBN" and tok.dep_ == "advcl":
        return True
    return tok.dep_ in {"advcl", "relcl"} and any(
        c.lower_ == "when" and c.dep_ in {"advmod", "mark"} for c in tok.children
    )


#: Relative pronouns that are the subject of a clause describing their antecedent.
_RELATIVE_SUBJECTS = frozenset({"which", "who", "that"})


def idle_talk(tok) -> bool:
    """Whether ``tok`` is the noun "talk" in the singular as chatter: talk *of* or *about*
    something ("Trump's talk of buying Greenland", "heated talk about politics") or a
    modifier ("talk radio"), not the "talks" of two sides (judged events of this shape
    were all wrong).  "A talk with Putin" still meets him, and "negotiators return to
    Geneva for talk on limiting missiles" is negotiation."""
    if tok.pos_ not in {"NOUN", "PROPN"} or tok.lower_ != "talk":
        return False
    preps = {c.lower_ for c in tok.children if c.dep_ == "prep"}
    if preps & {"with", "between"}:
        return False
    return bool(preps & {"of", "about"}) or tok.dep_ == "compound"


def standing_relation(tok) -> bool:
    """Whether ``tok`` heads a relative clause in the simple present that describes its
    antecedent: "Russia and China, which support the Syrian government, ...", "Turkey,
    which backs the rebels".  It says what the antecedent stands for, not what it did
    (the real-news guidelines code descriptions and roles as no event); "which has
    backed", "who met Putin on Monday", "which will support" and the scheduled "who meets
    with Obama today" tell of acts."""
    if tok.dep_ != "relcl" or tok.tag_ not in {"VBP", "VBZ"}:
        return False
    if any(c.dep_ in {"aux", "auxpass", "neg"} for c in tok.children):
        return False
    near = [g for c in tok.children for g in (c, *c.children)]
    if any(t.ent_type_ in {"DATE", "TIME"} for t in near):
        return False  # a date makes it one act, told in the present
    return any(c.dep_ == "nsubj" and c.lower_ in _RELATIVE_SUBJECTS for c in tok.children)


def names_no_act(tok) -> bool:
    """Whether the trigger ``tok`` names no act at all, whatever its frame: a description
    (:func:`standing_relation`) or chatter (:func:`idle_talk`).  One test for the strict
    frames and the relaxed pass, so that a new such case reaches both."""
    return standing_relation(tok) or idle_talk(tok)
