"""Turning inputs (files, directories, globs, URLs, "-") into articles.

This is where bad input is caught: every failure becomes an
:class:`IngestProblem` in the output stream instead of an exception, so one
unreadable file or dead link among thousands costs that input only and the
caller still learns exactly what went wrong and where.

It is also where every article gets its language: readers leave it to
this module, which runs the offline detector on each article unless a
corpus record names its language (see ``_language``).
"""

from __future__ import annotations

import glob
import gzip
import os
import stat
import sys
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO, TextIO

from tidings.errors import InputError
from tidings.model import Article

from ._common import (
    SUPPORTED_EXTENSIONS,
    UNKNOWN_LANGUAGE,
    IngestProblem,
    clean_article,
    outlet_from_url,
    problem,
)
from ._feeds import FEED_EXTENSIONS, iter_feed, looks_like_feed
from ._fetch import FEED_TYPES, Fetcher, FetchError, is_url
from ._html import looks_like_html, read_article_html
from ._jsonl import iter_jsonl
from ._language import detect_language
from ._markdown import read_article_text
from ._options import IngestOptions
from ._streams import BINARY_PROBE_BYTES, InputTooLarge, _bounded, _decode, _iter_csv_bytes
from ._warc import WARC_EXTENSIONS, iter_warc

STDIN = "-"

#: Corpus, archive and feed files: read when named or matched by a glob, but
#: not picked up by a directory walk, which looks for article files only
#: (``SUPPORTED_EXTENSIONS``): a data directory often holds CSV tables or
#: crawl archives that are not meant as input.
CORPUS_EXTENSIONS: tuple[str, ...] = (
    ".html.gz",  # saved pages, as crawlers and benchmarks keep them
    ".htm.gz",
    ".jsonl.gz",
    ".csv",
    ".tsv",
    ".csv.gz",
    ".tsv.gz",
    *WARC_EXTENSIONS,
    *FEED_EXTENSIONS,
)
ALL_EXTENSIONS: tuple[str, ...] = SUPPORTED_EXTENSIONS + CORPUS_EXTENSIONS
_BY_LENGTH = sorted(ALL_EXTENSIONS, key=len, reverse=True)
_SUPPORTED_LIST = ", ".join(SUPPORTED_EXTENSIONS)
_ALL_LIST = ", ".join(ALL_EXTENSIONS)
_GLOB_CHARS = frozenset("*?[")

_Reader = Callable[..., Article]
_READERS: dict[str, _Reader] = {
    ".md": read_article_text,
    ".txt": read_article_text,
    ".html": read_article_html,
    ".htm": read_article_html,
    ".html.gz": read_article_html,
    ".htm.gz": read_article_html,
}
#: Formats whose records may name their own language.
_RECORD_FORMATS = frozenset({".jsonl", ".jsonl.gz", ".csv", ".tsv", ".csv.gz", ".tsv.gz"})


def iter_articles(
    inputs: Sequence[str],
    *,
    stdin: TextIO | BinaryIO | None = None,
    options: IngestOptions | None = None,
) -> Iterator[Article | IngestProblem]:
    """Yield the articles of ``inputs``, and a problem for each bad input.

    Each input is a file, a directory (walked recursively for article files,
    hidden entries skipped, in sorted order so runs are reproducible), a
    glob pattern (``data/**/*.html``, expanded in sorted order), an
    ``http(s)://`` URL of a page or an RSS/Atom feed, or "-" for one article
    on ``stdin`` (``sys.stdin`` when not given).  Files are read by
    extension: ``.md``/``.txt``, ``.html``/``.htm``, ``.jsonl[.gz]``,
    ``.csv``/``.tsv`` (optionally ``.gz``), ``.warc[.gz]``/``.arc[.gz]``
    and feeds (``.rss``, ``.atom``, ``.rdf``, ``.xml``).

    Never raises for bad input: problems of level "error" mean the input
    (or record, or feed item) was skipped, "warning" that it was read anyway.
    """
    if isinstance(inputs, str | os.PathLike):  # a lone path, not a sequence of them
        inputs = [os.fspath(inputs)]
    run = _Run(options or IngestOptions())
    try:
        for item in inputs:
            name = os.fspath(item)
            if name == STDIN:
                items = run.finish(_read_stdin(stdin, run.options), trust_language=False)
            elif is_url(name):
                items = run.finish(run.read_url(name), trust_language=False)
            else:
                items = run.read_path(name)
            yield from _guarded(items, name)
    finally:
        run.close()


