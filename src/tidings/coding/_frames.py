"""Reading a trigger's frame off the dependency parse: which tokens are its target.

Helpers of :mod:`tidings.coding._coder`, kept apart so that module stays readable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from tidings.coding._exclusions import (
    AGAINST_IS_NO_RECIPIENT,
    allied_party,
    free_relative,
    fronted_phrase,
    opposed_party,
    states_a_fact,
)
from tidings.model import Actor

# An actor the dictionaries cannot code, or a perpetrator the text leaves open.
UNKNOWN_ACTOR = Actor(code="---", text="", country=None, agent=None, entry=None)
OBJECT_DEPS = {"dobj", "attr", "oprd", "dative"}
# Verbs that only carry their object's event ("staged a protest", "launched an
# offensive"): the event noun's performer is the verb's subject.
LIGHT_VERBS = frozenset(
    {
        "stage",
        "hold",
        "launch",
        "mount",
        "conduct",
        "carry",
        "organize",
        "organise",
        "begin",
        "start",
        "continue",
        "resume",
        "undertake",
        "lead",
        "wage",
        "step",
        "intensify",
        "complete",
        "finish",
        "speed",
        "accelerate",
        "open",
    }
)
# Heads of a partitive phrase whose "of" object is the real object ("some of the ...").
PARTITIVES = frozenset(
    {
        "some",
        "many",
        "most",
        "all",
        "several",
        "few",
        "dozens",
        "hundreds",
        "thousands",
        "number",
        "part",
        "rest",
        "one",
        "two",
        "three",
        "four",
        "five",
        "each",
        "both",
    }
)
_NESTED_PREPS = frozenset({"of", "between", "with", "to", "against", "on", "for"})


# Verb forms the spaCy rule lemmatiser strips to another word ("staged" -> "stag",
# "waged" -> "wag"); the lexicon's lemmas are base forms ("stage", "wage").
_VERB_LEMMA_FIXES = {"stag": "stage", "wag": "wage"}


def trigger_lemma(tok) -> str:
    """The lowercased lemma of a trigger, with the lemmatiser's known verb slips fixed."""
    lemma = tok.lemma_.lower()
    if tok.pos_ in {"VERB", "AUX"}:
        return _VERB_LEMMA_FIXES.get(lemma, lemma)
    return lemma


def solid_compound(tok) -> str:
    """A noun with its compound modifiers written as one word.

    "cease-fire" and "cease fire" (compound "cease" + "fire") give "ceasefire",
    so that rules listing the one-word spelling match the split ones.
    """
    mods = [c for c in tok.children if c.dep_ == "compound" and c.i < tok.i]
    return "".join(t.lower_ for t in (*mods, tok) if t.is_alpha)


_VERB_TARGET_PREPS = ("to", "against", "on")


#: Measures taken against someone.  Judging one ("criticised the sanctions on the
#: Chinese military", "rejected the embargo on Cuba") is aimed at who takes it, so a
#: judgement's target is not looked for below them; imposing or lifting one is aimed
#: at whom it hits ("lifted the sanctions on Iran").
MEASURE_NOUNS = frozenset(
    {"sanction", "sanctions", "tariff", "tariffs", "embargo", "blockade", "crackdown"}
)
_JUDGEMENT_ROOTS = frozenset({"11", "12"})


def target_stop_nouns(code: str) -> frozenset[str]:
    """The nouns below which no target of an event of ``code`` is looked for."""
    return _JUDGED_STOP_NOUNS if code[:2] in _JUDGEMENT_ROOTS else PATIENT_NOUNS


def nested_objects(obj, depth: int = 0, stop: frozenset[str] | None = None) -> list:
    """Objects of prepositions chained under ``obj`` (at most three links deep), not
    looking below a ``stop`` noun (default :data:`PATIENT_NOUNS`)."""
    stop = PATIENT_NOUNS if stop is None else stop
    if depth >= 3 or obj.lemma_.lower() in stop:
        return []  # below an act done to someone: its victim
    out = []
    for prep in obj.children:
        if prep.dep_ != "prep" or prep.lower_ not in _NESTED_PREPS:
            continue
        for pobj in prep.children:
            if pobj.dep_ == "pobj":
                out.append(pobj)
                out.extend(nested_objects(pobj, depth + 1, stop))
    return out


