"""Event output formats for the terminal and for pipes."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable
from typing import TextIO

from tidings.model import DEFAULT_MIN_CONFIDENCE, DEFAULT_MODALITIES, Event

FORMATS = ("table", "jsonl", "csv")

CSV_COLUMNS = (
    "event_id",
    "doc_id",
    "sentence_index",
    "date",
    "date_precision",
    "source_code",
    "source_text",
    "code",
    "root_code",
    "quad_class",
    "goldstein",
    "target_code",
    "target_text",
    "modality",
    "confidence",
    "trigger",
    "rule",
    "sentence",
)


def event_row(event: Event) -> dict[str, object]:
    return {
        "event_id": event.event_id,
        "doc_id": event.doc_id,
        "sentence_index": event.sentence_index,
        "date": event.date or "",
        "date_precision": event.date_precision or "",
        "source_code": event.source.code,
        "source_text": event.source.text,
        "code": event.code,
        "root_code": event.root_code,
        "quad_class": event.quad_class,
        "goldstein": event.goldstein,
        "target_code": event.target.code if event.target else "",
        "target_text": event.target.text if event.target else "",
        "modality": event.modality,
        "confidence": round(event.confidence, 4),
        "trigger": event.evidence.trigger,
        "rule": event.evidence.rule,
        "sentence": event.sentence,
    }


class EventWriter:
    """Writes events incrementally (jsonl, csv) or collects them for a table."""

    def __init__(
        self,
        fmt: str,
        out: TextIO,
        *,
        color: bool | None = None,
        min_confidence: float | None = None,
        modalities: tuple[str, ...] | None = DEFAULT_MODALITIES,
    ) -> None:
        self.fmt = fmt
        self.out = out
        self.color = color
        # The default view: events below the threshold are not printed (None: default).
        self.min_confidence = DEFAULT_MIN_CONFIDENCE if min_confidence is None else min_confidence
        # ... nor events of other modalities (None: every modality).
        self.modalities = modalities
        self._table_rows: list[Event] = []
        self._csv = None
        if fmt == "csv":
            self._csv = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
            self._csv.writeheader()

    def write(self, events: Iterable[Event]) -> None:
        for event in events:
            if event.confidence < self.min_confidence:
                continue
            if self.modalities is not None and event.modality not in self.modalities:
                continue
            if self.fmt == "jsonl":
                self.out.write(json.dumps(event.to_dict(), ensure_ascii=False) + "\n")
            elif self.fmt == "csv":
                self._csv.writerow(event_row(event))
            else:
                self._table_rows.append(event)

    def close(self) -> None:
        if self.fmt == "table":
            render_table(self._table_rows, self.out, color=self.color)
        self.out.flush()


#: Width of tables written to a pipe or file: rich would otherwise wrap them at 80
#: columns (its guess without a terminal), splitting every row into several lines.
PIPED_WIDTH = 160


def make_console(out: TextIO | None = None, *, stderr: bool = False, **options):
    """A rich Console: the terminal's width on a terminal, :data:`PIPED_WIDTH` otherwise."""
    from rich.console import Console

    stream = out if out is not None else (sys.stderr if stderr else sys.stdout)
    tty = getattr(stream, "isatty", lambda: False)()
    return Console(file=stream, width=None if tty else PIPED_WIDTH, **options)


def render_table(events: list[Event], out: TextIO, *, color: bool | None = None) -> None:
    from rich.table import Table

    console = make_console(out, force_terminal=color)
    if not events:
        console.print("no events")
        return
    table = Table(show_lines=False, header_style="bold")
    columns = ("#", "date", "source", "code", "target", "modality", "conf", "trigger", "sentence")
    for name in columns:
        table.add_column(name, overflow="fold")
    for event in events:
        sentence = event.sentence if len(event.sentence) <= 90 else event.sentence[:87] + "..."
        table.add_row(
            str(event.sentence_index),
            event.date or "",
            f"{event.source.code} ({event.source.text})"
            if event.source.text
            else event.source.code,
            f"{event.code} q{event.quad_class} {event.goldstein:+g}",
            (f"{event.target.code} ({event.target.text})" if event.target else "-"),
            event.modality,
            f"{event.confidence:.2f}",
            event.evidence.trigger,
            sentence,
        )
    console.print(table)
    console.print(f"{len(events)} events")
