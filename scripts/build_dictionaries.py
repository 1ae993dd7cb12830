#!/usr/bin/env python
"""Convert the Phoenix/PETRARCH-2 dictionaries into Tidings' JSONL dictionaries.

    python scripts/build_dictionaries.py [--phoenix DIR] [--out DIR]

Reads the Phoenix actor, agent, discard and issue dictionaries (MIT, Open
Event Data Alliance, openeventdata/petrarch2 @676801c) through
:mod:`tidings.dictionaries._petrarch` and writes, into ``--out`` (default
``src/tidings/data/actors``):

* ``countries.jsonl``, ``international.jsonl``, ``nonstate.jsonl`` -- actors,
  ``{"id", "type", "names", "codes": [{"code", "start", "end", "note"}], "src"}``
* ``tidings.jsonl`` -- our hand-curated supplement (the ``SUPPLEMENT`` table
  below: edit it there, not in the output), loaded last as an overlay
* ``agents.jsonl``, ``discards.jsonl``, ``issues.jsonl``
* ``LICENSE-phoenix.txt`` (the Phoenix MIT licence) and ``PROVENANCE.md``

The output is deterministic: running the script twice gives identical bytes
(the test suite checks the committed files against a fresh build).

What the conversion does beyond parsing (all of it is listed, with counts,
in PROVENANCE.md):

1. ``FIXES``: a few source lines are repaired before parsing (impossible
   dates, control characters, mojibake); each fix names its line and reason.
2. Entry types (``type``) are heuristic:

   * Countries file, entries whose codes are all place codes (``RUS``,
     ``USAASM``, ``IRQOCC``: no agent part): ``"country"``; their synonyms
     are split at the capital (``CAPITALS``; ``PLACE_SPANS`` overrides) --
     Phoenix lists a country's names and demonyms first, then its capital,
     cities, regions and landmarks, all coded with the country code.  Names
     before the capital stay on the country entry; the capital and
     everything after it become one ``"city"`` entry per name with the
     country's codes (``MOSCOW`` -> ``RUS``).  No capital found: no split.
     ``SUBNATIONAL`` entries (Gaza, Iraqi Kurdistan, ...) are ``"city"``.
   * Everything else: :func:`tidings.dictionaries._petrarch.guess_actor_type`
     (dated codes or ``ELI`` -> person; organisation words -> org; group
     words or rebel/insurgent codes -> group; the non-state file defaults to
     group, the international file to org).

3. ``EXCLUDED_NAMES``: names dropped wherever they occur because, lowercased,
   they are everyday words that would create false actors (``us``, ``male``
   the Maldivian capital, ...).  An entry left with no name is dropped.
4. ASCII-folded variants are added after names with accents
   (``manfred wörner`` -> ``manfred worner``).
5. Ids are the primary name in upper case (``SERGEY_LAVROV``), made unique
   over all actor files with ``_2``, ``_3``... in file order.

Agents: the regular plural is generated on the last word (PETRARCH's rule,
with proper English endings) plus the head-noun plural of ``X of Y`` phrases;
``{...}`` gives explicit plurals, ``{}`` none; ``!MARKER!`` sets are expanded.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from tidings.dictionaries import _petrarch  # noqa: E402
from tidings.dictionaries.actors import (  # noqa: E402
    ActorEntry,
    AgentEntry,
    DictionaryIssue,
    DiscardEntry,
    IssueEntry,
    Role,
)

DEFAULT_PHOENIX = ROOT.parent / "shared" / "data" / "dictionaries" / "phoenix"
DEFAULT_OUT = ROOT / "src" / "tidings" / "data" / "actors"

SOURCE_REPO = "openeventdata/petrarch2"
SOURCE_COMMIT = "676801c"

#: (source file, output file, file kind for the type heuristic)
ACTOR_FILES = (
    ("Phoenix.Countries.actors.txt", "countries.jsonl", "countries"),
    ("Phoenix.International.actors.txt", "international.jsonl", "international"),
    ("Phoenix.MilNonState.actors.txt", "nonstate.jsonl", "nonstate"),
)
AGENT_FILE = "Phoenix.agents.txt"
DISCARD_FILE = "Phoenix.discards.txt"
ISSUE_FILE = "Phoenix.IssueCoding.txt"


# --------------------------------------------------------------------------- source fixes


@dataclass(frozen=True)
class Fix:
    line: int | None  # None: every line of the file
    old: str
    new: str
    why: str


FIXES: dict[str, tuple[Fix, ...]] = {
    "Phoenix.Countries.actors.txt": (
        Fix(745, "LIAMINE_Z\x1aROUAL_", "LIAMINE_ZEROUAL_", "control character for 'É' (Zéroual)"),
        Fix(12159, "JAN_STRASK\x1aY", "JAN_STRASKY", "control character for 'Ý' (Stráský)"),
        Fix(2039, "9008223-", "900823-", "7-digit date; 23 Aug 1990 as in [USRARM <900823] above"),
        Fix(
            14190,
            "20121207-20120802",
            "20111207-20120802",
            "start after end; Ganzouri's 2nd term as PM began on 7 Dec 2011",
        ),
        Fix(15346, "FAEROYENE]_", "FAEROYENE_", "stray ']'"),
        Fix(18010, ">201005011", ">20100511", "9-digit date; Cameron became PM on 11 May 2010"),
        Fix(22508, "1920030320-", "20030320-", "10-digit date with a stray '19'"),
        Fix(22519, "1920030320-", "20030320-", "10-digit date with a stray '19'"),
        Fix(
            31715,
            "[MNEGOV 20121204]",
            "[MNEGOV >20121204]",
            "bare date; Đukanović's term as PM began on 4 Dec 2012",
        ),
        Fix(43613, "1920050709-", "20050709-", "10-digit date with a stray '19'"),
        Fix(
            51384,
            "[USAGOV 19820101]",
            "[USAGOV >19820101]",
            "bare date; the comment says 'entered Foreign Service'",
        ),
    ),
    "Phoenix.International.actors.txt": (
        Fix(
            40,
            "2004017-",
            "20040117-",
            "7-digit date; Ban Ki-moon became foreign minister on 17 Jan 2004",
        ),
        Fix(3694, "Source: MNC.MLH.actors", "# Source: MNC.MLH.actors", "a heading, not an actor"),
    ),
    "Phoenix.agents.txt": (
        Fix(544, "[~ENV}", "[~ENV]", "'}' for ']'"),
        Fix(815, "PÃŠBLICAS", "PÚBLICAS", "mojibake (UTF-8 read as Windows-1252)"),
    ),
    "Phoenix.IssueCoding.txt": (
        Fix(None, "†", " ", "mojibake: Mac Roman no-break space"),
        Fix(2004, "str‰ussler", "sträussler", "mojibake (Mac Roman)"),
        Fix(2100, "mÈniËre's", "ménière's", "mojibake (Mac Roman)"),
        Fix(2525, "ﬁ", "fi", "ligature"),
        Fix(3077, "people¬ís", "people's", "mojibake (Mac Roman)"),
    ),
}


def read_fixed(path: Path, issues: list[DictionaryIssue]) -> tuple[str, list[str]]:
    """The file's text with ``FIXES`` applied, and a log line per applied fix."""
    text = path.read_bytes().decode("utf-8", errors="replace")
    lines = text.split("\n")
    log = []
    for fix in FIXES.get(path.name, ()):
        numbers = range(1, len(lines) + 1) if fix.line is None else [fix.line]
        hits = 0
        for number in numbers:
            if fix.old in lines[number - 1]:
                lines[number - 1] = lines[number - 1].replace(fix.old, fix.new)
                hits += 1
        if not hits:  # the source changed: say so rather than silently skip
            issues.append(
                DictionaryIssue(path.name, fix.line or 0, f"fix not applied: {fix.old!r}")
            )
            continue
        where = f"line {fix.line}" if fix.line else f"{hits} lines"
        log.append(f"`{path.name}` {where}: `{fix.old!r}` → `{fix.new!r}` ({fix.why})")
    return "\n".join(lines), log


