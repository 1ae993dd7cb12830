"""Shared pieces of the PETRARCH/TABARI dictionary reader: source lines, phrases, ids, dates.

Part of :mod:`tidings.dictionaries._petrarch`, whose docstring describes the
format.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from tidings.dictionaries.actors import DictionaryIssue


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


_DATE_RE = re.compile(r"\d{6}|\d{8}")
_CODE_RE = re.compile(r"[A-Z0-9]+|---")
_WS_RE = re.compile(r"\s+")


# --------------------------------------------------------------------------- lines


@dataclass(frozen=True, slots=True)
class Line:
    """A non-blank, non-comment source line: its number, content and comment."""

    number: int
    content: str  # comment removed, not stripped
    comment: str | None  # text after '#', stripped, or None


def _decode(raw: bytes, name: str, number: int, issues: list[DictionaryIssue]) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        issues.append(
            DictionaryIssue(name, number, "line is not valid UTF-8; read as Latin-1", "warning")
        )
        return raw.decode("latin-1")


def read_lines(
    path: Path | str, text: str | None = None, *, semicolon_comments: bool = False
) -> tuple[list[Line], list[DictionaryIssue]]:
    """Split a dictionary into content lines, dropping comments and blank lines.

    ``text`` (if given) is used instead of reading ``path``; ``path`` then only
    names the file in issues and ``src`` fields.
    """
    path = Path(path)
    name = path.name
    issues: list[DictionaryIssue] = []
    if text is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            return [], [DictionaryIssue(name, 0, f"cannot read file: {exc.strerror}")]
        raw_lines = [_decode(b, name, i, issues) for i, b in enumerate(data.split(b"\n"), 1)]
    else:
        raw_lines = text.split("\n")
    if raw_lines and raw_lines[0].startswith("\ufeff"):
        raw_lines[0] = raw_lines[0][1:]
    out: list[Line] = []
    in_xml_comment = False
    for number, raw in enumerate(raw_lines, 1):
        line = raw.rstrip("\r")
        if in_xml_comment:
            if "-->" not in line:
                continue
            line = line[line.index("-->") + 3 :]
            in_xml_comment = False
        if line.startswith("#"):
            continue
        if line.startswith("<!"):  # as PETRARCH: a line starting "<!" is a comment
            in_xml_comment = line.startswith("<!--") and "-->" not in line[4:]
            continue
        while "<!--" in line:
            head, _, tail = line.partition("<!--")
            if "-->" in tail:
                line = head + tail[tail.index("-->") + 3 :]
            else:
                line, in_xml_comment = head, True
        comment = None
        if "#" in line:
            line, _, comment = line.partition("#")
            comment = comment.strip()
        if semicolon_comments and ";" in line:
            line, _, more = line.partition(";")
            more = more.strip()
            comment = f"{more} # {comment}" if comment and more else (more or comment)
        if not line.strip():
            continue
        out.append(Line(number, line, comment or None))
    return out, issues


# --------------------------------------------------------------------------- phrases


def normalize_phrase(raw: str) -> str:
    """``SERGEY_V._LAVROV_`` -> ``sergey v. lavrov``: lowercase, ``_`` to blank."""
    return _WS_RE.sub(" ", raw.replace("_", " ")).strip().lower()


def make_id(raw: str) -> str:
    """An entry id from a source phrase: ``Sergey_Lavrov_`` -> ``SERGEY_LAVROV``."""
    return normalize_phrase(raw).upper().replace(" ", "_")


def _bad_chars(phrase: str) -> str | None:
    for ch in phrase:
        if ch == "\ufffd":
            return "contains U+FFFD (a character lost in an earlier re-encoding)"
        if unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs"):
            return f"contains control character U+{ord(ch):04X}"
        if ch in "[]{}":
            return f"contains {ch!r}"
    return None


def parse_date(text: str) -> _dt.date:
    """``YYYYMMDD`` or ``YYMMDD`` (YY <= 30 -> 20YY, else 19YY) to a date.

    Raises ``ValueError`` with a readable message for anything else.
    """
    if not _DATE_RE.fullmatch(text):
        raise ValueError(f"date {text!r} is not YYMMDD or YYYYMMDD")
    if len(text) == 6:
        yy = int(text[:2])
        year = 2000 + yy if yy <= 30 else 1900 + yy
        month, day = int(text[2:4]), int(text[4:6])
    else:
        year, month, day = int(text[:4]), int(text[4:6]), int(text[6:8])
    try:
        return _dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"date {text!r} is not a calendar date") from None


def _unique(base: str, used: dict[str, int]) -> str:
    count = used.get(base, 0) + 1
    used[base] = count
    return base if count == 1 else f"{base}_{count}"
