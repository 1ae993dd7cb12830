"""Name normalisation and the variants of a place expression tried for lookup.

Gazetteer keys and looked-up names go through the same :func:`normalize`, so
"Nur-Sultan", "nur sultan" and "NUR SULTAN" meet on one key, "Türkiye" meets
"Turkiye", "U.S." meets "US" and "the Netherlands" meets "Netherlands".  The
function is on the index-building hot path (~400k names), hence the ASCII
fast path: only non-ASCII strings pay for Unicode decomposition.

News text decorates place names ("Eastern Aleppo", "rebel-held Aleppo",
"Idlib province", "New York state").  Such decorations are stripped only
when the full expression is unknown, so names that merely *start* with a
direction ("North Korea", "West Virginia", "South Sudan", "East Jerusalem")
are found as themselves first.  A stripped generic noun doubles as a hint of
the feature type the writer meant ("Idlib province" is the province, not the
city).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

__all__ = ["is_vague", "name_variants", "normalize"]

# Punctuation that varies between spellings of one name: dropped (dots of
# abbreviations, apostrophes of transliterations) or turned into a space;
# plus the combining accents left by NFKD decomposition ("é" → "e" + U+0301).
# One translate table does both in a single C-level pass.
_FOLD = str.maketrans(
    {
        ".": "",
        "'": "",
        "’": "",
        "‘": "",
        "ʼ": "",
        "ʻ": "",
        "`": "",
        ",": " ",
        "-": " ",
        "‐": " ",
        "‑": " ",
        "–": " ",
        "—": " ",
        "(": " ",
        ")": " ",
        "[": " ",
        "]": " ",
        "/": " ",
        **{chr(cp): None for cp in range(0x300, 0x370)},
    }
)


def normalize(name: str) -> str:
    """Fold case, accents and punctuation; drop a leading "the".

    >>> normalize("the Türkiye")
    'turkiye'
    >>> normalize("U.S.")
    'us'
    >>> normalize("Москва")
    'москва'
    """
    s = name.casefold()
    if not s.isascii():
        s = unicodedata.normalize("NFKD", s)
    s = " ".join(s.translate(_FOLD).split())
    if s.startswith("the "):
        s = s[4:]
    return s


# Leading words that qualify a place without being part of its name.
_PREFIX_WORDS = frozenset(
    [
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "northeastern",
        "northwestern",
        "southeastern",
        "southwestern",
        "greater",
        "downtown",
        "rural",
        "coastal",
        "outer",
        "inner",
        "upper",
        "lower",
        "besieged",
        "occupied",
        "suburban",
        "metropolitan",
        "neighbouring",
        "neighboring",
        "nearby",
    ]
)
# "rebel-held Aleppo", "government-controlled Homs", "war-torn Syria"
_PREFIX_SECOND = frozenset(
    ["held", "controlled", "occupied", "run", "torn", "hit", "ravaged", "besieged"]
)

# Trailing generic nouns, with the feature type they point to.
_SUFFIX_HINTS: dict[str, str] = {
    "province": "adm1",
    "governorate": "adm1",
    "region": "adm1",
    "oblast": "adm1",
    "state": "adm1",
    "territory": "adm1",
    "prefecture": "adm1",
    "district": "adm1",
    "county": "adm1",
    "republic": "adm1",
    "city": "city",
    "town": "city",
    "village": "city",
    "area": "",
    "countryside": "",
    "suburbs": "",
    "outskirts": "",
}


def is_vague(key: str) -> bool:
    """Whether a normalised name is only a direction or qualifier ("east", "central").

    Several countries have subdivisions literally named "Eastern" or
    "Central", but "in the East" in news copy is not Ghana's Eastern Region:
    such bare words are never resolved.
    """
    return key in _PREFIX_WORDS


def _strip_prefix(words: list[str]) -> list[str]:
    out = list(words)
    while len(out) > 1:
        if out[0] in _PREFIX_WORDS:
            out = out[1:]
        elif len(out) > 2 and out[1] in _PREFIX_SECOND:
            out = out[2:]
        else:
            break
    return out


def name_variants(key: str) -> Iterator[tuple[str, str | None]]:
    """Yield (normalised name, type hint) to try in order, the full name first.

    ``key`` must already be normalised.  The hint is a feature type ("adm1",
    "city") suggested by a stripped generic noun, or None.
    """
    yield key, None
    words = key.split()
    if len(words) < 2:
        return
    seen = {key}
    bare = _strip_prefix(words)
    hint: str | None = None
    core = bare
    if len(core) > 1 and core[-1] in _SUFFIX_HINTS:
        hint = _SUFFIX_HINTS[core[-1]] or None
        core = core[:-1]
    for variant, h in ((bare, None), (core, hint)):
        text = " ".join(variant)
        if text and text not in seen:
            seen.add(text)
            yield text, h
