"""Helpers shared by every input format.

They live here rather than in a format module so that the markdown, HTML and
JSONL readers agree on the things downstream stages rely on: how a document
id is derived (the store deduplicates on it), how dates and bylines are read,
and how an outlet is named when the input names none.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

#: File extensions ``iter_articles`` reads; anything else given explicitly is
#: reported, anything else found while walking a directory is ignored.
SUPPORTED_EXTENSIONS: tuple[str, ...] = (".md", ".txt", ".html", ".htm", ".jsonl")

#: ``Article.language`` of a record that named no language; ``iter_articles``
#: replaces it with the detected language before the article leaves ingest.
UNKNOWN_LANGUAGE = ""

#: Prefix of content-derived document ids, so that a hash is never mistaken
#: for an id a corpus supplied itself.
DOC_ID_PREFIX = "sha1:"


@dataclass(frozen=True, slots=True)
class IngestProblem:
    """Something wrong with one input, reported instead of raised.

    Ingesting a corpus must not stop at its first bad file, so problems travel
    in the same stream as the articles and the caller decides what to do with
    them.  ``level`` "error" means the input (or JSONL line) was skipped,
    "warning" that it was processed anyway.
    """

    source: str  # path, "path:LINE" for a JSONL line, or "-" for stdin
    message: str  # one line, human readable
    level: Literal["warning", "error"]


def problem(
    source: str, message: str, level: Literal["warning", "error"] = "error"
) -> IngestProblem:
    """Build an :class:`IngestProblem` whose message is guaranteed one line.

    Messages often embed exception texts (JSON decoder, OS errors) that may
    span lines; a CLI printing one problem per line must not be broken by them.
    """
    return IngestProblem(
        source=escape_controls(source),
        message=escape_controls(" ".join(message.split())),
        level=level,
    )


#: Control characters (C0 but tab, DEL, C1) and lone surrogates: a file name
#: or a record holding them must not split or colour a terminal line.
_CONTROLS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff]")


def escape_controls(text: str) -> str:
    """``text`` with control characters and lone surrogates shown as escapes (``\\n``, ``\\x1b``).

    Every message Tidings prints names an input; a name with a newline or a
    terminal escape sequence must stay one plain line.
    """
    return _CONTROLS.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


_SURROGATES = re.compile(r"[\ud800-\udfff]")


def repair_text(text: str) -> str:
    """``text`` with lone surrogates replaced by U+FFFD.

    JSON allows escapes like ``"\\ud800"`` that are not Unicode; the
    language detector, spaCy and the store's UTF-8 encoder all refuse them.
    """
    return _SURROGATES.sub("\ufffd", text) if _SURROGATES.search(text) else text


def normalize_newlines(text: str) -> str:
    """Unify line endings and drop a leading byte-order mark."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.removeprefix("\ufeff")


def content_doc_id(text: str) -> str:
    """A stable id derived from content: ``sha1:`` + 16 hex digits.

    The id depends on the text only (line endings and surrounding whitespace
    normalised), never on the path, so the same article ingested from two
    places, or twice, gets the same id and the store can recognise it.
    """
    normalized = normalize_newlines(text).strip()
    digest = hashlib.sha1(normalized.encode("utf-8", "surrogatepass")).hexdigest()
    return DOC_ID_PREFIX + digest[:16]


def collapse_whitespace(text: str) -> str:
    """Join the lines of a paragraph with single spaces."""
    return " ".join(text.split())


def split_blocks(text: str) -> list[str]:
    """Split text into blank-line-separated blocks, each joined to one line."""
    blocks = re.split(r"\n[ \t\u00a0]*\n", normalize_newlines(text))
    return [b for b in (collapse_whitespace(block) for block in blocks) if b]


