"""The coder's relaxed fallback: one event for a sentence the strict frames missed.

Kept apart from :mod:`tidings.coding._coder` so each module stays readable;
:class:`RelaxedFallback` is a mixin of :class:`~tidings.coding._coder.Coder`
and uses its frame helpers (``_subject``, ``_actors``, ``_emit``, ``_entry``).
"""

from __future__ import annotations

from tidings.coding._attribution import STATEMENT, neutral_claim
from tidings.coding._conventions import asks_a_question, calls_no_one, verb_sense
from tidings.coding._exclusions import (
    AGAINST_IS_NO_RECIPIENT,
    FORCE_ROOTS,
    allied_party,
    bare_participle,
    free_relative,
    names_no_act,
    non_agent,
    opposed_party,
    poll_share,
)
from tidings.coding._frames import (
    class_probability,
    distinct,
    from_agents,
    governed,
    in_subject,
    prep_objects,
    trigger_lemma,
    unknown_actor,
    victim_of_act,
    with_conjuncts,
    within,
)
from tidings.coding._modality import REPORTING_HEADS
from tidings.model import Actor

__all__ = ["RelaxedFallback", "implied_authority"]

_YIELD_ROOT = "08"
# Accusations and violence: a passive of these never has its subject as the doer.
_HARM_ROOTS = frozenset({"11", "18", "19", "20"})
# "be opposed to", "be engaged in", "be committed to": the subject acts.
_STATIVE_PARTICIPLES = frozenset(
    {"oppose", "engage", "commit", "involve", "determine", "prepare", "dedicate", "devote"}
)
_COERCE_ROOT = "17"
# Legal actions a court performs; other coercion of a person (arrest, detention)
# is the police's.
_JUDICIAL_LEMMAS = frozenset(
    {"sentence", "convict", "indict", "charge", "try", "prosecute", "jail", "imprison", "find"}
)