def _guarded(
    items: Iterator[Article | IngestProblem], name: str
) -> Iterator[Article | IngestProblem]:
    """``items``, with any unexpected failure turned into one problem naming the input.

    Readers report the failures they expect; this is the net under them, so
    a bug or an exotic input costs the rest of that input only, never the run
    (MemoryError included: the memory of the failed read is freed with it).
    """
    last = None
    try:
        for item in items:
            if isinstance(item, Article):
                last = item.source
            yield item
    except (Exception, MemoryError, RecursionError) as exc:  # the net itself
        reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        after = f" after {last}" if last and last != name else ""
        yield problem(name, f"cannot read{after} ({reason}); rest of this input skipped")


def _extension(name: str) -> str:
    """The longest known extension ``name`` ends with, else its last one."""
    lower = name.lower()
    for extension in _BY_LENGTH:
        if lower.endswith(extension):
            return extension
    return os.path.splitext(lower)[1]


def _is_glob(name: str) -> bool:
    return bool(_GLOB_CHARS & set(name)) and not os.path.lexists(name)


class _Run:
    """State shared by all inputs of one ``iter_articles`` call.

    The fetcher is created on first use, so runs over local files never
    import httpx, and is shared so the per-host politeness delay holds
    across every URL and feed item of the run.
    """

    def __init__(self, options: IngestOptions) -> None:
        self.options = options
        self._fetcher: Fetcher | None = None

    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = Fetcher(self.options)
        return self._fetcher

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()

    # ------------------------------------------------------------ language

    def finish(
        self, items: Iterator[Article | IngestProblem], *, trust_language: bool
    ) -> Iterator[Article | IngestProblem]:
        """Set each article's language, unless its record named one.

        ``trust_language`` is true for corpus records, whose language field
        (when present) is kept; every other reader's language is only the
        model's default and is detected.
        """
        opts = self.options
        for item in items:
            if isinstance(item, Article):
                item = clean_article(item)
            given = trust_language and getattr(item, "language", "") != UNKNOWN_LANGUAGE
            if not isinstance(item, Article) or given:
                yield item
            elif opts.detect_language:
                try:
                    language = detect_language(
                        item.text, default=opts.default_language, candidates=opts.languages
                    )
                except Exception as exc:  # a detector failure costs the guess only
                    yield problem(
                        item.source or item.doc_id,
                        f"language not detected ({type(exc).__name__}); "
                        f"assumed {opts.default_language!r}",
                        "warning",
                    )
                    language = opts.default_language
                yield replace(item, language=language)
            elif item.language == UNKNOWN_LANGUAGE:
                yield replace(item, language=opts.default_language)
            else:
                yield item

    # ---------------------------------------------------------------- URLs

    def read_url(self, url: str) -> Iterator[Article | IngestProblem]:
        """Fetch a page (one article) or a feed (an article per item)."""
        try:
            page = self.fetcher().fetch(url)
        except FetchError as exc:
            yield problem(url, str(exc))
            return
        if not page.body.strip():
            yield problem(url, "empty response")
            return
        if looks_like_feed(page.body):
            content_type = page.media_type + (f"; charset={page.charset}" if page.charset else "")
            yield from iter_feed(
                page.body,
                url,
                base_url=page.url,
                fetcher=self.fetcher,
                options=self.options,
                content_type=content_type or None,
            )
            return
        if page.media_type in FEED_TYPES:
            yield problem(url, f"{page.media_type} document is not an RSS or Atom feed")
            return
        try:
            article = read_article_html(page.text(), source=url)
        except InputError as exc:
            yield problem(url, str(exc))
            return
        yield replace(article, url=page.url, outlet=article.outlet or outlet_from_url(page.url))

    # --------------------------------------------------------------- paths

    def read_path(self, name: str) -> Iterator[Article | IngestProblem]:
        if _is_glob(name):
            yield from self._read_glob(name)
            return
        try:
            info = os.stat(name)
        except FileNotFoundError:
            yield problem(name, "no such file or directory")
            return
        except (OSError, ValueError) as exc:  # ValueError: NUL byte in the path
            message = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            yield problem(name, f"cannot access: {message}")
            return
        if stat.S_ISDIR(info.st_mode):
            yield from self._read_directory(name)
        else:
            yield from self.read_file(name)

    def _read_glob(self, pattern: str) -> Iterator[Article | IngestProblem]:
        """Read the files a pattern matches, each once, in sorted order.

        Matched directories contribute their article files (as in a
        directory walk); matched files of unknown types are ignored, as in a
        directory walk (``data/*`` should not complain about a README).
        """
        matches = glob.glob(pattern, recursive=True)
        if not matches:
            yield problem(pattern, f"no files match {pattern}")
            return
        files: set[str] = set()
        for match in matches:
            if os.path.isdir(match):
                found, errors = _walk(match)
                yield from errors
                files.update(found)
            elif _extension(match) in ALL_EXTENSIONS:
                files.add(match)
        if not files:
            yield problem(pattern, f"no supported files ({_ALL_LIST}) match {pattern}")
            return
        for path in sorted(files, key=lambda p: Path(p).parts):
            yield from self.read_file(path)

    def _read_directory(self, top: str) -> Iterator[Article | IngestProblem]:
        """Read every article file below ``top`` (see :func:`_walk`), in sorted order."""
        found, errors = _walk(top)
        yield from errors
        if not found:
            yield problem(top, _nothing_in(top))
            return
        for path in found:
            yield from self.read_file(path)

    def read_file(self, name: str) -> Iterator[Article | IngestProblem]:
        extension = _extension(name)
        if extension not in ALL_EXTENSIONS:
            what = f"extension '{extension}'" if extension else "file type (no extension)"
            yield problem(name, f"unsupported {what}; supported: {_ALL_LIST}")
            return
        if not os.path.isfile(name):
            yield problem(name, "not a regular file")
            return
        trust = extension in _RECORD_FORMATS
        yield from self.finish(self._read_regular_file(name, extension), trust_language=trust)

    def _read_regular_file(self, name: str, extension: str) -> Iterator[Article | IngestProblem]:
        if extension in _RECORD_FORMATS:
            yield from self._read_records(name, extension)
        elif extension in WARC_EXTENSIONS:
            yield from iter_warc(name, self.options)
        elif extension in FEED_EXTENSIONS:
            yield from self._read_feed_file(name)
        else:
            yield from _read_article_file(name, _READERS[extension], self.options.max_record_bytes)

    def _read_feed_file(self, name: str) -> Iterator[Article | IngestProblem]:
        try:
            if os.path.getsize(name) > self.options.max_input_bytes:
                yield problem(name, "file larger than --max-input-bytes")
                return
            data = Path(name).read_bytes()
        except OSError as exc:
            yield problem(name, f"cannot read: {exc.strerror or exc}")
            return
        if not data.strip():
            yield problem(name, "empty file")
        elif not looks_like_feed(data):
            yield problem(name, "not an RSS or Atom feed")
        else:
            yield from iter_feed(
                data, name, base_url=None, fetcher=self.fetcher, options=self.options
            )

    def _read_records(self, name: str, extension: str) -> Iterator[Article | IngestProblem]:
        """Stream a JSONL or CSV corpus, gzipped or not; binary content is refused."""
        compressed = extension.endswith(".gz")
        try:
            with _bounded(
                gzip.open(name, "rb") if compressed else open(name, "rb"),
                self.options.max_input_bytes,
            ) as stream:
                if b"\x00" in stream.read(BINARY_PROBE_BYTES):
                    yield problem(name, "binary file")
                    return
                stream.seek(0)
                if extension.startswith(".jsonl"):
                    yield from iter_jsonl(stream, name, self.options)
                else:
                    yield from _iter_csv_bytes(stream, name, self.options, extension)
        except InputTooLarge as exc:
            yield problem(name, f"{exc}; rest of the file skipped")
        except (OSError, EOFError, zlib.error) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            what = "corrupt or truncated gzip" if compressed else "cannot read"
            yield problem(name, f"{what}: {reason}; rest of the file skipped")


