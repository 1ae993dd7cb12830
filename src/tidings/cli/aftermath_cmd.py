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

from tidings._figures import check_figure_path
from tidings.cli._filters import filter_options, take_filters
from tidings.cli._study import study_options, take_study_options
from tidings.cli.analytics_cmd import _plain, emit
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
@study_options("aftermath")
@filter_options(only=["provenance"])
@click.option("--db", default="tidings.duckdb", show_default=True, help="DuckDB event store.")
def aftermath_cmd(db: str, **params: Any) -> None:
    """How relations changed after a trigger (event or date), against chance.

    Per QuadClass and CAMEO root: events and Goldstein sums before and after,
    the change, the rate ratio and p-value of a segmented Poisson/NB
    regression with trend, and an empirical p-value from placebo triggers;
    then the actors whose relations with the focal actor changed most.
    """
    from tidings.analytics import EventStore

    options = take_study_options("aftermath", params)
    fmt, plot, by = options.pop("format"), options.pop("plot"), options["by"]
    if plot:
        check_figure_path(plot, "--plot")  # before the study is run
    filters = take_filters(params)
    try:
        with EventStore(db) as store:
            result = store.aftermath(**options, **filters)
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