def with_conjuncts(tok) -> list:
    """``tok`` and the actors coordinated with it.

    A list whose second item the parser made an apposition ("Greece, the
    Ukraine, Poland and Romania": ``Ukraine`` appos, ``Poland`` and ``Romania``
    its conjuncts) counts as coordinated; an apposition without conjuncts, or one of
    common nouns ("the first Republican ... and the daughter of ..."), is a description.
    """
    out = [tok]
    for c in tok.conjuncts:
        if c not in out:
            out.append(c)
    for appos in [c for c in tok.children if c.dep_ == "appos" and c.conjuncts]:
        if any(c.pos_ != "PROPN" for c in (appos, *appos.conjuncts)):
            # "Mia Love, the first black female Republican in Congress and the daughter
            # of Haitian immigrants": common nouns describe her, they list no one else
            continue
        for c in (appos, *appos.conjuncts):
            if c not in out:
                out.append(c)
    for partner in _accompanying(tok):
        for c in (partner, *partner.conjuncts):
            if c not in out:
                out.append(c)
    return sorted(out, key=lambda t: t.i)


def _accompanying(tok) -> list:
    """Actors joined to ``tok`` by "together with", "along with" or "alongside"
    ("France, together with Germany, condemned the attack"): they act with it."""
    out = []
    for prep in tok.children:
        if prep.dep_ != "prep":
            continue
        low = prep.lower_
        if low == "along":  # "along" -> "with" -> object
            inner = [c for c in prep.children if c.dep_ == "prep" and c.lower_ == "with"]
            prep, low = (inner[0], "with") if inner else (prep, low)
        together = low == "with" and (
            any(c.lower_ in {"together", "along"} for c in prep.children)
            or prep.head.lower_ == "along"
            or (prep.i > 0 and prep.doc[prep.i - 1].lower_ in {"together", "along"})
        )
        if low == "alongside" or together:
            out.extend(c for c in prep.children if c.dep_ == "pobj")
    return out


#: Nouns of moving away: their "from" phrase is where from ("withdrawal from Syria").
_AWAY_NOUNS = frozenset(
    {"withdrawal", "pullout", "pullback", "drawdown", "redeployment", "retreat", "departure"}
    | {"exit", "expulsion", "deportation"}
    | {"extradition", "release", "escape", "defection", "resignation", "removal", "ouster"}
    | {"return", "evacuation", "flight", "exodus", "absence"}
)


def from_agents(noun) -> list:
    """The objects of a noun's "from" phrase when they name who does it ("threats from
    Iran", "pressure from Washington"), not where from."""
    if noun.lemma_.lower() in _AWAY_NOUNS:
        return []
    return prep_objects(noun, "from")


def children_with(tok, deps: set[str]) -> list:
    return [c for c in tok.children if c.dep_ in deps]


#: Nouns of time and occasion: "an attack on the anniversary of X's strike", "met on
#: the sidelines of the summit" say when, the actor named under them is no party.
_OCCASION_NOUNS = frozenset(
    {"anniversary", "eve", "sideline", "sidelines", "occasion", "day", "night", "morning"}
    | {"week", "weekend", "wake", "aftermath", "heels", "run-up"}
)


def prep_objects(tok, prep: str) -> list:
    """The objects of ``tok``'s ``prep`` phrases, without those naming a time."""
    out = []
    for child in tok.children:
        if child.dep_ in {"prep", "agent", "dative"} and child.lower_ == prep:
            out.extend(
                o
                for o in children_with(child, {"pobj", "pcomp"})
                if o.lemma_.lower() not in _OCCASION_NOUNS
            )
    return out


def target_groups(verb, rule=None):
    """Candidate target tokens of an active verb, most preferred first.

    A prepositional phrase before the verb sets the scene ("On Capitol Hill, allies
    were warning of a mistake"), it names no target.
    """
    rule = rule or _ANY_OBJECT
    opposed = rule.code[:2] in AGAINST_IS_NO_RECIPIENT and rule.prep != "against"
    for group in _target_groups(verb, rule):
        yield [
            t
            for t in group
            if not (opposed and opposed_party(t))
            and not fronted_phrase(t, verb)
            and not allied_party(t)
        ]


