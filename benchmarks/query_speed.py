"""Query speed: analytics API vs hand-written DuckDB SQL on a 10-million-event store.

Targets: each API query's median under 300 ms, and at most 1.5 times the
median of the same query written directly in DuckDB SQL on the raw table.

The store is a real Tidings store (schema from the migrations) filled by one
``INSERT INTO events SELECT ... FROM range(N)`` with synthetic but plausible
values: 200 actor codes (40 countries, skewed so a few dominate as in news,
times 5 agents: none, GOV, MIL, COP, OPP), event dates over 10 years
(2014-2023; 3% of month precision, 1% undated), CAMEO roots 01-20 with a
code under each and the codebook's QuadClass and Goldstein value, modality
70% asserted, 20% reported, 10% other.  The secondary indexes are dropped for
the insert and rebuilt after it, which is several times faster than
maintaining them row by row.

Queries, each timed 5 times after a warm-up run (median), all to a pandas
DataFrame:

* timeline: RUS-TUR events (both directions, code prefixes) per week over
  2016-2017, asserted and reported: ``store.timeline("RUS", "TUR", by="week",
  since="2016-01-01", until="2017-12-31")``;
* top dyads: the 20 directed dyads with most asserted/reported events in the
  whole store: ``store.top_dyads(20)``.

The raw SQL computes the same columns with literals in place of parameters
(and no gap filling, which these dense series do not need); the script
checks that both give the same rows.

    python benchmarks/query_speed.py [--events 10000000] [--keep DIR] [--merge]

``--keep DIR`` builds (or reuses) ``DIR/query_speed.duckdb``; ``--merge``
also times a full ``tidings merge`` of the store (informational).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import peak_rss_mb

TARGET_MS = 300.0
TARGET_RATIO = 1.5
RUNS = 5

COUNTRIES = [
    "USA",
    "RUS",
    "CHN",
    "TUR",
    "IRN",
    "SYR",
    "UKR",
    "GBR",
    "FRA",
    "DEU",
    "ISR",
    "PSE",
    "IRQ",
    "AFG",
    "PAK",
    "IND",
    "SAU",
    "EGY",
    "JPN",
    "KOR",
    "PRK",
    "LBY",
    "YEM",
    "LBN",
    "JOR",
    "QAT",
    "ARE",
    "POL",
    "ITA",
    "ESP",
    "CAN",
    "AUS",
    "IDN",
    "BRA",
    "MEX",
    "NGA",
    "ZAF",
    "KEN",
    "ETH",
    "SDN",
]
AGENTS = ["", "GOV", "MIL", "COP", "OPP"]

BUILD_SQL = """
INSERT INTO events (event_id, doc_id, sentence_index, source_code, source_country,
    source_agent, source_text, target_code, target_country, target_agent, target_text,
    code, root_code, quad_class, goldstein, modality, trigger, rule, cues, date,
    date_precision, date_start, provenance)
