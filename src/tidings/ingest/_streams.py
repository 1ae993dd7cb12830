"""Byte streams of one input, bounded and decoded.

The readers of :mod:`tidings.ingest._sources` never hold more of an input than its
limits allow: a gzip stream is cut at ``--max-input-bytes`` after decompression (a
bomb stops there, not after gigabytes), a CSV line at ``--max-record-bytes``, and bytes
that are not UTF-8 become replacement characters with a warning rather than a lost file.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from typing import IO

from tidings.model import Article

from ._common import IngestProblem, problem
from ._csv import iter_csv
from ._jsonl import bounded_lines
from ._options import IngestOptions

__all__ = ["BINARY_PROBE_BYTES", "InputTooLarge"]

#: How much of a file is searched for NUL bytes to call it binary.
BINARY_PROBE_BYTES = 8192


class InputTooLarge(OSError):
    """More decompressed bytes than ``max_input_bytes`` were read from one input."""


class _BoundedRaw(io.RawIOBase):
    """A byte stream that fails once more than ``limit`` bytes were read through it.

    Wrapped around a gzip stream it stops a decompression bomb at the limit
    instead of after gigabytes.
    """

    def __init__(self, inner: IO[bytes], limit: int) -> None:
        self._inner = inner
        self._limit = limit
        self._count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        read = getattr(self._inner, "read1", self._inner.read)  # what is there: a cut
        data = read(min(len(buffer), 8192))  # gzip still yields the records before the cut
        self._count += len(data)
        if self._count > self._limit:
            raise InputTooLarge(
                f"more than {self._limit:,} bytes after decompression (--max-input-bytes)"
            )
        buffer[: len(data)] = data
        return len(data)

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        position = self._inner.seek(offset, whence)
        self._count = position
        return position

    def tell(self) -> int:
        return self._inner.tell()

    def close(self) -> None:
        self._inner.close()
        super().close()


def _bounded(inner: IO[bytes], limit: int) -> io.BufferedReader:
    return io.BufferedReader(_BoundedRaw(inner, limit), buffer_size=8192)


def _iter_csv_bytes(
    stream: IO[bytes], name: str, options: IngestOptions, extension: str
) -> Iterator[Article | IngestProblem]:
    """Decode a CSV byte stream for the csv module, one bounded line at a time.

    Invalid UTF-8 becomes replacement characters: one mangled byte in a
    large corpus should not lose the file.  A line longer than
    ``max_record_bytes`` ends the file with a problem instead of being
    gathered in memory.
    """
    lines = _CsvLines(stream, options.max_record_bytes)
    yield from iter_csv(lines, name, options, tsv=extension.startswith(".tsv"))  # type: ignore[arg-type]


class _CsvLines:
    """Text lines of a byte stream (BOM dropped, bad UTF-8 replaced), each within a limit."""

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        self._lines = bounded_lines(stream, limit)
        self._limit = limit

    def __iter__(self) -> _CsvLines:
        return self

    def __next__(self) -> str:
        lineno, raw = next(self._lines)
        if raw is None:
            raise csv.Error(
                f"line {lineno} is longer than {self._limit:,} bytes (--max-record-bytes)"
            )
        text = raw.decode("utf-8", errors="replace")
        return text.removeprefix("\ufeff") if lineno == 1 else text

    def readline(self) -> str:
        return next(self, "")


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
