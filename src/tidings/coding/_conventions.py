"""Conventions of the real-news guidelines the coder follows (issue #13).

Small decisions kept apart from :mod:`tidings.coding._coder` so that module
stays readable: which events need no target, which verbs name a policy
option, how a speaker's stance toward a statement's content is marked, and
when "agreed that ..." only states a view (:func:`states_a_view`).
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import combinations

from tidings.coding._attribution import PRAISING_WORDS, tone
from tidings.coding._frames import (
    UNKNOWN_ACTOR,
    actor_test,
    actors_of,
    distinct,
    obligation_subjects,
    trigger_lemma,
)
from tidings.model import Actor, Event

__all__ = [
    "ACCUSE",
    "AGREEMENT_CODE",
    "CONSIDER_OPTION",
    "EVALUATION_CODES",
    "RECIPROCAL_LEMMAS",
    "SYMMETRIC_LEMMAS",
    "VIEW_HEADS",
    "attributed",
    "clausal_complement",
    "evaluative_call",
    "event_pairs",
    "objectless",
    "ordered_outcome",
    "states_a_view",
    "warning_about",
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

#: Agreements are symmetric (guidelines, section 6) whatever the verb: "Russia and Turkey
#: signed an agreement" is each signing with the other.
AGREEMENT_CODE = "057"
#: A call is symmetric whatever the verb ("Trump and Erdogan spoke by phone"), as meetings
#: are by their words (SYMMETRIC_LEMMAS: lexicon verbs coded 04 include "learn", "notify").
_PHONE_CALL_CODE = "041"

# Conflictual verbs that are reciprocal with a coordinated subject and no object
# ("France and Germany disagreed", "police and protesters clashed"): not
# symmetric in the guidelines' sense (04, 06, 057), but each side acts on the other.
RECIPROCAL_LEMMAS = frozenset(
    {
        "disagree",
        "clash",
        "quarrel",
        "feud",
        "spar",
        "fight",
        "fighting",
        "wrangle",
        "bicker",
        "skirmish",
    }
)
# Verbs whose coordinated subject acts on each other whatever they pass: "India and Pakistan
# exchanged fire", "traded accusations", "swapped prisoners".
_EXCHANGE_LEMMAS = frozenset({"exchange", "trade", "swap"})

# Roots the guidelines code without a target when there is none: statements
# of intent with no object (03) and protests with no addressee (14).
# Only commitments are intents without an object ("pledged to serve as
# guarantors"); wanting or hoping is no action (guidelines: "readiness,
# promises and commitments are root 03").
COMMITMENT_LEMMAS = frozenset(
    {"pledge", "promise", "vow", "commit", "agree", "offer", "undertake", "guarantee", "swear"}
)


# Roots whose victims matter even when the perpetrator is not named.
_VICTIM_ROOTS = frozenset({"17", "18", "19", "20"})

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


def event_pairs(
    sources: list[Actor],
    targets: list[Actor],
    *,
    kind: str,
    target_phrase: bool,
    mutual: bool,
    code: str,
    lemma: str,
    own_side: bool,
) -> list[tuple[Actor, Actor | None, str]]:
    """The (source, target, kind) pairs of a trigger's actors, one event each: each
    source with each distinct target; the members of a coordination with each other
    (PETRARCH's ``mutual`` rules, symmetric and reciprocal events); each source alone
    (a warning about its ``own_side``, a commitment or protest with no addressee); or,
    for violence, the victims of a perpetrator the text leaves open.  ``kind`` is the
    frame's, ``target_phrase`` whether the frame has target words (actors or not),
    ``code`` the event's CAMEO code.  None of these: []."""
    root = code[:2]
    if own_side:
        return [(s, None, kind) for s in sources]  # a threat with no target
    if mutual:
        # PETRARCH's "%": the members of the compound subject act on each other
        return [(s, t, "mutual") for s in sources for t in sources if distinct(s, t)]
    if sources and targets:
        return [(s, t, kind) for s in sources for t in targets if distinct(s, t)]
    if len(sources) > 1 and (
        (not target_phrase and (lemma in SYMMETRIC_LEMMAS or lemma in RECIPROCAL_LEMMAS))
        or (
            not targets
            and (
                code == _PHONE_CALL_CODE
                or code.startswith(AGREEMENT_CODE)
                or lemma in _EXCHANGE_LEMMAS
            )
        )
    ):
        # "France and Germany have disagreed", "Russia and Turkey signed an agreement":
        # the coordinated actors act on each other, one event per pair in order of mention.
        return [(s, t, "symmetric") for s, t in combinations(sources, 2) if distinct(s, t)]
    if len(sources) > 1 and not targets and objectless(root, lemma):
        # "Russia, Turkey and Iran have pledged to serve as guarantors":
        # a commitment or protest with no addressee, one event per actor.
        return [(s, None, kind) for s in sources]
    if targets and not sources and root in _VICTIM_ROOTS and kind != "passive":
        # A passive with no agent ("he was killed") leaves the perpetrator
        # open: the guidelines code no event for it.  An event noun or an
        # active clause with a non-actor subject still records the victim.
        return [
            (UNKNOWN_ACTOR, t, kind) for t in targets if t.country and not t.country_from_context
        ]
    return []


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


def warning_about(lemma: str, kind: str, sources, targets) -> str | None:
    """Whose act a warning's complement reports, when both sides' countries are known:
    "another" ("the US vice-president warned that Moscow continued to redraw borders":
    an accusation, 112, as the guidelines code it) or "own" ("Iran's spokesman warned
    Iran could enrich uranium": a threat with no target, not one aimed at itself);
    None otherwise.  A speaker of unresolved country reads as neither."""
    if lemma != "warn" or kind != "complement" or not (sources and targets):
        return None
    if not all(a.country for a in (*sources, *targets)):
        return None
    speaker = {s.country for s in sources}
    content = {t.country for t in targets}
    if not speaker & content:
        return "another"
    return "own" if content <= speaker else None


_FORETELLING = frozenset({"should", "must", "could", "would", "might", "may", "will", "shall"})


def foretold(verb) -> bool:
    """Whether a warning's complement says what would or should happen ("warned that Iran
    should not mistake restraint for weakness", "warned that Israel could become the
    victim"): a threat (13), as readers code it; an indicative complement ("warned that
    the US is playing a dangerous game") reports what the other side does, an accusation.
    Only when the other side itself is the complement's subject: "warned that a Turkish
    incursion might free IS fighters" blames Turkey's act."""
    return any(
        c.dep_ == "ccomp"
        and any(a.dep_ == "aux" and a.lower_ in _FORETELLING for a in c.children)
        and any(n.dep_ == "nsubj" and n.pos_ in {"PROPN", "PRON"} for n in c.children)
        for c in verb.children
    )


# Verbs of shared views: "agreed that X should ..." states what X should do, it is no
# agreement to act.
VIEW_HEADS = frozenset({"agree"})


def states_a_view(tok, actors_at: Mapping[int, tuple[Actor, ...]]) -> bool:
    """ "The President and his secretary agreed that the talks were useful": a view held in
    common, not an agreement to act.  Two states that agree on something ("the Philippines
    and France agree that disputes should be settled by arbitration") make a pact, as
    PETRARCH codes it; a clause saying what an actor should do is read as an appeal."""
    if trigger_lemma(tok) not in VIEW_HEADS or tok.pos_ != "VERB":
        return False
    if not any(c.dep_ == "ccomp" and c.i > tok.i for c in tok.children):
        return False
    obliged, _ = obligation_subjects(tok)
    if obliged and actor_test(actors_at)(obliged):
        return False
    subjects = [c for c in tok.children if c.dep_ == "nsubj"]
    parties = {actor.country or actor.code for actor in actors_of(subjects, actors_at)}
    return len(parties) < 2


EVALUATION_CODES = ("111", "051")
_PRAISING_TONE = 0.3


def evaluative_call(verb) -> tuple[str, list] | None:
    """(code, object tokens) when ``verb`` calls something something.

    "Trump called the Danish leader 'nasty'", "critics call the inquiry a
    distraction": ``call`` with a predicate (``oprd``, or an adjective parsed
    as object) is a verbal evaluation of the object, not a phone call (041).
    The object tokens are where its target is (the object and its possessor:
    "called Trump's bid absurd" is aimed at Trump).
    """
    if verb.pos_ != "VERB" or verb.lemma_.lower() != "call":
        return None
    if any(c.dep_ == "prt" for c in verb.children):
        return None  # "call off", "call in"
    predicate = [
        c
        for c in verb.children
        if (c.dep_ == "oprd" and c.pos_ in {"ADJ", "NOUN"})
        or (c.dep_ == "dobj" and c.pos_ == "ADJ")
    ]
    if predicate:
        pred = predicate[0]
        objects = [c for c in verb.children if c.dep_ in {"dobj", "dative"} and c.i != pred.i]
        objects += [c for c in pred.children if c.dep_ in {"nmod", "npadvmod"}]
        said = [pred, *(c for c in pred.children if c.dep_ in {"amod", "advmod", "neg"})]
    else:
        # "called Trump's bid to buy Greenland 'absurd'": the parser hangs the quoted
        # predicate anywhere under the object; the quotation marks say what it is.
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        quoted = _quoted_predicate(verb, obj) if obj is not None else None
        if quoted is None:
            return None
        objects = [obj]
        said = list(quoted)
    # In text order, so that the tone reads "not good" as a negated "good".
    phrase = [t.lower_ for t in sorted(said, key=lambda t: t.i)]
    praised = set(phrase) & PRAISING_WORDS or tone(" ".join(phrase)) > _PRAISING_TONE
    code = EVALUATION_CODES[1] if praised else EVALUATION_CODES[0]
    out = []
    for obj in objects:
        # "called Trump's bid absurd" is aimed at Trump: the possessor when there is one
        owners = [t for t in obj.subtree if t.dep_ == "poss"]
        out.extend(owners or [obj])
    return code, out


_OPENING_QUOTES = frozenset({'"', "\u201c"})
_CLOSING_QUOTES = frozenset({'"', "\u201d"})
_MAX_PREDICATE_WORDS = 6


def _quoted_predicate(verb, obj) -> list | None:
    """The words of a short quoted predicate after ``obj`` in ``verb``'s clause
    ("called the plan 'a disaster'"), or None: a quoted clause (with a verb) is
    speech, not a name for the object."""
    subtree = {t.i for t in verb.subtree}
    doc = verb.doc
    start = next(
        (i for i in range(obj.i + 1, max(subtree) + 1) if doc[i].text in _OPENING_QUOTES), None
    )
    if start is None:
        return None
    end = next(
        (i for i in range(start + 1, max(subtree) + 1) if doc[i].text in _CLOSING_QUOTES), None
    )
    if end is None or not 0 < end - start - 1 <= _MAX_PREDICATE_WORDS:
        return None
    words = [doc[i] for i in range(start + 1, end) if not doc[i].is_punct]
    if not words or any(i not in subtree for i in range(start, end)):
        return None
    if any(t.pos_ in {"VERB", "AUX"} for t in words):
        return None
    return words


# Verbs with a political sense the dictionaries code otherwise: "Trump fired Comey" removes
# an official (CAMEO 172, as the realnews guidelines' annotators code it), "Barr defended
# the president" speaks for him (052, "defend verbally").
DISMISS = "172"
DEFEND_VERBALLY = "052"
#: What is defended in words: a person, or what someone said or decided.
_SAID_OR_DECIDED = frozenset(
    {
        "decision", "deal", "agreement", "policy", "policies", "proposal", "plan", "record",
        "remarks", "comments", "statement", "statements", "move", "action", "actions",
        "handling", "response", "approach", "choice", "nomination", "order", "ban",
        "effort", "bill", "idea", "claim", "stance", "agenda", "strategy",
        "rhetoric", "report",
    }
)  # fmt: skip


def verb_sense(lemma: str, verb, actors_at: Mapping[int, tuple[Actor, ...]]) -> str | None:
    """The code of ``verb``'s political sense when its object shows it, else None.

    "fired Comey" / "Comey was fired": the one fired is a person or office (an actor),
    where "fired missiles" and "fired on protesters" are force.  "defended the president",
    "defended the deal": a person or a decision, where "defend its airspace" is force;
    "attacked the Democrats' efforts" is words, where "attacked the convoy" is force.
    "hit Clinton for backing ..." is blame (:func:`_hit_in_words`), "barred Sondland from
    testifying" a restriction (:func:`_kept_from_doing`)."""
    if verb.pos_ == "VERB" and lemma == "hit":
        return VERBAL_ATTACK if _hit_in_words(verb) else None
    if verb.pos_ == "VERB" and lemma in _RESTRAINING and _kept_from_doing(verb):
        return RESTRICT
    if verb.pos_ == "VERB" and lemma in _LAYING_ON and _lays_duties(verb):
        return SANCTION
    if verb.pos_ != "VERB" or lemma not in {"fire", "defend", "attack"}:
        return None
    if any(c.dep_ == "prt" for c in verb.children):
        return None  # "fire back", "fire off"
    objects = [c for c in verb.children if c.dep_ in {"dobj", "nsubjpass"}]
    if not objects:
        return None
    obj = objects[0]
    person = obj.ent_type_ == "PERSON" or any(
        a.agent and a.agent not in {"MIL", "REB", "INS"} for a in actors_at.get(obj.i, ())
    )
    if lemma == "fire":
        return DISMISS if person or obj.i in actors_at else None
    if lemma == "attack":
        return VERBAL_ATTACK if obj.lemma_.lower() in _SAID_OR_DECIDED else None
    if person or obj.lemma_.lower() in _SAID_OR_DECIDED:
        return DEFEND_VERBALLY
    return None


#: What a named entity the parser tags may be called on the phone: a person or a body.
_CALLABLE_ENTITIES = frozenset({"PERSON", "ORG", "GPE", "NORP"})
#: Nouns that stand for states themselves ("the two countries", "both sides"): an actor
#: resolved on them is the state, not a thing of it.
_STATE_NOUNS = frozenset({"country", "nation", "state", "side", "government", "power", "ally"})
#: Verbs saying that something ends ("the oppression must end").
_ENDING_VERBS = frozenset({"end", "stop", "cease", "halt"})


def calls_no_one(code: str, lemma: str, verb, actors_at: Mapping[int, tuple[Actor, ...]]) -> bool:
    """Whether a phone call (041) read off ``call`` has a thing, not an actor, as its object.

    "called the Iran deal 'one of the worst'", "calls into question the US effort":
    what is called is a deal or an effort, so no one was phoned; the actor named inside
    the object ("Iran") is no callee, though the actor matcher hangs it on the head
    noun.  A name, a pronoun or a role heading the object ("called Putin", "called
    him", "called the Iranian minister") keeps the call.
    """
    if code != _PHONE_CALL_CODE or lemma != "call" or verb.pos_ != "VERB":
        return False
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    return bool(objects) and not any(heads_an_actor(o, actors_at) for o in objects)


#: Words opening an indirect question: "asked whether", "asked Shah if", "asked why".
_QUESTION_WORDS = frozenset(
    {"whether", "if", "why", "what", "how", "when", "where", "who", "which"}
)


def asks_a_question(code: str, lemma: str, verb) -> bool:
    """Whether an appeal (02) read off "ask" is a question: "Karl asked Shah if the
    president approved", "Pompeo was asked whether there was any contradiction".  A
    question asks nothing of anyone (the real-news guidelines code "When asked if he
    would consider ..." as no event); "asked Bolton to invite Putin", "asked Congress for
    an authorization" and "asking Zelensky about Biden" (a request to look into him, as the
    annotators read it) stay appeals."""
    if not code.startswith("02") or lemma != "ask" or verb.pos_ != "VERB":
        return False
    if any(c.dep_ == "xcomp" or (c.dep_ == "prep" and c.lower_ == "for") for c in verb.children):
        return False  # "asked Bolton to invite Putin", "asked Ankara for copies, if they exist"
    return any(
        c.dep_ in {"ccomp", "advcl"} and next(c.subtree).lower_ in _QUESTION_WORDS
        for c in verb.children
    )


def heads_an_actor(tok, actors_at: Mapping[int, tuple[Actor, ...]]) -> bool:
    """Whether ``tok``, the head of a noun phrase, is itself someone who can act.

    A name, a pronoun or a role ("Putin", "him", "the Iranian minister") is; a thing with
    an actor inside its phrase ("the Iran deal", "the status of Jerusalem") is not, though
    the actor matcher hangs the actor on the thing's head noun.
    """
    return (
        tok.pos_ in {"PRON", "PROPN"}
        or tok.ent_type_ in _CALLABLE_ENTITIES
        or any(a.agent for a in actors_at.get(tok.i, ()))
        or (tok.lemma_.lower() in _STATE_NOUNS and tok.i in actors_at)
    )


def ceases(subject) -> bool:
    """Whether ``subject``'s clause says it ends ("the oppression must end", "the
    violence should stop"): a demand on whoever carries it on, not on a thing."""
    return subject.dep_ == "nsubj" and subject.head.lemma_.lower() in _ENDING_VERBS


#: "barred Sondland from testifying", "blocked them from leaving": a restriction on what
#: someone may do (CAMEO 172, "impose restrictions on ... movement"), where PETRARCH's
#: "bar X from" pattern reads a cut in relations (160).
RESTRICT = "172"
_RESTRAINING = frozenset({"bar", "block", "ban", "prevent", "prohibit", "forbid", "stop"})


#: "imposed tariffs on Chinese goods", "slapped duties on steel": an economic sanction
#: (CAMEO 163, as the real-news annotators code "could face tariffs"), where PETRARCH
#: reads "impose"/"levy" as coercion (170) and "slap" as an assault (180).
SANCTION = "163"
_LAYING_ON = frozenset({"impose", "levy", "slap", "place", "put", "announce", "raise"})
_DUTIES = frozenset({"tariff", "tariffs", "duty", "duties", "levy", "levies"})


def _lays_duties(verb) -> bool:
    """Whether ``verb`` lays a tariff: its direct object ("imposed tariffs on China"), or
    the subject of its passive when the passive says on whom ("tariffs were imposed on
    Chinese goods"; a bare "tariffs were imposed" keeps the verb's code)."""
    return any(
        c.lemma_.lower() in _DUTIES
        and (
            c.dep_ == "dobj"
            or (
                c.dep_ == "nsubjpass"
                and any(p.dep_ == "prep" and p.lower_ in {"on", "upon"} for p in verb.children)
            )
        )
        for c in verb.children
    )


def _kept_from_doing(verb) -> bool:
    """Whether ``verb`` keeps its object from an act: "from" with a gerund."""
    return any(
        c.dep_ == "prep"
        and c.lower_ == "from"
        and any(g.dep_ == "pcomp" and g.tag_ == "VBG" for g in c.children)
        for c in verb.children
    )


def _hit_in_words(verb) -> bool:
    """ "hit Clinton for backing ...", "hit back at critics", "hit out at": blame given a
    reason or an "at" after "back"/"out", with no weapon in the sentence."""
    if any(t.lower_ in _ARMED for t in verb.sent):
        return False
    preps = {c.lower_: c for c in verb.children if c.dep_ == "prep"}
    particles = {c.lower_ for c in verb.children if c.dep_ in {"prt", "advmod"}}
    if "at" in preps and particles & {"back", "out"}:
        return True
    reason = preps.get("for")
    # a reason is a deed ("for backing ...") or something said or decided ("for his
    # remarks"), not a time ("for the second day")
    return reason is not None and any(
        (c.dep_ == "pcomp" and c.tag_ == "VBG")
        or (c.dep_ == "pobj" and {c.lower_, c.lemma_.lower()} & (_SAID_OR_DECIDED | _BLAMED_FOR))
        for c in reason.children
    )


#: What else someone is blamed for, beside what was said or decided.
_BLAMED_FOR = frozenset({"failure", "role", "support", "stance", "position", "conduct"})


VERBAL_ATTACK = "111"
#: Who attacks in words: officials, lawmakers, parties, judges (protesters and the
#: armed opposition attack otherwise).
_SPEAKERS = frozenset({"GOV", "LEG", "PTY", "ELI", "JUD"})
#: Whom words attack: the same, the opposition and the press.
_ADDRESSEES = _SPEAKERS | {"OPP", "MED"}
#: Words that make an attack physical whoever makes it: arms, casualties, and the
#: buildings and vehicles attacks are made on.
_ARMED = frozenset(
    {
        "gun", "guns", "rifle", "bomb", "bombs", "missile", "missiles", "rocket", "rockets",
        "knife", "airstrike", "airstrikes", "drone", "drones", "weapon", "weapons", "shot",
        "shooting", "killed", "wounded", "troops", "soldiers", "militants", "gunmen",
        "embassy", "consulate", "compound", "base", "convoy", "checkpoint", "station",
    }
)  # fmt: skip


def verbal_attack(lemma: str, trigger, sources, targets) -> bool:
    """Whether an "attack" or a "clash" is one in words: "Trump has attacked a judge",
    "sharpened his attacks on Obama", "senators clash with Republican leader over
    protecting Mueller" (CAMEO 111), told by who attacks whom (an official or politician,
    a person in office) and no weapon in the sentence."""
    if lemma not in {"attack", "clash"} or not sources or not targets:
        return False
    if any(t.lower_ in _ARMED for t in trigger.sent):
        return False
    return all(s.agent in _SPEAKERS for s in sources) and all(
        t.agent in _ADDRESSEES for t in targets
    )
