"""Reader for JSONL corpora: one JSON object (one article) per line.

Corpora are large and assembled by other tools, so a bad line is reported
with its line number and skipped; it never stops the rest of the file.  The
file is streamed line by line so a corpus never has to fit in memory.

Record fields: ``text`` (required; ``content``, ``body`` or
``content_original`` stand in when it is absent); optional ``id``, ``title``, ``date``
(``YYYY-MM-DD``, a longer ISO timestamp is cut to its day), ``url``,
``source`` (the outlet; ``outlet`` is accepted too), ``authors`` (a list or
a string such as "A and B"; ``author`` is accepted too) and
``language``/``lang``.  Unknown fields are ignored.

``doc_id`` is the record's ``id`` as a string when present, otherwise
``sha1:`` followed by the first 16 hex digits of the SHA-1 of ``text``
(the same scheme as for files, see ``content_doc_id``).

Corpora assembled by others name their fields their own way (the AllSides
corpus has ``ID`` and ``content_original``), so the field names can be
mapped through :class:`IngestOptions` ``columns``; the CSV reader shares
:func:`record_to_article` and therefore the same rules.  A record without a
language gets ``UNKNOWN_LANGUAGE``, which ``iter_articles`` replaces with the
detected one.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Iterator
from typing import IO, Any

from tidings.model import Article, Paragraph

from ._boilerplate import drop_boilerplate
from ._common import (
    UNKNOWN_LANGUAGE,
    IngestProblem,
    collapse_whitespace,
    content_doc_id,
    normalize_newlines,
    problem,
    split_blocks,
)
from ._language import normalize_language
from ._options import IngestOptions

_DEFAULT_OPTIONS = IngestOptions()

_ISO_DATE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ][0-9:.+\-Z]*)?$")
_AUTHOR_SEPARATORS = re.compile(r"\s*(?:;|,|&|\band\b)\s*", re.IGNORECASE)


class _BadRecord(ValueError):
    """A record that cannot become an article; the message is the reason."""


def _optional_str(record: dict[str, Any], *keys: str) -> str | None:
    """The first present key's value, stripped; None/"" mean absent."""
    for key in keys:
        if key not in record or record[key] is None:
            continue
        value = record[key]
        if not isinstance(value, str):
            raise _BadRecord(f'"{key}" must be a string, not {type(value).__name__}')
        value = value.strip()
        if value:
            return value
    return None


def _id_key(record: dict[str, Any], key: str) -> str:
    """The record's id field: ``id``, else the corpus's own ``ID`` (AllSides and others
    spell it so) unless a mapping named another."""
    if key == "id" and "id" not in record and "ID" in record:
        return "ID"
    return key


def _doc_id(record: dict[str, Any], text: str, key: str = "id") -> str:
    value = record.get(key)
    if value is None:
        return content_doc_id(text)
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise _BadRecord(f'"{key}" must be a string or an integer, not {type(value).__name__}')
    doc_id = str(value).strip()
    if not doc_id:
        raise _BadRecord(f'"{key}" is empty')
    return doc_id


def _date(record: dict[str, Any], key: str = "date") -> _dt.date | None:
    value = record.get(key)
    if value is None or value == "":
        return None
    match = _ISO_DATE_RE.match(value.strip()) if isinstance(value, str) else None
    if match:
        try:
            return _dt.date.fromisoformat(match.group(1))
        except ValueError:
            pass
    raise _BadRecord(f"bad date {value!r} (expected YYYY-MM-DD)")


def _authors(
    record: dict[str, Any], keys: tuple[str, ...] = ("authors", "author")
) -> tuple[str, ...]:
    """Authors from a list of names or a byline-like string.

    Unlike markdown bylines, names here are not filtered by how they look:
    the corpus says they are authors, so "the Editorial Board" stays.
    """
    key = next((k for k in keys if k in record), keys[0])
    value = record.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        names = _AUTHOR_SEPARATORS.split(value)
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        names = value
    else:
        raise _BadRecord(f'"{key}" must be a string or a list of strings')
    return tuple(n for n in (collapse_whitespace(name) for name in names) if n)


def _paragraphs(text: str) -> tuple[Paragraph, ...]:
    """Blank-line-separated blocks; single newlines when there are none."""
    normalized = normalize_newlines(text)
    if re.search(r"\n[ \t\u00a0]*\n", normalized):
        blocks = split_blocks(normalized)
    else:
        blocks = [b for b in (collapse_whitespace(line) for line in normalized.split("\n")) if b]
    return drop_boilerplate([Paragraph(block) for block in blocks])


def _keys(options: IngestOptions, name: str, *aliases: str) -> tuple[str, ...]:
    """The keys tried for field ``name``: the mapped column alone, else name and aliases."""
    column = options.column(name)
    return (column,) if column != name else (name, *aliases)


