"""Dyad forecasts and backtests: a synthetic panel where the right answer is known, the
baselines' definitions, the CLI, and the ICEWS 2014 backtest (skipped without ../shared)."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
from click.testing import CliRunner

from tidings.analytics._backtest import backtest, compare, forecast_dyad
from tidings.analytics._forecast import (
    BASELINES,
    Panel,
    _croston_path,
    baseline_forecasts,
    make_panel,
    poisson_log_score,
)
from tidings.analytics._forecast_model import poisson_irls
from tidings.cli import cli

from .conftest import SHARED

ICEWS14 = SHARED / "data" / "events" / "icews14_events_named.csv"


def _panel(counts: np.ndarray) -> Panel:
    """A panel of directed dyads i -> i+1 (so no reverse dyads) from [dyad, period] counts."""
    n_dyads, n = counts.shape
    full = np.zeros((n_dyads, n, 5))
    full[:, :, 0] = full[:, :, 1] = counts
    dyads = [(f"A{i}", f"B{i}") for i in range(n_dyads)]
    periods = [dt.date(2020, 1, 6) + dt.timedelta(weeks=k) for k in range(n)]
    totals = np.stack([counts, counts], axis=2)
    return Panel(
        dyads, periods, full, 2.0 * counts, totals, np.zeros_like(counts), counts.sum(axis=0)
    )


def _ar_panel(seed: int = 0, n_dyads: int = 60, n: int = 80) -> np.ndarray:
    """Counts of a persistent latent AR(1) log-rate with a 4-period seasonal wave."""
    rng = np.random.default_rng(seed)
    level = rng.uniform(0.5, 2.5, n_dyads)
    state = np.zeros(n_dyads)
    out = np.zeros((n_dyads, n))
    for t in range(n):
        state = 0.85 * state + rng.normal(0, 0.35, n_dyads)
        out[:, t] = rng.poisson(np.exp(level + state + 0.3 * np.sin(2 * np.pi * t / 4)))
    return out


def _structured_panel(seed: int = 0, pairs: int = 40, n: int = 56) -> Panel:
    """Dyads in both directions between 12 countries, with what real event counts have:

    a persistent (AR(1)) log-rate shared by the two directions of a pair, a
    persistent shock shared by every dyad (a busy news week), a 13-week
    seasonal wave per pair, each dyad's own level and Poisson noise.
    """
    rng = np.random.default_rng(seed)
    level = rng.uniform(0.0, 2.0, pairs)
    a = rng.integers(0, 12, pairs)
    b = (a + 1 + rng.integers(0, 11, pairs)) % 12
    phase = rng.uniform(0, 2 * np.pi, pairs)
    shared, state = 0.0, np.zeros(pairs)
    rates = np.zeros((2 * pairs, n))
    for t in range(n):
        shared = 0.8 * shared + rng.normal(0, 0.25)
        state = 0.85 * state + rng.normal(0, 0.3, pairs)
        log_rate = level + state + shared + 0.4 * np.sin(2 * np.pi * t / 13 + phase)
        rates[:pairs, t] = np.exp(log_rate + rng.normal(0, 0.1, pairs))
        rates[pairs:, t] = np.exp(log_rate - 0.3 + rng.normal(0, 0.1, pairs))
    y = rng.poisson(rates)
    forward = [(f"C{a[i]}x{i}", f"C{b[i]}y{i}") for i in range(pairs)]
    dyads = forward + [(t, s) for s, t in forward]
    counts = np.zeros((2 * pairs, n, 5))
    counts[:, :, 0] = counts[:, :, 1] = y
    periods = [dt.date(2020, 1, 6) + dt.timedelta(weeks=k) for k in range(n)]
    return make_panel(dyads, periods, counts, 2.0 * y)


def test_default_beats_every_baseline_clearly_on_structured_counts():
    """Persistence, reciprocity and shared shocks are what pooling across dyads can learn and
    no single-series baseline can: the default must beat each baseline, ETS and Croston
    included, by at least 5% on both MAE and the log score (a model fallen back to any
    baseline scores 0% against it)."""
    result = backtest(_structured_panel(), origins=10, horizons=(1,), min_events=1)
    rows = {r["model"]: r for r in result["results"]}
    model = rows["pooled-glm"]
    for baseline in BASELINES:
        for score in ("mae", "log_score"):
            gain = (rows[baseline][score] - model[score]) / rows[baseline][score]
            assert gain >= 0.05, (baseline, score, gain)


def _spread_or_burst_panel(seed: int = 0, n_dyads: int = 60, n: int = 50) -> tuple:
    """Weeks of equally many events (Poisson 5) that are either spread over several days
    (a story going on: the next week has events 90% of the time) or a burst on one day (a
    story that is over: 20%), and quiet weeks.  The counts cannot tell the two apart; the
    days with events can.  Returns the panel and its activity, without and with days."""
    rng = np.random.default_rng(seed)
    y = np.zeros((n_dyads, n))
    days = np.zeros((n_dyads, n))
    kind = rng.integers(0, 2, n_dyads)  # 0 spread, 1 burst, 2 quiet
    for t in range(n):
        active = kind < 2
        y[:, t] = np.where(active, np.maximum(rng.poisson(5, n_dyads), 1), 0)
        days[:, t] = np.where(kind == 0, np.minimum(y[:, t], 5), np.where(kind == 1, 1, 0))
        go_on = rng.random(n_dyads) < np.where(kind == 0, 0.9, np.where(kind == 1, 0.2, 0.3))
        kind = np.where(go_on, rng.integers(0, 2, n_dyads), 2)
    counts = np.zeros((n_dyads, n, 5))
    counts[:, :, 0] = counts[:, :, 1] = y
    activity = np.zeros((n_dyads, n, 5, 3))
    activity[:, :, 0, 0] = activity[:, :, 1, 0] = days
    month = np.stack([days[:, max(0, t - 3) : t + 1].sum(axis=1) for t in range(n)], axis=1)
    activity[:, :, 0, 1] = activity[:, :, 1, 1] = month
    dyads = [(f"A{i}", f"B{i}") for i in range(n_dyads)]
    periods = [dt.date(2020, 1, 6) + dt.timedelta(weeks=k) for k in range(n)]
    return (make_panel(dyads, periods, counts, y, None, a) for a in (None, activity))


def test_default_model_learns_from_the_days_with_events():
    """A week whose events fell on one day says less about the next than one whose events
    were spread over the week: with the days known, the default's forecasts are clearly
    better than from the counts alone."""
    scores = {}
    for name, panel in zip(("counts", "days"), _spread_or_burst_panel(), strict=True):
        result = backtest(panel, origins=10, horizons=(1,), min_events=1)
        scores[name] = next(r for r in result["results"] if r["model"] == "pooled-glm")
    assert scores["days"]["log_score"] < 0.95 * scores["counts"]["log_score"]
    assert scores["days"]["mae"] < scores["counts"]["mae"]


def test_pooled_model_beats_naive_and_mean_on_an_ar_process():
    result = backtest(_panel(_ar_panel(n_dyads=40, n=56)), origins=8, horizons=(1,), min_events=1)
    rows = {r["model"]: r for r in result["results"]}
    model = rows["pooled-glm"]
    for baseline in ("naive", "mean", "zero", "ma4"):
        assert model["mae"] < rows[baseline]["mae"], baseline
        assert model["log_score"] < rows[baseline]["log_score"], baseline
    assert compare(result)["log_score"]["improvement_pct"] > 0


def test_glm_fits_quiet_and_busy_dyads_apart_when_each_has_rows_enough():
    from tidings.analytics._forecast_model import SPLIT, Features, PooledGLM

    rng = np.random.default_rng(5)
    quiet = rng.poisson(0.8, (30, 40)).astype(float)
    busy = rng.poisson(12, (30, 40)).astype(float)
    alone = PooledGLM.fit(Features.of(_panel(quiet)).states, quiet, 40, 1)
    assert alone.params[0] is alone.params[1]  # no busy rows: one GLM
    both = np.vstack([quiet, busy])
    features = Features.of(_panel(both))
    glm = PooledGLM.fit(features.states, both, 40, 1)
    assert not np.allclose(glm.params[0], glm.params[1])
    mean = glm.mean(features.states, 40)
    assert mean[:30].max() < SPLIT < mean[30:].min()
    assert mean[:30].mean() == pytest.approx(0.8, rel=0.25)
    assert mean[30:].mean() == pytest.approx(12, rel=0.15)


def test_median_regression_learns_from_quieter_dyads_the_glm_does_not():
    """The backtest's dyads (>= min_events) teach the GLM; dyads with half as many events
    teach the median regression too, and nothing quieter is looked at."""
    from tidings.analytics._backtest import _subset
    from tidings.analytics._forecast import _select
    from tidings.analytics._forecast_model import DefaultModel, Features, training_dyads

    counts = _ar_panel(6, n_dyads=30, n=40)
    counts[10:20] = np.minimum(counts[10:20], 1)  # quiet: 10 to 40 events
    counts[20:] = 0
    counts[20:, -1] = 1  # all but silent: 1 event
    panel = _panel(counts)
    chosen = _select(panel, 45)
    assert set(chosen) == set(range(10))
    wider, own = training_dyads(panel, chosen, 45)
    assert set(wider) == {d for d in range(20) if counts[d].sum() >= 22}
    assert list(wider[own]) == list(chosen) and len(wider) > len(chosen)
    features = Features.of(_subset(panel, wider))
    model = DefaultModel.fit(features, counts[wider], 36, 1, own)
    only = Features.of(_subset(panel, chosen))
    alone = DefaultModel.fit(only, counts[chosen], 36, 1)
    for mine, theirs in zip(model.glm.params, alone.glm.params, strict=True):
        assert mine == pytest.approx(theirs)
    assert not np.allclose(model.median.params, alone.median.params)
    predicted = model.predict(features, 36).rows(own)
    assert predicted.mean == pytest.approx(alone.predict(only, 36).mean)


def test_baselines_are_what_they_say():
    y = np.array([[0.0, 2, 0, 0, 4, 1, 3, 0]])
    b = baseline_forecasts(y, 6, 1)  # from the first six periods
    assert b["zero"][0] == 0 and b["naive"][0] == 1
    assert b["mean"][0] == pytest.approx(7 / 6) and b["ma4"][0] == pytest.approx(5 / 4)
    # Croston: demand sizes 2, 4, 1 at gaps 2, 3, 1 smoothed with alpha 0.1
    size = 2 + 0.1 * (4 - 2)
    size = size + 0.1 * (1 - size)
    interval = 2 + 0.1 * (3 - 2)
    interval = interval + 0.1 * (1 - interval)
    assert b["croston"][0] == pytest.approx(size / interval)
    assert _croston_path(y)[0, 0] == 0  # nothing seen yet
    assert 0 <= b["ets"][0] <= 4


def test_poisson_irls_recovers_coefficients_and_log_score():
    rng = np.random.default_rng(1)
    x = np.column_stack([np.ones(4000), rng.normal(size=(4000, 2))])
    y = rng.poisson(np.exp(x @ [0.4, 0.5, -0.3]))
    assert poisson_irls(x, y) == pytest.approx([0.4, 0.5, -0.3], abs=0.05)
    assert poisson_log_score(np.array([0.0]), np.array([1.0]))[0] == pytest.approx(1.0)


def test_forecast_intervals_cover_and_unknown_dyad_fails():
    counts = _ar_panel(2, n_dyads=40, n=60)
    panel = _panel(counts[:, :52])
    rows = forecast_dyad(panel, ("A3", "B3"), 4, min_events=1)
    assert [r["horizon"] for r in rows] == [1, 2, 3, 4]
    assert rows[0]["period"] == panel.periods[-1] + dt.timedelta(weeks=1)
    for r in rows:
        assert r["events_low"] <= r["events_mean"] <= r["events_high"]
        assert r["events_low"] <= r["events"] <= r["events_high"]
        assert r["goldstein_low"] <= r["goldstein_high"]
    covered = []
    for d in range(40):
        first = forecast_dyad(panel, (f"A{d}", f"B{d}"), 1, min_events=1)[0]
        covered.append(first["events_low"] <= counts[d, 52] <= first["events_high"])
    assert np.mean(covered) >= 0.75  # 90% intervals
    from tidings.errors import InputError

    with pytest.raises(InputError, match="no events of X -> Y"):
        forecast_dyad(panel, ("X", "Y"), 2)


def _truncate(panel: Panel, n: int) -> Panel:
    """The panel as it stood after its first ``n`` periods."""
    return Panel(
        panel.dyads,
        panel.periods[:n],
        panel.counts[:, :n],
        panel.goldstein[:, :n],
        panel.actor_totals[:, :n],
        panel.reverse[:, :n],
        panel.overall[:n],
        panel.recent[:, :n],
        panel.activity[:, :n],
    )


def test_forecast_shows_what_the_backtest_scores():
    """One model behind both surfaces: ``forecast`` at an origin repeats the backtest's
    point forecast and mean there, and the backtest's scores are those of these numbers."""
    counts = _ar_panel(3, n_dyads=20, n=40)
    panel = _panel(counts)
    result = backtest(panel, origins=3, horizons=(1, 2), min_events=1, keep_forecasts=True)
    kept = result["forecasts"]
    assert len(kept) == 20 * 3 * 2
    for h in (1, 2):
        rows = [r for r in kept if r["horizon"] == h]
        actual = np.array(
            [counts[int(r["dyad"][0][1:]), panel.periods.index(r["period"])] for r in rows]
        )
        point = np.array([r["point"] for r in rows])
        mean = np.array([r["mean"] for r in rows])
        scored = next(
            r for r in result["results"] if r["model"] == "pooled-glm" and r["horizon"] == h
        )
        assert scored["mae"] == pytest.approx(np.abs(point - actual).mean())
        assert scored["log_score"] == pytest.approx(poisson_log_score(actual, mean).mean())
        assert not np.allclose(point, mean)  # two different numbers, each where it belongs
    for h in (1, 2):
        origin = 40 - h  # forecast from the first 40 - h periods: the last period is h ahead
        shown = forecast_dyad(_truncate(panel, origin), ("A5", "B5"), h, min_events=1)[-1]
        assert shown["period"] == panel.periods[-1]
        scored = next(
            r
            for r in kept
            if r["dyad"] == ("A5", "B5") and r["horizon"] == h and r["period"] == panel.periods[-1]
        )
        assert shown["events"] == pytest.approx(scored["point"])
        assert shown["events_mean"] == pytest.approx(scored["mean"])
        assert shown["events_low"] <= shown["events_mean"] <= shown["events_high"]


