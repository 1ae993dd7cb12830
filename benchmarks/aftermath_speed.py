"""How fast does ``store.aftermath`` answer for a dyad over two years of weekly data?

Builds a store with the seed article coded (``--no-seed`` to skip spaCy) plus the ICEWS 2014
import twice (the second copy shifted by 52 weeks, so the history spans 2014-2015), then times
the event study of RUS -> UKR around 2015-07-16 (26 weeks before, 8 after, by week, placebo
test included) in a fresh process's first call (statsmodels imported on the way) and warm,
against a plain ``store.timeline`` of the same dyad in the same run.

    python benchmarks/aftermath_speed.py [--no-seed] [--repeat 5]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, SHARED

ICEWS14 = SHARED / "data" / "events" / "icews14_events_named.csv"
SEED = SHARED / "data" / "seed" / "000_2c39ee907fbb3e8c.txt"


def shifted_copy(src: Path, dst: Path, days: int) -> None:
    with src.open(newline="", encoding="utf-8") as fin, dst.open("w", newline="") as fout:
        reader = csv.DictReader(fin)
        writer = csv.DictWriter(fout, fieldnames=reader.fieldnames)
        writer.writeheader()
        for row in reader:
            day = dt.date.fromisoformat(row["date"]) + dt.timedelta(days=days)
            writer.writerow({**row, "date": day.isoformat()})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-seed", action="store_true", help="do not code the seed article")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not ICEWS14.exists():
        raise SystemExit(f"benchmark data not found: {ICEWS14}")
    import tidings
    from tidings.exchange import import_events

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "two-years.duckdb"
        if not args.no_seed:
            from tidings.api import code_inputs

            code_inputs([str(SEED)], db=db)
        import_events(db, "icews14", ICEWS14)
        second = Path(tmp) / "icews15.csv"
        shifted_copy(ICEWS14, second, 364)
        import_events(db, "icews14", second)
        study = dict(date="2015-07-16", dyad=("RUS", "UKR"), before="26w", after="8w", by="week")
        with tidings.open(db) as store:
            started = time.perf_counter()
            first = store.aftermath(**study)
            cold = time.perf_counter() - started
            warm, base = [], []
            for _ in range(args.repeat):
                started = time.perf_counter()
                store.aftermath(**study)
                warm.append(time.perf_counter() - started)
                started = time.perf_counter()
                store.timeline("RUS", "UKR", by="week", directed=True).records()
                base.append(time.perf_counter() - started)
            stats = store.stats()
        w, b = statistics.median(warm), statistics.median(base)
        print(f"store: {stats['events']} events, {stats['first_date']} .. {stats['last_date']}")
        print(
            f"aftermath RUS->UKR 2015-07-16 (26w/8w by week, {first.placebo_dates} placebo "
            f"dates, {len(first.rows)} rows): first call {cold:.2f} s (statsmodels import "
            f"included), warm median {w:.3f} s; timeline of the same dyad {b:.3f} s "
            f"(ratio {w / b:.1f}x); target < 2 s: {'met' if cold < 2 else 'NOT met'} cold, "
            f"{'met' if w < 2 else 'NOT met'} warm"
        )
        print(f"(repo {REPO.name}; timings on a shared, loaded machine)")


if __name__ == "__main__":
    main()
