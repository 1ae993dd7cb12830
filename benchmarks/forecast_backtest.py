"""``tidings backtest`` on a store holding the ICEWS 2014 import: the default model against the
best baseline of the same run (weekly country dyads with >= 52 events, 12 one-week-ahead
rolling origins).  Target: MAE and Poisson log score both >= 10% better than the best baseline.

    python benchmarks/forecast_backtest.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import SHARED

ICEWS14 = SHARED / "data" / "events" / "icews14_events_named.csv"


def main() -> None:
    if not ICEWS14.exists():
        raise SystemExit(f"benchmark data not found: {ICEWS14}")
    import tidings
    from tidings.analytics._backtest import backtest, compare
    from tidings.analytics._forecast import load_panel
    from tidings.exchange import import_events

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "icews.duckdb"
        import_events(db, "icews14", ICEWS14)
        started = time.perf_counter()
        with tidings.open(db) as store:
            panel = load_panel(lambda: store.connection)
        result = backtest(panel, origins=12, horizons=(1, 2, 3, 4), min_events=52)
        seconds = time.perf_counter() - started
    print(f"{result['dyads']} dyads, origins {result['periods'][0]} .. {result['periods'][1]}")
    for row in result["results"]:
        print(
            f"h={row['horizon']} {row['model']:>10}: MAE {row['mae']:.3f} MASE {row['mase']:.3f} "
            f"log score {row['log_score']:.3f}"
        )
    for score, found in compare(result, 1).items():
        verdict = "met" if found["improvement_pct"] >= 10 else "NOT met"
        print(
            f"h=1 {score}: model {found['model']:.4f} vs best baseline {found['best_baseline']} "
            f"{found['baseline']:.4f}: {found['improvement_pct']:+.1f}% (target >= 10%: {verdict})"
        )
    print(f"{seconds:.1f} s (shared, loaded machine)")


if __name__ == "__main__":
    main()