class RelaxedFallback:
    """Events with the rule suffix ``/relaxed`` (see :meth:`_relaxed`)."""

    def _in_its_sense(self, code: str, entry, lemma: str, tok, actors_at):
        """``(code, entry)``, or the political sense's when the verb's object shows one
        ("fired Comey" is a dismissal, not a shooting): the strict frames and the relaxed
        pass both ask; a claim with no criticism in it is a statement.  ``(None, None)``
        when the verb is not in the rule's sense at all (a "call" of a deal is no phone
        call, "asked whether" no appeal)."""
        if calls_no_one(code, lemma, tok, actors_at) or asks_a_question(code, lemma, tok):
            return None, None
        if neutral_claim(tok, code) and self._entry(STATEMENT) is not None:
            # "argued that Trump used the authority he was given": a claim, no blame
            return STATEMENT, self._entry(STATEMENT)
        sense = verb_sense(lemma, tok, actors_at)
        if sense is not None and self._entry(sense) is not None:
            return sense, self._entry(sense)
        return code, entry

    def _relaxed(self, sent, actors_at, *, doc_id: str, sentence_index: int, cands, probs):
        """One event for a sentence the strict frames could not code.

        News sentences nearly always name their actors and use a verb the
        lexicon knows, but the parse often fails to connect them (long
        appositions, reported speech, participle chains).  The fallback takes
        the trigger closest to the root of the sentence (statement verbs only
        when nothing else is coded) -- or, with a model, the trigger whose
        class the model finds likeliest -- the actor heading its subject side
        (or the nearest actor before it) as source and the nearest actor after
        it as target.  Such events carry the rule suffix ``/relaxed`` so users
        can keep or drop them.
        """
        candidates = []
        acting = {tok.i for tok, rule, _ in cands if rule.code[:2] != "01"}
        for tok, rule, entry in cands:
            statement = rule.code[:2] == "01"
            score = -probs[entry.class5] if probs is not None and entry.class5 >= 0 else 0.0
            # "blocked roads to demand reforms", "rioted, demanding independence":
            # the adjunct says why; the act it modifies is the event.
            adjunct = tok.dep_ == "advcl" and tok.head.i in acting
            candidates.append(
                (
                    adjunct,
                    score,
                    statement,
                    tok.pos_ != "VERB",
                    tok.i,
                    tok,
                    rule,
                    entry,
                )
            )
        if not candidates:
            return []
        positions = sorted(i for i in range(sent.start, sent.end) if i in actors_at)
        if not positions:
            return []
        candidates.sort(key=lambda c: c[:5])
        *_, tok, rule, entry = candidates[0]
        subject, _ = self._subject(tok) if tok.pos_ != "NOUN" else (None, False)
        if subject is not None and (poll_share([subject]) or non_agent([subject])):
            return []
        if names_no_act(tok):
            return []  # "Turkey, which backs the rebels", "heated talk about politics"
        if bare_participle(tok) or (subject is None and tok.tag_ == "VBN" and tok.dep_ == "advcl"):
            # "Asked whether the White House ..., Rhodes paused", "The State Department,
            # when asked why ..., noted": the one asked is the main clause's subject (the
            # subject the participle inherits), who asked is not said.  A fronted
            # participle with a "by" agent ("Rebuked by X, Y ...") has no subject for the
            # relaxed pass to read either; the strict frames code it or nothing does.
            return []
        passive_tried = subject is not None and _passive(tok) and entry.root != _YIELD_ROOT
        if passive_tried:
            passive = self._relaxed_passive(
                sent, tok, rule, entry, subject, actors_at, doc_id, sentence_index
            )
            if passive is not None:
                return passive
        if entry.root in _HARM_ROOTS and _undergone_participle(tok):
            # "an American contractor was killed in Iraq", "U.S. student killed in Egypt":
            # the subject (or the noun the participle follows) is the victim; a "by"
            # phrase names the perpetrator ("civilians killed by Russian airstrikes"),
            # else it is open and the guidelines code none.  An active reading would make
            # the victim the attacker.
            if passive_tried:
                return []  # the passive above found no "by" phrase
            victim = subject if subject is not None else tok.head
            passive = self._relaxed_passive(
                sent, tok, rule, entry, victim, actors_at, doc_id, sentence_index
            )
            return passive or []
        if subject is not None and rule.passive:
            return self._relaxed_undergone(
                sent, tok, tok, rule, entry, subject, actors_at, doc_id, sentence_index
            )
        if tok.pos_ == "NOUN" and tok.dep_ == "dobj" and tok.head.lemma_.lower() in _UNDERGO:
            # "Syria faces new sanctions": the subject of "faces" undergoes them
            undergoer, _ = self._subject(tok.head)
            if undergoer is not None:
                return self._relaxed_undergone(
                    sent, tok, tok.head, rule, entry, undergoer, actors_at, doc_id, sentence_index
                )
        before = [i for i in positions if i < tok.i]
        sources: list[Actor] = []
        source_tokens: list = []
        nominal = tok.pos_ == "NOUN"
        agents = [t for t in from_agents(tok) if self._actors([t], actors_at)] if nominal else []
        if agents:
            source_tokens = agents  # "threats from Iran": Iran threatens
        elif subject is not None and self._actors([subject], actors_at):
            source_tokens = [subject]
        elif subject is None:
            # no subject at all (fragment, participle, "..., said X"): the
            # nearest actor is the best guess
            source_tokens = [tok.doc[before[-1] if before else positions[0]]]
        elif subject.pos_ in {"NOUN", "PROPN"}:
            # An actor the dictionaries do not know ("Gunmen", a new group):
            # never promote another actor to source; keep the subject's words
            # with the unidentified code.
            sources = [unknown_actor(subject)]
        elif before:
            source_tokens = [tok.doc[before[-1]]]
        if source_tokens:
            sources = self._actors(source_tokens, actors_at)
        if not sources:
            return []
        taken = {t.i for s in source_tokens for t in with_conjuncts(s)}
        code = rule.code if rule.code[:2].isdigit() else entry.code
        code, entry = self._in_its_sense(code, entry, self.rule_lemma(tok), tok, actors_at)
        if code is None:
            return []
        # ... and not the victim of an act the sentence names ("condemned the invasion
        # of Ukraine" is aimed at the invader), nor, for support and statements, the
        # side an "against" phrase opposes ("backed attacks against US forces").
        opposed = code[:2] in AGAINST_IS_NO_RECIPIENT
        after = [
            i
            for i in positions
            if i > tok.i
            and i not in taken
            and not victim_of_act(tok.doc[i], tok, code)
            and not (opposed and opposed_party(tok.doc[i]))
            and not allied_party(tok.doc[i])
            and not (tok.doc[i].dep_ == "nsubj" and free_relative(tok.doc[i].head))
            and not _speaker(tok.doc[i], tok)
            and not (code[:2] in FORCE_ROOTS and _in_purpose(i, tok))
            and not _of_another_clause(tok.doc[i], tok)
            and not _in_as_phrase(i, tok)
            and not (_hosts_no_target(code, tok) and self._venue(tok.doc[i], tok, actors_at))
        ]
        if _unresolved_object(tok, actors_at):
            after = []  # "slammed them": the target is whoever "them" is, not a bystander
        targets = self._actors([tok.doc[after[0]]], actors_at) if after else []
        # "The US and Europe are urging calm": one event per coordinated source
        # (the guidelines' "several actors in one role"); a source read off the
        # nearest actor is a guess, and only one is kept, unless the guess is a
        # coordination ("along with Senators Biden, Hagel and Clinton, was
        # critical"): its members are guessed alike.
        coordinated = len(source_tokens) == 1 and len(with_conjuncts(source_tokens[0])) > 1
        chosen = sources if source_tokens and (subject is not None or coordinated) else sources[:1]
        pairs = []
        for source in chosen:
            target = next((t for t in targets if distinct(source, t)), None)
            pairs.append((source, target, "relaxed"))
        return self._emit(
            sent, tok, rule, code, entry, pairs, set(), doc_id, sentence_index, tok.pos_ == "NOUN"
        )

    def _venue(self, tok, trigger, actors_at) -> bool:
        """Whether ``tok`` names where the trigger's act took place: a place (a state
        or a city, no agent) in an "in"/"at" phrase of a trigger without an object
        ("Trump and Kim met in Singapore", "met at a hotel in Geneva"), which hosts the
        act, not its target."""
        if any(c.dep_ == "dobj" for c in trigger.children):
            return False  # "condemn the violence in Cairo": the phrase may tell the object's place
        if not _in_locative_phrase(tok, trigger):
            return False
        actors = self._actors([tok], actors_at)
        return bool(actors) and all(a.agent is None and a.country for a in actors)

    def _relaxed_passive(self, sent, tok, rule, entry, subject, actors_at, doc_id, sentence_index):
        """The relaxed event of a passive trigger: the subject undergoes it.

        "North Korea is sanctioned by the US, China and Europe" when the parse
        hangs the agent phrase off the wrong word: the passive subject is the
        target, never the source, and the ``by`` actors (searched anywhere
        in the trigger's clause) are the sources.  Arrests and sentences
        with no agent are the work of the person's own state's police and
        courts (:func:`implied_authority`; the guidelines: "passives whose
        agent the action itself fixes").  None when no agent is found: the
        perpetrator is open, and the caller's active reading stands (the
        sentence-level gold sets reward an event there; the confidence model
        weighs it).  Yielding (08) is not read here: "rebels were demobilized",
        "troops were withdrawn" report the subject's own side conceding.
        """
        targets = self._actors([subject], actors_at)
        if not targets:
            # "a camp for Congolese refugees was attacked": the subject names
            # the target through a phrase under it.
            inner = next((t for t in subject.subtree if t.i in actors_at), None)
            targets = self._actors([inner], actors_at) if inner is not None else []
        agents = [
            pobj
            for t in tok.subtree
            if t.dep_ == "agent"
            or (t.lower_ == "by" and t.dep_ == "prep" and _on_trigger_or_its_phrase(t, tok))
            for pobj in t.children
            if pobj.dep_ == "pobj"
        ]
        sources = self._actors(agents, actors_at)
        if not sources and entry.root == _COERCE_ROOT:
            sources = [a for a in (implied_authority(tok, t) for t in targets) if a is not None]
        if not sources:
            return None
        return self._emit_undergone(
            sent, tok, rule, entry, sources, targets, doc_id, sentence_index
        )

    def _relaxed_undergone(self, sent, tok, verb, rule, entry, subject, actors_at, doc_id, index):
        """The relaxed event of trigger ``tok`` whose subject undergoes it (PETRARCH's
        "[:code]": "Ukraine faces pressure from Russia"; "Syria faces sanctions"): the
        source is whoever a by or from phrase names, on ``verb`` or on its object; with
        none, no event (the subject did not do it)."""
        objects = [c for c in verb.children if c.dep_ == "dobj"]
        agents = [*prep_objects(verb, "by"), *prep_objects(verb, "from")]
        agents += [a for o in objects for a in from_agents(o)]
        sources = self._actors(agents, actors_at)
        targets = self._actors([subject], actors_at)
        if not sources or not targets:
            return []
        return self._emit_undergone(sent, tok, rule, entry, sources, targets, doc_id, index)

    def _emit_undergone(self, sent, tok, rule, entry, sources, targets, doc_id, index):
        """The relaxed events of every source with every target (or none) that undergoes
        trigger ``tok``: what :meth:`_relaxed_passive` and :meth:`_relaxed_undergone` found."""
        code = rule.code if rule.code[:2].isdigit() else entry.code
        pairs = [(s, t, "relaxed") for s in sources for t in (targets or [None]) if distinct(s, t)]
        nominal = tok.pos_ == "NOUN"
        return self._emit(sent, tok, rule, code, entry, pairs, set(), doc_id, index, nominal)

    def _governing_fallback(self, sent, actors_at, events, cands, probs, doc_id, sentence_index):
        """A relaxed event for a trigger that governs coded events but got none itself.

        "Poland demanded an admission by Moscow that Soviet forces murdered ...":
        the murder is coded strictly, the demand (no target in its frame) is not;
        the demand is the sentence's event, so it is added by the relaxed rules and
        ranks first (it governs the murder).  Only when the model finds its class
        likelier than every coded event's; statements (01) and reporting verbs
        ("..., an official said") never qualify.
        """
        coded = {tok.i for _, tok in events}
        best = max(class_probability(probs, self._entry(e.code)) for e, _ in events)
        governing = [
            (tok, rule, entry)
            for tok, rule, entry in cands
            if tok.i not in coded
            and rule.code[:2] != "01"
            and self.rule_lemma(tok) not in REPORTING_HEADS
            and class_probability(probs, entry) > best
            and (
                (tok.dep_ == "ROOT" and not any(in_subject(t, tok) for _, t in events))
                or any(governed(t, {tok.i}, past_subjects=False) for _, t in events)
            )
        ]
        if not governing:
            return []
        return self._relaxed(
            sent,
            actors_at,
            doc_id=doc_id,
            sentence_index=sentence_index,
            cands=governing,
            probs=probs,
        )