# --------------------------------------------------------------------------- countries and places

#: Capital (and other first-listed city) spellings per country-level code, as
#: Phoenix spells them.  The earliest of these among a country entry's names
#: is where its places begin.  A capital equal to the country's own name
#: (Djibouti, Singapore...) is ignored: such entries are not split.
CAPITALS: dict[str, tuple[str, ...]] = {
    code: tuple(v.split("|"))
    for code, v in {
        "AFG": "kabul",
        "ALB": "tirana",
        "DZA": "algiers",
        "USAASM": "pago pago",
        "AND": "andorra la vella",
        "AGO": "luanda",
        "ATG": "saint john's",
        "ARG": "buenos aires",
        "ARM": "yerevan",
        "AUS": "canberra",
        "AUT": "vienna",
        "AZE": "baku",
        "BHS": "nassau",
        "BHR": "manama",
        "BGD": "dhaka",
        "BRB": "bridgetown",
        "BLR": "minsk",
        "BEL": "brussels",
        "BLZ": "belmopan",
        "BEN": "porto novo|cotonou",
        "BTN": "thimphu",
        "BOL": "la paz",
        "BIH": "sarajevo",
        "BWA": "gaborone",
        "BRA": "brasilia",
        "BRN": "bandar seri begawan",
        "BGR": "sofia",
        "BFA": "ouagadougou",
        "BDI": "bujumbura",
        "KHM": "phnom penh",
        "CMR": "yaounde",
        "CAN": "ottawa",
        "CPV": "praia",
        "CYM": "george town",
        "CAF": "bangui",
        "TCD": "n'djamena",
        "CHL": "santiago",
        "CHN": "beijing",
        "COL": "bogota",
        "COM": "moroni",
        "COG": "brazzaville",
        "CIV": "yamoussoukro|abidjan",
        "HRV": "zagreb",
        "CUB": "havana",
        "CYP": "nicosia",
        "CZE": "prague",
        "COD": "kinshasa",
        "DNK": "copenhagen",
        "DMA": "roseau",
        "DOM": "santo domingo",
        "ECU": "quito",
        "EGY": "cairo",
        "SLV": "san salvador",
        "GNQ": "malabo",
        "ERI": "asmara",
        "EST": "tallinn",
        "ETH": "addis ababa",
        "KNA": "basseterre",
        "FJI": "suva",
        "FIN": "helsinki",
        "FRA": "paris",
        "GAB": "libreville",
        "GMB": "banjul",
        "GEO": "tbilisi",
        "DDR": "east berlin",
        "DEU": "berlin",
        "GHA": "accra",
        "GBR": "london",
        "GRC": "athens",
        "GTM": "guatemala city",
        "GIN": "conakry",
        "GNB": "bissau",
        "GUY": "georgetown",
        "HTI": "port au prince",
        "HND": "tegucigalpa",
        "HUN": "budapest",
        "ISL": "reykjavik",
        "IND": "new delhi",
        "IDN": "jakarta",
        "IRN": "tehran",
        "IRQ": "baghdad",
        "IRL": "dublin",
        "ISR": "jerusalem",
        "ITA": "rome",
        "JAM": "kingston",
        "JPN": "tokyo",
        "JOR": "amman",
        "KAZ": "astana|almaty",
        "KEN": "nairobi",
        "KIR": "tarawa",
        "KGZ": "bishkek",
        "KWT": "kuwait city",
        "LAO": "vientiane",
        "LVA": "riga",
        "LBN": "beirut",
        "LSO": "maseru",
        "LBR": "monrovia",
        "LBY": "tripoli",
        "LIE": "vaduz",
        "LTU": "vilnius",
        "MKD": "skopje",
        "MDG": "antananarivo",
        "MWI": "lilongwe",
        "MYS": "kuala lumpur",
        "MDV": "male",
        "MLI": "bamako",
        "MLT": "valletta",
        "MHL": "majuro",
        "MRT": "nouakchott",
        "MUS": "port louis",
        "MEX": "mexico city",
        "FSM": "palikir",
        "MDA": "chisinau",
        "MNG": "ulaanbaatar",
        "MNE": "podgorica",
        "MAR": "rabat",
        "MOZ": "maputo",
        "MMR": "naypyidaw|rangoon|yangon",
        "NAM": "windhoek",
        "NPL": "kathmandu",
        "NLD": "amsterdam",
        "NZL": "wellington",
        "NIC": "managua",
        "NER": "niamey",
        "NGA": "abuja",
        "PRK": "pyongyang",
        "KSV": "pristina",
        "NOR": "oslo",
        "OMN": "muscat",
        "PAK": "islamabad",
        "PLW": "melekeok",
        "PSE": "ramallah|bethlehem",
        "PAN": "panama city",
        "PNG": "port moresby",
        "PRY": "asuncion",
        "PER": "lima",
        "PHL": "manila",
        "POL": "warsaw",
        "PRT": "lisbon",
        "QAT": "doha",
        "ZAF": "pretoria",
        "ROU": "bucharest",
        "RUS": "moscow",
        "RWA": "kigali",
        "LCA": "castries",
        "VCT": "kingstown",
        "WSM": "apia",
        "STP": "sao tome",
        "SAU": "riyadh",
        "SEN": "dakar",
        "SRB": "belgrade",
        "SLE": "freetown",
        "SVN": "ljubljana",
        "SVK": "bratislava",
        "SLB": "honiara",
        "SOM": "mogadishu",
        "KOR": "seoul",
        "SSD": "juba",
        "ESP": "madrid",
        "LKA": "colombo",
        "SDN": "khartoum",
        "SUR": "paramaribo",
        "SWZ": "mbabane",
        "SWE": "stockholm",
        "CHE": "bern",
        "SYR": "damascus",
        "TWN": "taipei",
        "TJK": "dushanbe",
        "THA": "bangkok",
        "TMP": "dili",
        "TGO": "lome",
        "TON": "nuku'alofa",
        "TTO": "port of spain",
        "TUN": "tunis",
        "TUR": "ankara",
        "TKM": "ashgabat",
        "UGA": "kampala",
        "UKR": "kiev|kyiv",
        "ARE": "abu dhabi",
        "URY": "montevideo",
        "USA": "washington",
        "TZA": "dodoma|dar es salaam",
        "UZB": "tashkent",
        "VUT": "port vila",
        "VEN": "caracas",
        "VNM": "hanoi",
        "YEM": "sanaa",
        "ZMB": "lusaka",
        "ZWE": "harare",
        "DJI": "djibouti",
        "SGP": "singapore",
        "SMR": "san marino",
        "MCO": "monaco",
        "GBRGIB": "gibraltar",
    }.items()
}

