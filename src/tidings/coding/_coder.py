"""The dependency-based CAMEO coder.

For every verb (or event noun) whose lemma the verb lexicon knows, the coder
picks the most specific rule whose constraints the parse satisfies (object
word, preposition introducing the target, particle, extra words, voice), then
reads the source and target off the dependency tree:

* active clause: subject → source, direct object or the rule's prepositional
  object → target; the subject is inherited through control verbs
  ("pledged to serve", "appears to have endorsed"), coordination and
  relative clauses;
* passive clause: the ``by`` agent → source, the passive subject → target;
* nominal event: possessor, national adjective or ``by`` agent → source,
  ``of``/``on``/``against``/``with`` object → target;
* symmetric events ("Russia, Turkey and Iran met") with no target: one event
  per unordered pair of the coordinated actors, in order of mention.

Coordinated actors give one event per actor (CAMEO convention), never a
merged code.  Actors themselves come resolved from the actors stage as a map
from token index to actors.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from tidings.coding._modality import modality_of
from tidings.dictionaries.cameo import CameoCode, intent_code
from tidings.dictionaries.verbs import ALT_SEP
from tidings.model import Actor, Event, Evidence

UNKNOWN_ACTOR = Actor(code="---", text="", country=None, agent=None, entry=None)

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
# Roots whose victims matter even when the perpetrator is not named.
_VICTIM_ROOTS = frozenset({"17", "18", "19", "20"})
_TARGET_PREPS_NOMINAL = ("of", "on", "against", "with", "to", "at", "upon")
_SOURCE_DEPS = {"nsubj", "csubj"}
_OBJECT_DEPS = {"dobj", "attr", "oprd", "dative"}
_RAISING_LEMMAS = {"appear", "seem", "be", "tend", "happen", "continue", "begin", "start"}


@dataclass(frozen=True, slots=True)
class _Frame:
    sources: list  # tokens
    targets: list  # tokens
    kind: str  # active, passive, nominal, symmetric
    #: tokens tried for the target when ``targets`` name no actor
    fallback: tuple = ()


def _stable_id(*parts: object) -> str:
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return digest[:16]


_NESTED_PREPS = frozenset({"of", "between", "with", "to", "against", "on", "for"})


def _nested_objects(obj, depth: int = 0) -> list:
    """Objects of prepositions chained under ``obj`` (at most three links deep)."""
    if depth >= 3:
        return []
    out = []
    for prep in obj.children:
        if prep.dep_ != "prep" or prep.lower_ not in _NESTED_PREPS:
            continue
        for pobj in prep.children:
            if pobj.dep_ == "pobj":
                out.append(pobj)
                out.extend(_nested_objects(pobj, depth + 1))
    return out


def _unknown_actor(head) -> Actor:
    """An actor the dictionaries cannot code, with the words of its noun phrase."""
    doc = head.doc
    start = head.left_edge.i
    end = min(head.right_edge.i + 1, head.i + 6)
    return Actor(code="---", text=doc[start:end].text, country=None, agent=None, entry=None)


def _class_probability(probs, entry) -> float:
    if probs is None or entry is None or entry.class5 < 0:
        return 0.0
    return probs[entry.class5]


def _depth(tok) -> int:
    depth = 0
    while tok.head is not tok and depth < 50:
        tok = tok.head
        depth += 1
    return depth


def _with_conjuncts(tok) -> list:
    """``tok`` and the actors coordinated with it.

    A list whose second item the parser made an apposition ("Mordor, the Shire,
    Fornost and Bree": ``Shire`` appos, ``Fornost`` and ``Bree`` its conjuncts)
    counts as coordinated; an apposition without conjuncts is a description.
    """
    out = [tok]
    for c in tok.conjuncts:
        if c not in out:
            out.append(c)
    for appos in [c for c in tok.children if c.dep_ == "appos" and c.conjuncts]:
        for c in (appos, *appos.conjuncts):
            if c not in out:
                out.append(c)
    return sorted(out, key=lambda t: t.i)


def _children(tok, deps: set[str]) -> list:
    return [c for c in tok.children if c.dep_ in deps]


def _prep_objects(tok, prep: str) -> list:
    out = []
    for child in tok.children:
        if child.dep_ in {"prep", "agent", "dative"} and child.lower_ == prep:
            out.extend(_children(child, {"pobj", "pcomp"}))
    return out


class Coder:
    """Codes the sentences of a parsed paragraph into CAMEO events."""

    name = "tidings.dep_coder.v1"

    def __init__(self, lexicon, codebook, *, relaxed: bool = True, model=None) -> None:
        self.relaxed = relaxed
        self.model = model  # optional EventClassModel ranking candidates
        self.lexicon = lexicon
        self.codebook = codebook
        self._verb_lemmas = lexicon.lemmas("VERB")
        self._noun_lemmas = lexicon.lemmas("NOUN")

    # -- rule selection -------------------------------------------------------

    def _rule_for(self, tok, pos: str):
        """The most specific rule of the trigger's lemma that the parse satisfies.

        The trigger's context (particles, object words, prepositions, subtree
        words) is read once; each rule is then a few set lookups, which
        matters for lemmas with hundreds of PETRARCH patterns.
        """
        rules = self.lexicon.rules_for(tok.lemma_.lower(), pos)
        if not rules:
            return None
        children = list(tok.children)
        particles = {c.lower_ for c in children if c.dep_ == "prt"}
        objects = [c for c in children if c.dep_ in _OBJECT_DEPS]
        obj_words = {o.lemma_.lower() for o in objects} | {o.lower_ for o in objects}
        preps = {
            c.lower_
            for holder in (tok, *objects)
            for c in holder.children
            if c.dep_ in {"prep", "agent", "dative"}
            and any(g.dep_ in {"pobj", "pcomp"} for g in c.children)
        }
        subtree: set[str] | None = None
        best = None
        for rule in rules:
            if best is not None and rule.specificity <= best.specificity:
                continue
            if rule.particle and rule.particle not in particles:
                continue
            if rule.object is not None and not obj_words.intersection(rule.object):
                continue
            if rule.prep and rule.prep not in preps:
                continue
            if rule.mutual and not self._coordinated_subject(tok):
                continue
            if rule.words:
                if subtree is None:
                    subtree = {t.lemma_.lower() for t in tok.subtree}
                    subtree |= {t.lower_ for t in tok.subtree}
                if not rule.words_satisfied(subtree):
                    continue
            best = rule
        return best

    def _coordinated_subject(self, tok) -> bool:
        """Whether the trigger's subject is coordinated ("X and Y")."""
        if tok.pos_ not in {"VERB", "AUX"}:
            return False
        subj, _ = self._subject(tok)
        return subj is not None and len(_with_conjuncts(subj)) > 1

    def _entry(self, code: str):
        """The codebook entry scoring ``code``: itself or its nearest parent."""
        entry = self.codebook.get(code)
        if entry is not None:
            return entry
        try:
            return self.codebook.nearest(code)
        except KeyError:
            pass
        if not code[:2].isalnum():
            return None
        # A code outside CAMEO (a user's own dictionary, WEIS-era codes): keep
        # it as written, with neutral scores (QuadClass 0 = unknown).
        return CameoCode(
            code=code,
            root=code[:2],
            label="",
            goldstein=0.0,
            quad_class=0,
            class5=-1,
            plover=None,
        )

    # -- frames ------------------------------------------------------------------

    def _subject(self, verb, depth: int = 0):
        if depth > 4:
            return None, False
        for c in verb.children:
            if c.dep_ in _SOURCE_DEPS:
                if c.tag_ in {"WDT", "WP"} and verb.dep_ == "relcl":
                    return verb.head, False
                return c, False
        for c in verb.children:
            if c.dep_ == "nsubjpass":
                return c, True
        infinitival = verb.dep_ == "advcl" and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in verb.children
        )
        if (verb.dep_ == "xcomp" or infinitival) and verb.head is not verb:
            # Object control: "sends groups to fight X", "urged Iran to stop".
            controller = [c for c in _children(verb.head, {"dobj"}) if c.i < verb.i]
            if controller and verb.head.lemma_ not in _RAISING_LEMMAS:
                return controller[0], False
            if verb.head.dep_ == "relcl" and not _children(verb.head, {"nsubj"}):
                return verb.head.head, False
            if verb.head.dep_ == "relcl" and verb.head.head.pos_ in {"NOUN", "PROPN"}:
                return verb.head.head, False
        if verb.dep_ in {"xcomp", "conj"} and verb.head is not verb:
            # "X is about to restore": the xcomp hangs under an adjectival
            # complement ("about", "ready", "likely") of the copula.
            head = verb.head
            if head.dep_ == "acomp" and head.head is not head:
                head = head.head
            subj, _ = self._subject(head, depth + 1)
            return subj, False
        if verb.dep_ == "relcl":
            return verb.head, False
        return None, False

    def _verb_frame(self, verb, rule) -> _Frame | None:
        subj, passive = self._subject(verb)
        is_passive = passive or any(c.dep_ == "auxpass" for c in verb.children)
        if is_passive and subj is not None:
            agents = _prep_objects(verb, "by")
            return _Frame(agents, [subj], "passive")
        if rule.passive and subj is not None:
            # PETRARCH's "[:code]" patterns: the subject undergoes the event
            # ("X faces trial"), the source is a by/from phrase if any.
            agents = _prep_objects(verb, "by") or _prep_objects(verb, "from")
            return _Frame(agents, [subj], "subject-target")
        objects = _children(verb, _OBJECT_DEPS)
        targets: list = []
        if rule.prep:
            targets = _prep_objects(verb, rule.prep)
            if not targets:
                for o in objects:
                    targets = _prep_objects(o, rule.prep)
                    if targets:
                        break
        elif rule.object is None:
            targets = objects
        else:
            for o in objects:
                for prep in ("with", "against", "on", "to"):
                    targets = _prep_objects(o, prep)
                    if targets:
                        break
                if targets:
                    break
        if not targets and rule.prep is None and rule.object is None:
            targets = _prep_objects(verb, "with")
        if not targets and rule.prep is None:
            # "welcomed the resumption of ties between X and Y": the target sits
            # in a prepositional chain under the object.
            targets = [t for o in objects for t in _nested_objects(o)]
        sources = [subj] if subj is not None else []
        # objects that name no actor ("welcomed a resumption of ties with X",
        # "postponed its meeting with X"): the target is further down or beside
        fallback = [n for t in targets for n in _nested_objects(t)]
        if rule.prep is None and rule.object is None:
            fallback += _prep_objects(verb, "with")
        return _Frame(sources, targets, "active", tuple(fallback))

    def _noun_frame(self, noun) -> _Frame:
        sources: list = []
        targets: list = []
        for c in noun.children:
            if c.dep_ == "poss" or (c.dep_ in {"amod", "compound"} and c.i < noun.i):
                sources.append(c)
        sources.extend(_prep_objects(noun, "by"))
        sources.extend(_prep_objects(noun, "between"))  # symmetric: "talks between X and Y"
        for prep in _TARGET_PREPS_NOMINAL:
            targets.extend(_prep_objects(noun, prep))
        return _Frame(sources, targets, "nominal")

    # -- actors --------------------------------------------------------------------

    def frame_actors(
        self, frame: _Frame, actors_at: Mapping[int, tuple[Actor, ...]]
    ) -> tuple[list[Actor], list[Actor]]:
        """The source and target actors of a frame.

        When an active frame's objects name no actor ("welcomed a resumption of
        ties with X", "restore full ties with X's government"), the target is
        looked for in the prepositional chain under them (the frame's fallback).
        """
        sources = self._actors(frame.sources, actors_at)
        targets = self._actors(frame.targets, actors_at)
        if not targets and frame.fallback:
            targets = self._actors(frame.fallback, actors_at)
        return sources, targets

    @staticmethod
    def _actors(tokens: Sequence, actors_at: Mapping[int, tuple[Actor, ...]]) -> list[Actor]:
        out: list[Actor] = []
        for tok in tokens:
            for t in _with_conjuncts(tok):
                for actor in actors_at.get(t.i, ()):
                    if all(a.code != actor.code for a in out):
                        out.append(actor)
        return out

    def _emit(self, sent, tok, rule, code, entry, pairs, seen, doc_id, sentence_index, nominal):
        out = self._emit_one(
            sent, tok, rule, code, entry, pairs, seen, doc_id, sentence_index, nominal
        )
        reverse = rule.reverse and self._entry(rule.reverse)
        if reverse:
            # PETRARCH's [A:B]: the target takes part too ("X left for Y" is Y
            # receiving X), one reverse-direction event per dyad.
            back = [
                (t, s, "reverse")
                for s, t, _ in pairs
                if t is not None and s.code != UNKNOWN_ACTOR.code != t.code
            ]
            out += self._emit_one(
                sent, tok, rule, rule.reverse, reverse, back, seen, doc_id, sentence_index, nominal
            )
        return out

    def _emit_one(self, sent, tok, rule, code, entry, pairs, seen, doc_id, sentence_index, nominal):
        modality, cues = modality_of(tok, nominal=nominal)
        if modality == "future" and self.codebook.get(code) is not None:
            # CAMEO codes a promised cooperative act as an intent (03x) and a
            # conflictual one as a threat (13x): "will provide aid" is 033.
            # Codes outside the codebook (a user's own) are left as the rule says.
            intent = intent_code(code)
            if intent is not None and self._entry(intent) is not None:
                code, entry = intent, self._entry(intent)
        out = []
        for source, target, kind in pairs:
            key = (source.code, target.code if target else "", code, tok.i)
            if key in seen:
                continue
            seen.add(key)
            event = Event(
                event_id=_stable_id(
                    doc_id,
                    sentence_index,
                    tok.i - sent.start,
                    source.code,
                    target.code if target else "",
                    code,
                ),
                doc_id=doc_id,
                sentence_index=sentence_index,
                sentence=sent.text.strip(),
                source=source,
                target=target,
                code=code,
                root_code=code[:2],
                quad_class=entry.quad_class,
                goldstein=entry.goldstein,
                modality=modality,
                evidence=Evidence(trigger=tok.text, rule=f"{rule.id}/{kind}", cues=cues),
            )
            out.append((event, tok))
        return out

    # -- relaxed fallback ------------------------------------------------------

    def candidates(self, sent) -> list[tuple]:
        """Every trigger of the sentence with a coding rule: (tok, rule, entry)."""
        out = []
        for tok in sent:
            lemma = tok.lemma_.lower()
            if tok.pos_ in {"VERB", "AUX"} and lemma in self._verb_lemmas:
                rule = self._rule_for(tok, "VERB")
            elif tok.pos_ in {"NOUN", "PROPN"} and lemma in self._noun_lemmas:
                rule = self._rule_for(tok, "NOUN")
            else:
                continue
            if rule is None or rule.code in {"---", ""}:
                continue
            entry = self._entry(rule.code)
            if entry is not None:
                out.append((tok, rule, entry))
        return out

    def trigger_lemmas(self) -> dict[str, frozenset[str]]:
        """The lemmas with coding rules, by part of speech (``VERB``, ``NOUN``)."""
        return {"VERB": self._verb_lemmas, "NOUN": self._noun_lemmas}

    def rule_requirements(self) -> dict[str, list[tuple[tuple[str, ...], ...]]]:
        """What each trigger lemma's coding rules need besides the lemma itself.

        For every lemma, one entry per rule that codes an event (null rules
        ``---`` only block): a tuple of groups of words, one of each group
        having to occur in the sentence (particle, preposition, one of the
        object words, each ``words`` entry with its ``|`` alternatives).  An
        empty entry is a rule that needs nothing more.  The pre-filter uses it
        to skip sentences whose trigger words cannot match any rule.
        """
        out: dict[str, list[tuple[tuple[str, ...], ...]]] = {}
        for rule in self.lexicon.rules:
            if rule.code in {"---", ""}:
                continue
            groups = [tuple(w.split(ALT_SEP)) for w in rule.words]
            if rule.object:
                groups.append(tuple(rule.object))
            groups.extend((word,) for word in (rule.particle, rule.prep) if word)
            out.setdefault(rule.lemma, []).append(tuple(groups))
        return out

    def has_trigger(self, tokens) -> bool:
        """Whether any tagged token's lemma has a coding rule (cheaper than :meth:`candidates`)."""
        verbs, nouns = self._verb_lemmas, self._noun_lemmas
        for tok in tokens:
            pos = tok.pos_
            if pos in {"VERB", "AUX"}:
                if tok.lemma_.lower() in verbs:
                    return True
            elif pos in {"NOUN", "PROPN"} and tok.lemma_.lower() in nouns:
                return True
        return False

    def class_probabilities(self, sent, candidates) -> list[float] | None:
        """The model's five-way class distribution for the sentence, if a model is set."""
        if self.model is None:
            return None
        feats = self.sentence_features(sent, candidates)
        return [float(p) for p in self.model.predict_proba(feats)]

    @staticmethod
    def sentence_features(sent, candidates) -> list[str]:
        """The event-class model's features of a sentence and its candidate triggers.

        One definition for coding and for training
        (``scripts/train_event_classifier.py``), so the two cannot drift apart.
        """
        from tidings.coding._classifier import features

        ordered = sorted(candidates, key=lambda c: (_depth(c[0]), c[0].i))
        return features(sent, [c[2].class5 for c in ordered if c[2].class5 >= 0])

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
        for tok, rule, entry in cands:
            statement = rule.code[:2] == "01"
            score = -probs[entry.class5] if probs is not None and entry.class5 >= 0 else 0.0
            candidates.append(
                (score, statement, tok.pos_ != "VERB", _depth(tok), tok.i, tok, rule, entry)
            )
        if not candidates:
            return []
        positions = sorted(i for i in range(sent.start, sent.end) if i in actors_at)
        if not positions:
            return []
        candidates.sort(key=lambda c: c[:5])
        *_, tok, rule, entry = candidates[0]
        subject, _ = self._subject(tok) if tok.pos_ != "NOUN" else (None, False)
        before = [i for i in positions if i < tok.i]
        sources: list[Actor] = []
        source_tokens: list = []
        if subject is not None and self._actors([subject], actors_at):
            source_tokens = [subject]
        elif subject is None:
            # no subject at all (fragment, participle, "..., said X"): the
            # nearest actor is the best guess
            source_tokens = [tok.doc[before[-1] if before else positions[0]]]
        elif subject.pos_ in {"NOUN", "PROPN"}:
            # An actor the dictionaries do not know ("Gunmen", a new group):
            # never promote another actor to source; keep the subject's words
            # with the unidentified code.
            sources = [_unknown_actor(subject)]
        elif before:
            source_tokens = [tok.doc[before[-1]]]
        if source_tokens:
            sources = self._actors(source_tokens, actors_at)
        if not sources:
            return []
        taken = {t.i for s in source_tokens for t in _with_conjuncts(s)}
        after = [i for i in positions if i > tok.i and i not in taken]
        targets = self._actors([tok.doc[after[0]]], actors_at) if after else []
        code = rule.code if rule.code[:2].isdigit() else entry.code
        source = sources[0]
        target = next((t for t in targets if t.code != source.code), None)
        return self._emit(
            sent,
            tok,
            rule,
            code,
            entry,
            [(source, target, "relaxed")],
            set(),
            doc_id,
            sentence_index,
            tok.pos_ == "NOUN",
        )

    # -- main entry ------------------------------------------------------------------

    def code_sentence(
        self,
        sent,
        actors_at: Mapping[int, tuple[Actor, ...]],
        *,
        doc_id: str,
        sentence_index: int,
    ) -> list[Event]:
        """Code one sentence (a spaCy Span) into events."""
        return [
            event
            for event, _ in self.code_sentence_with_triggers(
                sent, actors_at, doc_id=doc_id, sentence_index=sentence_index
            )
        ]

    def code_sentence_with_triggers(
        self,
        sent,
        actors_at: Mapping[int, tuple[Actor, ...]],
        *,
        doc_id: str,
        sentence_index: int,
    ) -> list[tuple[Event, object]]:
        """Like :meth:`code_sentence`, with each event's trigger token, so later
        stages (dates, places) can read the trigger's clause."""
        events: list[tuple[Event, object]] = []
        if not any(i in actors_at for i in range(sent.start, sent.end)):
            return events  # no actor, no event: skip rule matching entirely
        seen: set[tuple[str, str, str, int]] = set()
        cands = self.candidates(sent)
        for tok, rule, entry in cands:
            lemma = tok.lemma_.lower()
            nominal = tok.pos_ in {"NOUN", "PROPN"}
            frame = self._noun_frame(tok) if nominal else self._verb_frame(tok, rule)
            if frame is None:
                continue
            # Keep the rule's exact code (e.g. 1717) even when the codebook only
            # knows a parent: scores come from the nearest known code.
            code = rule.code if rule.code[:2].isdigit() else entry.code
            sources, targets = self.frame_actors(frame, actors_at)
            pairs: list[tuple[Actor, Actor | None, str]] = []
            if rule.mutual:
                # PETRARCH's "%": the members of the compound subject act on each other
                pairs = [(s, t, "mutual") for s in sources for t in sources if s.code != t.code]
            elif sources and targets:
                pairs = [(s, t, frame.kind) for s in sources for t in targets if s.code != t.code]
            elif len(sources) > 1 and not frame.targets and lemma in SYMMETRIC_LEMMAS:
                pairs = [
                    (s, t, "symmetric") for s, t in combinations(sources, 2) if s.code != t.code
                ]
            elif targets and not sources and entry.root in _VICTIM_ROOTS:
                pairs = [(UNKNOWN_ACTOR, t, frame.kind) for t in targets if t.country]
            if not pairs:
                continue
            events.extend(
                self._emit(
                    sent, tok, rule, code, entry, pairs, seen, doc_id, sentence_index, nominal
                )
            )
        probs = self.class_probabilities(sent, cands) if cands else None
        if not events and self.relaxed:
            events = self._relaxed(
                sent,
                actors_at,
                doc_id=doc_id,
                sentence_index=sentence_index,
                cands=cands,
                probs=probs,
            )
        # The sentence's main event first: the likeliest class when a model is
        # set, then the trigger nearest the root of the parse ("X accused Y of
        # attacking Z" is an accusation that mentions an attack), then reading order.
        events.sort(
            key=lambda item: (
                -_class_probability(probs, self._entry(item[0].code)),
                _depth(item[1]),
                item[1].i,
            )
        )
        return events
