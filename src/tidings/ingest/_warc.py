"""Reader for web archives: WARC and ARC files, plain or gzipped (via warcio).

Crawls (our own, Common Crawl, the Internet Archive's) are stored as WARC,
and they are the reproducible way to code news from the web: the capture
is fixed, the live page is not.  Each HTML ``response`` record with a 2xx
status becomes an article, extracted like a saved page, with
``Article.url`` set to the capture URL (``WARC-Target-URI``).

The capture date (``WARC-Date``) is used as the publication date only when
the page itself gives none: a capture can be years after publication, so
it is a last resort, but an undated article cannot be placed in time at all.

Requests, metadata, revisits, images, scripts and error pages are skipped
silently and counted (logged at INFO level): a crawl is mostly such records
and reporting each would drown the real problems.  A truncated or corrupt
archive yields one problem for the rest of the file; the records read
before the damage are kept.  warcio does not always raise on damage (a cut
record just reads short), so completeness is checked by hand: every record
must deliver its declared length and the reader must reach the end of file.
"""

from __future__ import annotations

import datetime as _dt
import logging
import os
from collections.abc import Iterator
from dataclasses import replace
from typing import IO, Any

from tidings.errors import InputError
from tidings.model import Article

from ._common import IngestProblem, outlet_from_url, problem
from ._fetch import HTML_TYPES, decode_html
from ._html import read_article_html
from ._options import IngestOptions

log = logging.getLogger("tidings.ingest")

WARC_EXTENSIONS: tuple[str, ...] = (".warc", ".warc.gz", ".arc", ".arc.gz")
_DRAIN_CHUNK = 1024 * 1024


class _Truncated(Exception):
    """A record ended before its declared length."""


def _media_type(record: Any) -> str:
    headers = record.http_headers
    value = headers.get_header("Content-Type") if headers is not None else None
    return (value or "").split(";")[0].strip().lower()


def _charset(record: Any) -> str | None:
    value = record.http_headers.get_header("Content-Type") or ""
    for param in value.split(";")[1:]:
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset" and val.strip(" \"'"):
            return val.strip(" \"'")
    return None


def _is_article_candidate(record: Any) -> bool:
    """An HTML page captured with a success status."""
    if record.rec_type != "response" or record.http_headers is None:
        return False
    status = record.http_headers.get_statuscode() or ""
    return status.startswith("2") and _media_type(record) in HTML_TYPES


def _read_body(record: Any, limit: int) -> bytes | None:
    """The decoded HTTP payload, or None when it is over ``limit`` bytes."""
    stream = record.content_stream()
    body = stream.read(limit + 1)
    return None if len(body) > limit else body


def _drain(record: Any) -> None:
    """Consume what is left of a record and check it was all there."""
    raw = record.raw_stream
    while raw.read(_DRAIN_CHUNK):
        pass
    if getattr(raw, "limit", 0) > 0:
        raise _Truncated


def _header_complete(record: Any) -> bool:
    """Whether warcio read a whole record header (a cut one still yields a record)."""
    length = record.rec_headers.get_header("Content-Length") or ""
    return record.rec_type is not None and length.strip().isdigit()


def _capture_date(record: Any) -> _dt.date | None:
    value = record.rec_headers.get_header("WARC-Date") or ""
    try:
        return _dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def iter_warc(path: str, options: IngestOptions) -> Iterator[Article | IngestProblem]:
    """Yield the articles of one archive file, and its problems."""
    try:
        size = os.path.getsize(path)
        stream = open(path, "rb")  # noqa: SIM115 - closed in the finally below
    except OSError as exc:
        yield problem(path, f"cannot read: {exc.strerror or exc}")
        return
    try:
        yield from _iter_records(stream, path, size, options)
    finally:
        stream.close()


def _iter_records(
    stream: IO[bytes], path: str, size: int, options: IngestOptions
) -> Iterator[Article | IngestProblem]:
    from warcio.archiveiterator import ArchiveIterator

    articles = pages = skipped = 0
    iterator: Any = None
    offset = 0
    try:
        iterator = ArchiveIterator(stream, arc2warc=True)
        for record in iterator:
            offset = iterator.offset  # where this record starts (get_record_offset() reads it)
            if not _header_complete(record):
                raise _Truncated
            if not _is_article_candidate(record):
                _drain(record)
                skipped += 1
                continue
            pages += 1
            url = record.rec_headers.get_header("WARC-Target-URI") or None
            where = f"{path}@{offset}"
            body = _read_body(record, options.max_bytes)
            _drain(record)
            if body is None:
                yield problem(where, f"{url}: page too large (over {options.max_bytes} bytes)")
                continue
            try:
                article = read_article_html(decode_html(body, _charset(record)), source=where)
            except InputError as exc:
                yield problem(where, f"{url}: {exc}")
                continue
            articles += 1
            yield replace(
                article,
                url=url or article.url,
                date=article.date or _capture_date(record),
                outlet=article.outlet or outlet_from_url(url),
            )
        end = iterator.offset
    except _Truncated:
        yield problem(
            f"{path}@{offset}",
            f"truncated archive: the record at byte {offset} is incomplete; "
            f"rest of the file skipped ({articles} articles read before it)",
        )
        return
    except Exception as exc:  # warcio raises many types on damaged input
        yield problem(
            f"{path}@{offset}",
            f"corrupt archive after byte {offset} ({type(exc).__name__}: {exc}); "
            f"rest of the file skipped ({articles} articles read before it)",
        )
        return
    if end < size:
        yield problem(
            f"{path}@{end}",
            f"truncated or corrupt archive: unreadable data from byte {end} of {size}; "
            f"rest of the file skipped ({articles} articles read before it)",
        )
    elif size == 0:
        yield problem(path, "empty file")
    elif pages == 0 and skipped:
        yield problem(path, f"no HTML pages in archive ({skipped} other records skipped)")
    log.info("%s: %d articles, %d non-article records skipped", path, articles, skipped)