#: Entries whose places are not "the capital and all after it": explicit
#: inclusive (first, last) spans of place names; ``None`` = to the end.
PLACE_SPANS: dict[str, tuple[tuple[str, str | None], ...]] = {
    # Washington comes before the demonyms; the cities start at New York.
    "UNITED_STATES_OF_AMERICA": (("washington d.c.", "washington"), ("new york", None)),
    # Belgrade is listed before "serbian" and "republic of serbia".
    "SERBIA": (("belgrade", "belgrade"),),
    "CROATIA_2": (("zagreb", "zagreb"),),
    # Cities and mountains come before Buenos Aires.
    "ARGENTINA": (("moron", None),),
    # "kosovan" and "kosove" follow the capital.
    "KOSOVO": (("pristina", "prishtina"),),
}

#: Place-level entries that are regions or cities, not countries.
SUBNATIONAL: dict[str, str] = {
    "REPUBLICA_SRPSKA": "entity of Bosnia and Herzegovina",
    "LEIPZIG": "East German cities (one city entry per name)",
    "IRAQI_KURDISTAN": "region of Iraq",
    "TRANSNISTRIA": "breakaway region of Moldova",
    "GAZA": "Palestinian territory",
    "REPUBLIC_OF_SERBIAN_KRAJINA": "former breakaway region of Croatia",
}
#: Of those, the entries whose names are separate places.
SPLIT_EVERY_NAME = frozenset({"LEIPZIG"})


# --------------------------------------------------------------------------- exclusions