def _on_trigger_or_its_phrase(by, trigger) -> bool:
    """Whether a "by" phrase hangs on the trigger or on the noun of one of its phrases
    ("were killed in an attack by gunmen": the attackers killed)."""
    head = by.head
    return head.i == trigger.i or (
        head.dep_ == "pobj" and head.head.dep_ == "prep" and head.head.head.i == trigger.i
    )


#: Verbs whose subject undergoes what their object names ("faces sanctions").
_UNDERGO = frozenset({"face", "suffer", "receive", "undergo", "endure", "risk", "incur"})


def _undergone_participle(verb) -> bool:
    """Whether a violence trigger is a participle its subject undergoes: a passive
    clause ("was killed in Iraq") or a participle after its noun ("soldiers killed in
    Niger")."""
    return verb.tag_ == "VBN" and (_passive(verb) or verb.dep_ == "acl")


def _passive(verb) -> bool:
    """Whether a verb trigger is in the passive voice ("was sanctioned", "is seen").

    Participles that state what the subject itself does or stands for ("Israel
    is opposed to X", "forces were engaged in ethnic cleansing") are no passive
    unless a ``by`` phrase makes them one."""
    if verb.pos_ not in {"VERB", "AUX"}:
        return False
    deps = {c.dep_ for c in verb.children}
    if "agent" in deps:
        return True
    if trigger_lemma(verb) in _STATIVE_PARTICIPLES:
        return False
    return bool(deps & {"nsubjpass", "auxpass"})