def _target_groups(verb, rule):
    objects = children_with(verb, OBJECT_DEPS)
    if rule.prep:
        yield prep_objects(verb, rule.prep)
        for o in objects:
            yield prep_objects(o, rule.prep)
    elif rule.object is None:
        yield objects
    else:
        for o in objects:
            for prep in ("with", "against", "on", "to"):
                yield prep_objects(o, prep)
    if rule.prep is None and rule.object is None:
        yield prep_objects(verb, "with")
    if rule.prep is None:
        # "halted aid to Serbia", "imposed a curfew on the city": the recipient
        # often hangs on the verb rather than on the object.
        for prep in _VERB_TARGET_PREPS:
            yield prep_objects(verb, prep)
        # "welcomed the resumption of ties between X and Y": the target sits
        # in a prepositional chain under the object.
        stop = target_stop_nouns(rule.code)
        yield [t for o in objects for t in nested_objects(o, stop=stop)]
    if (rule.object is not None or rule.prep is not None) and verb.lemma_ not in _LEFT_BEHIND:
        # Last resort: "expelled UN inspectors", the rule's object word is the
        # actor; "hit Mexico with tariffs", the rule's preposition introduces
        # the instrument and the direct object is the target.  (Not the place a
        # departure leaves: "left the White House for a vacation" visits no one.)
        yield objects


@dataclass(frozen=True, slots=True)
class _AnyObject:
    """Stands in for a rule without object or preposition constraints."""

    prep: None = None
    object: None = None
    code: str = ""


_ANY_OBJECT = _AnyObject()
_LEFT_BEHIND = frozenset({"leave", "depart", "quit", "flee"})
# Clausal complements whose actors a governing event can take as its target.
_COMPLEMENT_DEPS = {"ccomp", "xcomp"}
# Roots whose "that" clause names the target: appeal, demand, disapprove, reject, threaten.
_CLAUSE_TARGET_ROOTS = frozenset({"02", "10", "11", "12", "13"})


def complement_targets(verb, root: str):
    """Targets a verb takes from its clausal complement when it has none of its own.

    "demanded that Israel ease restrictions": the subject of the ``that`` clause
    is the actor an appeal, demand, accusation, rejection or threat is aimed at;
    "refused to meet King Abdullah": the target of the infinitival complement
    (whose subject is the controller, the source).  A complement before the verb
    is reported speech ("X did Y, Z revealed"), not the verb's target.
    """
    for comp in verb.children:
        if comp.dep_ not in _COMPLEMENT_DEPS or comp.pos_ not in {"VERB", "AUX"}:
            continue
        if comp.i < verb.i:
            continue
        if comp.dep_ == "ccomp":
            if free_relative(comp):
                continue  # "rejected what he called interference": a thing, not an actor
            if root in _CLAUSE_TARGET_ROOTS and not states_a_fact(verb, comp):
                yield [c for c in comp.children if c.dep_ in {"nsubj", "nsubjpass"}]
        else:
            yield from target_groups(comp)


def governed(tok, triggers: set[int], *, past_subjects: bool = True) -> bool:
    """Whether a trigger other than ``tok`` governs it through the parse.

    With ``past_subjects=False`` the climb stops at a subject: "the assassination
    of X shocked Moscow" is not governed by "shocked".
    """
    head, steps = tok, 0
    while head.head.i != head.i and steps < 50:
        if not past_subjects and head.dep_ in {"nsubj", "nsubjpass", "csubj"}:
            return False
        head, steps = head.head, steps + 1
        if head.i in triggers and head.i != tok.i:
            return True
    return False


# What a "that" clause's modal makes of a statement about another actor's conduct: "must"
# a demand (CAMEO 100), "should"/"ought to" an appeal (020).
_OBLIGATION_CODES = {"must": "100", "should": "020", "ought": "020"}


def obligation_subjects(verb) -> tuple[list, str | None]:
    """Subjects of a following ``that`` clause stating what they must or should do, and
    the code the statement then has.

    "Russia said that Sudan must return the helicopter" -> ([Sudan], "100"): reported as an
    obligation of another actor, the statement is a demand; "agreed that all parties
    should show restraint" -> an appeal to them.  "should have negotiated" looks back at
    what was not done: a reproach, not an appeal, so no obligation.
    """
    out: list = []
    code = None
    for comp in verb.children:
        if comp.dep_ != "ccomp" or comp.i < verb.i:
            continue
        for c in comp.children:
            modal = _OBLIGATION_CODES.get(c.lower_) if c.dep_ == "aux" else None
            if modal is not None and not _perfect(comp):
                code = modal if code is None else min(code, modal, key=_strength)
                out.extend(s for s in comp.children if s.dep_ in {"nsubj", "nsubjpass"})
                break
    return out, code