#: Names dropped wherever they occur: lowercased, they are everyday words or
#: far more often something else in news text.  The reason is recorded.
EXCLUDED_NAMES: dict[str, str] = {
    # found by counting how often each name occurs in lowercase in news text
    # (the AllSides international corpus and the ConfliBERT CAMEO sentences)
    # and by reading every one-word name against an English word list
    "us": "the pronoun once lowercased ('u.s.', 'usa', 'the us', 'united states' remain)",
    "male": "capital of the Maldives; an everyday word",
    "organization": "Tanzim alias; an everyday word",
    "zero": "alias of 'Secret Organization Zero'; an everyday word",
    "youth": "Gazteriak alias; an everyday word",
    "red line": "Greek group; 'a red line' is an everyday phrase",
    "new order": "US group; an everyday phrase",
    "the foundation": "El Rukn alias; an everyday phrase",
    "the cornerstone": "El Rukn alias; an everyday phrase",
    "order, the": "inverted name of 'The Order'",
    "immediate action": "Greek group; an everyday phrase",
    "aid group": "a generic noun, not a named actor",
    "human rights organization": "a generic noun, not a named actor",
    "refugee advocate": "a generic noun, not a named actor",
    "shared interest": "NGO; an everyday phrase",
    "we will win": "Venceremos alias; an everyday phrase",
    "international solidarity": "group; an everyday phrase",
    "liberal international": "also 'the liberal international order'",
    "federal law enforcement": "FBI alias; generic",
    "senate": "any country's senate, not only the US Senate",
    "falcon": "Shahin alias; an everyday word",
    "camo": "Black Brigade alias; an everyday word",
    "tigers": "LTTE alias; animals, sports teams ('tamil tigers' remains)",
    "pole": "demonym of Poland, but mostly 'pole' (North Pole, pole position)",
    "sur": "Lebanese/Omani city; French 'sur' and mostly noise",
    "champagne": "French region; mostly the wine",
    "saga": "Japanese city; an everyday word",
    "marches": "Italian region; an everyday word",
    "moron": "Argentine city; an everyday word",
    "new flower": "translation of Addis Ababa; an everyday phrase",
    "empire state": "New York; mostly the Empire State Building",
    "albert": "a first name (Prince Albert of Monaco)",
    "austin": "a name (Lloyd Austin) more often than the US city",
    "charlotte": "a first name more often than the US city",
    "lawrence": "a name more often than the Kansas city",
    "columbus": "a name more often than the Ohio city",
    "murray": "a name more often than the Australian river",
    "doris": "a first name more often than the Greek region",
    "buffalo": "the animal as often as the US city",
    "jersey": "clothing; and here a synonym of New Jersey, not the island",
    "cork": "the material as often as the Irish city",
    "providence": "an everyday word as often as the US city",
    "hippo": "ancient Hippo Regius; the animal",
    "tara": "Irish hill; a first name",
    "kiwi": "New Zealanders; the fruit and bird",
}

#: Ambiguous names that are kept on purpose (listed in PROVENANCE.md).
KEPT_AMBIGUOUS: dict[str, str] = {
    "chad": "the country; also a first name",
    "jordan": "the country; also a name (Michael Jordan) and the river",
    "georgia": "the country (GEO); also the US state",
    "turkey": "the country; also the bird",
    "china": "the country; also porcelain",
    "guinea": "the country; also in 'guinea pig', 'Papua New Guinea' (longer names win)",
    "niger": "the country; 'niger delta' is Nigerian",
    "phoenix": "the US city; also the Phoenix dataset/bird",
    "the us": "kept: 'the US' is common in news and 'the us' rare in other text",
    "intelligence community": "US intelligence, as US news uses it",
}


# --------------------------------------------------------------------------- our supplement

#: Hand-curated additions (src "tidings"), added only for names Phoenix lacks.
#: (id, type, names, code, note)
SUPPLEMENT: tuple[tuple[str, str, tuple[str, ...], str, str | None], ...] = (
    # seats of power and metonyms
    ("THE_KREMLIN", "org", ("the kremlin", "kremlin"), "RUSGOV", "seat of the Russian government"),
    ("WHITE_HOUSE", "org", ("white house", "the white house"), "USAGOV", "US presidency"),
    ("PENTAGON", "org", ("pentagon", "the pentagon"), "USAMIL", "US Department of Defense"),
    (
        "DOWNING_STREET",
        "org",
        ("downing street", "no. 10", "number 10"),
        "GBRGOV",
        "UK prime minister's office",
    ),
    (
        "ELYSEE",
        "org",
        ("elysee", "élysée", "elysee palace", "élysée palace"),
        "FRAGOV",
        "French presidency",
    ),
    ("ZHONGNANHAI", "org", ("zhongnanhai",), "CHNGOV", "seat of the Chinese leadership"),
    ("FOGGY_BOTTOM", "org", ("foggy bottom",), "USAGOV", "US State Department"),
    ("QUAI_D'ORSAY", "org", ("quai d'orsay",), "FRAGOV", "French foreign ministry"),
    ("BLUE_HOUSE", "org", ("blue house", "cheong wa dae"), "KORGOV", "South Korean presidency"),
    # capitals and cities the news uses as actors
    ("MOSCOW", "city", ("moscow",), "RUS", None),
    ("ANKARA", "city", ("ankara",), "TUR", None),
    ("ISTANBUL", "city", ("istanbul",), "TUR", None),
    ("WASHINGTON", "city", ("washington",), "USA", None),
    ("TEHRAN", "city", ("tehran", "teheran"), "IRN", None),
    ("DAMASCUS", "city", ("damascus",), "SYR", None),
    ("ALEPPO", "city", ("aleppo",), "SYR", None),
    ("ASTANA", "city", ("astana", "nur-sultan"), "KAZ", None),
    ("KYIV", "city", ("kyiv", "kiev"), "UKR", None),
    ("BEIJING", "city", ("beijing", "peking"), "CHN", None),
    ("LONDON", "city", ("london",), "GBR", None),
    ("PARIS", "city", ("paris",), "FRA", None),
    ("BERLIN", "city", ("berlin",), "DEU", None),
    ("CAIRO", "city", ("cairo",), "EGY", None),
    ("RIYADH", "city", ("riyadh",), "SAU", None),
    ("DOHA", "city", ("doha",), "QAT", None),
    ("BENGHAZI", "city", ("benghazi",), "LBY", None),
    # plural demonyms ("Russians attacked...") that Phoenix lacks
    ("RUSSIANS", "country", ("russians",), "RUS", None),
    ("TURKS", "country", ("turks",), "TUR", None),
    ("IRANIANS", "country", ("iranians",), "IRN", None),
    ("SYRIANS", "country", ("syrians",), "SYR", None),
    ("AMERICANS", "country", ("americans",), "USA", None),
    ("BRITONS", "country", ("britons", "brits"), "GBR", None),
    ("SAUDIS", "country", ("saudis",), "SAU", None),
    ("QATARIS", "country", ("qataris",), "QAT", None),
    ("EGYPTIANS", "country", ("egyptians",), "EGY", None),
    ("LIBYANS", "country", ("libyans",), "LBY", None),
    ("UKRAINIANS", "country", ("ukrainians",), "UKR", None),
    ("IRAQIS", "country", ("iraqis",), "IRQ", None),
    ("AFGHANS", "country", ("afghans",), "AFG", None),
    ("PAKISTANIS", "country", ("pakistanis",), "PAK", None),
    ("GERMANS", "country", ("germans",), "DEU", None),
    ("YEMENIS", "country", ("yemenis",), "YEM", None),
    ("JORDANIANS", "country", ("jordanians",), "JOR", None),
    ("KAZAKHS", "country", ("kazakhs", "kazakh"), "KAZ", None),
    ("NORTH_KOREANS", "country", ("north koreans",), "PRK", None),
    ("SOUTH_KOREANS", "country", ("south koreans",), "KOR", None),
    ("EMIRATIS", "country", ("emiratis",), "ARE", None),
    ("KUWAITIS", "country", ("kuwaitis",), "KWT", None),
    ("TUNISIANS", "country", ("tunisians",), "TUN", None),
    ("ALGERIANS", "country", ("algerians",), "DZA", None),
    ("MOROCCANS", "country", ("moroccans",), "MAR", None),
    ("SOMALIS", "country", ("somalis",), "SOM", None),
    ("ETHIOPIANS", "country", ("ethiopians",), "ETH", None),
    ("NIGERIANS", "country", ("nigerians",), "NGA", None),
    ("VENEZUELANS", "country", ("venezuelans",), "VEN", None),
    ("MEXICANS", "country", ("mexicans",), "MEX", None),
    ("CANADIANS", "country", ("canadians",), "CAN", None),
    ("FRENCHMEN", "country", ("frenchman", "frenchmen", "frenchwoman"), "FRA", None),
    # news shorthand: "the Islamic Republic's Atomic Energy Organization" is Iran's
    ("THE_ISLAMIC_REPUBLIC", "country", ("islamic republic",), "IRN", "news shorthand for Iran"),
    # ... so the other Islamic Republics need their full names
    ("PAKISTAN_OFFICIAL_NAME", "country", ("islamic republic of pakistan",), "PAK", None),
    ("MAURITANIA_OFFICIAL_NAME", "country", ("islamic republic of mauritania",), "MRT", None),
)


