"""Import speed: one million ICEWS events into a fresh store (target >= 100,000 events/s).

Builds the input in a temporary directory from the ICEWS 2014 events of
``../shared/data/events/icews14_events_named.csv`` (90,730 events) replicated
11 times with their dates shifted by whole years (copy k by k * 365 days),
998,030 events in the benchmark file's own CSV format; imports it with
``tidings.exchange.import_events`` (format ``icews``, sniffed as icews14)
into a new store, timing the import and the store's close (the checkpoint
that makes it durable); and compares with a bare DuckDB ``read_csv`` of the
same file into a table, the floor any importer built on it pays.

    python benchmarks/import_speed.py [--copies 11] [--keep DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import SHARED, peak_rss_mb

ICEWS14 = SHARED / "data" / "events" / "icews14_events_named.csv"
TARGET = 100_000


def build(path: Path, copies: int) -> int:
    """Write the replicated file; return its number of events."""
    import duckdb

    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    source = str(ICEWS14).replace("'", "''")
    con.execute(
        f"""COPY (
            SELECT strftime(date + to_days(CAST(365 * k AS INTEGER)), '%Y-%m-%d') AS date,
                source, event_text, cameo_code, target, tkg_split
            FROM read_csv('{source}', all_varchar = false), range({copies}) AS r(k)
            ORDER BY k, date
        ) TO '{str(path).replace("'", "''")}' (HEADER, DELIMITER ',')"""
    )
    (count,) = con.execute(f"SELECT count(*) FROM read_csv('{path}')").fetchone()
    con.close()
    return int(count)


def baseline(path: Path) -> float:
    """Seconds DuckDB needs to read the file into a table, nothing else."""
    import duckdb

    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    started = time.perf_counter()
    con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{path}', all_varchar = true)")
    seconds = time.perf_counter() - started
    con.close()
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=11)
    parser.add_argument("--keep", type=Path, default=None, help="build in DIR and keep it")
    args = parser.parse_args(argv)
    if not ICEWS14.exists():
        raise SystemExit(f"benchmark data not found: {ICEWS14}")

    from tidings.exchange import import_events
    from tidings.store import Store

    with tempfile.TemporaryDirectory(prefix="tidings-bench-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        data, db = folder / "icews14_x11.csv", folder / "bench.duckdb"
        db.unlink(missing_ok=True)
        events = build(data, args.copies)
        size = data.stat().st_size / 1e6
        print(f"input: {events:,} events, {size:.0f} MB ({data})")

        base = baseline(data)
        started = time.perf_counter()
        store = Store(db)
        summary = import_events(store, "icews", data)
        store.close()
        seconds = time.perf_counter() - started

        rate, base_rate = summary.imported / seconds, events / base
        print(f"import: {summary.imported:,} events in {seconds:.2f} s = {rate:,.0f} events/s")
        print(f"        (import_events alone {summary.seconds:.2f} s; rejected {summary.rejected})")
        print(f"bare DuckDB read_csv: {base:.2f} s = {base_rate:,.0f} rows/s")
        print(f"ratio import / read_csv: {rate / base_rate:.2f}")
        print(f"peak RSS: {peak_rss_mb():.0f} MB")
        ok = rate >= TARGET
        print(f"target >= {TARGET:,} events/s: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
