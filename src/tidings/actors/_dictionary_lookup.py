"""Dictionary matching for the actor resolver: the compiled phrase tries of actor, agent
and discard names, their matches in a sentence, and what a match means on a date.

A base of :class:`~tidings.actors._resolver.ActorResolver`, kept apart so each module
holds one job: this one answers "which dictionary entries does this text name, and as
what on the story's date"; the resolver decides which noun phrase each part belongs to
and composes codes from them.  ``tidings actors lookup`` is this half alone.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from dataclasses import dataclass

from tidings.actors._compose import _Part
from tidings.actors._matcher import Match, PhraseTrie, lookup_exact
from tidings.actors._not_actors import names_no_actor

__all__ = ["DictionaryLookup", "LookupResult"]

# Lowercase words that may start a proper name ("al Qaeda", "bin Salman").
_NAME_PARTICLES = frozenset({"al", "el", "bin", "ibn", "abu", "de", "van", "von", "della"})
# Last words of a person's name that make it their government ("Obama administration").
_GOVERNMENT_WORDS = frozenset({"administration", "government", "regime", "cabinet"})


@dataclass(frozen=True, slots=True)
class LookupResult:
    """One dictionary answer for ``tidings actors lookup``."""

    query: str
    kind: str  # entry type ("person", "country"...) or "agent"
    entry: str
    code: str | None  # the code on the date asked; None if no role applies
    role_start: str | None
    role_end: str | None
    note: str | None
    roles: tuple = ()  # every role of the entry: (code, start, end)


class DictionaryLookup:
    """The dictionaries compiled for matching: actor entries, agent words and discards."""

    def __init__(
        self,
        actor_entries: Iterable,
        agent_entries: Iterable,
        discards: Iterable = (),
    ) -> None:
        self._trie = PhraseTrie()
        # Discards: phrases (str, sentence scope) or DiscardEntry records.  They
        # block actor matches over their words, and (see :meth:`discarded`) stop
        # coding of their sentence or, for a story-scope phrase, the article.
        self._discards = PhraseTrie()
        for item in discards:
            names, scope = (item,), "sentence"
            if not isinstance(item, str):
                names, scope = item.names, item.scope
            for phrase in names:
                self._trie.add(phrase, "discard", None)
                self._discards.add(phrase, "discard", scope)
        countries: set[str] = set()
        self._entries = list(actor_entries)
        # Later files overlay earlier ones: add in reverse so the overlay wins.
        for entry in reversed(self._entries):
            if entry.type == "country":
                for role in entry.roles:
                    if len(role.code) == 3:
                        countries.add(role.code)
            self._trie.add_all(entry.names, "actor", entry)
        agents = list(agent_entries)
        for agent in reversed(agents):
            self._trie.add_all(agent.names, "agent", agent)
        self._agent_ids = frozenset(agent.id for agent in agents)
        # Sector codes (GOV, MIL, ELI...): what may follow a country in an actor's code
        # as its agent; a region after its country ("DNKGRL", Greenland) is none.
        self._sectors = frozenset(
            agent.code[k : k + 3] for agent in agents for k in range(0, len(agent.code), 3)
        )
        self.countries = frozenset(countries)
        surnames: dict[str, list] = {}
        for entry in self._entries:
            if entry.type == "person" and entry.names:
                surname = entry.names[0].split()[-1]
                if len(surname) > 2:
                    surnames.setdefault(surname, []).append(entry)
        self._surnames = surnames
        # A dictionary person's full name, for the gender of its first name.
        self._full_names = {
            e.id: e.names[0] for e in self._entries if e.type == "person" and e.names
        }

    @property
    def size(self) -> int:
        return self._trie.size

    # -- matching -------------------------------------------------------------

    def lookup(self, name: str, when: _dt.date | None = None) -> list[LookupResult]:
        """What a name resolves to on a date: the entry, its role and the role's dates.

        Tries the exact name first, then the longest dictionary names inside it
        (so "Russian Foreign Minister Sergei Lavrov" shows the person).
        """
        results: list[LookupResult] = []
        hits = lookup_exact(self._trie, name)
        if not hits:
            from tidings.actors._matcher import name_tokens

            tokens = list(name_tokens(name))
            hits = [(m.kind, m.payload) for m in self._trie.find(tokens, [True] * len(tokens))]
        for kind, entry in hits:
            if kind == "agent":
                results.append(LookupResult(name, kind, entry.id, entry.code, None, None, None))
            elif kind == "actor":
                role = entry.role_on(when)
                results.append(
                    LookupResult(
                        name,
                        entry.type,
                        entry.id,
                        role.code if role else None,
                        role.start.isoformat() if role and role.start else None,
                        role.end.isoformat() if role and role.end else None,
                        role.note if role else None,
                        tuple(
                            (r.code, r.start and r.start.isoformat(), r.end and r.end.isoformat())
                            for r in entry.roles
                        ),
                    )
                )
        return results

    def find(self, doc, tokens: list | None = None) -> list[Match]:
        """Dictionary matches in ``doc`` (pass ``list(doc)`` if you have it: token
        objects are the expensive part of walking a spaCy doc)."""
        tokens = list(doc) if tokens is None else tokens
        lowers = _match_forms(tokens)
        starts_ok = _NameStarts(tokens)
        found = self._trie.find(lowers, starts_ok)
        return found + self._plural_demonyms(lowers, starts_ok, found)

    def discarded(self, tokens: list) -> set[str]:
        """The scopes (``"sentence"``, ``"story"``) of discard phrases in ``tokens``.

        As PETRARCH's ``check_discards``: whole words, case-insensitive,
        independent of the actor matches.
        """
        if not self._discards.size:
            return set()
        lowers = _match_forms(tokens)
        return {
            m.payload
            for m in self._discards.find(lowers, [True] * len(lowers))
            if m.payload is not None
        }

    def _plural_demonyms(self, lowers: list[str], starts_ok, found) -> list[Match]:
        """Country matches for capitalised plurals the dictionaries only list in the
        singular: "Albanians", "Kenyans", "Greeks" -> the country of "albanian"...
        Tokens already inside a match are left alone ("United States")."""
        candidates = [
            i
            for i, low in enumerate(lowers)
            if len(low) > 3 and low[-1] == "s" and not low.endswith("ss") and starts_ok[i]
        ]
        if not candidates:
            return []
        covered = {i for m in found for i in range(m.start, m.end)}
        plural = [i for i in candidates if i not in covered]
        if not plural:
            return []
        singular = list(lowers)
        for i in plural:
            singular[i] = lowers[i][:-1]
        wanted = set(plural)
        return [
            m
            for m in self._trie.find(singular, starts_ok)
            if m.kind == "actor"
            and m.end - m.start == 1
            and m.start in wanted
            and getattr(m.payload, "type", None) == "country"
        ]

    def split_code(self, code: str) -> tuple[str | None, str | None]:
        """Split ``RUSGOV`` into (``RUS``, ``GOV``); IGO/NGO codes have no country.

        A compound code (``FRO/BIL/SAM``, several actors at once) has neither: it
        is split into its actors by :meth:`_resolve_head`."""
        if "/" in code:
            return None, None
        if code[:3] in self.countries:
            agent = code[3:6]
            return code[:3], (agent if agent in self._sectors else None)
        return None, (code[:3] or None)

    def _part_of(self, m: Match, when: _dt.date | None, tokens: list) -> _Part | None:
        if m.kind == "agent":
            agent = m.payload
            return _Part(
                None,
                agent.code,
                None,
                agent.id,
                m.start,
                m.end,
                prefix=getattr(agent, "prefix", False),
            )
        if m.kind != "actor":
            return None
        entry = m.payload
        if names_no_actor(entry.type, tokens, m.start, m.end):
            return None
        role = entry.role_on(when)
        if role is None:
            return self._out_of_office(m, entry)
        country, agent = self.split_code(role.code)
        code = role.code
        if (
            entry.type == "person"
            and country
            and m.end - m.start > 1
            and tokens[m.end - 1].lower_ in _GOVERNMENT_WORDS
        ):
            # "the Bush administration" is the government he led, whatever he
            # is on the story's date (Phoenix lists it as a name of the person).
            agent, code = "GOV", country + "GOV"
        return _Part(
            country,
            agent,
            code,
            entry.id,
            m.start,
            m.end,
            role_start=role.start.isoformat() if role.start else None,
            role_end=role.end.isoformat() if role.end else None,
            is_person=entry.type == "person",
            people=entry.type in {"country", "group"},
            state=entry.type == "country",
        )

    def _out_of_office(self, m: Match, entry) -> _Part | None:
        """A dictionary person none of whose dated roles covers the story's date
        ("Secretary of State Condoleezza Rice" in a 2015 story about 2007): an
        actor only if the text gives the office (:attr:`_Part.needs_title`), with
        the country all the person's roles share."""
        if entry.type != "person":
            return None
        countries = {self.split_code(r.code)[0] for r in entry.roles}
        if len(countries) != 1 or None in countries:
            return None
        (country,) = countries
        return _Part(
            country, None, country, entry.id, m.start, m.end, is_person=True, needs_title=True
        )


def _match_forms(tokens: list) -> list[str]:
    """The forms the phrase tries match: lower case, typographic apostrophes plain."""
    return [t.lower_.replace("\u2019", "'") for t in tokens]


class _NameStarts:
    """Whether a proper name may start at each token (capitalised, a digit, or a
    particle such as "al"), worked out only for the tokens asked about: the
    phrase matcher asks at dictionary hits only."""

    __slots__ = ("_tokens",)

    def __init__(self, tokens: list) -> None:
        self._tokens = tokens

    def __getitem__(self, i: int) -> bool:
        tok = self._tokens[i]
        first = tok.text[:1]
        return first.isupper() or first.isdigit() or tok.lower_ in _NAME_PARTICLES