#: Agents Phoenix lacks: (names, code).  Added to ``agents.jsonl`` with
#: src "tidings", only for names Phoenix does not have.
AGENT_SUPPLEMENT: tuple[tuple[tuple[str, ...], str], ...] = (
    (("opposition",), "OPP"),
    (("attorneys general",), "GOV"),
    (("official", "officials"), "GOV"),
    (("opponent", "opponents", "critic", "critics", "foe", "foes"), "OPP"),
    (("security services", "intelligence services", "intelligence service"), "SPY"),
    # "congressional" names a congress (the country comes from the article, as for
    # "Congress"): leaders, investigators, committees, party caucuses.
    (
        (
            "congressional leaders",
            "congressional leader",
            "congressional investigators",
            "congressional committee",
            "congressional committees",
            "congressional republicans",
            "congressional democrats",
            "congressional negotiators",
            "congressional aides",
            "congressional lawmakers",
        ),
        "LEG",
    ),
    # a government's press secretary speaks for it (the resolver gives spokespeople
    # the sector of whom they speak for: tidings.actors._compose.VOICES)
    (("press secretary", "press secretaries"), "GOV"),
    (("judicial official", "judicial officials", "judicial authorities"), "JUD"),
    (("special counsel", "special counsels", "independent counsel"), "JUD"),
    # a leader acts in the sector of what they lead ("Taliban leaders"), with only a
    # country its government's ("the Danish leader"): see VOICES
    (("leader", "leaders", "leadership"), "GOV"),
)


# --------------------------------------------------------------------------- helpers