def record_to_article(
    record: object,
    *,
    source: str,
    options: IngestOptions | None = None,
    lost: list[str] | None = None,
) -> Article:
    """Build an article from one decoded record (JSON object or CSV row), or raise ``_BadRecord``.

    Field names go through ``options.columns``; error messages name the
    corpus's own key, so a user can find it in the file.  With a ``lost``
    list, a bad optional field (a date like ``12/20/16``, a numeric title)
    is left out and its reason appended there instead: the text is what
    matters, and losing it for a metadata slip would be a silent loss.
    """

    def optional(read, *args, default=None):
        try:
            return read(*args)
        except _BadRecord as exc:
            if lost is None:
                raise
            lost.append(str(exc))
            return default

    opts = options or _DEFAULT_OPTIONS
    if not isinstance(record, dict):
        raise _BadRecord(f"expected a JSON object, got {type(record).__name__}")
    text_keys = opts.text_columns()
    text_key = next((k for k in text_keys if record.get(k) is not None), text_keys[0])
    text = record.get(text_key)
    if text is None:
        raise _BadRecord(f'missing "{text_key}"')
    if not isinstance(text, str):
        raise _BadRecord(f'"{text_key}" must be a string, not {type(text).__name__}')
    if not text.strip():
        raise _BadRecord(f'empty "{text_key}"')
    title = optional(_optional_str, record, opts.column("title"))
    language = optional(_optional_str, record, *_keys(opts, "language", "lang"))
    return Article(
        doc_id=_doc_id(record, text, _id_key(record, opts.column("id"))),
        title=collapse_whitespace(title) if title else "",
        paragraphs=_paragraphs(text),
        authors=optional(_authors, record, _keys(opts, "authors", "author"), default=()),
        date=optional(_date, record, opts.column("date")),
        url=optional(_optional_str, record, opts.column("url")),
        outlet=optional(_optional_str, record, *_keys(opts, "source", "outlet")),
        language=normalize_language(language) if language else UNKNOWN_LANGUAGE,
        source=source,
    )


def bounded_lines(stream: IO[bytes], limit: int) -> Iterator[tuple[int, bytes | None]]:
    """``(line number, bytes)`` for each line of ``stream``; ``None`` for a line over ``limit``.

    An over-long line is skipped while reading, a megabyte at a time, so one
    runaway record (a gzip bomb, a file without newlines) never has to fit in
    memory.
    """
    lineno = 0
    while True:
        raw = stream.readline(limit + 1)
        if not raw:
            return
        lineno += 1
        if len(raw) > limit and not raw.endswith(b"\n"):
            while True:
                rest = stream.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield lineno, None
        else:
            yield lineno, raw


def iter_jsonl(
    stream: IO[bytes], path: str, options: IngestOptions | None = None
) -> Iterator[Article | IngestProblem]:
    """Yield an article or a problem for every non-blank line of ``stream``.

    Each article's ``source`` is ``"PATH:LINE"`` so it can be traced back to
    its line.  A file with no non-blank line at all yields one "empty file"
    error, like the other formats.  A line longer than the options'
    ``max_record_bytes`` is reported and skipped without being held.
    """
    opts = options or _DEFAULT_OPTIONS
    seen_content = False
    for lineno, raw in bounded_lines(stream, opts.max_record_bytes):
        where = f"{path}:{lineno}"
        if raw is None:
            seen_content = True
            yield problem(
                where,
                f"line {lineno}: record larger than {opts.max_record_bytes:,} bytes "
                "(--max-record-bytes); skipped",
            )
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw.decode("utf-8", errors="replace")
            yield problem(
                where,
                f"line {lineno}: invalid UTF-8 at byte {exc.start}; decoded with replacement",
                "warning",
            )
        del raw
        if lineno == 1:
            line = line.removeprefix("\ufeff")
        if not line.strip():
            continue
        seen_content = True
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield problem(where, f"line {lineno}: invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        except RecursionError:
            yield problem(where, f"line {lineno}: invalid JSON: nested too deeply")
            continue
        except ValueError as exc:  # e.g. an integer of more than 4,300 digits
            yield problem(where, f"line {lineno}: invalid JSON: {exc}")
            continue
        del line
        yield from record_articles(record, where, f"line {lineno}", opts)
    if not seen_content:
        yield problem(path, "empty file")


def record_articles(
    record: object, where: str, label: str, options: IngestOptions
) -> Iterator[Article | IngestProblem]:
    """The article of one record, after a warning for each optional field it lost,
    or the one problem that makes it no article.  Shared by the JSONL and CSV readers."""
    lost: list[str] = []
    try:
        article = record_to_article(record, source=where, options=options, lost=lost)
    except _BadRecord as exc:
        yield problem(where, f"{label}: {exc}")
        return
    except Exception as exc:  # one odd record costs that record only
        yield problem(where, f"{label}: cannot read record ({type(exc).__name__}: {exc})")
        return
    for reason in lost:
        yield problem(where, f"{label}: {reason}; field ignored", "warning")
    yield article