def implied_authority(tok, target: Actor) -> Actor | None:
    """The authority an agentless arrest or sentence implies: the police (or, for
    sentences and charges, the courts) of the person's own country.

    The guidelines annotate "passives whose agent the action itself fixes
    (sentencing -> a court, arrests -> the police)"; the country is the
    target's, taken from its own words only (a guess from context is no
    support for a second guess)."""
    if not target.country or target.country_from_context or len(target.country) != 3:
        return None
    agent = "JUD" if trigger_lemma(tok) in _JUDICIAL_LEMMAS else "COP"
    return Actor(
        code=target.country + agent,
        text="",
        country=target.country,
        agent=agent,
        country_from_context=True,
    )


def _speaker(tok, trigger) -> bool:
    """Whether ``tok`` is the subject of a reporting verb whose content holds the trigger
    ("an ultimatum ..., Russian experts say"): who tells of an event is not its target.
    A speaker of another clause ("X demands an end to Y, while Israel insists ...") may be."""
    verb = tok.head
    return (
        tok.dep_ == "nsubj"
        and verb.lemma_.lower() in REPORTING_HEADS
        and any(a.i == verb.i for a in trigger.ancestors)
    )


def _in_absolute_clause(tok, trigger) -> bool:
    """Whether ``tok`` is in a "with" clause of the trigger's with a verb of its own
    ("criticised the sanctions, with Foreign Minister Lavrov describing them as ..."):
    it acts there, it does not undergo the trigger's act."""
    return any(
        c.dep_ == "prep"
        and c.lower_ == "with"
        and within(tok.i, c)
        and any(g.pos_ == "VERB" or any(v.pos_ == "VERB" for v in g.children) for g in c.children)
        for c in trigger.children
    )