def ascii_fold(name: str) -> str:
    """``manfred wörner`` -> ``manfred worner`` (drops combining marks only)."""
    decomposed = unicodedata.normalize("NFKD", name.replace("ı", "i"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def with_folded(names: Iterable[str]) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for name in names:
        out.setdefault(name, None)
        if not name.isascii():
            folded = ascii_fold(name)
            if folded != name and folded.strip():
                out.setdefault(folded, None)
    return tuple(out)


def synonym_lines(text: str, entry_line: int) -> dict[str, int]:
    """Line numbers of an entry's names, scanning from its primary line."""
    lines = text.split("\n")
    found: dict[str, int] = {}
    number = entry_line
    while number <= len(lines):
        raw = lines[number - 1]
        body = raw.split("#", 1)[0].split(";", 1)[0]
        stripped = body.strip()
        if number > entry_line and stripped and not stripped.startswith(("+", "[")):
            break  # the next entry
        if stripped and not stripped.startswith("["):
            name = _petrarch.normalize_phrase(stripped.lstrip("+").split("[", 1)[0])
            found.setdefault(name, number)
        number += 1
    return found


def role_json(role: Role) -> dict[str, str | None]:
    return {
        "code": role.code,
        "start": role.start.isoformat() if role.start else None,
        "end": role.end.isoformat() if role.end else None,
        "note": role.note,
    }


def actor_json(entry: ActorEntry) -> str:
    record = {
        "id": entry.id,
        "type": entry.type,
        "names": list(entry.names),
        "codes": [role_json(r) for r in entry.roles],
        "src": entry.src,
    }
    return json.dumps(record, ensure_ascii=False)


def write_jsonl(path: Path, lines: Iterable[str]) -> int:
    lines = list(lines)
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8", newline="\n")
    return len(lines)


@dataclass
class Report:
    """What each source file gave: read, converted, skipped (with reasons)."""

    read: Counter[str]
    converted: Counter[str]
    skipped: dict[str, list[str]]
    warnings: dict[str, list[str]]
    notes: list[str]
    reasons: dict[str, Counter[str]]

    def skip(self, key: str, what: str, reason: str) -> None:
        self.skipped.setdefault(key, []).append(what)
        self.reasons.setdefault(key, Counter())[reason] += 1


# --------------------------------------------------------------------------- actors


def place_spans(entry: ActorEntry) -> list[tuple[int, int]]:
    """Index ranges [a, b) of an entry's names that are places."""
    names = entry.names
    index = {n: i for i, n in reversed(list(enumerate(names)))}
    if entry.id in PLACE_SPANS:
        spans = []
        for first, last in PLACE_SPANS[entry.id]:
            a = index[first]
            b = index[last] + 1 if last is not None else len(names)
            spans.append((a, b))
        return spans
    candidates = []
    for role in entry.roles:
        for capital in CAPITALS.get(role.code, ()):
            if capital in index and capital != names[0]:
                candidates.append(index[capital])
    if not candidates:
        return []
    return [(min(candidates), len(names))]


def convert_countries(entries: list[ActorEntry], text: str, report: Report) -> list[ActorEntry]:
    out: list[ActorEntry] = []
    file = ACTOR_FILES[0][0]
    for entry in entries:
        place_level = bool(entry.roles) and all(
            _petrarch.is_place_code(r.code) for r in entry.roles
        )
        if not place_level:
            out.append(entry)
            continue
        lines = synonym_lines(text, int(entry.src.rsplit(":", 1)[1]))

        def city(
            name: str, _entry: ActorEntry = entry, _lines: dict[str, int] = lines
        ) -> ActorEntry:
            line = _lines.get(name, int(_entry.src.rsplit(":", 1)[1]))
            return ActorEntry(make_id(name), "city", (name,), _entry.roles, f"{file}:{line}")

        if entry.id in SUBNATIONAL:
            if entry.id in SPLIT_EVERY_NAME:
                out.extend(city(n) for n in entry.names)
            else:
                out.append(replace(entry, type="city"))
            continue
        spans = place_spans(entry)
        places = {i for a, b in spans for i in range(a, b)}
        keep = tuple(n for i, n in enumerate(entry.names) if i not in places)
        if not keep:  # the country's own name was listed as a place: keep it
            keep, places = entry.names[:1], places - {0}
        out.append(replace(entry, type="country", names=keep))
        out.extend(city(entry.names[i]) for i in sorted(places))
        if not spans:
            report.notes.append(f"no capital found among the names of {entry.id}: not split")
    return out


def make_id(name: str) -> str:
    return _petrarch.make_id(name)


def apply_exclusions(entries: list[ActorEntry], report: Report, key: str) -> list[ActorEntry]:
    """Drop ``EXCLUDED_NAMES``; add ASCII-folded variants of accented names."""
    out = []
    for entry in entries:
        dropped = [n for n in entry.names if n in EXCLUDED_NAMES]
        names = with_folded(n for n in entry.names if n not in EXCLUDED_NAMES)
        for name in dropped:
            what = "entry" if not names else "name"
            report.skip(
                key,
                f"{what} {name!r} of {entry.id} ({entry.src}): excluded, {EXCLUDED_NAMES[name]}",
                "excluded name (EXCLUDED_NAMES)",
            )
        if names:
            out.append(replace(entry, names=names))
    return out


def unique_ids(batches: list[list[ActorEntry]]) -> list[list[ActorEntry]]:
    """Make ids unique over all files: a repeated id gets ``_2``, ``_3``..."""
    used: set[str] = set()
    out = []
    for batch in batches:
        fixed = []
        for entry in batch:
            new_id, n = entry.id, 1
            while new_id in used:
                n += 1
                new_id = f"{entry.id}_{n}"
            used.add(new_id)
            fixed.append(replace(entry, id=new_id) if new_id != entry.id else entry)
        out.append(fixed)
    return out


def supplement_entries(existing: set[str], ids: set[str], report: Report) -> list[ActorEntry]:
    """``SUPPLEMENT`` entries, keeping only names Phoenix lacks.

    An id already used by Phoenix gets ``_TIDINGS`` appended: the loader's
    overlay replaces entries of equal id, which is not meant here.
    """
    out = []
    for entry_id, entry_type, names, code, note in SUPPLEMENT:
        new = []
        for name in names:
            bare = name.removeprefix("the ")
            if name in existing or (bare != name and bare in existing):
                report.notes.append(f"supplement name {name!r} ({entry_id}) already in Phoenix")
                continue
            new.append(name)
        if not new:
            continue
        if entry_id in ids:
            entry_id = f"{entry_id}_TIDINGS"
        out.append(
            ActorEntry(
                entry_id, entry_type, with_folded(new), (Role(code, None, None, note),), "tidings"
            )
        )
    return out


# --------------------------------------------------------------------------- other files


def agent_json(entry: AgentEntry) -> str:
    record: dict[str, object] = {
        "id": entry.id,
        "names": list(entry.names),
        "code": entry.code,
        "src": entry.src,
    }
    if entry.prefix:
        record["prefix"] = True
    return json.dumps(record, ensure_ascii=False)


def agent_supplement(
    entries: list[AgentEntry],
    extra: Iterable[tuple[tuple[str, ...], str]],
    report: Report,
) -> list[AgentEntry]:
    """``AGENT_SUPPLEMENT`` entries for the names Phoenix lacks."""
    known = {name for entry in entries for name in entry.names}
    ids = {entry.id for entry in entries}
    out = []
    for names, code in extra:
        new = tuple(n for n in names if n not in known)
        for name in names:
            if name in known:
                report.notes.append(f"agent supplement name {name!r} already in Phoenix")
        if new:
            entry_id = make_id(new[0])
            if entry_id in ids:
                entry_id += "_TIDINGS"
            out.append(AgentEntry(entry_id, new, code, "tidings"))
    return out


def discard_json(entry: DiscardEntry) -> str:
    return json.dumps(
        {"names": list(entry.names), "scope": entry.scope, "stem": entry.stem, "src": entry.src},
        ensure_ascii=False,
    )


def issue_json(entry: IssueEntry) -> str:
    record: dict[str, object] = {
        "id": entry.id,
        "names": list(entry.names),
        "code": entry.code,
        "category": entry.category,
        "src": entry.src,
    }
    if entry.ignore:
        record["ignore"] = entry.ignore
    return json.dumps(record, ensure_ascii=False)


# --------------------------------------------------------------------------- main


def record_issues(report: Report, key: str, issues: Iterable[DictionaryIssue]) -> None:
    for issue in issues:
        text = f"line {issue.line}: {issue.message}"
        if issue.level == "error":
            report.skip(key, text, _reason(issue.message))
        else:
            report.warnings.setdefault(key, []).append(text)


def build(phoenix: Path, out: Path) -> Report:
    report = Report(Counter(), Counter(), {}, {}, [], {})
    out.mkdir(parents=True, exist_ok=True)
    fix_log: list[str] = []
    batches: list[list[ActorEntry]] = []
    for source, target, kind in ACTOR_FILES:
        issues: list[DictionaryIssue] = []
        text, log = read_fixed(phoenix / source, issues)
        fix_log += log
        entries, parse_issues = _petrarch.parse_actor_text(phoenix / source, text, hint=kind)
        issues += parse_issues
        record_issues(report, target, issues)
        # entries read = entries parsed + entries the parser skipped
        report.read[target] = len(entries) + sum(
            1 for i in parse_issues if i.level == "error" and i.message.startswith("actor ")
        )
        if kind == "countries":
            entries = convert_countries(entries, text, report)
        batches.append(apply_exclusions(entries, report, target))
    batches = unique_ids(batches)
    existing = {name for batch in batches for entry in batch for name in entry.names}
    ids = {entry.id for batch in batches for entry in batch}
    supplement = supplement_entries(existing, ids, report)
    for (_, target, _), batch in zip(ACTOR_FILES, batches, strict=True):
        report.converted[target] = write_jsonl(out / target, map(actor_json, batch))
    report.read["tidings.jsonl"] = len(SUPPLEMENT)
    report.converted["tidings.jsonl"] = write_jsonl(
        out / "tidings.jsonl", map(actor_json, supplement)
    )

    # agents, discards, issues
    extra_agents = AGENT_SUPPLEMENT
    for source, target, parse, dump in (
        (AGENT_FILE, "agents.jsonl", _petrarch.parse_agent_text, agent_json),
        (DISCARD_FILE, "discards.jsonl", _petrarch.parse_discard_text, discard_json),
        (ISSUE_FILE, "issues.jsonl", _petrarch.parse_issue_text, issue_json),
    ):
        issues = []
        text, log = read_fixed(phoenix / source, issues)
        fix_log += log
        entries, parse_issues = parse(phoenix / source, text)
        record_issues(report, target, issues + parse_issues)
        report.read[target] = len(entries) + sum(1 for i in parse_issues if i.level == "error")
        if target == "agents.jsonl":
            entries = entries + agent_supplement(entries, extra_agents, report)
        report.converted[target] = write_jsonl(out / target, map(dump, entries))

    (out / "LICENSE-phoenix.txt").write_bytes((phoenix / "LICENSE").read_bytes())
    write_provenance(out / "PROVENANCE.md", report, fix_log, batches, supplement)
    return report


def write_provenance(
    path: Path,
    report: Report,
    fix_log: list[str],
    batches: list[list[ActorEntry]],
    supplement: list[ActorEntry],
) -> None:
    types = Counter(e.type for batch in batches for e in batch)
    types_sup = Counter(e.type for e in supplement)
    out = [
        "# Provenance of the actor dictionaries",
        "",
        "Generated by `scripts/build_dictionaries.py`; do not edit by hand (edit the script's",
        "tables and rerun it).",
        "",
        "## Source",
        "",
        f"- Repository: `{SOURCE_REPO}` (GitHub), commit `{SOURCE_COMMIT}`,",
        "  `petrarch2/data/dictionaries/`.",
        "- Licence: MIT, Copyright (c) 2014 Open Event Data Alliance; see `LICENSE-phoenix.txt`.",
        "- Files: "
        + ", ".join(
            f"`{f}`"
            for f in [*(a for a, _, _ in ACTOR_FILES), AGENT_FILE, DISCARD_FILE, ISSUE_FILE]
        )
        + ".",
        '- `tidings.jsonl` is ours (the `SUPPLEMENT` table of the script), `src: "tidings"`.',
        "",
        "## What the conversion does",
        "",
        "- Parses the PETRARCH/TABARI format with `tidings.dictionaries._petrarch` (comments,",
        "  `+` synonyms, `[CODE]`, `[CODE >DATE]`, `[CODE <DATE]`, `[CODE DATE-DATE]`; several",
        "  codes on a primary line as in TABARI; 6-digit dates `YYMMDD` with `YY` <= 30 read as",
        "  20YY, else 19YY, as in KEDS/TABARI/PETRARCH; bounds inclusive).",
        "- Names: lowercase, `_` to a blank, blanks collapsed, trailing `_` dropped, punctuation",
        "  kept; duplicates removed in source order, primary first; ASCII-folded variants added",
        "  after accented names.",
        "- Notes: the comment of a code line becomes the role's `note` (editor stamps and file",
        "  tags such as `CountryInfo.txt` or `MleH 23 Jul 2009` are dropped).",
        "- `[---]` (null code): dropped when the entry has other codes (outside its dates a role",
        "  never applies anyway); an entry whose only code is `[---]` is kept with `codes: []`:",
        "  it still matches, so it keeps a shorter name inside it from coding (`indian ocean`",
        "  must not code `IND` through `indian`), but it codes nothing.",
        "- A primary line with no code directly followed by another primary line (no `+`) is",
        "  read as a synonym of the entry that follows (PETRARCH would code it as nothing).",
        "- Types are heuristic (see the script's docstring): country entries are split at their",
        "  capital into the country (names, demonyms) and one `city` entry per place.",
        "- Ids: the primary name upper-cased (`SERGEY_LAVROV`), unique over the actor files",
        "  (`_2`, `_3`... in file order).",
        "- Agents: `[~CODE]` -> `code` (`prefix: true` for `[CODE~]`); plurals: the last word",
        "  (`s`, `es` after s/sh/ch/x/z, consonant+`y` -> `ies`, `-man` -> `-men`; words already",
        "  ending in `s` get none), plus the head noun of `X of Y` phrases (`heads of state`);",
        "  `{...}` replaces them, `{}` suppresses them; `!MARKER!` sets expanded without plurals.",
        "- Discards: one record per line; `scope` is `story` for a leading `+`, else `sentence`;",
        "  `stem` is true when the phrase does not end in `_` (TABARI matched those as prefixes).",
        "- Issues: one record per phrase line, `n:`/`v:`/`+` expanded as PETRARCH does; `~` and",
        "  `~~` exclusion phrases have `code: null` and `ignore: sentence|story`.",
        "",
        "## Counts",
        "",
        "| file | entries read | converted (lines written) | skipped or dropped | warnings |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for key in report.converted:
        out.append(
            f"| `{key}` | {report.read[key]} | {report.converted[key]} | "
            f"{len(report.skipped.get(key, []))} | {len(report.warnings.get(key, []))} |"
        )
    out += [
        "",
        "Actor files hold more lines than entries read because country entries are split into",
        "a country and its places.",
        "",
        "Actor types (Phoenix files): "
        + ", ".join(f"{t} {types[t]}" for t in sorted(types))
        + "; `tidings.jsonl`: "
        + ", ".join(f"{t} {types_sup[t]}" for t in sorted(types_sup))
        + ".",
        "",
        "## Source fixes applied before parsing",
        "",
        *(f"- {line}" for line in fix_log),
        "",
        "## Excluded names",
        "",
        *(f"- `{name}`: {why}" for name, why in EXCLUDED_NAMES.items()),
        "",
        "## Ambiguous names kept",
        "",
        *(f"- `{name}`: {why}" for name, why in KEPT_AMBIGUOUS.items()),
        "",
        "## Not converted (errors: skipped entries, names, codes or lines)",
        "",
    ]
    for key, items in report.skipped.items():
        out.append(f"### `{key}`")
        out.append("")
        out += [f"- {item}" for item in items]
        out.append("")
    out += ["## Read with a repair or assumption (warnings)", ""]
    for key, items in report.warnings.items():
        out.append(f"### `{key}`")
        out.append("")
        out += [f"- {item}" for item in items]
        out.append("")
    if report.notes:
        out += ["## Notes", ""]
        out += [f"- {note}" for note in report.notes]
        out.append("")
    path.write_text("\n".join(out).rstrip("\n") + "\n", encoding="utf-8", newline="\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument(
        "--phoenix",
        type=Path,
        default=DEFAULT_PHOENIX,
        help=f"Phoenix dictionary directory (default: {DEFAULT_PHOENIX})",
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"output directory (default: {DEFAULT_OUT})"
    )
    args = parser.parse_args(argv)
    if not (args.phoenix / "Phoenix.Countries.actors.txt").is_file():
        print(f"error: no Phoenix dictionaries in {args.phoenix}", file=sys.stderr)
        return 2
    report = build(args.phoenix, args.out)
    width = max(len(k) for k in report.converted)
    for key in report.converted:
        skipped = report.skipped.get(key, [])
        print(
            f"{key:<{width}}  read {report.read[key]:>6}  converted {report.converted[key]:>6}  "
            f"skipped {len(skipped):>4}  warnings {len(report.warnings.get(key, [])):>4}"
        )
        for reason, count in sorted(report.reasons.get(key, Counter()).items()):
            print(f"{'':<{width}}    {count:>4} x {reason}")
    print(f"wrote {args.out} (details in PROVENANCE.md)")
    return 0


def _reason(message: str) -> str:
    """A short reason for a parser error, for grouping in the summary."""
    for marker, reason in (
        ("has no code", "actor without code"),
        ("no usable name", "actor without usable name"),
        ("contains", "bad characters in phrase"),
        ("is not", "invalid date"),
        ("no [code]", "line without [code]"),
        ("after end", "start after end"),
        ("fix not applied", "source changed: fix not applied"),
    ):
        if marker in message:
            return reason
    return message.split(";")[0][:60]


if __name__ == "__main__":
    sys.exit(main())