def test_holdout_scores_an_earlier_block_as_if_the_data_ended_there():
    """The tuning block sees nothing of the periods after it."""
    panel = _panel(_ar_panel(4, n_dyads=15, n=36))
    early = backtest(panel, origins=4, horizons=(1, 2), min_events=1, holdout=6)
    cut = backtest(_truncate(panel, 30), origins=4, horizons=(1, 2), min_events=1)
    assert early["periods"] == [panel.periods[26], panel.periods[29]] == cut["periods"]
    assert early["results"] == cut["results"]
    later = backtest(panel, origins=4, horizons=(1, 2), min_events=1)
    assert later["results"] != early["results"]


def test_panel_recent_weighs_the_last_days_of_each_period(tmp_path):
    """Two Sunday events count for more of next week than two on the Monday before."""
    import csv

    import tidings
    from tidings.analytics._forecast import RECENT_ALPHA, SLOW_DAILY_ALPHA, load_panel
    from tidings.exchange import import_events

    days = ["2014-01-06", "2014-01-12", "2014-01-12", "2014-01-22", "2014-01-26"]
    path = tmp_path / "few.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["date", "source", "event_text", "cameo_code", "target", "tkg_split"])
        writer.writerows([day, "Russia", "Consult", "040", "Ukraine", "train"] for day in days)
    db = tmp_path / "few.duckdb"
    import_events(db, "icews14", path)
    with tidings.open(db) as store:
        panel = load_panel(lambda: store.connection)
    assert panel.periods == [dt.date(2014, 1, 6), dt.date(2014, 1, 13), dt.date(2014, 1, 20)]
    d = panel.dyads.index(("RUS", "UKR"))
    a, keep = RECENT_ALPHA, 1 - RECENT_ALPHA
    first = a * keep**6 + 2 * a
    assert list(panel.counts[d, :, 0]) == [3, 0, 2]
    assert panel.recent[d, :, 0] == pytest.approx(
        [7 * first, 7 * first * keep**7, 7 * (first * keep**14 + a * keep**4 + a)]
    )
    assert panel.recent[d, :, 1] == pytest.approx(panel.recent[d, :, 0])  # 040: quad 1
    assert not panel.recent[d, :, 2:].any()
    # days with events among the last 7 and the last 28 at each week's end (two on the 12th
    # are one day), and the daily rate over months the same way as the recent one
    assert panel.activity[d, :, 0, 0].tolist() == [2, 0, 2]
    assert panel.activity[d, :, 0, 1].tolist() == [2, 2, 4]
    s, stay = SLOW_DAILY_ALPHA, 1 - SLOW_DAILY_ALPHA
    slow = s * stay**6 + 2 * s
    assert panel.activity[d, :, 0, 2] == pytest.approx(
        [7 * slow, 7 * slow * stay**7, 7 * (slow * stay**14 + s * stay**4 + s)]
    )
    assert panel.activity[d, :, 1] == pytest.approx(panel.activity[d, :, 0])
    assert not panel.activity[d, :, 2:].any()