WITH r AS (
    SELECT i,
        CAST(floor(40 * pow((hash(i, 1) % 1000000) / 1e6, 2)) AS BIGINT) + 1 AS sc,
        CAST(floor(40 * pow((hash(i, 2) % 1000000) / 1e6, 2)) AS BIGINT) + 1 AS tc,
        CAST(hash(i, 3) % 5 AS BIGINT) + 1 AS sa,
        CAST(hash(i, 4) % 5 AS BIGINT) + 1 AS ta,
        CAST(hash(i, 5) % 20 AS BIGINT) + 1 AS root,
        CAST(hash(i, 6) % 10 AS BIGINT) AS sub,
        CAST(hash(i, 7) % 100 AS BIGINT) AS m,
        CAST(hash(i, 8) % 100 AS BIGINT) AS p,
        DATE '2014-01-01' + CAST(hash(i, 9) % 3652 AS INTEGER) AS day
    FROM range(?) t(i)
), v AS (
    SELECT r.*, CAST(? AS VARCHAR[])[sc] AS s_c, CAST(? AS VARCHAR[])[tc] AS t_c,
        CAST(? AS VARCHAR[])[sa] AS s_a, CAST(? AS VARCHAR[])[ta] AS t_a,
        lpad(CAST(root AS VARCHAR), 2, '0') AS rc,
        CASE WHEN p < 1 THEN 'none' WHEN p < 4 THEN 'month' ELSE 'day' END AS precision
    FROM r
)
SELECT 'bench:' || i, 'bench:doc' || (i // 8), CAST(i % 8 AS INTEGER),
    s_c || s_a, s_c, nullif(s_a, ''), s_c,
    t_c || t_a, t_c, nullif(t_a, ''), t_c,
    rc || CAST(sub AS VARCHAR), rc,
    CAST(? AS INTEGER[])[root], CAST(? AS DOUBLE[])[root],
    CASE WHEN m < 70 THEN 'asserted' WHEN m < 90 THEN 'reported'
        ELSE CAST(['negated', 'future', 'hypothetical', 'uncertain'] AS VARCHAR[])[m % 4 + 1] END,
    'met', 'bench', CAST([] AS VARCHAR[]),
    CASE precision WHEN 'day' THEN strftime(day, '%Y-%m-%d')
        WHEN 'month' THEN strftime(day, '%Y-%m') END,
    CASE WHEN precision <> 'none' THEN precision END,
    CASE precision WHEN 'day' THEN day WHEN 'month' THEN CAST(date_trunc('month', day) AS DATE)
        END,
    'bench'
FROM v
"""

RAW_TIMELINE = """
SELECT CAST(date_trunc('week', date_start) AS DATE) AS period, count(*) AS events,
    count(*) FILTER (WHERE quad_class = 1) AS q1, count(*) FILTER (WHERE quad_class = 2) AS q2,
    count(*) FILTER (WHERE quad_class = 3) AS q3, count(*) FILTER (WHERE quad_class = 4) AS q4,
    sum(goldstein) AS goldstein_sum, avg(goldstein) AS goldstein_mean
FROM events
WHERE date_start >= DATE '2016-01-01' AND date_start < DATE '2018-01-01'
    AND modality IN ('asserted', 'reported') AND date_precision IN ('day', 'publication')
    AND ((source_code LIKE 'RUS%' AND target_code LIKE 'TUR%')
        OR (source_code LIKE 'TUR%' AND target_code LIKE 'RUS%'))
GROUP BY 1 ORDER BY 1
"""

RAW_TOP_DYADS = """
SELECT source_code AS source, target_code AS target, count(*) AS events,
    count(*) FILTER (WHERE quad_class = 1) AS q1, count(*) FILTER (WHERE quad_class = 2) AS q2,
    count(*) FILTER (WHERE quad_class = 3) AS q3, count(*) FILTER (WHERE quad_class = 4) AS q4,
    sum(goldstein) AS goldstein_sum, avg(goldstein) AS goldstein_mean
FROM events
WHERE modality IN ('asserted', 'reported') AND target_code IS NOT NULL
GROUP BY 1, 2 ORDER BY events DESC, source, target LIMIT 20
"""


def build(path: Path, events: int) -> float:
    """Create the store at ``path`` with ``events`` synthetic events; return seconds."""
    import duckdb

    from tidings.dictionaries.cameo import load_codebook
    from tidings.store import Store

    started = time.perf_counter()
    Store(path).close()  # the schema, by the migrations
    roots = load_codebook().roots()
    con = duckdb.connect(str(path))
    con.execute("SET enable_progress_bar = false")
    indexes = con.execute(
        "SELECT index_name, sql FROM duckdb_indexes() WHERE table_name = 'events'"
    ).fetchall()
    for name, _sql in indexes:
        con.execute(f"DROP INDEX {name}")
    con.execute(
        BUILD_SQL,
        [
            events,
            COUNTRIES,
            COUNTRIES,
            AGENTS,
            AGENTS,
            [c.quad_class for c in roots],
            [c.goldstein for c in roots],
        ],
    )
    for _name, sql in indexes:
        con.execute(sql)
    con.execute("CHECKPOINT")
    con.close()
    return time.perf_counter() - started


def median_ms(run: Callable[[], object]) -> tuple[float, object]:
    """Median wall time of RUNS calls after one warm-up, in ms, and the last result."""
    result = run()
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def same(api, raw) -> bool:
    """Whether two DataFrames hold the same rows (floats to 6 digits)."""
    import numpy

    if list(api.columns) != list(raw.columns) or len(api) != len(raw):
        return False
    for column in api.columns:
        left, right = api[column], raw[column]
        if left.dtype.kind == "f" or right.dtype.kind == "f":
            if not numpy.allclose(left.astype(float), right.astype(float), equal_nan=True):
                return False
        elif list(left.astype(str)) != list(right.astype(str)):
            return False
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--keep", type=Path, default=None, help="build in (or reuse) DIR")
    parser.add_argument("--merge", action="store_true", help="also time a full merge")
    args = parser.parse_args(argv)

    import tidings

    with tempfile.TemporaryDirectory(prefix="tidings-bench-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        db = folder / "query_speed.duckdb"
        if db.exists() and args.keep:
            print(f"store: reusing {db}")
        else:
            db.unlink(missing_ok=True)
            seconds = build(db, args.events)
            print(f"store: {args.events:,} events built in {seconds:.1f} s ({db})")
        print(f"        {db.stat().st_size / 1e6:,.0f} MB on disk")

        ok = True
        with tidings.open(db) as store:
            con = store.connection
            (count,) = con.execute("SELECT count(*) FROM events").fetchall()[0]
            print(f"        {count:,} events")
            cases = [
                (
                    "timeline RUS-TUR by week, 2016-2017",
                    lambda: store.timeline(
                        "RUS", "TUR", by="week", since="2016-01-01", until="2017-12-31"
                    ).df(),
                    lambda: con.sql(RAW_TIMELINE).df(),
                ),
                (
                    "top 20 dyads, whole store",
                    lambda: store.top_dyads(20).df(),
                    lambda: con.sql(RAW_TOP_DYADS).df(),
                ),
            ]
            for name, api, raw in cases:
                api_ms, api_df = median_ms(api)
                raw_ms, raw_df = median_ms(raw)
                ratio = api_ms / raw_ms
                met = api_ms < TARGET_MS and ratio <= TARGET_RATIO
                ok = ok and met and same(api_df, raw_df)
                print(f"{name}: {len(api_df)} rows, equal results: {same(api_df, raw_df)}")
                print(
                    f"  API {api_ms:.1f} ms, raw SQL {raw_ms:.1f} ms, ratio {ratio:.2f} "
                    f"(median of {RUNS}) {'met' if met else 'MISSED'}"
                )
        if args.merge:
            with tidings.open(db, read_only=False) as store:
                summary = store.merge()
            print(
                f"merge: {summary.mentions:,} mentions into {summary.merged:,} events "
                f"in {summary.seconds:.1f} s"
            )
        print(f"peak RSS: {peak_rss_mb():.0f} MB")
        print(
            f"targets (< {TARGET_MS:.0f} ms, ratio <= {TARGET_RATIO}): {'met' if ok else 'MISSED'}"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
