"""Progress on a terminal, silence in pipes, and the end-of-run summary."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click


def estimate_total(inputs: list[str]) -> int | None:
    """Articles in ``inputs`` when cheaply known (local files), else None.

    A JSONL file holds one article a line; any other local file one article.
    Directories, globs, URLs, feeds, archives and stdin make the total unknown
    (the progress bar then shows a rate without an ETA).
    """
    total = 0
    for item in inputs:
        path = Path(item)
        try:
            if item == "-" or "://" in item or not path.is_file():
                return None
            if path.suffix == ".jsonl":
                with path.open("rb") as fh:
                    total += sum(1 for line in fh if line.strip())
            elif path.suffix in {".md", ".txt", ".html", ".htm"}:
                total += 1
            else:
                return None
        except (OSError, ValueError):  # unreadable: the run reports it; no estimate
            return None
    return total


class Progress:
    """A rich progress bar (articles, articles/s, ETA) shown only on a terminal."""

    def __init__(self, total: int | None, *, enabled: bool | None = None) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._progress = None
        self._task = None
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                TextColumn,
                TimeRemainingColumn,
            )
            from rich.progress import (
                Progress as RichProgress,
            )

            self._progress = RichProgress(
                TextColumn("coding"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]} articles/s"),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._task = self._progress.add_task("coding", total=total, rate="-")
            self._progress.start()

    def advance(self) -> None:
        if self._progress is None:
            return
        self._progress.advance(self._task)
        task = self._progress.tasks[0]
        if task.speed:
            self._progress.update(self._task, rate=f"{task.speed:.1f}")

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()


def print_summary(summary, *, stored: bool) -> None:
    """One line of counts, then one line per kind of skip with its count."""
    skipped = Counter(p.message.split(":")[0] for p in summary.problems if p.level == "error")
    parts = [f"{_count(summary.articles, 'article')} read"]
    if stored:
        parts.append(f"{summary.stored} stored")
        parts.append(f"{summary.already_stored} already stored")
    if summary.not_coded_language:
        parts.append(f"{summary.not_coded_language} not coded (language)")
    if getattr(summary, "duplicates", 0):
        parts.append(_count(summary.duplicates, "duplicate"))
    parts.append(_count(summary.events, "event"))
    parts.append(_count(summary.errors, "error"))
    click.echo("tidings: " + ", ".join(parts), err=True)
    for reason, count in skipped.most_common():
        click.echo(f"tidings:   skipped {count}: {reason}", err=True)


def _count(n: int, noun: str) -> str:
    """ "1 article", "2 articles", "0 errors"."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
