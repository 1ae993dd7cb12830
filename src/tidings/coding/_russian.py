"""CAMEO coding of Russian sentences over a Universal Dependencies parse.

The English coder reads spaCy's English (ClearNLP) labels; natasha's parser
writes UD labels and Russian marks its arguments by case and preposition, so
the frames are read here: the source is the ``nsubj`` (inherited through
``xcomp``/``conj`` from the governing verb: "решили ввести санкции"), the
target the direct object, the dative object or the oblique the rule's
preposition introduces ("встретился с X", "удары по X", "санкции против
X"); an event noun takes its owner from its genitive or adjective ("визит
Путина", "российские удары") or the subject of the verb it is the object of
("провели переговоры").  The rules are the Tidings verb-rule format
(:mod:`tidings.dictionaries.verbs`) with Russian lemmas; ``prep`` names the
preposition of the target's oblique.

Modality is read from Russian cue words by
:mod:`tidings.coding._russian_modality` ("не", "будет", "бы", "якобы", the
content of "заявил, что…", "по словам X", a quotation «…»); here, reported
content takes the speaker as its source when it has none of its own or
speaks as "мы".
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from tidings.coding._conventions import AGREEMENT_CODE
from tidings.coding._events import sentence_event
from tidings.coding._russian_modality import (
    ARGUMENT_DEPS,
    PARTICIPANT_PREPS,
    SPEECH,
    event_holder,
    prep_of,
    russian_modality,
    speech_governor,
)
from tidings.model import Actor, Event, Evidence

__all__ = ["RussianCoder"]

# Roots coded without a target.  None: the gold guidelines give nearly every
# protest its addressee, and a bare "забастовка" is rarely political.
_TARGETLESS_ROOTS: frozenset[str] = frozenset()
# Prepositions that introduce a verb's addressee when its rule names none.
_TARGET_PREPS = ("к", "для", "против", "в отношении")
_SYMMETRIC_ROOTS = frozenset({"04", "06"})
# Prepositions that introduce the target inside the verb's object ("санкции против X",
# "удары по X", "убежище для X").
_OBJECT_TARGET_PREPS = frozenset({"против", "по", "на", "к", "для"})
# A strike or protest "declared" ("объявили забастовку") is one called for later: future,
# as for the verbs that announce or schedule an action (_russian_modality._ANNOUNCE).
_DECLARE = frozenset({"объявить", "объявлять"})
_PROTEST_ROOT = "14"
# Verbs whose object is a topic or an effect, not the subject's own act ("имея в виду
# удары").
_TOPIC_VERBS = frozenset(
    {
        "иметь",
        "обсуждать",
        "обсудить",
        "видеть",
        "знать",
        "ожидать",
        "опасаться",
        "бояться",
        "помнить",
        "упомянуть",
        "расследовать",
        "комментировать",
        "прокомментировать",
        "освещать",
        "наблюдать",
        # causing an event is not taking part in it ("решение вызвало протесты")
        "вызвать",
        "вызывать",
        "спровоцировать",
        "провоцировать",
        "привести",
    }
)
# Agents that are the state's own organs: they address no protest to their own state.
_AUTHORITY_AGENTS = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "SPY"})
# Arrest, detention (173), expulsion (174) and release from custody (0841): the
# authorities' acts.
_AUTHORITY_CODES = ("173", "174", "0841")
# Where a protest noun or its verb says it happens: "протесты в Пакистане".
_WHERE_PREPS = frozenset({"в", "на", "по"})
_PLACE_PREPS = frozenset({"в", "на", "из"})


def _with_conj(tok) -> list:
    out = [tok]
    for c in tok.children:
        if c.dep_ == "conj" and c.pos_ in {"NOUN", "PROPN", "PRON"}:
            out.extend(_with_conj(c))
    return out


def _own_state(actor: Actor) -> list[Actor]:
    """The addressee of a protest or strike that names none: the protesters' own state
    (a domestic protest is addressed to its authorities, a strike to its employer, who
    shares the workers' key).  The authorities themselves have none: a president at a
    "митинг" holds a rally, a court "вызвал протесты" protests nothing.  Its text is
    empty: the sentence names no addressee."""
    if not actor.country or actor.agent in _AUTHORITY_AGENTS:
        return []
    return [Actor(actor.country, "", actor.country, None)]


def _agent_fixed(verb, code: str) -> bool:
    """Whether the action is one only the authorities take (arrest, detention, release
    from custody) and the clause names no agent: a passive ("была освобождена") or an
    impersonal third-person plural ("Биби арестовали").  The guidelines code such
    passives with the authorities of the patient's country as the source."""
    if not code.startswith(_AUTHORITY_CODES):
        return False
    if any(c.dep_ in {"nsubj", "obl:agent"} for c in verb.children):
        return False
    morph = str(verb.morph)
    return "Voice=Pass" in morph or (
        "Number=Plur" in morph and "Tense=Past" in morph and "Mood=Ind" in morph
    )


def _authorities(patient: Actor) -> list[Actor]:
    if not patient.country:
        return []
    return [Actor(f"{patient.country}GOV", "", patient.country, "GOV")]


class RussianCoder:
    """Codes a Russian sentence's events from a verb lexicon of Russian lemmas."""

    def __init__(self, lexicon, codebook) -> None:
        self.lexicon = lexicon
        self.codebook = codebook

    def _entry(self, code: str):
        entry = self.codebook.get(code)
        if entry is None:
            try:
                entry = self.codebook.nearest(code)
            except KeyError:
                entry = None
        return entry

    # -- rule choice -----------------------------------------------------------

    @staticmethod
    def _object_words(tok) -> set[str]:
        found = set()
        for c in tok.children:
            if c.dep_ in {"obj", "obl", "nsubj:pass", "xcomp", "iobj", "nmod", "amod"}:
                found.add(c.lemma_)
                found.update(g.lemma_ for g in c.children if g.dep_ in {"amod", "nmod"})
        return found

    def _rule(self, tok, pos: str):
        rules = self.lexicon.rules_for(tok.lemma_, pos)
        if not rules:
            return None, None
        objects = self._object_words(tok)
        preps = self._prep_children(tok)
        best = None
        # object rules first, then rules whose preposition is present, then bare rules
        for rule in sorted(
            rules,
            key=lambda r: (
                r.object is None,
                r.prep is not None and r.prep not in preps,
                r.prep is None,
            ),
        ):
            if rule.is_null:
                continue
            if rule.object is not None and not objects & set(rule.object):
                continue
            if (
                rule.prep is not None
                and rule.prep not in preps
                and rule.object is None
                and any(r.prep is None and r.object is None for r in rules)
            ):
                continue
            best = rule
            break
        if best is None:
            return None, None
        return best, preps.get(best.prep) if best.prep else None

    @staticmethod
    def _prep_children(tok) -> dict[str, object]:
        found = {}
        scopes = [tok]
        if tok.pos_ == "NOUN" and tok.dep_ in {"obj", "nsubj:pass"}:
            scopes.append(tok.head)
        # "провел переговоры с X", "ввел санкции против X": the oblique hangs on the object
        scopes.extend(c for c in tok.children if c.dep_ in {"obj", "xcomp", "nsubj:pass"})
        for scope in scopes:
            for c in scope.children:
                if c.dep_ in {"obl", "nmod", "iobj", "obl:agent"}:
                    p = prep_of(c)
                    if p is not None and p not in found:
                        found[p] = c
        return found

    # -- frames ----------------------------------------------------------------

    def _lends_subject(self, verb) -> bool:
        """Whether the subject of ``verb`` is the actor of an event noun it governs.

        A support verb lends it ("провели переговоры", "начали протесты", "объявил о
        введении санкций"); a verb that is an event whatever its object, or a verb of
        thinking about something, does not: in "Турция осудила удары по Сирии" the
        strikes are not Turkey's."""
        if verb.lemma_ in _TOPIC_VERBS:
            return False
        if verb.lemma_ in SPEECH:
            return True
        return not any(
            r.object is None and not r.is_null for r in self.lexicon.rules_for(verb.lemma_, "VERB")
        )

    @staticmethod
    def _subject(verb):
        cur = verb
        for _ in range(3):
            for c in cur.children:
                if c.dep_ in {"nsubj"}:
                    return c
            if cur.dep_ == "acl" and cur.head.pos_ in {"NOUN", "PROPN"}:
                return cur.head  # "судьи, оправдавшие её": the participle's noun
            if cur.dep_ in {"xcomp", "conj", "advcl"} and cur.head.i != cur.i:
                cur = cur.head
                continue
            return None
        return None

    @staticmethod
    def _passive(verb):
        """(agent, patient) of a passive clause ("был освобожден судом"), else None."""
        patient = next((c for c in verb.children if c.dep_ == "nsubj:pass"), None)
        if patient is None and "Voice=Pass" not in str(verb.morph):
            return None
        agent = next(
            (
                c
                for c in verb.children
                if c.dep_ in {"obl", "obl:agent"}
                and prep_of(c) is None
                and "Case=Ins" in str(c.morph)
            ),
            None,
        )
        return agent, patient

    def _actors(self, tok, actors_at) -> list[Actor]:
        out: list[Actor] = []
        for t in _with_conj(tok):
            found = actors_at.get(t.i)
            if found:
                out.extend(found)
                continue
            for c in t.children:  # "действия России", "позицию Вашингтона"
                if c.dep_ == "nmod" and prep_of(c) is None and actors_at.get(c.i):
                    out.extend(actors_at[c.i])
                    break
        return out

    def _frame(self, tok, rule, target_tok, actors_at):
        """(sources, targets) of the trigger."""
        sources: list[Actor] = []
        targets: list[Actor] = []
        if tok.pos_ == "VERB":
            passive = self._passive(tok)
            if passive is not None:
                agent, patient = passive
                if agent is not None:
                    sources = self._actors(agent, actors_at)
                if patient is not None and target_tok is None:
                    targets = self._actors(patient, actors_at)
                return sources, targets if target_tok is None else self._actors(
                    target_tok, actors_at
                )
            subj = self._subject(tok)
            if subj is not None:
                sources = self._actors(subj, actors_at)
            if target_tok is None:
                for c in tok.children:
                    if c.dep_ in {"obj", "iobj"}:
                        targets = self._actors(c, actors_at)
                        if targets:
                            break
            if target_tok is None and not targets:
                for c in tok.children:
                    dative = prep_of(c) is None and "Case=Dat" in str(c.morph)
                    if c.dep_ in {"obl", "iobj"} and (prep_of(c) in _TARGET_PREPS or dative):
                        targets = self._actors(c, actors_at)
                        if targets:
                            break
            if target_tok is None and not targets:
                for c in tok.children:
                    if c.dep_ not in {"obj", "xcomp"}:
                        continue
                    for g in c.children:
                        dative = prep_of(g) is None and "Case=Dat" in str(g.morph)
                        if g.dep_ == "nmod" and (prep_of(g) in _OBJECT_TARGET_PREPS or dative):
                            targets = self._actors(g, actors_at)
                            if targets:
                                break
        else:
            own = actors_at.get(tok.i)
            if own:
                sources = list(own)
            else:
                for c in tok.children:
                    if c.dep_ in {"nmod"} and prep_of(c) is None and actors_at.get(c.i):
                        sources = list(actors_at[c.i])
                        break
            holder = tok
            if holder.dep_ == "nmod" and holder.head.pos_ == "NOUN":
                holder = holder.head  # "одобрило позицию на переговорах с ЕС"
            if (
                not sources
                and holder.dep_ in {"obj", "nsubj:pass", "obl"}
                and holder.head.pos_ == "VERB"
                and prep_of(holder) in PARTICIPANT_PREPS
                and (holder is not tok or self._lends_subject(holder.head))
            ):
                subj = self._subject(holder.head)
                if subj is not None:
                    sources = self._actors(subj, actors_at)
            between = [c for c in tok.children if c.dep_ == "nmod" and prep_of(c) == "между"]
            if between:
                pair = self._actors(between[0], actors_at)
                if len(pair) >= 2:
                    return pair[:1], pair[1:2]
            if target_tok is None:
                for c in tok.children:
                    if c.dep_ in {"nmod", "obl"} and prep_of(c) in {"против", "по", "на", "к", "в"}:
                        if prep_of(c) in {"в", "на"} and rule.prep is None:
                            continue
                        targets = self._actors(c, actors_at)
                        if targets:
                            break
        if target_tok is not None:
            targets = self._actors(target_tok, actors_at)
        return sources, targets

    # -- events ----------------------------------------------------------------

    def code_sentence_with_triggers(
        self,
        sent,
        actors_at: Mapping[int, tuple[Actor, ...]],
        *,
        doc_id: str = "",
        sentence_index: int = 0,
        quoted: Collection[int] = frozenset(),  # Russian quotes are not read yet
    ) -> list[tuple[Event, object]]:
        out: list[tuple[Event, object]] = []
        seen: set[tuple] = set()
        coded_objects: set[int] = set()
        speaker = self._speaker(sent, actors_at)
        for tok in sent:
            if tok.pos_ not in {"VERB", "NOUN"} or tok.i in coded_objects:
                continue
            rule, target_tok = self._rule(tok, tok.pos_)
            if rule is None:
                continue
            if rule.object is not None:
                coded_objects.update(c.i for c in tok.children if c.lemma_ in set(rule.object))
            sources, targets = self._frame(tok, rule, target_tok, actors_at)
            for x in tok.children:
                # "потребовали казнить X": the demand is the event, X its target
                if x.dep_ == "xcomp" and x.pos_ == "VERB":
                    coded_objects.add(x.i)
                    if not targets:
                        _, targets = self._frame(x, rule, None, actors_at)
            modality, cues = russian_modality(tok, sent)
            if speaker is not None and tok.lemma_ not in SPEECH:
                speech = speech_governor(tok)
                first_person = any(
                    c.dep_ == "nsubj" and c.lemma_ in {"мы", "я"} for c in tok.children
                )
                if (not sources and speech is not None and tok.pos_ == "VERB") or first_person:
                    sources = [speaker]
            code = rule.code
            root = code[:2]
            if not sources and targets and tok.pos_ == "VERB" and _agent_fixed(tok, code):
                sources = _authorities(targets[0])
            if root == _PROTEST_ROOT:
                if not sources:
                    sources = self._protesters(tok, actors_at)
                if sources and not targets:
                    targets = _own_state(sources[0])
                holder = event_holder(tok)
                if (
                    tok.pos_ == "NOUN"
                    and holder.head.lemma_ in _DECLARE
                    and holder.dep_ in {"obj", "obl"}
                ):
                    modality, cues = "future", (holder.head.text,)
            if not sources:
                continue
            if not targets:
                symmetric = root in _SYMMETRIC_ROOTS or code.startswith(AGREEMENT_CODE)
                if symmetric and len(sources) >= 2:
                    sources, targets = sources[:1], sources[1:2]
                elif root not in _TARGETLESS_ROOTS:
                    continue
            entry = self._entry(code)
            if entry is None:
                continue
            for source in sources[:4]:
                for target in targets[:4] or [None]:
                    if target is not None and target.text == source.text:
                        continue  # one phrase is not both sides (same-state dyads are)
                    key = (source.code, target.code if target else "", code, tok.i)
                    if key in seen:
                        continue
                    seen.add(key)
                    trigger = tok.text
                    if rule.object is not None:
                        objs = [c.text for c in tok.children if c.lemma_ in set(rule.object)]
                        trigger = " ".join([tok.text, *objs[:1]])
                    evidence = Evidence(trigger=trigger, rule=f"{rule.id}/ru", cues=cues)
                    event = sentence_event(
                        doc_id, sentence_index, sent, tok, source, target, code, entry,
                        modality, evidence,
                    )  # fmt: skip
                    out.append((event, tok))
        return out

    def _protesters(self, tok, actors_at) -> list[Actor]:
        """The civilians of the country where a protest happens, when no one is named
        as protesting: "протесты в Пакистане", "Пакистан охватили протесты"."""
        scopes = [tok]
        if (
            tok.pos_ == "NOUN"
            and tok.dep_ in ARGUMENT_DEPS
            and tok.head.pos_ == "VERB"
            and prep_of(tok) in PARTICIPANT_PREPS
        ):
            scopes.append(tok.head)
        for scope in scopes:
            for c in scope.children:
                if c.i == tok.i:
                    continue
                where = c.dep_ in {"obl", "nmod"} and prep_of(c) in _WHERE_PREPS
                affected = scope is not tok and c.dep_ in {"nsubj", "obj"} and prep_of(c) is None
                if not (where or affected):
                    continue
                for actor in actors_at.get(c.i, ()):
                    if actor.country and not actor.agent and actor.code == actor.country:
                        return [Actor(f"{actor.country}CVL", actor.text, actor.country, "CVL")]
        return []

    def _speaker(self, sent, actors_at):
        """The actor a sentence's speech verb attributes its content to ("— сказал X")."""
        for tok in sent:
            if tok.lemma_ in SPEECH and tok.pos_ == "VERB":
                subj = self._subject(tok)
                if subj is not None:
                    found = self._actors(subj, actors_at)
                    if found:
                        return found[0]
        return None