def _perfect(verb) -> bool:
    """ "should have negotiated": the perfect ``have`` among the verb's auxiliaries."""
    return verb.tag_ == "VBN" and any(
        c.dep_ == "aux" and c.lemma_.lower() == "have" for c in verb.children
    )


def _strength(code: str) -> int:
    """Demands outrank appeals when one statement holds both."""
    return 0 if code == "100" else 1


# Nouns of acts done to someone: their "of" object is the act's victim, so it stands
# neither for the noun ("the killing of X" is not X) nor for the target of an event that
# governs it ("an investigation of the killing of the ambassador", "condemned the
# invasion of Ukraine": aimed at whoever did it, not at the victim).
PATIENT_NOUNS = frozenset(
    {
        "killing",
        "murder",
        "assassination",
        "execution",
        "shooting",
        "bombing",
        "beating",
        "torture",
        "arrest",
        "detention",
        "imprisonment",
        "kidnapping",
        "abduction",
        "expulsion",
        "deportation",
        "invasion",
        "occupation",
        "annexation",
        "ouster",
        "overthrow",
        "persecution",
    }
)
#: Where a judgement (roots 11, 12) stops looking for a target: :func:`target_stop_nouns`.
_JUDGED_STOP_NOUNS = PATIENT_NOUNS | MEASURE_NOUNS


def victim_of_act(tok, trigger, code: str = "") -> bool:
    """Whether ``tok`` lies in a phrase under an act done to someone
    (:data:`PATIENT_NOUNS`) other than ``trigger`` that does not name its doer: "the
    invasion of Ukraine", "the killing of the US ambassador to Libya" (Libya too), but
    not "by Islamic State militants"."""
    acts = target_stop_nouns(code)
    node = tok
    for _ in range(6):
        head = node.head
        if head.i == node.i:
            return False
        if (
            node.dep_ == "pobj"
            and head.dep_ == "prep"
            and head.lower_ not in {"by", "from"}  # the act's doer
            and head.head.i != trigger.i
            and head.head.lemma_.lower() in acts
        ):
            return True
        node = head
    return False


def partitive_head(tok, actors_at):
    """The actor token a quantity or group phrase stands for.

    "Thousands of Iraqi Kurds", "a group of Yoruba leaders", "members of the
    Association of African Jurists": the head word names no actor, the object of
    its ``of`` phrase does.  A token that is an actor itself is returned as is, and so
    is an act done to someone (:data:`PATIENT_NOUNS`).
    """
    if tok.i in actors_at or tok.pos_ not in {"NOUN", "NUM", "PRON", "ADJ"}:
        return tok
    if tok.lemma_.lower() in PATIENT_NOUNS:
        return tok
    for pobj in prep_objects(tok, "of"):
        if pobj.i in actors_at:
            return pobj
    return tok


def actors_of(tokens: Iterable, actors_at: Mapping[int, tuple[Actor, ...]]) -> list[Actor]:
    """The actors some tokens (or their conjuncts, or the noun under a partitive) head,
    each once."""
    out: list[Actor] = []
    for tok in tokens:
        for t in with_conjuncts(tok):
            for actor in actors_at.get(partitive_head(t, actors_at).i, ()):
                # two persons of one code ("Senators Biden and Hagel") are two actors
                if all((a.code, a.text) != (actor.code, actor.text) for a in out):
                    out.append(actor)
    return out


def actor_test(actors_at: Mapping[int, tuple[Actor, ...]]) -> Callable[[Iterable], bool]:
    """A test whether any of some tokens (or their conjuncts) heads an actor."""

    def has_actor(tokens) -> bool:
        return any(
            partitive_head(t, actors_at).i in actors_at
            for tok in tokens
            for t in with_conjuncts(tok)
        )

    return has_actor


def conditioned_on_unless(verb) -> bool:
    """Whether ``verb`` has an "unless" clause: "will withdraw unless X complies"."""
    return any(
        c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "unless" for m in c.children)
        for c in verb.children
    )


def within(i: int, node) -> bool:
    """Whether token index ``i`` lies in the subtree of ``node``."""
    return node.left_edge.i <= i <= node.right_edge.i


