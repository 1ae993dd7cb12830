"""``tidings timeline``, ``dyads``, ``stats`` and ``merge``: analysis from the command line.

    tidings timeline RUS TUR --by week                 RUS-TUR events per week, both directions
    tidings timeline RUS --by month --format csv       everything involving RUS, per month
    tidings dyads --top 20 --since 2016                the 20 busiest directed dyads
    tidings stats                                      what the store holds
    tidings merge --window 2                           merge reports of the same event

Each is a thin front end of :class:`tidings.analytics.EventStore`: the
aggregates run in DuckDB with bound parameters, and only their rows are
formatted here.  The store is opened read-only (``merge`` excepted), so these
commands can run while nothing else writes to it.  Events of modality
asserted and reported are counted unless ``--modality`` or
``--all-modalities`` says otherwise; ``--merged`` counts merged events
(``tidings merge``) instead of reports.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import sys
from collections.abc import Callable, Sequence
from typing import Any

import click

from tidings._figures import check_figure_path
from tidings.analytics._study_options import OUTPUTS  # one list of output formats
from tidings.cli._filters import filter_options, take_filters

__all__ = ["dyads_cmd", "merge_cmd", "stats_cmd", "timeline_cmd"]

DEFAULT_DB = "tidings.duckdb"


def _plain(value: Any) -> Any:
    """A JSON- and CSV-friendly value: ISO dates, None for NaN, rounded floats."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 6)
    return value


def emit(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str, title: str) -> None:
    """Print rows as a table, CSV (with header) or a JSON array of objects."""
    out = sys.stdout
    if fmt == "json":
        json.dump([{c: _plain(r.get(c)) for c in columns} for r in rows], out, indent=1)
        out.write("\n")
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            values = [_plain(row.get(c)) for c in columns]
            writer.writerow(["" if v is None else v for v in values])
    else:
        from rich.table import Table

        from tidings.cli._render import make_console

        console = make_console(out)
        if not rows:
            console.print(f"{title}: nothing matches")
            return
        table = Table(title=title, header_style="bold")
        for column in columns:
            table.add_column(column, justify="left" if column in _TEXT_COLUMNS else "right")
        for row in rows:
            table.add_row(*(_cell(row.get(c)) for c in columns))
        console.print(table)


_TEXT_COLUMNS = {"period", "source", "target", "actor1", "actor2", "actor", "root", "label"}


def _cell(value: Any) -> str:
    value = _plain(value)
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1 else f"{value:,.2f}"
    return str(value)


def _common_options(*, exclude: tuple[str, ...] = ()) -> Callable[..., Any]:
    """The options every analytics query command shares: the store, the declared
    filters (:mod:`tidings.cli._filters`), --merged and --format."""

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        options = [
            click.option("--db", default=DEFAULT_DB, show_default=True, help="DuckDB event store."),
            filter_options(exclude=exclude),
            click.option("--merged", is_flag=True, help="Count merged events (see tidings merge)."),
            click.option(
                "--format", "fmt", type=click.Choice(OUTPUTS), default="table", show_default=True
            ),
        ]
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


def _open(db: str, *, read_only: bool = True):
    from tidings.analytics import EventStore

    return EventStore(db, read_only=read_only)


def _query_errors(run: Callable[[], None]) -> None:
    """Bad filter values become usage errors rather than tracebacks."""
    try:
        run()
    except (ValueError, TypeError) as exc:
        raise click.UsageError(str(exc)) from None


@click.command("timeline")
@click.argument("actors", nargs=-1, required=True, metavar="ACTOR [OTHER]")
@click.option(
    "--by", type=click.Choice(["day", "week", "month"]), default="week", show_default=True
)
@click.option("--directed", is_flag=True, help="Only ACTOR -> OTHER, not both directions.")
@click.option("--normalize", is_flag=True, help="Add article volume and per-article rates.")
@click.option(
    "--plot",
    "plot_path",
    type=click.Path(dir_okay=False),
    default=None,
    metavar="FILE.png",
    help="Also draw the table as a chart into FILE (.png, .svg, .pdf; needs the 'plot' extra).",
)
@_common_options(exclude=("directed", "dyad"))
def timeline_cmd(
    actors: tuple[str, ...],
    by: str,
    directed: bool,
    normalize: bool,
    plot_path: str | None,
    db: str,
    fmt: str,
    merged: bool,
    **more: Any,
) -> None:
    """Events per period involving ACTOR, or between ACTOR and OTHER (code prefixes).

    Columns: events, counts per QuadClass (q1 verbal and q2 material
    cooperation, q3 verbal and q4 material conflict), Goldstein sum and mean.
    Weeks start on Monday; empty periods are listed with zeros.
    """
    if len(actors) > 2:
        raise click.UsageError("give one actor, or two for a dyad")
    if plot_path:
        check_figure_path(plot_path, "--plot")  # before the query is run
    filters = take_filters(more)

    def run() -> None:
        with _open(db) as store:
            query = store.timeline(
                *actors, by=by, directed=directed, normalize=normalize, merged=merged, **filters
            )
            rows = query.records()
        columns = ["period", "events", "q1", "q2", "q3", "q4", "goldstein_sum", "goldstein_mean"]
        if normalize:
            columns += ["articles", "events_per_article"]
        arrow = " -> " if directed else " - "
        emit(rows, columns, fmt, f"{arrow.join(actors)} by {by}")
        if plot_path:
            from tidings.cli._plot import save_plot

            save_plot("timeline", rows, plot_path, f"{arrow.join(actors)} events by {by}")

    _query_errors(run)


