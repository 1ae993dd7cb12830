"""How one actor's code is put together from the parts a noun phrase names.

A mixin of :class:`~tidings.actors._resolver.ActorResolver`, kept apart so each
module stays readable: the resolver finds the parts (dictionary matches of the
head, its modifiers, an apposition), :class:`CodeComposer` decides what code
they make together ("Russian" + "minister" = RUSGOV, "Moscow responded" =
RUSGOV, "former Russian ministers" = RUSELI, a compound dictionary code = one
actor per member) and builds the :class:`~tidings.model.Actor`.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass, replace

from tidings.actors._article import surname_supported, title_at
from tidings.actors._context import acts_as_government, capitals, home_country
from tidings.model import Actor

__all__ = ["CodeComposer", "coordinated_nationals"]

_FORMER = frozenset({"former", "ex", "ex-"})
# Role words of people who speak or stand for a body: they act in its sector, not
# one of their own (Phoenix codes "spokesman" MED).  "Kremlin spokesman" is RUSGOV,
# "police spokesman" COP, "Taliban leaders" the Taliban's code; with only a country
# ("the Danish leader", "an Iranian spokesman") the government's.
VOICES = frozenset({"SPOKESMAN", "PRESS_SECRETARY", "LEADER"})
# Voices that, naming nobody, still are an actor ("a spokesman said": the
# government's, its country from the article); a bare "leaders" is nobody.
_BARE_VOICES = frozenset({"SPOKESMAN", "PRESS_SECRETARY"})


@dataclass(frozen=True, slots=True)
class _Part:
    country: str | None
    agent: str | None
    code: str | None  # a full code from a dictionary entry
    entry: str | None
    start: int
    end: int
    role_start: str | None = None
    role_end: str | None = None
    is_person: bool = False
    prefix: bool = False  # PETRARCH "[NGO~]" agents go before the country: NGOARN
    people: bool = False  # a country or group entry ("Serbs", "Kurds"), not an office
    state: bool = False  # a country entry ("the U.S.", "Americans"), not a city or group
    needs_country: bool = False  # "forces": an actor only with a country ("Serb forces")
    needs_title: bool = False  # a person out of office: an actor only with a title


class CodeComposer:
    """Code composition for :class:`~tidings.actors._resolver.ActorResolver` (whose
    :class:`~tidings.actors._dictionary_lookup.DictionaryLookup` base provides
    ``split_code``, the surname index ``_surnames`` and the phrase trie ``_trie``)."""

    def _split_compound(self, actors: list[Actor]) -> list[Actor]:
        """One actor per code of a compound dictionary code (PETRARCH's
        ``[FRO/BIL/SAM]``: the phrase names all of them, each takes part)."""
        out: list[Actor] = []
        for a in actors:
            if "/" not in a.code:
                out.append(a)
                continue
            for code in a.code.split("/"):
                country, agent = self.split_code(code)
                out.append(
                    replace(a, code=code, country=country, agent=agent[:3] if agent else None)
                )
        return out

    def _combine(
        self,
        tok,
        own: _Part | None,
        group: list[_Part],
        memory,
        when: _dt.date | None = None,
        parts: Mapping[int, _Part] | None = None,
    ) -> Actor | None:
        """Build one actor from the head's own dictionary match and its modifiers."""
        doc = tok.doc
        if own is not None and own.code is None and own.entry in VOICES:
            return self._voice(tok, own, group)
        if own is not None and own.needs_title:
            title = self._title(tok, own, group)
            if title is not None:
                return self._titled(tok, own, title)
            if own.entry in memory.titled:  # "Former FBI director James Comey ... Comey"
                return _retext(memory.titled[own.entry], doc[tok.left_edge.i : tok.i + 1].text)
            actor = self._former(tok, own, group)
            if actor is not None:
                memory.titled[own.entry] = actor
            return actor
        if own is not None and own.people and tok.tag_ in {"NNS", "NNPS"}:
            p = home_country(tok, own, group, parts or {})
            if p is not None:
                return self._actor(tok, p.country, p.country, None, p, [p, own])
        if (
            own is not None
            and own.country
            and own.agent is None
            and own.entry in capitals()
            and acts_as_government(tok)
        ):
            # "Moscow responded": the capital stands for its government.
            code = own.country + "GOV"
            return self._actor(tok, code, own.country, "GOV", own, [own])
        if own is not None and own.is_person and _namesake(own, group):
            # "Cuban Foreign Minister Bruno Eduardo Rodriguez" is not the Bolivian
            # president the dictionary lists under that name: the phrase's nationality
            # and role describe him.
            group = [p for p in group if p is not own]
            own = None
        if own is not None and own.code and (own.agent or not any(p.agent for p in group)):
            title = self._title(tok, own, group)
            if title is not None and title.agent != own.agent:
                # "Senator Joe Biden" in a story about 2007: the title the text gives
                # the person is their office there, whatever the dictionary's date says;
                # later bare mentions in the article keep it.
                actor = self._titled(tok, own, title)
                memory.titled[own.entry] = actor
                return actor
            if title is None and own.entry in memory.titled:
                return _retext(memory.titled[own.entry], doc[tok.left_edge.i : tok.i + 1].text)
            # A dictionary person/organisation/country at the head decides alone.
            return self._actor(tok, own.code, own.country, own.agent, own, [own])
        country: str | None = None
        agent: str | None = None
        used: list[_Part] = []
        if own is not None:
            used.append(own)
            agent = own.agent
            country = own.country
        elif tok.pos_ == "PROPN":
            name = " ".join(t.lower_ for t in doc[tok.left_edge.i : tok.i + 1] if t.pos_ == "PROPN")
            remembered = memory.names.get(name) or memory.names.get(tok.lower_)
            if remembered is not None:
                return _retext(remembered, doc[tok.left_edge.i : tok.i + 1].text)
            by_surname = self._by_surname(tok, when, parts, memory)
            if by_surname is not None:
                return by_surname
            voice = next((p for p in group if p.code is None and p.entry in VOICES), None)
            if voice is not None:
                # "Kremlin spokesman Jane Roe": the voice's sector, not MED.
                return self._voice(tok, voice, group)
        modifier_code: _Part | None = None
        for p in group:
            if p is own:
                continue
            if p.code and (p.is_person or p.agent) and modifier_code is None:
                modifier_code = p
            if country is None and p.country:
                country = p.country
                used.append(p)
            if (
                agent is None
                and p.agent
                and p.code is None
                and (own is not None or tok.pos_ == "PROPN")
            ):
                # Role words name the head only when it is a person or a role
                # itself ("Foreign Minister Lavrov"), not in "terrorist attack".
                agent = p.agent
                used.append(p)
        if own is None and agent is None and modifier_code is not None:
            # "Putin's proposal": the possessor's full code describes the head.
            p = modifier_code
            if p.needs_title:  # "President Ronald Reagan's buildup" in 2019
                title = self._title(tok, p, group)
                return None if title is None else self._titled(tok, p, title)
            return self._actor(tok, p.code, p.country, p.agent, p, [p])
        if (
            country is None
            and own is not None
            and own.code is None
            and modifier_code is not None
            and modifier_code.country is None
            and not modifier_code.is_person
        ):
            # "Red Cross officials", "European Community foreign ministers": the
            # staff of a non-state organisation act for it; its code wins over
            # the bare role word.
            p = modifier_code
            return self._actor(tok, p.code, p.country, p.agent, p, [p, own])
        if country is None and (agent is None or (own is not None and own.needs_country)):
            return None
        if agent and any(c.dep_ == "amod" and c.lower_ in _FORMER for c in tok.children):
            # "former Russian ministers": PETRARCH's convention (Phoenix's
            # FORMER_PRESIDENT [~ELI]) codes people who left office as elites.
            agent = "ELI"
        code = (country or "") + (agent or "")
        if agent and any(p.prefix and p.agent == agent for p in used):
            code = agent + (country or "")
        elif country and agent:
            # PETRARCH's "[NGO~]" agents go before the country, others after:
            # "an MSF Arnor diplomat" is NGO + ARN + GOV.
            prefix = next(
                (p for p in group if p is not own and p.prefix and p.agent and not p.code), None
            )
            if prefix is not None:
                code = prefix.agent + code
                used.append(prefix)
        return self._actor(tok, code, country, agent, own, used)

    def _title(self, tok, own: _Part, group: list[_Part]) -> _Part | None:
        """The office word right before a dictionary person's name ("Senator" in
        "Senator Joe Biden"), or opening the dictionary's name itself ("senator
        hagel"), unless the office is over ("former President X") or the word only
        says whom the person speaks for (:data:`VOICES`)."""
        if not own.is_person or own.country is None:
            return None
        doc = tok.doc
        title = next((p for p in group if p.end == own.start and p is not own), None)
        if title is not None and title.code is not None:
            # "US President Harry Truman": an office the dictionaries list as a body
            office = not (title.is_person or title.people) and title.country == own.country
            title = replace(title, code=None) if office and title.agent else None
        if title is None and own.end - own.start > 1:
            words = list(doc[own.start : own.end])
            hit = title_at(words, 0, len(words) - 1, self._trie, own.country)
            if hit is not None:
                entry, agent, end = hit
                title = _Part(None, agent, None, entry, own.start, own.start + end)
        if title is None or title.code is not None or not title.agent or title.prefix:
            return None
        if title.entry in VOICES:
            return None
        if any(t.lower_ in _FORMER for t in doc[tok.left_edge.i : own.end]):
            return None
        return title

    def _former(self, tok, person: _Part, group: list[_Part]) -> Actor | None:
        """A dictionary person out of office whom the phrase itself places: "former FBI
        director James Comey", "ex-President X" (PETRARCH's elites, ``ELI``), or a body of
        the person's own country in the phrase, whose sector they take ("FBI Director James
        Comey" years after: USA COP).
        Why: the guidelines key an actor by the state it belongs to, which a former office
        holder still does; a bare name out of office stays no actor (a namesake is as
        likely)."""
        doc = tok.doc
        phrase = doc[tok.left_edge.i : person.end]
        if any(t.lower_ in _FORMER for t in phrase):
            code = (person.country or "") + "ELI"
            return self._actor(tok, code, person.country, "ELI", person, [person])
        body = next(
            (p for p in group if p is not person and p.code and p.country == person.country),
            None,
        )
        if body is None:
            return None
        # "FBI Director James Comey": the body's sector is the office the phrase gives him
        return self._actor(tok, body.code, person.country, body.agent, person, [body, person])

    def _titled(self, tok, person: _Part, title: _Part) -> Actor:
        """The actor of a dictionary ``person`` in the office of its ``title``."""
        code = (person.country or "") + (title.agent or "")
        return self._actor(tok, code, person.country, title.agent, person, [title, person])

    def _voice(self, tok, own: _Part, group: list[_Part]) -> Actor | None:
        """A spokesperson or leader (:data:`VOICES`) in the sector of the body the
        phrase names: its code ("Kremlin spokesman"), a role word ("police
        spokesman"), else the government of the country named; None for a bare
        voice that names nobody ("leaders", unlike "a spokesman": :data:`_BARE_VOICES`)."""
        others = [p for p in group if p is not own]
        body = next((p for p in others if p.code and (p.agent or p.is_person)), None)
        if body is None:
            body = next((p for p in others if p.code and p.country is None), None)
        if body is not None:
            return self._actor(tok, body.code, body.country, body.agent, body, [body, own])
        country = next((p for p in others if p.country), None)
        role = next((p for p in others if p.agent and p.code is None and not p.prefix), None)
        agent = role.agent if role is not None else "GOV"
        if country is None and role is None and own.entry not in _BARE_VOICES:
            return None
        used = [p for p in (country, role, own) if p is not None]
        state = country.country if country else None
        return self._actor(tok, (state or "") + agent, state, agent, own, used)

    def _by_surname(self, tok, when: _dt.date | None, parts=None, memory=None) -> Actor | None:
        """A bare surname of a dictionary person ("Kerry"), when unambiguous.

        Only for tokens spaCy tags as a person name, only when exactly one
        dictionary person with that surname holds a role on the date, and only
        with support in the article (:func:`surname_supported`).
        """
        if tok.ent_type_ != "PERSON" or tok.dep_ == "compound" or not tok.text[:1].isupper():
            return None  # "Tsai Ing-wen": a lower-case piece of a name is no surname ("Wen")
        candidates = []
        for entry in self._surnames.get(tok.lower_, ()):
            role = entry.role_on(when)
            if role is not None:
                candidates.append((entry, role))
        if len({role.code for _, role in candidates}) != 1:
            return None
        entry, role = candidates[0]
        country, agent = self.split_code(role.code)
        if not surname_supported(tok, entry.names, country, agent, parts or {}, memory):
            return None
        part = _Part(
            country,
            agent,
            role.code,
            entry.id,
            tok.i,
            tok.i + 1,
            role_start=role.start.isoformat() if role.start else None,
            role_end=role.end.isoformat() if role.end else None,
            is_person=True,
        )
        return self._actor(tok, role.code, country, agent, part, [part])

    @staticmethod
    def _actor(tok, code, country, agent, source: _Part | None, used: list[_Part]) -> Actor:
        doc = tok.doc
        start = min([tok.i, *(p.start for p in used)])
        end = max([tok.i + 1, *(p.end for p in used)])
        while end - 1 > tok.i and doc[end - 1].pos_ in {"ADP", "PUNCT", "CCONJ", "DET"}:
            end -= 1
        return Actor(
            code=code,
            text=doc[start:end].text,
            country=country,
            agent=agent[:3] if agent else None,  # primary agent; the code keeps all (GOVMIL)
            entry=source.entry if source else None,
            role_start=source.role_start if source else None,
            role_end=source.role_end if source else None,
            # A country entry read by spaCy as a place (GPE): the state ("the United
            # States"), not its people ("Americans", NORP), a city ("Cairo") or a person
            # given only a country.
            names_state=bool(source and source.state)
            and code == country
            and tok.ent_type_ == "GPE",
        )