def to_infinitive(verb) -> bool:
    """Whether ``verb`` has the infinitive marker "to" ("decided to leave")."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def in_subject(tok, verb) -> bool:
    """Whether ``tok`` lies in the subject of ``verb`` ("the assassination of X shocked")."""
    return any(
        c.dep_ in {"nsubj", "nsubjpass", "csubj"} and within(tok.i, c) for c in verb.children
    )


# Cooperative roots whose denial CAMEO codes as a rejection: 03-05 intents, consults
# and verbal support -> 12 reject (04 meetings: 125 reject a proposal to meet),
# 06-07 material cooperation and aid -> 121/122, 08 yielding -> 124 decline to yield.
_REFUSALS = {"03": "120", "04": "125", "05": "120", "06": "121", "07": "122", "08": "124"}


def refusal_code(code: str) -> str | None:
    """The CAMEO rejection code for a denied cooperative act, if ``code`` is one."""
    return _REFUSALS.get(code[:2])


# Actors that belong to no state but are identified all the same (the
# real-news guidelines' "kind": UN, EU, NATO; Amnesty; Islamic State; companies).
NONSTATE_KINDS = frozenset({"IGO", "NGO", "IMG", "MNC"})


def distinct(a: Actor, b: Actor | None) -> bool:
    """Whether two actors can be the two sides of an event.

    Actors of the same code are distinct when their words differ: "the
    President asked the Secretary" (both USAGOV) is one official acting on
    another, as the guidelines code it; "Obama said he ..." (the pronoun
    resolved to the same words) is one actor."""
    if b is None:
        return True
    words = b.text.strip().lower().split()
    if words and words[0] in _POSSESSIVE_PRONOUNS and not b.agent and b.country == a.country:
        # "Trump kicked off his campaign": a thing of the source's own country, named by
        # a possessive, is the source's own, not a second side.
        return False
    if a.code != b.code:
        return True
    if a.code == "---":
        return False
    # A state as a whole ("China continued its efforts") has no second side of
    # its own code; neither has a possession of the source ("its soldiers").
    if not (a.agent or a.code[:3] in NONSTATE_KINDS) or not (
        b.agent or b.code[:3] in NONSTATE_KINDS
    ):
        return False
    if not words or words[0] in _POSSESSIVE_PRONOUNS:
        return False
    if b.country_from_context and b.agent == a.agent:
        return False  # "Syrian forces ... troops": the source's own
    # "President Obama" and "Obama", "Trump's failure" and "Trump": the head
    # word of one names the other.
    mine, theirs = _words(a.text), _words(b.text)
    return bool(mine and theirs) and mine[-1] not in theirs and theirs[-1] not in mine


def _words(text: str) -> list[str]:
    out = []
    for word in text.lower().split():
        for suffix in ("'s", "\u2019s", "'", "\u2019"):
            if word.endswith(suffix):
                word = word[: -len(suffix)]
                break
        out.append(word)
    return out


_POSSESSIVE_PRONOUNS = frozenset({"its", "their", "his", "her", "our", "my", "your"})


def identified(actor: Actor | None) -> bool:
    """Whether an actor is identified: it has a country, or is an IGO/NGO/IMG/MNC.

    A bare sector ("officials", "the media") or an unknown phrase is not: the
    guidelines code no event between actors nobody could name.
    """
    if actor is None:
        return False
    return bool(actor.country) or actor.code[:3] in NONSTATE_KINDS


_CLOSING = frozenset({'"', "'", "\u201d", "\u2019", ")", "]"})


def is_question(sent) -> bool:
    """Whether a sentence is a question: its last token, before closing quotes, is "?"."""
    for tok in reversed(sent):
        if tok.is_space or tok.text in _CLOSING:
            continue
        return tok.text.endswith("?")
    return False


def unknown_actor(head) -> Actor:
    """An actor the dictionaries cannot code, with the words of its noun phrase."""
    doc = head.doc
    start = head.left_edge.i
    end = min(head.right_edge.i + 1, head.i + 6)
    return Actor(code="---", text=doc[start:end].text, country=None, agent=None, entry=None)


def class_probability(probs, entry) -> float:
    """The model's probability of an entry's class (0 without a model or class)."""
    if probs is None or entry is None or entry.class5 < 0:
        return 0.0
    return probs[entry.class5]
