"""``tidings forecast`` and ``tidings backtest``: dyad forecasts and their rolling-origin test.

    tidings forecast --dyad RUS UKR --horizon 4 --by week     next 4 weeks, with 90% intervals
    tidings backtest --origins 12 --horizons 1,2,3,4          the model against the baselines

Dyads are directed and grouped by country (``--level code`` for actor
codes); see :mod:`tidings.analytics._forecast` for the model.
"""

from __future__ import annotations

import json
import sys

import click

from tidings.cli.analytics_cmd import OUTPUTS, _plain, emit

__all__ = ["backtest_cmd", "forecast_cmd"]

_by = click.option(
    "--by", type=click.Choice(["day", "week", "month"]), default="week", show_default=True
)
_level = click.option(
    "--level",
    type=click.Choice(["country", "code"]),
    default="country",
    show_default=True,
    help="Group actors by country (ICEWS 'Police (Australia)' -> AUS) or keep their codes.",
)
_db = click.option("--db", default="tidings.duckdb", show_default=True, help="DuckDB event store.")
_fmt = click.option(
    "--format", "fmt", type=click.Choice(OUTPUTS), default="table", show_default=True
)
_merged = click.option("--merged", is_flag=True, help="Count merged events (see tidings merge).")
_min_events = click.option(
    "--min-events",
    type=click.IntRange(min=1),
    default=52,
    show_default=True,
    help="Dyads with at least this many events train (and, in backtest, are scored).",
)


def _panel(db: str, by: str, level: str, merged: bool):
    from tidings.analytics import EventStore
    from tidings.analytics._forecast import load_panel

    with EventStore(db) as store:
        return load_panel(
            lambda: store.connection, by=by, level=level, table="merged" if merged else "events"
        )


@click.command("forecast")
@click.option("--dyad", nargs=2, required=True, metavar="A B", help="The dyad, A -> B.")
@click.option("--horizon", type=click.IntRange(1, 52), default=4, show_default=True)
@click.option(
    "--level-pct",
    "level_pct",
    type=click.IntRange(50, 99),
    default=90,
    show_default=True,
    help="Width of the prediction intervals (percent).",
)
@_by
@_level
@_min_events
@_merged
@_db
@_fmt
def forecast_cmd(
    dyad: tuple[str, str],
    horizon: int,
    level_pct: int,
    by: str,
    level: str,
    min_events: int,
    merged: bool,
    db: str,
    fmt: str,
) -> None:
    """Expected events of A -> B per QuadClass and Goldstein sum for the next periods."""
    from tidings.analytics._backtest import forecast_dyad

    panel = _panel(db, by, level, merged)
    pair = (dyad[0].strip().upper(), dyad[1].strip().upper())
    rows = forecast_dyad(panel, pair, horizon, level=level_pct / 100, min_events=min_events)
    title = (
        f"{pair[0]} -> {pair[1]}: forecast by {by} after {panel.periods[-1]} "
        f"({level_pct}% intervals)"
    )
    names = ["events", "q1", "q2", "q3", "q4", "goldstein"]
    if fmt != "table":
        columns = ["period"]
        for name in names:
            key = "goldstein_sum" if name == "goldstein" else name
            columns += [key, f"{name}_low", f"{name}_high"]
        emit(rows, columns, fmt, title)
        return
    shown = []
    for row in rows:
        cells = {"period": row["period"]}
        for name in names:
            key = "goldstein_sum" if name == "goldstein" else name
            cells[name] = f"{row[key]:.2f} [{row[f'{name}_low']:.3g}, {row[f'{name}_high']:.3g}]"
        shown.append(cells)
    emit(shown, ["period", *names], fmt, title)


@click.command("backtest")
@click.option("--origins", type=click.IntRange(1, 520), default=12, show_default=True)
@click.option("--horizons", default="1,2,3,4", show_default=True, help="Steps ahead to score.")
@click.option(
    "--quad",
    type=click.IntRange(0, 4),
    default=0,
    show_default=True,
    help="Score counts of one QuadClass (0: all events).",
)
@_by
@_level
@_min_events
@_merged
@_db
@_fmt
def backtest_cmd(
    origins: int,
    horizons: str,
    quad: int,
    by: str,
    level: str,
    min_events: int,
    merged: bool,
    db: str,
    fmt: str,
) -> None:
    """Rolling-origin backtest of the forecast model and the baselines, over every dyad."""
    from tidings.analytics._backtest import backtest, compare

    try:
        steps = tuple(sorted({int(h) for h in horizons.split(",") if h.strip()}))
    except ValueError:
        raise click.BadParameter(
            f"{horizons!r} is not a list like 1,2,3,4", param_hint="--horizons"
        ) from None
    if not steps or min(steps) < 1:
        raise click.BadParameter("horizons must be positive", param_hint="--horizons")
    panel = _panel(db, by, level, merged)
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
