"""The code tables of GDELT and ICEWS exchange: FIPS, country names, sectors, actors."""

from __future__ import annotations

import datetime as dt
import itertools

import pycountry
import pytest

from tidings.exchange import _mappings as m
from tidings.exchange._stamp import IdMap, dictionaries_hash

# ---------------------------------------------------------------- FIPS


@pytest.mark.parametrize(
    ("iso3", "fips"),
    [("UKR", "UP"), ("RUS", "RS"), ("DEU", "GM"), ("GBR", "UK"), ("USA", "US"), ("SRB", "RI")],
)
def test_iso3_to_fips_uses_gdelt_codes(iso3: str, fips: str) -> None:
    assert m.iso3_to_fips(iso3) == fips
    assert m.fips_to_iso3(fips) == iso3


def test_every_country_survives_fips_and_back() -> None:
    for country in pycountry.countries:
        assert m.fips_to_iso3(m.iso3_to_fips(country.alpha_3)) == country.alpha_3


def test_fips_oddities() -> None:
    assert m.iso3_to_fips("KSV") == "KV"  # CAMEO's Kosovo
    assert m.fips_to_iso3("GZ") == "PSE"  # Gaza Strip
    assert m.iso3_to_fips("IGO") == "IGO"  # no FIPS: written as is...
    assert m.fips_to_iso3("IGO") == "IGO"  # ...and read back
    assert m.fips_to_iso3("OS") is None  # GDELT's oceans: no country
    assert m.iso3_to_fips(None) is None and m.fips_to_iso3("") is None


# ------------------------------------------------------------ countries


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Russian Federation", "RUS"),
        ("Russia", "RUS"),
        ("United States", "USA"),
        ("Palestinian Territory, Occupied", "PSE"),
        ("Democratic Republic of Congo", "COD"),
        ("Congo", "COG"),
        ("Cote d'Ivoire", "CIV"),
        ("Kosovo", "KSV"),
        ("Holy See (Vatican City State)", "VAT"),
        ("germany", "DEU"),
        ("  South Korea ", "KOR"),
    ],
)
def test_country_code_reads_icews_names(name: str, code: str) -> None:
    assert m.country_code(name) == code


def test_country_code_unknowns() -> None:
    assert m.country_code("Middle East") is None
    assert m.country_code("") is None and m.country_code(None) is None
    assert m.country_code("IGO") == "IGO"  # a country column may hold a bare code
    assert m.country_code("OAS", codes=False) is None  # an actor name may not


def test_every_exported_country_name_reads_back() -> None:
    codes = {c.alpha_3 for c in pycountry.countries} | {"KSV", "IGO", "SCG"}
    for code in sorted(codes):
        name = m.country_name(code)
        assert name and m.country_code(name) == code, (code, name)
    assert m.country_name("RUS") == "Russia"
    assert m.country_name(None) is None


# -------------------------------------------------------------- sectors


@pytest.mark.parametrize(
    ("sectors", "agent"),
    [
        ("Police", "COP"),
        ("Military Police", "COP"),
        ("Government,Police", "COP"),
        ("Executive,Executive Office,Government,Cabinet", "GOV"),
        ("Head of Government", "GOV"),
        ("Defense / Security Ministry", "GOV"),
        ("Military Personnel - Special", "MIL"),
        ("Armed Rebel", "REB"),
        ("Insurgents", "REB"),
        ("Militant", "UAF"),
        ("Protestors / Popular Opposition / Mobs", "OPP"),
        ("Lawyer/Attorney", "JUD"),
        ("Member of Legislative (Govt)", "LEG"),
        ("Citizen", "CVL"),
        ("Fishermen", "AGR"),
        ("Human Rights Commission", "HRI"),
        ("Nongovernmental Organizations", "NGO"),
        ("Party Member", "PTY"),
        ("GOVMED", "GOVMED"),
        ("Executive,GOV", "GOV"),
    ],
)
def test_agent_of_sectors(sectors: str, agent: str) -> None:
    assert m.agent_of_sectors(sectors) == agent


def test_sectors_without_agent() -> None:
    assert m.agent_of_sectors("Ideological") is None
    assert m.agent_of_sectors("") is None and m.agent_of_sectors(None) is None
    assert m.agent_of_sectors("Fishermen ") == "AGR"
    assert m.agent_of_sectors("Mentor") is None  # "men" matches whole words only