def _nothing_in(top: str) -> str:
    """The error for a directory without article files: it names the corpus files the walk
    passed over (CSV tables, gzipped JSONL, archives), which a glob reads."""
    corpus = sorted(
        {ext for _d, _s, files in os.walk(top) for f in files for ext in [_extension(f)]}
        & set(CORPUS_EXTENSIONS)
    )
    message = f"no supported files ({_SUPPORTED_LIST}) in {top}"
    if corpus:
        glob_hint = os.path.join(top, "*")
        message += f"; its {', '.join(corpus)} files are read when globbed: '{glob_hint}'"
    return message


def _walk(top: str) -> tuple[list[str], list[IngestProblem]]:
    """The article files below ``top`` in sorted order, and the walk's errors.

    Hidden files and directories (".git", ".DS_Store") are skipped, symbolic
    links to directories are not followed (they can form cycles), and other
    files are ignored silently: a directory of articles often holds a
    README or images too.
    """
    walk_errors: list[OSError] = []
    found: list[tuple[tuple[str, ...], str]] = []
    for dirpath, dirnames, filenames in os.walk(top, onerror=walk_errors.append):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for filename in filenames:
            if filename.startswith("."):
                continue
            if os.path.splitext(filename)[1].lower() in SUPPORTED_EXTENSIONS:
                path = os.path.join(dirpath, filename)
                found.append((Path(os.path.relpath(path, top)).parts, path))
    errors = [
        problem(str(error.filename or top), f"cannot read directory: {error.strerror or error}")
        for error in walk_errors
    ]
    return [path for _key, path in sorted(found)], errors


