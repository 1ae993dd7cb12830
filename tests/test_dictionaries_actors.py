"""Actor, agent, discard and issue dictionaries: the packaged files, the
PETRARCH-format parser, the loaders and dated roles."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tidings.dictionaries import _petrarch
from tidings.dictionaries.actors import (
    ACTOR_TYPES,
    ActorEntry,
    DictionaryIssue,
    Role,
    data_dir,
    default_actor_files,
    load_actor_entries,
    load_agent_entries,
    load_discard_entries,
    load_discards,
    load_issue_entries,
)
from tidings.errors import DictionaryError

ROOT = Path(__file__).resolve().parents[1]
PHOENIX = ROOT.parent / "shared" / "data" / "dictionaries" / "phoenix"
VALIDATION = ROOT.parent / "shared" / "data" / "gold" / "petrarch-unit-tests"
BUILD_SCRIPT = ROOT / "scripts" / "build_dictionaries.py"


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def actors() -> list[ActorEntry]:
    return load_actor_entries()


@pytest.fixture(scope="module")
def by_name(actors) -> dict[str, list[ActorEntry]]:
    index: dict[str, list[ActorEntry]] = {}
    for entry in actors:
        for name in entry.names:
            index.setdefault(name, []).append(entry)
    return index


@pytest.fixture(scope="module")
def by_id(actors) -> dict[str, ActorEntry]:
    return {entry.id: entry for entry in actors}


@pytest.fixture(scope="module")
def agents_by_name():
    return {name: entry for entry in load_agent_entries() for name in entry.names}


def codes_of(entries: list[ActorEntry], when: dt.date | None = None) -> set[str]:
    return {role.code for entry in entries if (role := entry.role_on(when)) is not None}


# --------------------------------------------------------------------------- packaged files


def test_packaged_files_exist():
    paths = default_actor_files()
    names = [p.name for p in paths]
    assert names[0] == "countries.jsonl"
    # the overlays come last, then the person table fills in the names nobody has
    assert names[-3:] == ["tidings.jsonl", "curated.jsonl", "persons.tsv"]
    for path in [*paths, *(data_dir() / n for n in ("agents.jsonl", "discards.jsonl"))]:
        assert path.is_file(), path
    assert "MIT License" in (data_dir() / "LICENSE-phoenix.txt").read_text()
    provenance = (data_dir() / "PROVENANCE.md").read_text()
    assert "676801c" in provenance and "## Not converted" in provenance


def test_counts_are_plausible(actors):
    by_file: dict[str, int] = {}
    for entry in actors:
        by_file[entry.src.split(":")[0]] = by_file.get(entry.src.split(":")[0], 0) + 1
    assert 18_000 <= by_file["Phoenix.Countries.actors.txt"] <= 30_000
    assert 6_000 <= by_file["Phoenix.International.actors.txt"] <= 9_000
    assert 800 <= by_file["Phoenix.MilNonState.actors.txt"] <= 1_300
    assert 10 <= by_file["tidings"] <= 200
    assert 2_000 <= len(load_agent_entries()) <= 2_800
    assert 400 <= len(load_discards()) <= 600
    assert 2_500 <= len(load_issue_entries()) <= 3_600


def test_types_ids_and_names_are_well_formed(actors):
    ids = [e.id for e in actors]
    assert len(ids) == len(set(ids))
    types = {e.type for e in actors}
    assert types <= set(ACTOR_TYPES)
    assert types == set(ACTOR_TYPES)
    for entry in actors:
        for name in entry.names:
            assert name == name.lower().strip() and "  " not in name and "_" not in name, name
        assert len(set(entry.names)) == len(entry.names), entry.id


def test_countries_and_their_places(by_name, by_id):
    moscow = by_name["moscow"]
    assert [e.type for e in moscow] == ["city"]
    assert codes_of(moscow) == {"RUS"}
    turkey = by_id["TURKEY"]
    assert turkey.type == "country"
    assert "turkish" in turkey.names and "ankara" not in turkey.names
    assert codes_of(by_name["ankara"]) == {"TUR"}
    assert by_id["RUSSIAN_FEDERATION"].type == "country"
    assert "russian" in by_id["RUSSIAN_FEDERATION"].names


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("moscow", "RUS"),
        ("ankara", "TUR"),
        ("washington", "USA"),
        ("tehran", "IRN"),
        ("damascus", "SYR"),
        ("astana", "KAZ"),
        ("kiev", "UKR"),
        ("kyiv", "UKR"),
        ("beijing", "CHN"),
        ("london", "GBR"),
        ("paris", "FRA"),
        ("berlin", "DEU"),
        ("cairo", "EGY"),
        ("riyadh", "SAU"),
        ("doha", "QAT"),
        ("istanbul", "TUR"),
        ("aleppo", "SYR"),
        ("benghazi", "LBY"),
        ("kremlin", "RUSGOV"),
        ("white house", "USAGOV"),
        ("pentagon", "USAMIL"),
        ("downing street", "GBRGOV"),
        ("elysee", "FRAGOV"),
        ("élysée", "FRAGOV"),
        ("zhongnanhai", "CHNGOV"),
        ("russian", "RUS"),
        ("turkish", "TUR"),
        ("iranian", "IRN"),
        ("syrian", "SYR"),
        ("american", "USA"),
        ("u.s.", "USA"),
        ("usa", "USA"),
        ("british", "GBR"),
        ("chinese", "CHN"),
        ("saudi", "SAU"),
        ("qatari", "QAT"),
        ("egyptian", "EGY"),
        ("libyan", "LBY"),
        ("ukrainian", "UKR"),
        ("russians", "RUS"),
    ],
)
def test_seats_of_power_capitals_and_demonyms(by_name, name, code):
    assert codes_of(by_name[name], dt.date(2016, 6, 1)) == {code}


def test_excluded_names_are_gone(by_name):
    for name in ("us", "male", "organization", "pole"):
        assert name not in by_name, name
    assert "u.s." in by_name and "usa" in by_name


def test_null_code_entry_blocks_but_codes_nothing(by_name):
    (ocean,) = by_name["indian ocean"]
    assert ocean.roles == () and ocean.role_on(None) is None


def test_supplement_only_adds_what_phoenix_lacks():
    tidings = load_actor_entries([data_dir() / "tidings.jsonl"])
    phoenix = load_actor_entries(default_actor_files()[:3])
    phoenix_names = {n for e in phoenix for n in e.names}
    phoenix_ids = {e.id for e in phoenix}
    for entry in tidings:
        assert entry.src == "tidings"
        assert entry.id not in phoenix_ids  # no accidental overlay
        assert not set(entry.names) & phoenix_names, entry.id


def test_john_kerry_dated_roles(by_id):
    kerry = by_id["JOHN_KERRY"]
    assert kerry.type == "person"
    role = kerry.role_on(dt.date(2016, 1, 1))
    assert role is not None and role.code == "USAGOV"
    assert role.start is not None and role.start <= dt.date(2016, 1, 1)


def test_agents(agents_by_name):
    expected = {
        "foreign minister": "GOV",
        "foreign ministers": "GOV",
        "police": "COP",
        "rebels": "REB",
        "rebel": "REB",
        "opposition": "OPP",
        "ambassadors": "GOV",
        "congressmen": "LEG",  # !PERSON! substitution
        "foreign ministry": "GOV",  # !MINIST! substitution
        "heads of state": "GOV",  # head-noun plural
        "defense ministry": "GOVMIL",  # TABARI stem MINIST spelt out
        "attorneys general": "GOV",
    }
    for name, code in expected.items():
        assert agents_by_name[name].code == code, name
    assert "polices" not in agents_by_name  # POLICE {} has no plural
    assert agents_by_name["peacekeeping troops"].prefix  # [IGO~]


def test_discards_and_issues():
    discards = load_discard_entries()
    world_cup = next(d for d in discards if d.names == ("world cup",))
    assert world_cup.scope == "story"
    group_a = next(d for d in discards if d.names == ("group a",))
    assert group_a.stem is False
    assert "world cup" in load_discards()
    issues = load_issue_entries()
    by_name = {n: i for i in issues for n in i.names}
    assert by_name["teachers"].code == "TEACHERS"  # n:teacher
    assert by_name["genocide"].code == "ID_ATROCITY"
    ignored = [i for i in issues if i.ignore]
    assert ignored and all(i.code is None for i in ignored)


# --------------------------------------------------------------------------- dated roles

LAVROV = ActorEntry(
    "SERGEY_LAVROV",
    "person",
    ("sergey lavrov",),
    (
        Role("RUSGOV", dt.date(1994, 9, 22), dt.date(2004, 7, 12), "Amb. to UN"),
        Role("RUSGOV", dt.date(2004, 3, 9), None, "Foreign Minister"),
    ),
    "test",
)


@pytest.mark.parametrize("entry", ["packaged", "synthetic"])
def test_lavrov_roles(by_id, entry):
    lavrov = by_id["SERGEY_LAVROV"] if entry == "packaged" else LAVROV
    assert lavrov.role_on(dt.date(2000, 1, 1)).note == "Amb. to UN"
    assert lavrov.role_on(dt.date(2016, 12, 20)).note == "Foreign Minister"
    assert lavrov.role_on(dt.date(2016, 12, 20)).code == "RUSGOV"
    assert lavrov.role_on(dt.date(1990, 1, 1)) is None
    assert lavrov.role_on(None).note == "Foreign Minister"
    # both bounds are inclusive
    assert lavrov.role_on(dt.date(1994, 9, 22)).note == "Amb. to UN"


def test_dated_roles_win_over_undated():
    entry = ActorEntry(
        "X",
        "person",
        ("x",),
        (
            Role("AFGELI"),  # undated: the fallback
            Role("AFGELI", dt.date(1975, 1, 1), dt.date(2000, 1, 1)),
            Role("AFGGOV", dt.date(2001, 12, 22), None),
            Role("AFGMIL", None, dt.date(1970, 1, 1)),
        ),
        "test",
    )
    assert entry.role_on(dt.date(2005, 1, 1)).code == "AFGGOV"  # not the undated ELI
    assert entry.role_on(dt.date(1980, 1, 1)) == entry.roles[1]
    assert entry.role_on(dt.date(1960, 1, 1)).code == "AFGMIL"
    assert entry.role_on(dt.date(2001, 6, 1)) == entry.roles[0]  # gap: undated fallback
    assert entry.role_on(None).code == "AFGGOV"  # the latest start
    undated_only = ActorEntry("Y", "org", ("y",), (Role("RUSGOV"),), "test")
    assert undated_only.role_on(None).code == "RUSGOV"
    assert undated_only.role_on(dt.date(2020, 1, 1)).code == "RUSGOV"


def test_overlapping_dated_roles_prefer_the_most_specific():
    entry = ActorEntry(
        "Z",
        "person",
        ("z",),
        (
            Role("USAELI", dt.date(1950, 1, 1), None),
            Role("USAGOV", dt.date(2009, 1, 20), dt.date(2017, 1, 20)),
        ),
        "test",
    )
    assert entry.role_on(dt.date(2010, 1, 1)).code == "USAGOV"
    assert entry.role_on(dt.date(2018, 1, 1)).code == "USAELI"
    # undated input: latest start; an open end only breaks ties
    assert entry.role_on(None).code == "USAGOV"


# --------------------------------------------------------------------------- parser

MALFORMED = """\
# a comment line
GOOD_ACTOR_  [RUSGOV]
BAD_DATE_ACTOR
\t[RUSGOV 1999999-20000101]
+SYN_WITH]_BRACKET
ORPHANLESS_NAME

