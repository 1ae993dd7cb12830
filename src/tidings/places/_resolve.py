"""Choosing the feature a place name denotes, from the name and its article.

A name usually has several candidates ("Tripoli": Libya's capital, a city in
Lebanon, a town in Greece).  Each candidate gets an additive score; the
evidence, strongest first:

1. a qualifier written next to the name ("Tripoli, Lebanon", "Paris, Texas",
   "Alexandria, Va.", "Syria's Aleppo province") - decisive when it agrees;
2. a generic noun that names the feature type ("Idlib *province*");
3. the countries of the article's actors, weighted by how often they are
   mentioned (a Lebanese minister speaking "in Tripoli");
4. agreement with the places already resolved in the article (same country,
   same ADM1, the same feature again);
5. size: population on a log scale, compared within a feature type (Moscow,
   Russia over Moscow, Idaho) and, more weakly, across types (a town of
   20,000 named "Lebanon" does not beat the country);
6. a prior by type: a country named in text is nearly always the country,
   and for a name that is both a city and a subdivision ("New York",
   "Washington") the city is the usual reading.

Weights are round numbers set by reasoning about which evidence may
overturn which (see the constants), not fitted by search.  Two were raised
once while writing the dev cases, both for a stated reason: other places of
the article count as much as its actors (W_PLACES, W_ADM1), and a country
name beats a same-named town even when actors and places both point to the
town's country (PRIOR["country"] = W_ACTORS + W_PLACES: "US troops in
Lebanon" is not Lebanon, Tennessee).  A name with no candidates is never
guessed: it comes back as ``Place(name=...)`` without coordinates.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tidings.model import Actor, Place
from tidings.places._data import US_STATE_QUALIFIERS
from tidings.places._gazetteer import Candidate, Gazetteer, Match, default_gazetteer
from tidings.places._normalize import is_vague, name_variants, normalize

__all__ = ["PlaceContext", "rank_candidates", "resolve_place"]

# Type priors: countries are strong (a country named in text is the country;
# only context plus ADM1 agreement, a qualifier or a type hint overturns it:
# "Georgia" is the US state in an article about Atlanta), cities beat
# subdivisions of the same name.  Within one type, population counts
# W_POP + W_SIZE = 1.5 per decade, so context (at most 3.0 + 1.0) cannot turn
# Moscow into Moscow, Idaho (400 times smaller).
PRIOR = {"country": 3.0, "city": 0.5, "adm1": 0.0, "region": 0.0}
W_QUALIFIER = 4.0  # "Paris, Texas": overrides everything else
W_HINT = 2.0  # "Idlib province" → the province
W_ACTORS = 1.5  # candidate's country is the article's main actor country
W_PLACES = 1.5  # candidate's country is the article's main place country
W_ADM1 = 1.0  # same first-level subdivision as another place of the article
W_SAME = 0.5  # the very feature was already resolved in the article
W_POP = 1.0  # per decade of population, against the biggest candidate of its type
W_SIZE = 0.5  # per decade, against the biggest candidate of any type
W_ALTERNATE = 0.5  # matched only through an alternate name
MIN_POP = 1000

_POSSESSIVE = re.compile(r"^(.+?)['’]s\s+(.+)$")
_US_QUALIFIERS = {normalize(k): v for k, v in US_STATE_QUALIFIERS.items()}


@dataclass
class PlaceContext:
    """What the article says around a place name.

    ``countries`` are the ISO-3 codes of the article's actors, weighted by
    mentions; ``places`` are features already resolved in the article.  The
    pipeline builds one per article and calls :meth:`add` with every place it
    resolves, so later mentions lean on earlier ones.
    """

    countries: Counter[str] = field(default_factory=Counter)
    places: list[Candidate] = field(default_factory=list)

    @classmethod
    def from_actors(cls, actors: Iterable[Actor | None]) -> PlaceContext:
        """A context weighted by the countries of the article's coded actors."""
        return cls(countries=Counter(a.country for a in actors if a is not None and a.country))

    def observe(
        self, entities: Iterable[Any], *, gazetteer: Gazetteer | None = None
    ) -> list[Place]:
        """Resolve and remember the GPE/LOC entity mentions of an article.

        ``entities`` are spaCy entity spans (anything with ``label_`` and
        ``text``), e.g. ``doc.ents`` of every paragraph.  Countries and
        cities named anywhere in the article then count as evidence for the
        event places ("Tripoli" in an article that also names Beirut).
        Returns the resolved places, in order.
        """
        resolved: list[Place] = []
        for ent in entities:
            if getattr(ent, "label_", None) in ("GPE", "LOC"):
                place = resolve_place(ent.text, self, gazetteer=gazetteer)
                if place.feature_id is not None:
                    self.add(place)
                    resolved.append(place)
        return resolved

    def add(self, place: Place | Candidate) -> None:
        """Remember a resolved place (unresolved ones carry no evidence)."""
        if isinstance(place, Place):
            if place.feature_id is None:
                return
            place = Candidate(
                name=place.name,
                type=place.type or "city",
                country=place.country,
                adm1=place.adm1,
                lat=place.lat,
                lon=place.lon,
                feature_id=place.feature_id,
            )
        self.places.append(place)