@pytest.mark.skipif(not ICEWS14.exists(), reason="needs ../shared ICEWS 2014")
def test_icews_backtest_cli(tmp_path):
    from tidings.exchange import import_events

    db = tmp_path / "icews.duckdb"
    import_events(db, "icews14", ICEWS14)
    runner = CliRunner()
    out = runner.invoke(
        cli, ["backtest", "--db", str(db), "--horizons", "1", "--origins", "6", "--format", "json"]
    )
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["dyads"] > 100 and data["origins"] == 6
    models = {r["model"] for r in data["results"]}
    assert models == {"pooled-glm", "zero", "naive", "mean", "ma4", "ets", "croston"}
    rows = {r["model"]: r for r in data["results"]}
    for baseline in ("zero", "naive", "mean", "ma4"):
        assert rows["pooled-glm"]["mae"] < rows[baseline]["mae"], baseline
        assert rows["pooled-glm"]["log_score"] < rows[baseline]["log_score"], baseline
    fc = runner.invoke(
        cli, ["forecast", "--db", str(db), "--dyad", "RUS", "UKR", "--format", "json"]
    )
    assert fc.exit_code == 0 and len(json.loads(fc.output)) == 4
    first = json.loads(fc.output)[0]
    assert first["events"] == int(first["events"])  # the median regression's count
    assert first["events_low"] <= first["events_mean"] <= first["events_high"]
    bad = runner.invoke(cli, ["forecast", "--db", str(db), "--dyad", "RUS", "ZZZ"])
    assert bad.exit_code != 0


