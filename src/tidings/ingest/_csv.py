"""Reader for CSV and TSV corpora: a header row, then one article per row.

Spreadsheets and research data sets (GDELT-style dumps, scraped corpora)
often come as CSV rather than JSONL.  A row is turned into a record and
handed to :func:`record_to_article`, so CSV and JSONL follow exactly the
same field rules, column mapping (``IngestOptions.columns``) and error
messages.  Empty cells mean "absent", as an empty JSON value does.

The delimiter is a tab for ``.tsv`` and, for ``.csv``, whichever of comma,
semicolon or tab is most frequent in the header line (European exports use
semicolons).  A file whose header has no text column is rejected as a
whole with the list of its columns: that is a mapping mistake, not a few
bad rows.  A row that cannot be parsed ends the file with a problem naming
its first line: the csv module cannot resynchronise after, say, an
unbalanced quote, and parsing is strict so such a quote is never taken for a
cell that silently swallows the rows after it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from tidings.model import Article

from ._common import IngestProblem, problem
from ._jsonl import record_articles
from ._options import IngestOptions

#: Article bodies are long; the csv module's default cell limit (128 KiB)
#: would reject a long feature.  The limit is process-wide, so it is only
#: ever raised.
_FIELD_LIMIT = 64 * 1024 * 1024


def _delimiter(header_line: str, tsv: bool) -> str:
    if tsv:
        return "\t"
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def iter_csv(
    stream: io.TextIOBase, path: str, options: IngestOptions, *, tsv: bool = False
) -> Iterator[Article | IngestProblem]:
    """Yield an article or a problem for every data row of ``stream``.

    ``stream`` must be opened with ``newline=""`` (quoted cells may contain
    line breaks).  Each article's ``source`` is ``"PATH:LINE"``, LINE being
    the row's first physical line.
    """
    if csv.field_size_limit() < _FIELD_LIMIT:
        csv.field_size_limit(_FIELD_LIMIT)
    try:
        header_line = stream.readline()
    except csv.Error as exc:
        yield problem(path, f"line 1: {exc}")
        return
    if not header_line.strip():
        yield problem(path, "empty file")
        return
    delimiter = _delimiter(header_line, tsv)
    try:
        header = next(csv.reader([header_line], delimiter=delimiter))
    except csv.Error as exc:
        yield problem(path, f"line 1: cannot parse the header: {exc}")
        return
    header = [name.strip().removeprefix("\ufeff") for name in header]
    text_columns = options.text_columns()
    if not any(column in header for column in text_columns):
        looked_for = ", ".join(text_columns)
        yield problem(
            path,
            f"no text column (looked for {looked_for}); columns: {', '.join(header)}"
            "; map yours with IngestOptions(columns={'text': ...})",
        )
        return

    # strict: a quote that never closes is an error at its row, not a cell
    # silently swallowing the rows after it.
    reader = csv.reader(stream, delimiter=delimiter, strict=True)
    line = 1  # physical lines consumed so far (the header)
    seen_row = False
    while True:
        start = line + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            what = "row" if "longer than" in str(exc) else "unbalanced quote or malformed row"
            yield problem(
                f"{path}:{start}",
                f"line {start}: {what} starting here ({exc}); rest of the file skipped",
            )
            return
        line = 1 + reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        seen_row = True
        where = f"{path}:{start}"
        record = {
            name: (cell if cell.strip() else None)
            for name, cell in zip(header, row, strict=False)
            if name
        }
        yield from record_articles(record, where, f"line {start}", options)
    if not seen_row:
        yield problem(path, "no data rows after the header")