def _in_as_phrase(i: int, trigger) -> bool:
    """Whether token ``i`` lies in an "as" phrase of a trigger with a direct object
    ("slammed them as a concession to Iran"): what the object is called, not whom the
    act is aimed at.  Without an object the parser may have put it there ("denounced as
    an ugly crime Serbia's suppression of ...")."""
    if not any(c.dep_ == "dobj" for c in trigger.children):
        return False
    return any(c.dep_ == "prep" and c.lower_ == "as" and within(i, c) for c in trigger.children)


#: Roots whose act an "in <place>" phrase only situates: statements, appeals, intents,
#: meetings, support, yielding and verbal conflict ("said in Moscow", "met in Geneva",
#: "threatened in Ankara").  Elsewhere the place may be what is acted on ("intervened in
#: Syria", "invested in Iraq", "fighting in Aleppo").
_VENUE_ROOTS = frozenset({"01", "02", "03", "04", "05", "08", "10", "11", "12", "13"})
_LOCATIVE_PREPS = frozenset({"in", "at"})
#: Visits and arrivals, whose "in <place>" is where the visitor went: "arrived in Amman".
_VISIT_CODES = frozenset({"042", "043"})
_ARRIVAL_LEMMAS = frozenset({"arrive", "land", "stop", "stay", "touch"})


def _hosts_no_target(code: str, trigger) -> bool:
    """Whether a place in an "in"/"at" phrase of ``trigger`` only situates its act."""
    return (
        code[:2] in _VENUE_ROOTS
        and code not in _VISIT_CODES
        and trigger.lemma_.lower() not in _ARRIVAL_LEMMAS
    )


def _in_locative_phrase(tok, trigger) -> bool:
    """Whether ``tok`` is the object of an "in"/"at" phrase of ``trigger``, directly or
    inside another such phrase ("met at a hotel in Geneva")."""
    while tok.dep_ == "pobj" and tok.head.lower_ in _LOCATIVE_PREPS:
        prep = tok.head
        if prep.head.i == trigger.i:
            return True
        tok = prep.head
    return False


#: Entity types of names that stand for things, not actors (a bridge, a ship, a law);
#: any other name may ("the YPG", "the West").
_THING_ENTITIES = frozenset(
    {"FAC", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "LANGUAGE", "DATE", "TIME", "MONEY"}
)


def _unresolved_object(trigger, actors_at) -> bool:
    """Whether the trigger's direct object is a personal pronoun or a name no actor was
    found for ("slammed them", "accused the YPG"): the target is whoever that is."""
    return any(
        c.dep_ == "dobj"
        and (
            (c.pos_ == "PRON" and c.lower_ != "it")
            or (c.pos_ == "PROPN" and c.ent_type_ not in _THING_ENTITIES)
        )
        and c.i not in actors_at
        for c in trigger.children
    )


def _in_purpose(i: int, trigger) -> bool:
    """Whether token ``i`` lies in the trigger's infinitival complement ("struggled to
    persuade North Korea"): what the act is for, not what it is done to."""
    return any(c.dep_ == "xcomp" and within(i, c) for c in trigger.children)


#: Subordinators that set another actor against the trigger's: "X welcomed the decision
#: while Palestinians warned ...".
_CONTRASTIVE_MARKS = frozenset({"while", "whereas", "although", "though"})


def _of_another_clause(tok, trigger) -> bool:
    """Whether ``tok`` acts in a clause of its own rather than undergoing the trigger's
    act: the subject of a contrasting clause ("X welcomed the decision while
    Palestinians warned ...") or of a coordinated clause with its own subject, or an
    actor in what a coordinated verb says ("condemned the attack and said the army's
    action is appreciated").  A verb coordinated with the trigger shares its objects
    ("donated and delivered goods to X")."""
    head = tok.head
    if _in_absolute_clause(tok, trigger):
        return True
    if tok.dep_ in {"nsubj", "nsubjpass"} and head.i != trigger.i:
        if head.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in _CONTRASTIVE_MARKS for c in head.children
        ):
            return True
        if head.dep_ == "conj" and head.head.i == trigger.i:
            return True
    return any(
        g.dep_ in {"ccomp", "parataxis"} and within(tok.i, g)
        for c in trigger.children
        if c.dep_ == "conj" and c.pos_ == "VERB"
        for g in c.children
    )