def test_every_exported_sector_reads_back() -> None:
    rules, names = m._sector_rules()
    assert len(names) >= 20
    agents = {agent for _, agent in rules}
    for agent in sorted(agents | {"XYZ", "GOVMED", "MUS"}):
        assert m.agent_of_sectors(m.sector_name(agent)) == agent, (agent, m.sector_name(agent))


def test_sector_rules_use_known_agent_codes() -> None:
    import json

    from tidings.dictionaries.actors import default_agent_files

    known = {
        json.loads(line)["code"]
        for path in default_agent_files()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    rules, _ = m._sector_rules()
    assert {agent for _, agent in rules} <= known | {"NGO", "IGO"}


# --------------------------------------------------------------- actors


def _one(rows: list[m.ActorRow]) -> m.ActorRow:
    assert len(rows) == 1 and rows[0].lo == m.DAY_ZERO and rows[0].hi == m.LAST_DAY
    return rows[0]


def test_actor_from_country_and_sectors() -> None:
    mapper = m.ActorMapper()
    row = _one(mapper.resolve("Sergey Lavrov", "Executive,Government", "Russian Federation"))
    assert (row.code, row.country, row.agent, row.entry) == ("RUSGOV", "RUS", "GOV", None)
    row = _one(mapper.resolve("Police (Australia)"))
    assert (row.code, row.country, row.agent) == ("AUSCOP", "AUS", "COP")
    row = _one(mapper.resolve("South Sudan"))
    assert (row.code, row.country, row.agent) == ("SSD", "SSD", None)
    row = _one(mapper.resolve("Lawyer/Attorney (Holy See (Vatican City State))"))
    assert (row.code, row.agent) == ("VATJUD", "JUD")


def test_actor_unknown() -> None:
    mapper = m.ActorMapper()
    assert _one(mapper.resolve("Nobody In Particular")).code == "---"
    assert _one(mapper.resolve("Citizen (Atlantis)")).code == "CVL"  # the agent alone
    # A country column that names no country is not guessed from the dictionary.
    row = _one(mapper.resolve("Barack Obama", "", "Atlantis"))
    assert (row.code, row.country) == ("---", None)


def test_actor_dictionary_roles_follow_the_date() -> None:
    rows = m.ActorMapper().resolve("Barack Obama")
    assert rows[0].lo == m.DAY_ZERO  # undated events: role_on(None)
    assert rows[-1].hi == m.LAST_DAY
    for left, right in itertools.pairwise(rows):
        assert left.hi == right.lo
    from tidings.dictionaries.actors import load_actor_entries

    entry = next(e for e in load_actor_entries() if e.id == "BARACK_OBAMA")
    for day in (dt.date(1990, 1, 1), dt.date(2005, 6, 1), dt.date(2010, 6, 1), dt.date(2020, 6, 1)):
        (row,) = [r for r in rows if r.lo <= day < r.hi]
        role = entry.role_on(day)
        assert row.code == (role.code if role else "---")
        assert row.entry == ("BARACK_OBAMA" if role else None)
    assert rows[0].code == entry.role_on(None).code
    (row,) = [r for r in rows if r.lo <= dt.date(2010, 6, 1) < r.hi]
    assert (row.code, row.country, row.agent) == ("USAGOV", "USA", "GOV")


# --------------------------------------------------------------- stamps


def test_id_map_is_reversible_and_keeps_external_numbers() -> None:
    ids = IdMap("gdelt")
    assert ids.number("gdelt:1160000001") == 1160000001
    first = ids.number("3fa2b0c4d5e6f708")
    assert first == int("3fa2b0c4d5e6f708", 16) & ((1 << 63) - 1)
    high = ids.number("ffa2b0c4d5e6f708")
    assert high < 1 << 63
    other = ids.number("icews:926685")
    assert ids.mapping == {
        str(first): "3fa2b0c4d5e6f708",
        str(high): "ffa2b0c4d5e6f708",
        str(other): "icews:926685",
    }
    assert ids.number("3fa2b0c4d5e6f708") == first  # stable


def test_id_map_never_gives_two_ids_one_number() -> None:
    ids = IdMap("gdelt")
    a = ids.number("0000000000000005")
    b = ids.number("8000000000000005")  # the same low 63 bits
    assert a == 5 and b == 6
    assert ids.mapping == {"5": "0000000000000005", "6": "8000000000000005"}


def test_dictionaries_hash_is_stable() -> None:
    assert dictionaries_hash() == dictionaries_hash()
    assert len(dictionaries_hash()) == 12
