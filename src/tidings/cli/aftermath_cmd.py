"""``tidings aftermath``: event studies from the command line.

    tidings aftermath --date 2014-07-17 --dyad RUS UKR               RUS -> UKR
    tidings aftermath --date 2014-07-17 --dyad RUS UKR --both-ways --format json
    tidings aftermath --event ID --actor RUS --before 26w --after 8w --plot out.png

A thin front end of :meth:`tidings.analytics.EventStore.aftermath`; bad
requests (unknown actor, empty windows, a trigger outside the data) are one
line on stderr and exit status 1.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from tidings.cli.analytics_cmd import OUTPUTS, _plain, emit
from tidings.cli.forecast_cmd import backtest_cmd, forecast_cmd
from tidings.cli.predict_cmd import predict_cmd

__all__ = ["COMMANDS", "aftermath_cmd"]

_COLUMNS = [
    "category",
    "before",
    "after",
    "before_rate",
    "after_rate",
    "change_pct",
    "goldstein_rate_change",
    "rate_ratio",
    "p_model",
    "p_placebo",
]
_ACTOR_COLUMNS = [
    "actor",
    "before",
    "after",
    "before_rate",
    "after_rate",
    "z",
    "goldstein_rate_change",
]


@click.command("aftermath")
@click.option("--date", "date", default=None, help="Trigger date (YYYY-MM-DD).")
@click.option("--event", "event", default=None, help="Trigger event id from the store.")
@click.option("--dyad", nargs=2, default=None, metavar="A B", help="The dyad, A -> B.")
@click.option("--both-ways", is_flag=True, help="Count B -> A as well.")
@click.option("--actor", default=None, help="One actor against everyone.")
@click.option("--before", default="26w", show_default=True, help="Window before: 26w, 180d, 6m.")
@click.option("--after", default="8w", show_default=True, help="Window after the trigger.")
@click.option(
    "--by", type=click.Choice(["day", "week", "month"]), default="week", show_default=True
)
@click.option("--no-placebo", is_flag=True, help="Skip the placebo test.")
@click.option("--plot", "plot", default=None, metavar="FILE", help="Write a chart (.png/.svg).")
@click.option("--provenance", default=None, help="Provenance prefix: tidings, icews, gdelt...")
@click.option("--merged", is_flag=True, help="Count merged events (see tidings merge).")
@click.option("--db", default="tidings.duckdb", show_default=True, help="DuckDB event store.")
@click.option("--format", "fmt", type=click.Choice(OUTPUTS), default="table", show_default=True)
def aftermath_cmd(
    date: str | None,
    event: str | None,
    dyad: tuple[str, str] | None,
    both_ways: bool,
    actor: str | None,
    before: str,
    after: str,
    by: str,
    no_placebo: bool,
    plot: str | None,
    provenance: str | None,
    merged: bool,
    db: str,
    fmt: str,
) -> None:
    """How relations changed after a trigger (event or date), against chance.

    Per QuadClass and CAMEO root: events and Goldstein sums before and after,
    the change, the rate ratio and p-value of a segmented Poisson/NB
    regression with trend, and an empirical p-value from placebo triggers;
    then the actors whose relations with the focal actor changed most.
    """
    from tidings.analytics import EventStore

    filters: dict[str, Any] = {} if provenance is None else {"provenance": provenance}
    try:
        with EventStore(db) as store:
            result = store.aftermath(
                date=date,
                event=event,
                dyad=tuple(dyad) if dyad else None,
                actor=actor,
                both_ways=both_ways,
                before=before,
                after=after,
                by=by,
                merged=merged,
                placebo=not no_placebo,
                **filters,
            )
    except (ValueError, TypeError) as exc:
        raise click.UsageError(str(exc)) from None
    if plot:
        from tidings.analytics._plot import plot_aftermath

        plot_aftermath(result, plot)
    if fmt == "json":
        json.dump(result.to_dict(), sys.stdout, indent=1, default=_plain)
        sys.stdout.write("\n")
        return
    if fmt == "csv":
        emit(result.rows, _COLUMNS[:1] + [c for c in result.rows[0] if c != "category"], fmt, "")
        return
    sel = result.selection
    what = (
        ("->" if sel.get("directed") else "-").join(sel["dyad"])
        if "dyad" in sel
        else (f"{sel['actor']} with everyone")
    )
    w = result.windows
    title = (
        f"{what} around {result.trigger['date']}: {w['before']} {by}s before "
        f"({w['start']}..), {w['after']} after (..{w['end']}); "
        f"{result.placebo_dates} placebo dates"
    )
    emit(result.rows, _COLUMNS, fmt, title)
    emit(
        result.actors,
        _ACTOR_COLUMNS,
        fmt,
        f"Relations of {sel['focal']} that changed most (z of the after-rate)",
    )
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    if plot:
        click.echo(f"chart written to {plot}", err=True)


#: The commands of this module, registered by :mod:`tidings.cli`.
COMMANDS = (aftermath_cmd, forecast_cmd, backtest_cmd, predict_cmd)