@click.command("dyads")
@click.option("--top", "n", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--undirected", is_flag=True, help="Count A->B and B->A as one dyad.")
@click.option(
    "--level",
    type=click.Choice(["code", "country"]),
    default="code",
    show_default=True,
    help="Actor codes (RUSGOV) or their countries (RUS).",
)
@click.option(
    "--plot",
    "plot_path",
    type=click.Path(dir_okay=False),
    default=None,
    metavar="FILE.png",
    help="Also draw the table as a chart into FILE (.png, .svg, .pdf; needs the 'plot' extra).",
)
@_common_options()
def dyads_cmd(
    n: int,
    plot_path: str | None,
    undirected: bool,
    level: str,
    db: str,
    fmt: str,
    merged: bool,
    **more: Any,
) -> None:
    """The dyads (source -> target) with most events."""
    if plot_path:
        check_figure_path(plot_path, "--plot")  # before the query is run
    filters = take_filters(more)

    def run() -> None:
        with _open(db) as store:
            query = store.top_dyads(
                n, directed=not undirected, level=level, merged=merged, **filters
            )
            rows = query.records()
        pair = ["actor1", "actor2"] if undirected else ["source", "target"]
        columns = [*pair, "events", "q1", "q2", "q3", "q4", "goldstein_mean"]
        emit(rows, columns, fmt, f"top {n} dyads")
        if plot_path:
            from tidings.cli._plot import save_plot

            save_plot("dyads", rows, plot_path, f"top {n} dyads")

    _query_errors(run)


@click.command("stats")
@click.option("--db", default=DEFAULT_DB, show_default=True, help="DuckDB event store.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def stats_cmd(db: str, fmt: str) -> None:
    """What the store holds: articles, events by modality, root and provenance, dates."""
    with _open(db) as store:
        stats = store.stats()
    if fmt == "json":
        click.echo(json.dumps(stats, indent=1, default=_plain))
        return
    first, last = stats["first_date"], stats["last_date"]
    span = f"{first} to {last}" if first else "no dated events"
    click.echo(f"store {stats['path']} (schema {stats['schema_version']})")
    click.echo(
        f"  {stats['articles']:,} articles, {stats['sentences']:,} sentences, "
        f"{stats['events']:,} events ({span}; {stats['undated']:,} undated)"
    )
    for name in ("modality", "provenance", "root"):
        parts = ", ".join(f"{k} {v:,}" for k, v in stats[name].items()) or "none"
        click.echo(f"  by {name}: {parts}")
    merge = stats["merge"]
    if merge["built"]:
        pending = merge["pending"]
        hint = f"; {pending:,} events not merged yet: tidings merge --update" if pending else ""
        click.echo(
            f"  merged: {merge['merged_events']:,} events from {merge['mentions']:,} mentions "
            f"(window {merge['window']} days, modality {merge['modality']}{hint})"
        )
    else:
        click.echo("  merged: not built (tidings merge)")


@click.command("merge")
@click.option("--db", default=DEFAULT_DB, show_default=True, help="DuckDB event store.")
@click.option(
    "--window",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Days after a group's first report within which reports of the same event merge.",
)
@click.option(
    "--modality",
    type=click.Choice(["grouped", "exact", "any"]),
    default="grouped",
    show_default=True,
    help="grouped: asserted with reported, other modalities apart; exact: all apart; any.",
)
@click.option(
    "--update",
    is_flag=True,
    help="Only merge events added since the last merge, with its rule "
    "(everything, if the store was never merged).",
)
def merge_cmd(db: str, window: int, modality: str, update: bool) -> None:
    """Merge reports of the same event (same dyad, CAMEO root and place, near dates).

    Rebuilds the merged_events and event_mentions tables; the events
    themselves are never changed, so merging again with another --window
    undoes the previous merge.
    """
    from pathlib import Path

    from tidings.errors import StoreError

    if update and (window != 1 or modality != "grouped"):
        raise click.UsageError("--update reuses the recorded rule: drop --window/--modality")
    if not Path(db).exists():
        raise StoreError(f"no event store at {db} (run 'tidings code' or 'tidings import' first)")
    with _open(db, read_only=False) as store:
        summary = store.merge(
            window=window,
            modality=modality,  # type: ignore[arg-type]
            update=update,
        )
    rule = summary.rule
    click.echo(
        f"tidings: {summary.mentions:,} mentions merged into {summary.merged:,} events "
        f"({summary.mode}; window {rule.window} days, modality {rule.modality}) "
        f"in {summary.seconds:.1f} s",
        err=True,
    )