# ----------------------------------------------------------------- decoding


def _parse(reader: _Reader, text: str, source: str) -> Iterator[Article | IngestProblem]:
    try:
        yield reader(text, source=source)
    except InputError as exc:
        yield problem(source, str(exc))


def _read_article_file(name: str, reader: _Reader, limit: int) -> Iterator[Article | IngestProblem]:
    too_large = problem(name, f"file larger than {limit:,} bytes (--max-record-bytes)")
    try:
        if name.lower().endswith(".gz"):
            with gzip.open(name, "rb") as stream:
                data = stream.read(limit + 1)  # never more than the limit, whatever it expands to
        elif os.path.getsize(name) > limit:
            yield too_large
            return
        else:
            data = Path(name).read_bytes()
    except (OSError, EOFError, zlib.error) as exc:
        yield problem(name, f"cannot read: {getattr(exc, 'strerror', None) or exc}")
        return
    if len(data) > limit:
        yield too_large
        return
    text, problems = _decode(data, name, "empty file")
    yield from problems
    if text is None:
        return
    if reader is read_article_text and _is_url_list(text):
        yield problem(
            name,
            "holds a list of URLs, not an article: read them with --urls "
            f"{name} (or give the URLs as inputs)",
        )
        return
    yield from _parse(reader, text, name)


def _is_url_list(text: str) -> bool:
    """Whether a text file is nothing but URLs, one a line (``#`` comments allowed):
    a list of feeds or pages to fetch, which must not be stored as an article."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")]
    return bool(lines) and all(is_url(line) and " " not in line for line in lines)


def read_url_list(path: str) -> list[str]:
    """The URLs of a ``--urls`` file: one a line, blank lines and ``#`` comments skipped.

    Raises :class:`~tidings.errors.InputError` for an unreadable file or a line
    that is not an http(s) URL (naming its line number).
    """
    from tidings.errors import InputError

    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the URL list ({exc})") from None
    urls = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not is_url(line):
            raise InputError(f"{path}:{number}: not an http(s) URL: {line[:80]!r}")
        urls.append(line)
    return urls


# -------------------------------------------------------------------- stdin


def _read_stdin(
    stdin: TextIO | BinaryIO | None, options: IngestOptions | None = None
) -> Iterator[Article | IngestProblem]:
    """Read one article from stdin: HTML if it starts with a tag, else text.

    A text stream with a byte buffer (``sys.stdin``) is read as bytes, so
    that invalid UTF-8 becomes a warning rather than a decoding exception (or
    lone surrogates under a C locale).  At most ``max_record_bytes`` are read.
    """
    stream = stdin if stdin is not None else sys.stdin
    stream = getattr(stream, "buffer", stream)
    if stream is None:
        yield problem(STDIN, "no standard input available")
        return
    limit = (options or IngestOptions()).max_record_bytes
    try:
        data = stream.read(limit + 1)
        if len(data) > limit:
            yield problem(STDIN, f"input larger than {limit:,} bytes (--max-record-bytes)")
            return
    except UnicodeDecodeError as exc:
        yield problem(STDIN, f"invalid text encoding on stdin: {exc.reason}")
        return
    except (OSError, ValueError) as exc:
        yield problem(STDIN, f"cannot read stdin: {exc}")
        return
    if isinstance(data, bytes):
        text, problems = _decode(data, STDIN, "empty input")
        yield from problems
        if text is None:
            return
    else:
        text = data.removeprefix("\ufeff")
        if not text.strip():
            yield problem(STDIN, "empty input")
            return
    reader = read_article_html if looks_like_html(text) else read_article_text
    yield from _parse(reader, text, STDIN)