def clean_article(article):
    """``article`` with lone surrogates repaired in every text field (see :func:`repair_text`)."""
    from dataclasses import replace

    def fix(value):
        return repair_text(value) if isinstance(value, str) else value

    def fix_paragraphs(paragraphs):
        return tuple(
            replace(p, text=repair_text(p.text)) if _SURROGATES.search(p.text) else p
            for p in paragraphs
        )

    fields = (article.doc_id, article.title, article.url, article.outlet, article.source)
    texts = [p.text for p in (*article.paragraphs, *article.embeds)]
    if not any(isinstance(v, str) and _SURROGATES.search(v) for v in (*fields, *texts)) and not any(
        _SURROGATES.search(a) for a in article.authors
    ):
        return article
    return replace(
        article,
        doc_id=fix(article.doc_id),
        title=fix(article.title),
        url=fix(article.url),
        outlet=fix(article.outlet),
        source=fix(article.source),
        authors=tuple(repair_text(a) for a in article.authors),
        paragraphs=fix_paragraphs(article.paragraphs),
        embeds=fix_paragraphs(article.embeds),
    )


# --------------------------------------------------------------------- dates

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("january", "jan"),
        ("february", "feb"),
        ("march", "mar"),
        ("april", "apr"),
        ("may",),
        ("june", "jun"),
        ("july", "jul"),
        ("august", "aug"),
        ("september", "sep", "sept"),
        ("october", "oct"),
        ("november", "nov"),
        ("december", "dec"),
    ),
    start=1,
):
    for _name in _names:
        _MONTHS[_name] = _number

_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
# A trailing time ("10:30 AM", "- 14:05 MSK") is tolerated and ignored.
_TIME = r"(?:\s*[,|\-\u2013\u2014]?\s*(?:at\s+)?\d{1,2}[:.]\d{2}\b.{0,20})?"
_DATE_PATTERNS = tuple(
    re.compile(rf"^{_WEEKDAY}{body}{_TIME}$", re.IGNORECASE)
    for body in (
        rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}",  # December 21, 2016 / Dec. 21, 2016
        rf"{_DAY}\s+{_MONTH},?\s+{_YEAR}",  # 21 December 2016
        r"(?P<year>\d{4})-(?P<mnum>\d{1,2})-(?P<day>\d{1,2})",  # 2016-12-21
    )
)


def parse_date(text: str) -> _dt.date | None:
    """Parse a whole string as a calendar date, or return None.

    Only complete dates are accepted (the article model stores a day), and
    the string must be nothing but the date (optionally with weekday and
    time) so that a body sentence mentioning a date is never taken for a
    dateline.
    """
    candidate = text.strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.match(candidate)
        if not match:
            continue
        groups = match.groupdict()
        if groups.get("mnum"):
            month: int | None = int(groups["mnum"])
        else:
            month = _MONTHS.get(groups["month"].lower())
        if month is None:
            continue
        try:
            return _dt.date(int(groups["year"]), month, int(groups["day"]))
        except ValueError:
            return None
    return None


# ------------------------------------------------------------------- authors

_AUTHOR_SEPARATORS = re.compile(r"\s*(?:;|,|&|\band\b)\s*", re.IGNORECASE)
_NAME_PARTICLES = frozenset(
    {"de", "da", "del", "der", "van", "von", "la", "le", "al", "el", "bin", "ibn", "du", "dos"}
)


def looks_like_name(text: str) -> bool:
    """Whether ``text`` plausibly is a person's (or a desk's) name.

    Used to tell a byline ("By Vladimir Frolov") from a sentence that merely
    starts with "By" ("By the end of the year ..."): names are short and
    their words are capitalised, apart from particles like "van" or "al".
    """
    words = text.split()
    if not 1 <= len(words) <= 6:
        return False
    for word in words:
        bare = word.strip(".'’\"()-")
        if not bare:
            continue
        if bare.split("-")[0].lower() in _NAME_PARTICLES:
            continue
        if not bare[0].isupper():
            return False
    return True


def split_authors(text: str) -> tuple[str, ...]:
    """Split a byline on "and", "&", "," and ";" into names.

    Parts that do not look like names (a job title after a comma, say) are
    dropped rather than reported as authors.
    """
    parts = (p.strip(" .") for p in _AUTHOR_SEPARATORS.split(text))
    return tuple(p for p in parts if p and looks_like_name(p))


# -------------------------------------------------------------------- outlet


def outlet_from_url(url: str | None) -> str | None:
    """The host of ``url`` without "www.", as a last-resort outlet name."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host.removeprefix("www.")