\t[USAGOV >20150101] # Ambassador
UNBALANCED_ACTOR
\t[USAGOV >2015010
NO_CODE_ACTOR

LAST_ACTOR [USA]
"""


def test_malformed_actor_file_reports_issues_with_lines(tmp_path):
    path = tmp_path / "bad.actors.txt"
    path.write_text(MALFORMED, encoding="utf-8")
    entries, issues = _petrarch.parse_actor_file(path)
    errors = {(i.line, i.level) for i in issues}
    assert (4, "error") in errors  # 7-digit date
    assert (5, "error") in errors  # ']' in a name
    assert (10, "error") in errors  # unreadable code line
    assert (11, "error") in errors  # no code at all
    assert all(i.file == "bad.actors.txt" for i in issues)
    ids = [e.id for e in entries]
    assert ids == ["GOOD_ACTOR", "ORPHANLESS_NAME", "LAST_ACTOR"]
    orphan = entries[1]
    assert orphan.roles[0].note == "Ambassador"
    assert orphan.roles[0].start == dt.date(2015, 1, 1)
    # the loader raises on the first error, naming file and line...
    with pytest.raises(DictionaryError, match=r"bad\.actors\.txt:4:"):
        load_actor_entries([path])
    # ...or hands every issue to a callback and loads what it can
    seen: list[DictionaryIssue] = []
    loaded = load_actor_entries([path], on_issue=seen.append)
    assert [e.id for e in loaded] == ids and len(seen) == len(issues)


def test_petrarch_formats_and_dates(tmp_path):
    text = (
        "JAMES_BYRNES_  ; CountryInfo.txt\n"
        "\t[USAELI 18970101-450703]\n"
        "\t[USAGOV 450703-470121]\n"
        "JAVIER_DE_CUELLAR_\t[IGOUNO 820101-911231] [ELI]# IGOrulers.txt\n"
        "MICHELE_MONTAS_\t[HTIOPPMED <061231] [IGOUNOMED]\t[---]\n"
        "BORIS_YELTSIN_\n"
        "BORIS_N._YELTSIN\n"
        "\t[RUSGOV 910710-991231]\n"
        "INDIAN_OCEAN  [---]\n"
        "EGYPT_ [EGY]\n"
        "\t[EGYGOV > 140608]\n"
    )
    entries, issues = _petrarch.parse_actor_text(tmp_path / "x.txt", text)
    by_id = {e.id: e for e in entries}
    byrnes = by_id["JAMES_BYRNES"].roles
    assert byrnes[0].start == dt.date(1897, 1, 1) and byrnes[0].end == dt.date(1945, 7, 3)
    assert byrnes[1].end == dt.date(1947, 1, 21)  # 47 > 30: 19xx
    cuellar = by_id["JAVIER_DE_CUELLAR"]
    assert [r.code for r in cuellar.roles] == ["IGOUNO", "ELI"]
    assert cuellar.roles[0].end == dt.date(1991, 12, 31)
    montas = by_id["MICHELE_MONTAS"].roles
    assert montas[0].start is None and montas[0].end == dt.date(2006, 12, 31)
    assert [r.code for r in montas] == ["HTIOPPMED", "IGOUNOMED"]  # [---] dropped
    yeltsin = by_id["BORIS_YELTSIN"]
    assert yeltsin.names == ("boris yeltsin", "boris n. yeltsin")  # missing '+'
    assert yeltsin.roles[0].end == dt.date(1999, 12, 31)
    assert by_id["INDIAN_OCEAN"].roles == ()
    assert by_id["EGYPT"].roles[1].start == dt.date(2014, 6, 8)
    assert [i.level for i in issues] == ["warning"]  # the missing-'+' repair


def test_parse_date():
    assert _petrarch.parse_date("300101") == dt.date(2030, 1, 1)
    assert _petrarch.parse_date("310101") == dt.date(1931, 1, 1)
    assert _petrarch.parse_date("20040309") == dt.date(2004, 3, 9)
    for bad in ("2004017", "20040230", "abc"):
        with pytest.raises(ValueError):
            _petrarch.parse_date(bad)


@pytest.mark.parametrize(
    ("phrase", "plurals"),
    [
        ("ambassador", ["ambassadors"]),
        ("attorney", ["attorneys"]),
        ("boss", ["bosses"]),
        ("party", ["parties"]),
        ("church", ["churches"]),
        ("chairman", ["chairmen"]),
        ("human", ["humans"]),
        ("armed forces", []),
        ("foreign minister", ["foreign ministers"]),
        ("head of state", ["head of states", "heads of state"]),
    ],
)
def test_agent_plurals(phrase, plurals):
    assert _petrarch.agent_plurals(phrase) == plurals


def test_agent_file_syntax(tmp_path):
    text = (
        "<!-- a comment -->\n"
        "!PERSON! = MAN, MEN, WOMAN\n"
        "CONGRESS!PERSON! [~LEG]\n"
        "POLICE {} [~COP]\n"
        "THIEF {THIEVES} [~CRM]\n"
        "AMBASSADOR [~GOV] # LRP 02 Jun 2004\n"
        "TRUCE_MONITOR [IGO~]\n"
        "ISLAMIC_EXTREMIST\n"
        "CHAIR!UNDEFINED! [~GOV]\n"
    )
    entries, issues = _petrarch.parse_agent_text(tmp_path / "a.txt", text)
    names = {e.id: e.names for e in entries}
    assert names["CONGRESSMAN"] == ("congressman", "congressmen", "congresswoman")
    assert names["POLICE"] == ("police",)
    assert names["THIEF"] == ("thief", "thieves")
    assert names["AMBASSADOR"] == ("ambassador", "ambassadors")
    monitor = next(e for e in entries if e.id == "TRUCE_MONITOR")
    assert monitor.prefix and monitor.code == "IGO"
    assert [(i.line, i.level) for i in issues] == [(8, "error"), (9, "error")]


def test_discard_and_issue_syntax(tmp_path):
    discards, issues = _petrarch.parse_discard_text(
        tmp_path / "d.txt", "+WORLD CUP   # ab\nGROUP A_\nBASEBALL\n"
    )
    assert not issues
    assert [(d.names, d.scope, d.stem) for d in discards] == [
        (("world cup",), "story", True),
        (("group a",), "sentence", False),
        (("baseball",), "sentence", True),
    ]
    text = (
        '<ISSUE CATEGORY="ID_ATROCITY" TYPE="ALL">\n'
        "ethnic v:purge [ID_ATROCITY]\n"
        "al+zarqawi network [NAMED_TERROR_GROUP]\n"
        "~~Armenian genocide  # not coding historical cases\n"
        "european central bank\n"
        "a [X] b [Y]\n"
        "</ISSUE>\n"
    )
    entries, issues = _petrarch.parse_issue_text(tmp_path / "i.txt", text)
    assert entries[0].names == (
        "ethnic purge",
        "ethnic purges",
        "ethnic purged",
        "ethnic purging",
    )
    assert entries[0].category == "ID_ATROCITY"
    assert entries[1].names == ("al zarqawi network", "al-zarqawi network")
    assert entries[2].ignore == "story" and entries[2].code is None
    assert [(e.names, e.code) for e in entries[3:]] == [(("a",), "X"), (("b",), "Y")]
    assert [(i.line, i.level) for i in issues] == [(5, "error"), (6, "warning")]


@pytest.mark.skipif(not VALIDATION.is_dir(), reason="../shared not available")
def test_petrarch_validation_dictionaries_load():
    seen: list[DictionaryIssue] = []
    actors = load_actor_entries([VALIDATION / "PETR.Validate.actors.txt"], on_issue=seen.append)
    assert len(actors) > 100
    assert {i.line for i in seen if i.level == "error"} == {112}  # an odd code
    agents = load_agent_entries([VALIDATION / "PETR.Validate.agents.txt"])
    assert len(agents) > 50
    assert load_discards([VALIDATION / "PETR.Validate.discards.txt"])


# --------------------------------------------------------------------------- JSONL loader


def test_malformed_jsonl_raises_with_file_and_line(tmp_path):
    good = {"id": "A", "type": "org", "names": ["a"], "codes": [], "src": "t"}
    cases = {
        "{not json": "invalid JSON",
        json.dumps({**good, "type": "planet"}): "'type' must be one of",
        json.dumps({**good, "names": []}): "'names' must be",
        json.dumps({**good, "codes": [{"code": "X", "start": "2020-13-01"}]}): "not an ISO date",
        json.dumps(
            {**good, "codes": [{"code": "X", "start": "2020-01-02", "end": "2020-01-01"}]}
        ): "after end",
        json.dumps([1, 2]): "expected a JSON object",
    }
    for bad, message in cases.items():
        path = tmp_path / "bad.jsonl"
        path.write_text(json.dumps(good) + "\n\n" + bad + "\n", encoding="utf-8")
        with pytest.raises(DictionaryError, match=rf"bad\.jsonl:3: .*{message}"):
            load_actor_entries([path])
    with pytest.raises(DictionaryError, match="not found"):
        load_actor_entries([tmp_path / "missing.jsonl"])


def test_overlay_replaces_entries_by_id(tmp_path):
    user = tmp_path / "mine.jsonl"
    user.write_text(
        json.dumps(
            {
                "id": "SERGEY_LAVROV",
                "type": "person",
                "names": ["lavrov"],
                "codes": [{"code": "RUSGOVX", "start": None, "end": None, "note": None}],
                "src": "mine",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    entries = load_actor_entries([*default_actor_files(), user])
    lavrovs = [e for e in entries if e.id == "SERGEY_LAVROV"]
    assert len(lavrovs) == 1 and lavrovs[0].src == "mine"
    assert len(entries) == len(load_actor_entries())


def test_petrarch_text_is_sniffed(tmp_path):
    path = tmp_path / "mine.dict"  # no telling suffix: sniffed by content
    path.write_text("KREMLIN_ [RUSGOV]\n+THE_KREMLIN\n", encoding="utf-8")
    (entry,) = load_actor_entries([path])
    assert entry.names == ("kremlin", "the kremlin") and entry.type == "org"


# --------------------------------------------------------------------------- build


@pytest.mark.slow
@pytest.mark.skipif(not PHOENIX.is_dir(), reason="../shared/data/dictionaries/phoenix absent")
def test_build_regenerates_the_packaged_files_byte_for_byte(tmp_path):
    result = subprocess.run(
        [sys.executable, str(BUILD_SCRIPT), "--phoenix", str(PHOENIX), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "123", "PATH": ""},
    )
    assert "countries.jsonl" in result.stdout
    # data written by hand, not by the build script
    hand_curated = {
        "curated.jsonl",
        "CURATED.md",
        "capitals.txt",
        "congresses.txt",
        "first_names.tsv",
    }
    packaged = sorted(
        p.name for p in data_dir().iterdir() if p.is_file() and p.name not in hand_curated
    )
    built = sorted(p.name for p in tmp_path.iterdir())
    assert built == packaged
    for name in built:
        assert (tmp_path / name).read_bytes() == (data_dir() / name).read_bytes(), name


def test_compound_actor_code_is_read_and_bad_ones_reported(tmp_path):
    text = "THE_LOW_COUNTRIES [BEL/NLD/LUX]\nBROKEN_ [BEL/]\n"
    entries, issues = _petrarch.parse_actor_text(tmp_path / "x.txt", text)
    assert [e.roles[0].code for e in entries] == ["BEL/NLD/LUX"]
    assert [i.line for i in issues if "invalid code" in i.message] == [2]


def test_the_person_table_fills_in_only_persons_no_dictionary_names():
    from tidings.dictionaries.actors import person_table_entries

    table = person_table_entries()
    entries = load_actor_entries()
    from_table = {e.names[0] for e in entries if e.id.endswith("_PERSON_TABLE")}
    assert from_table and from_table < {e.names[0] for e in table}
    named_elsewhere = {n for e in entries if not e.id.endswith("_PERSON_TABLE") for n in e.names}
    assert not from_table & named_elsewhere
    (maas,) = [e for e in entries if e.names == ("heiko maas",)]
    assert maas.role_on(dt.date(2019, 6, 1)).code == "DEUGOV"
    assert maas.role_on(dt.date(2010, 6, 1)) is None  # the table's role is dated


def test_the_person_table_has_one_reader_for_both_languages(tmp_path):
    from tidings.dictionaries.actors import person_table_entries, person_table_rows

    rows = person_table_rows()
    putin = next(r for r in rows if r.english == "vladimir putin")
    assert putin.role.code == "RUSGOV" and "Путин" in putin.names
    # the English entries are the rows' English names with the same dated roles
    entries = {e.names[0]: e for e in person_table_entries()}
    assert entries["vladimir putin"].roles == (putin.role,)

    bad = tmp_path / "persons.tsv"
    bad.write_text("jane roe\tДжейн Роу\tGBRGOV\t2019-13-01\t\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match=r"persons\.tsv:1"):
        person_table_rows(bad)