def _retext(actor: Actor, text: str) -> Actor:
    return replace(actor, text=text)


def _namesake(own: _Part, group: list[_Part]) -> bool:
    """Whether the phrase gives a dictionary person another nationality than theirs: a
    country modifier names another state and none names the person's own."""
    if not own.country:
        return False
    countries = {p.country for p in group if p is not own and p.country and not p.is_person}
    return bool(countries) and own.country not in countries


#: Dependencies of a country word modifying a noun ("Iranian officials", "U.S. troops").
_NATIONAL_DEPS = frozenset({"amod", "compound", "nmod"})


def coordinated_nationals(tok, parts: Mapping[int, _Part]) -> list[_Part]:
    """The parts of two or more coordinated country words modifying ``tok`` ("Iranian
    and Turkish officials", "Russian, Turkish and Iranian ministers"), or none.  Each
    names a side of its own; a hyphenated pair ("U.S.-Russian talks") is no
    coordination, and only a list of country words counts (nothing else between)."""
    words = sorted(
        {
            c.i
            for child in tok.children
            if child.dep_ in _NATIONAL_DEPS and child.i < tok.i
            for c in (child, *child.conjuncts)
            if c.i < tok.i
        }
    )
    if not any(tok.doc[i].dep_ == "conj" for i in words):
        return []
    found = [parts.get(i) for i in words]
    if any(p is None or not p.country or p.agent for p in found):
        return []
    between = {
        t.dep_ for t in tok.doc[words[0] : words[-1] + 1] if t.i not in words and t.i not in parts
    }
    if not between <= {"cc", "punct"}:
        return []
    unique = list({p.country: p for p in found if p is not None}.values())
    return unique if len(unique) > 1 else []