@dataclass(frozen=True, slots=True)
class _Qualifier:
    countries: frozenset[str] = frozenset()
    adm1s: frozenset[str] = frozenset()
    adm1_countries: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.countries or self.adm1s)

    def __or__(self, other: _Qualifier) -> _Qualifier:
        return _Qualifier(
            self.countries | other.countries,
            self.adm1s | other.adm1s,
            self.adm1_countries | other.adm1_countries,
        )

    def score(self, c: Candidate) -> float:
        if c.adm1 is not None and c.adm1 in self.adm1s:
            return W_QUALIFIER
        if c.country is not None and c.country in self.countries:
            return W_QUALIFIER
        if c.country is not None and c.country in self.adm1_countries:
            return W_QUALIFIER / 2  # right country, but not the subdivision written
        return 0.0


_NO_QUALIFIER = _Qualifier()


def _lookup(gaz: Gazetteer, text: str) -> tuple[list[Match], str | None]:
    for key, hint in name_variants(normalize(text)):
        if is_vague(key):
            continue
        found = gaz.matches(key)
        if found:
            return found, hint
    return [], None


def _qualifier(gaz: Gazetteer, text: str) -> _Qualifier:
    """The countries and subdivisions a qualifier like "Texas" or "Va." can mean."""
    key = normalize(text)
    if not key:
        return _NO_QUALIFIER
    countries: set[str] = set()
    adm1s: set[str] = set()
    adm1_countries: set[str] = set()
    if key in _US_QUALIFIERS:
        adm1s.add(_US_QUALIFIERS[key])
        adm1_countries.add("USA")
    for m in gaz.matches(key):
        c = m.candidate
        if c.type == "country" and c.country:
            countries.add(c.country)
        elif c.type == "adm1" and c.adm1:
            adm1s.add(c.adm1)
            if c.country:
                adm1_countries.add(c.country)
    return _Qualifier(frozenset(countries), frozenset(adm1s), frozenset(adm1_countries))


def _parse(gaz: Gazetteer, text: str) -> tuple[list[Match], str | None, _Qualifier]:
    """Split a place expression into the name's matches, a type hint and qualifiers.

    An expression written with "the" ("the White House", "the Kremlin")
    only matches main names ("the United States", "the West Bank"): city
    alternate names include translations, and "White House" is one of
    Casablanca's.
    """
    found, hint, qualifier = _parse_parts(gaz, text)
    if found and text[:4].lower() == "the ":
        found = [m for m in found if m.primary]
    return found, hint, qualifier


def _parse_parts(gaz: Gazetteer, text: str) -> tuple[list[Match], str | None, _Qualifier]:
    found, hint = _lookup(gaz, text)
    if found:  # the whole expression is a name ("Washington, D.C.")
        return found, hint, _NO_QUALIFIER
    head, qualifier = text, _NO_QUALIFIER
    if "," in text:
        head, *rest = (part.strip() for part in text.split(","))
        for part in rest:
            qualifier = qualifier | _qualifier(gaz, part)
    poss = _POSSESSIVE.match(head)
    if poss:
        owner = _qualifier(gaz, poss.group(1))
        if owner:
            head, qualifier = poss.group(2), qualifier | owner
    found, hint = _lookup(gaz, head)
    return found, hint, qualifier


