"""Frames of event nouns: who did the "talks", "strikes" or "phone call" a noun names.

A noun's actors sit in its modifiers ("Russian air strikes", "Iran's threats"), its
prepositions ("threats from Iran", "talks between X and Y", "sanctions on Russia"), the
light verb that carries it ("held talks with X") or, for a meeting the sentence is set
in, the main clause ("In a phone call with Erdogan, Trump agreed ...").  Kept apart from
:mod:`tidings.coding._coder` as a mixin over the coder's ``_subject``.
"""

from __future__ import annotations

from dataclasses import dataclass

from tidings.coding._frames import LIGHT_VERBS, from_agents, prep_objects, trigger_lemma

__all__ = ["Frame", "NominalFrames"]

_TARGET_PREPS_NOMINAL = ("of", "on", "against", "with", "to", "at", "upon", "into")
#: Meetings and calls, and the prepositions that set a clause in one ("in a call with X").
_CONSULT_ROOT = "04"
_SETTING_PREPS = frozenset({"in", "during", "at"})


@dataclass(frozen=True, slots=True)
class Frame:
    """A trigger's participants as tokens, before they are resolved to actors."""

    sources: list  # tokens
    targets: list  # tokens
    # how the frame was read (recorded in the event's rule): active, passive,
    # subject-target, complement, nominal, obligation, evaluation, attributed
    kind: str


class NominalFrames:
    """The frame of an event noun (mixed into the coder)."""

    def _noun_frame(self, noun, has_actor=None, code: str = "") -> Frame:
        sources: list = []
        targets: list = []
        for c in noun.children:
            if c.dep_ == "poss" or (c.dep_ in {"amod", "compound"} and c.i < noun.i):
                sources.append(c)
        sources.extend(prep_objects(noun, "by"))
        sources.extend(from_agents(noun))  # "threats from Iran"
        sources.extend(prep_objects(noun, "between"))  # symmetric: "talks between X and Y"
        for prep in _TARGET_PREPS_NOMINAL:
            targets.extend(prep_objects(noun, prep))
        if (
            has_actor is not None
            and not noun.conjuncts
            and sources  # a modifier the resolver folded into the noun's phrase
            and not has_actor(sources)
            and has_actor([noun])
        ):
            # "Russian air strikes on Aleppo", "US sanctions on Russia": the national
            # word is part of the event noun's phrase, which the resolver gave its
            # country; the phrase is the source.  (Not in a list of event nouns: "the
            # Iran nuclear deal and Mr Trump's attempts at ..." is no deal with Trump.)
            sources = [noun]
        verb = noun.head
        if (
            noun.dep_ == "dobj"
            and (
                trigger_lemma(verb) in LIGHT_VERBS
                # "Obama and Netanyahu had a phone call", "had talks with X"
                or (code[:2] == _CONSULT_ROOT and trigger_lemma(verb) == "have")
            )
            and not (has_actor or bool)(sources)
        ):
            # "students staged a demonstration against X", "Israel mounted its
            # invasion of Lebanon": the light verb's subject performs the event.
            subj, passive = self._subject(verb)
            if subj is not None and not passive:
                sources.append(subj)
            if not targets:
                for prep in ("against", "between", "with", "on"):
                    targets.extend(prep_objects(verb, prep))
        elif (
            code[:2] == _CONSULT_ROOT
            and not (has_actor or bool)(sources)
            and prep_objects(noun, "with")
            and noun.dep_ == "pobj"
            and noun.head.lower_ in _SETTING_PREPS
            and noun.head.head.pos_ in {"VERB", "AUX"}
        ):
            # "In a phone call with Erdogan, Trump agreed ...", "During talks with Iran,
            # the US demanded ...": who acts in the main clause met the other side.
            subj, passive = self._subject(noun.head.head)
            if subj is not None and not passive:
                sources.append(subj)
        return Frame(sources, targets, "nominal")