def test_forecast_periods_follow_the_calendar():
    from tidings.analytics._backtest import _ahead

    months = [dt.date(2014, 11, 1), dt.date(2014, 12, 1)]
    assert [_ahead(months, h) for h in (1, 2, 13)] == [
        dt.date(2015, 1, 1),
        dt.date(2015, 2, 1),
        dt.date(2016, 1, 1),
    ]
    weeks = [dt.date(2014, 12, 15), dt.date(2014, 12, 22)]
    assert _ahead(weeks, 2) == dt.date(2015, 1, 5)


def _icews_rows(path, rows):
    import csv

    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["date", "source", "event_text", "cameo_code", "target", "tkg_split"])
        writer.writerows([day, src, "Consult", "040", tgt, "train"] for day, src, tgt in rows)
    return path


def test_forecast_warns_of_a_silent_dyad_and_provenance_chooses_the_data(tmp_path):
    from tidings.exchange import import_events

    start = dt.date(2014, 1, 6)
    early = [
        ((start + dt.timedelta(days=d)).isoformat(), "Russia", "Ukraine") for d in range(0, 140, 2)
    ]
    later = [
        ((start + dt.timedelta(days=d)).isoformat(), "France", "Germany")
        for d in range(300, 420, 2)
    ]
    db = tmp_path / "mixed.duckdb"
    import_events(db, "icews14", _icews_rows(tmp_path / "first.csv", early))
    import_events(db, "icews14", _icews_rows(tmp_path / "second.csv", later))
    runner = CliRunner()
    args = ["forecast", "--db", str(db), "--dyad", "RUS", "UKR", "--min-events", "10"]
    mixed = runner.invoke(cli, [*args, "--format", "json"])
    assert mixed.exit_code == 0, mixed.output
    assert "RUS -> UKR has no events in the last" in mixed.stderr
    own = runner.invoke(cli, [*args, "--provenance", "icews:first.csv", "--format", "json"])
    assert own.exit_code == 0, own.output
    assert "has no events" not in own.stderr
    last_early = dt.date.fromisoformat(early[-1][0])
    first_forecast = dt.date.fromisoformat(json.loads(own.stdout)[0]["period"])
    assert abs((first_forecast - last_early).days) <= 14  # from its own data, not a year on
    backtest_run = runner.invoke(
        cli,
        [
            "backtest", "--db", str(db), "--provenance", "icews:first.csv",
            "--min-events", "10", "--origins", "4", "--horizons", "1", "--format", "json",
        ],
    )  # fmt: skip
    assert backtest_run.exit_code == 0, backtest_run.output
    # the scored origins are the last weeks of that import, not of the store
    scored_to = dt.date.fromisoformat(json.loads(backtest_run.stdout)["periods"][1])
    assert scored_to < first_forecast
