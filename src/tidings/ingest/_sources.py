"""Turning command-line inputs (files, directories, "-") into articles.

This is where bad input is caught: every failure becomes an
:class:`IngestProblem` in the output stream instead of an exception, so one
unreadable file among thousands costs that file only and the caller still
learns exactly what went wrong and where.
"""

from __future__ import annotations

import codecs
import os
import stat
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO, TextIO

from tidings.errors import InputError
from tidings.model import Article

from ._common import SUPPORTED_EXTENSIONS, IngestProblem, problem
from ._html import looks_like_html, read_article_html
from ._jsonl import iter_jsonl
from ._markdown import read_article_text

#: How much of a file is searched for NUL bytes to call it binary.
BINARY_PROBE_BYTES = 8192
STDIN = "-"

_SUPPORTED_LIST = ", ".join(SUPPORTED_EXTENSIONS)
_Reader = Callable[..., Article]
_READERS: dict[str, _Reader] = {
    ".md": read_article_text,
    ".txt": read_article_text,
    ".html": read_article_html,
    ".htm": read_article_html,
}


def iter_articles(
    inputs: Sequence[str], *, stdin: TextIO | BinaryIO | None = None
) -> Iterator[Article | IngestProblem]:
    """Yield the articles of ``inputs``, and a problem for each bad input.

    Each input is a file, a directory (walked recursively for supported
    extensions, hidden entries skipped, in sorted order so runs are
    reproducible) or "-" for one article on ``stdin`` (``sys.stdin`` when not
    given).  Never raises for bad input: problems of level "error" mean the
    input or JSONL line was skipped, "warning" that it was read anyway.
    """
    if isinstance(inputs, str | os.PathLike):  # a lone path, not a sequence of them
        inputs = [os.fspath(inputs)]
    for item in inputs:
        name = os.fspath(item)
        if name == STDIN:
            yield from _read_stdin(stdin)
        else:
            yield from _read_path(name)


# ----------------------------------------------------------------- decoding


def _decode(data: bytes, source: str, empty: str) -> tuple[str | None, list[IngestProblem]]:
    """Decode file bytes as UTF-8, or explain why they cannot be an article.

    Returns the text (None when the input must be skipped) and the problems
    found.  Invalid UTF-8 is decoded with replacement characters and only
    warned about: a few mangled bytes in a scraped page should not lose the
    article.  UTF-16 with a byte-order mark is decoded too, since its NUL
    bytes would otherwise make it look binary.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16"
    elif b"\x00" in data[:BINARY_PROBE_BYTES]:
        return None, [problem(source, "binary file")]
    else:
        codec = "utf-8-sig"
    problems: list[IngestProblem] = []
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        text = data.decode(codec, errors="replace")
        label = "UTF-8" if codec == "utf-8-sig" else "UTF-16"
        problems.append(
            problem(
                source,
                f"invalid {label} at byte {exc.start}; decoded with replacement characters",
                "warning",
            )
        )
    if not text.strip():
        return None, [problem(source, empty)]
    return text, problems


def _parse(reader: _Reader, text: str, source: str) -> Iterator[Article | IngestProblem]:
    try:
        yield reader(text, source=source)
    except InputError as exc:
        yield problem(source, str(exc))


# -------------------------------------------------------------------- paths


def _read_path(name: str) -> Iterator[Article | IngestProblem]:
    try:
        info = os.stat(name)
    except FileNotFoundError:
        yield problem(name, f"no such file or directory: {name}")
        return
    except (OSError, ValueError) as exc:  # ValueError: NUL byte in the path
        message = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        yield problem(name, f"cannot access: {message}")
        return
    if stat.S_ISDIR(info.st_mode):
        yield from _read_directory(name)
    else:
        yield from _read_file(name)


def _read_directory(top: str) -> Iterator[Article | IngestProblem]:
    """Read every supported file below ``top``.

    Hidden files and directories (".git", ".DS_Store") are skipped, symbolic
    links to directories are not followed (they can form cycles), and
    unsupported files are ignored silently: a directory of articles often
    holds a README or images too.
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
    for error in walk_errors:
        where = error.filename or top
        yield problem(str(where), f"cannot read directory: {error.strerror or error}")
    if not found:
        yield problem(top, f"no supported files ({_SUPPORTED_LIST}) in {top}")
        return
    for _key, path in sorted(found):
        yield from _read_file(path)


def _read_file(name: str) -> Iterator[Article | IngestProblem]:
    extension = os.path.splitext(name)[1].lower()
    if extension == ".jsonl":
        yield from _read_jsonl(name)
        return
    reader = _READERS.get(extension)
    if reader is None:
        what = f"extension '{extension}'" if extension else "file type (no extension)"
        yield problem(name, f"unsupported {what}; supported: {_SUPPORTED_LIST}")
        return
    if not os.path.isfile(name):
        yield problem(name, "not a regular file")
        return
    try:
        data = Path(name).read_bytes()
    except OSError as exc:
        yield problem(name, f"cannot read: {exc.strerror or exc}")
        return
    text, problems = _decode(data, name, "empty file")
    yield from problems
    if text is not None:
        yield from _parse(reader, text, name)


def _read_jsonl(name: str) -> Iterator[Article | IngestProblem]:
    """Stream a JSONL file; binary content is refused before parsing."""
    if not os.path.isfile(name):
        yield problem(name, "not a regular file")
        return
    try:
        with open(name, "rb") as stream:
            if b"\x00" in stream.read(BINARY_PROBE_BYTES):
                yield problem(name, "binary file")
                return
            stream.seek(0)
            yield from iter_jsonl(stream, name)
    except OSError as exc:
        yield problem(name, f"cannot read: {exc.strerror or exc}")


# -------------------------------------------------------------------- stdin


def _read_stdin(stdin: TextIO | BinaryIO | None) -> Iterator[Article | IngestProblem]:
    """Read one article from stdin: HTML if it starts with a tag, else text.

    ``sys.stdin`` is read as bytes so that invalid UTF-8 becomes a warning
    rather than a decoding exception.
    """
    stream = stdin if stdin is not None else getattr(sys.stdin, "buffer", sys.stdin)
    if stream is None:
        yield problem(STDIN, "no standard input available")
        return
    try:
        data = stream.read()
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
