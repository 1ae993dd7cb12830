"""How fast does ``store.aftermath`` answer for a dyad over two years of weekly data?

Builds a store with the seed article coded (``--no-seed`` to skip spaCy) plus the ICEWS 2014
import twice (the second copy shifted by 52 weeks, so the history spans 2014-2015), then times
the event study of RUS -> UKR around 2015-07-16 (26 weeks before, 8 after, by week, placebo
test included): cold, in a fresh subprocess (``import tidings``, open the store, the first
call: every lazy import on the way), and warm (the median of later calls in this process),
against a plain ``store.timeline`` of the same dyad in the same run.

    python benchmarks/aftermath_speed.py [--no-seed] [--repeat 5]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import statistics
import subprocess
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


COLD = """
import json, sys, time
started = time.perf_counter()
import tidings
imported = time.perf_counter()
with tidings.open(sys.argv[1], read_only=True) as store:
    opened = time.perf_counter()
    store.aftermath(**json.loads(sys.argv[2]))
    done = time.perf_counter()
print(json.dumps({"import": imported - started, "open": opened - imported,
                  "call": done - opened, "total": done - started}))
"""


def cold_run(db: Path, study: dict) -> dict[str, float]:
    """One fresh interpreter: import, open, first aftermath call (seconds of each)."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    out = subprocess.run(
        [sys.executable, "-c", COLD, str(db), json.dumps(study)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=300,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


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
        colds = [cold_run(db, study) for _ in range(3)]
        cold_totals = sorted(c["total"] for c in colds)
        cold_calls = sorted(c["call"] for c in colds)
        cold = cold_totals[1]
        with tidings.open(db) as store:
            first = store.aftermath(**study)
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
            f"dates, {len(first.rows)} rows): cold (fresh process, median of 3) {cold:.2f} s "
            f"from `import tidings` to the answer (first call alone {cold_calls[1]:.2f} s; runs "
            f"{', '.join(f'{t:.2f}' for t in cold_totals)} s), warm median {w:.3f} s; "
            f"timeline of the same dyad {b:.3f} s "
            f"(ratio {w / b:.1f}x); target < 2 s: {'met' if cold < 2 else 'NOT met'} cold, "
            f"{'met' if w < 2 else 'NOT met'} warm"
        )
        print(f"(repo {REPO.name}; timings on a shared, loaded machine)")


if __name__ == "__main__":
    main()