def _log_ratio(pop: int | None, top: int | None) -> float:
    if not pop or not top:
        return 0.0
    return math.log10(max(pop, MIN_POP) / max(top, MIN_POP))


def _shares(counter: Counter[str]) -> dict[str, float]:
    top = max(counter.values(), default=0)
    return {k: v / top for k, v in counter.items() if v > 0} if top > 0 else {}


def _score_all(
    matches: list[Match], hint: str | None, qualifier: _Qualifier, context: PlaceContext | None
) -> list[tuple[float, Candidate]]:
    # The same feature can match twice (main and alternate name): keep the best.
    best_match: dict[str, Match] = {}
    for m in matches:
        prev = best_match.get(m.candidate.feature_id)
        if prev is None or (m.primary and not prev.primary):
            best_match[m.candidate.feature_id] = m
    cands = list(best_match.values())

    top_by_type: dict[str, int] = {}
    top_all = 0
    for m in cands:
        pop = m.candidate.population or 0
        top_by_type[m.candidate.type] = max(top_by_type.get(m.candidate.type, 0), pop)
        top_all = max(top_all, pop)

    actor_share: dict[str, float] = {}
    place_share: dict[str, float] = {}
    place_adm1: set[str] = set()
    place_ids: set[str] = set()
    if context is not None:
        actor_share = _shares(context.countries)
        place_share = _shares(Counter(p.country for p in context.places if p.country))
        place_adm1 = {p.adm1 for p in context.places if p.adm1}
        place_ids = {p.feature_id for p in context.places}

    scored: list[tuple[float, Candidate]] = []
    for m in cands:
        c = m.candidate
        s = PRIOR.get(c.type, 0.0)
        s += qualifier.score(c)
        if hint and c.type == hint:
            s += W_HINT
        if c.country:
            s += W_ACTORS * actor_share.get(c.country, 0.0)
            s += W_PLACES * place_share.get(c.country, 0.0)
        if c.adm1 and c.adm1 in place_adm1:
            s += W_ADM1
        if c.feature_id in place_ids:
            s += W_SAME
        s += W_POP * _log_ratio(c.population, top_by_type.get(c.type))
        s += W_SIZE * _log_ratio(c.population, top_all)
        if not m.primary:
            s -= W_ALTERNATE
        scored.append((s, c))
    scored.sort(key=lambda sc: (-sc[0], -(sc[1].population or 0), sc[1].feature_id))
    return scored


def rank_candidates(
    name: str, context: PlaceContext | None = None, *, gazetteer: Gazetteer | None = None
) -> list[tuple[float, Candidate]]:
    """All candidates of a place expression with their scores, best first.

    Exposed for explanation and debugging; :func:`resolve_place` takes the
    first.
    """
    text = " ".join(name.split())
    if not text:
        return []
    gaz = gazetteer or default_gazetteer()
    matches, hint, qualifier = _parse(gaz, text)
    if not matches:
        return []
    return _score_all(matches, hint, qualifier, context)


def to_place(c: Candidate) -> Place:
    return Place(
        name=c.name,
        country=c.country,
        adm1=c.adm1,
        lat=c.lat,
        lon=c.lon,
        feature_id=c.feature_id,
        type=c.type,
    )


def resolve_place(
    name: str, context: PlaceContext | None = None, *, gazetteer: Gazetteer | None = None
) -> Place:
    """Resolve a place expression to a gazetteer feature; never guesses.

    A resolved place carries the gazetteer's name ("Москва" → "Moscow"); the
    text as written belongs in the event's evidence.  A name without any
    candidate comes back as ``Place(name=name)``: no country, no
    coordinates, no id.
    """
    ranked = rank_candidates(name, context, gazetteer=gazetteer)
    if not ranked:
        return Place(name=" ".join(name.split()))
    return to_place(ranked[0][1])
