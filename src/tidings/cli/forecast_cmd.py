"""``tidings forecast`` and ``tidings backtest``: dyad forecasts and their rolling-origin test.

    tidings forecast --dyad RUS UKR --horizon 4 --by week     next 4 weeks, with 90% intervals
    tidings backtest --origins 12 --horizons 1,2,3,4          the model against the baselines
    tidings forecast --dyad RUS UKR --provenance icews        from the ICEWS import only

Dyads are directed and grouped by country (``--level code`` for actor
codes).  Both commands use one model, :mod:`tidings.analytics._forecast_model`:
``forecast`` prints its point forecast (what the backtest's MAE scores), its
predictive mean (what the log score scores) and its predictive interval.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from tidings.cli._filters import filter_options, take_filters
from tidings.cli._study import study_options, take_study_options
from tidings.cli.analytics_cmd import _plain, emit

_db = click.option("--db", default="tidings.duckdb", show_default=True, help="DuckDB event store.")

__all__ = ["backtest_cmd", "forecast_cmd"]


#: Of the query filters, the data's origin: a store holding an import and coded articles
#: of other years forecasts from the one it is told to (``--provenance icews``).
_provenance_only = filter_options(only=["provenance"])
#: A dyad silent for more periods than this before the data's end gets a warning.
_SILENT_PERIODS = 8


def _panel(db: str, by: str, level: str, merged: bool, filters: dict[str, Any]):
    from tidings.analytics import EventStore
    from tidings.analytics._forecast import load_panel

    with EventStore(db) as store:
        return load_panel(
            lambda: store.connection,
            by=by,
            level=level,
            table="merged" if merged else "events",
            **filters,
        )


def _warn_if_silent(panel, pair: tuple[str, str], by: str) -> None:
    """Say so when the dyad's own events end long before the data's: the forecast then
    continues that silence, which is seldom what was meant in a store whose sources
    cover different years (``--provenance`` chooses one)."""
    try:
        series = panel.counts[panel.dyads.index(pair), :, 0]
    except ValueError:
        return  # forecast_dyad names the unknown dyad
    active = series.nonzero()[0]
    if len(active) == 0:
        return
    silent = len(series) - 1 - int(active[-1])
    if silent > _SILENT_PERIODS:
        click.echo(
            f"tidings: warning: {pair[0]} -> {pair[1]} has no events in the last {silent} "
            f"{by}s of the data (its last in the {by} of {panel.periods[active[-1]]}; the "
            f"data run to {panel.periods[-1]}); --provenance chooses the data to forecast from",
            err=True,
        )


@click.command("forecast")
@study_options("forecast")
@_provenance_only
@_db
def forecast_cmd(db: str, **params: Any) -> None:
    """Forecast events of A -> B per QuadClass and Goldstein sum for the next periods."""
    from tidings.analytics._backtest import forecast_dyad

    o = take_study_options("forecast", params)
    by, fmt, level_pct = o["by"], o["format"], o["level_pct"]
    horizon, min_events, pair = o["horizon"], o["min_events"], o["dyad"]
    panel = _panel(db, by, o["level"], o["merged"], take_filters(params))
    _warn_if_silent(panel, tuple(pair), by)
    rows = forecast_dyad(panel, pair, horizon, level=level_pct / 100, min_events=min_events)
    title = (
        f"{pair[0]} -> {pair[1]}: forecast by {by} after {panel.periods[-1]} "
        f"(point forecast (mean) [{level_pct}% interval])"
    )
    names = ["events", "q1", "q2", "q3", "q4", "goldstein"]
    if fmt != "table":
        columns = ["period"]
        for name in names:
            key = "goldstein_sum" if name == "goldstein" else name
            mean = [] if name == "goldstein" else [f"{name}_mean"]
            columns += [key, *mean, f"{name}_low", f"{name}_high"]
        emit(rows, columns, fmt, title)
        return
    shown = []
    for row in rows:
        cells = {"period": row["period"]}
        for name in names:
            key = "goldstein_sum" if name == "goldstein" else name
            value = (
                f"{row[key]:.2f}"
                if name == "goldstein"
                else (f"{row[key]:.0f} (mean {row[f'{name}_mean']:.2f})")
            )
            cells[name] = f"{value} [{row[f'{name}_low']:.3g}, {row[f'{name}_high']:.3g}]"
        shown.append(cells)
    emit(shown, ["period", *names], fmt, title)


@click.command("backtest")
@study_options("backtest")
@_provenance_only
@_db
def backtest_cmd(db: str, **params: Any) -> None:
    """Rolling-origin backtest of the forecast model and the baselines, over every dyad."""
    from tidings.analytics._backtest import backtest, compare

    o = take_study_options("backtest", params)
    steps, by, level, fmt = o["horizons"], o["by"], o["level"], o["format"]
    origins, min_events, quad = o["origins"], o["min_events"], o["quad"]
    panel = _panel(db, by, level, o["merged"], take_filters(params))
    result = backtest(panel, origins=origins, horizons=steps, min_events=min_events, quad=quad)
    summary = compare(result, steps[0])
    if fmt == "json":
        json.dump({**result, "improvement": summary}, sys.stdout, indent=1, default=_plain)
        sys.stdout.write("\n")
        return
    title = (
        f"Backtest: {result['dyads']} dyads ({level}, >= {min_events} events), {origins} "
        f"origins by {by} ({result['periods'][0]} .. {result['periods'][1]})"
    )
    emit(
        result["results"], ["model", "horizon", "mae", "mase", "log_score", "forecasts"], fmt, title
    )
    if fmt == "table":
        for score, found in summary.items():
            click.echo(
                f"h={steps[0]} {score}: {found['model']:.4f} vs best baseline "
                f"{found['best_baseline']} {found['baseline']:.4f} "
                f"({found['improvement_pct']:+.1f}%)"
            )
