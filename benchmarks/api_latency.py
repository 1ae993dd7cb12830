"""API latency of ``tidings serve`` on a store of about one million events.

Targets: p95 < 200 ms for filtered ``/api/events`` and ``/api/timeline``
requests, and < 1.5 s for the dashboard's first complete render in Chromium.

The store is built from the bundled example (coded once with spaCy, 34
events) replicated with DuckDB ``INSERT ... SELECT`` over ``range()``: copy
``k`` gets its own article and sentences, its dates shifted by ``k mod 3650``
days (ten years of data), and its Russian and Turkish actors renamed after
two of 40 countries (so actor filters, dyads and the network have variety).
Requests go through Starlette's TestClient (in process, no socket), cycling
through realistic filter sets; the first render is timed in headless
``/usr/bin/chromium`` through Playwright when both are available.

    python benchmarks/api_latency.py [--events 1000000] [--repeat 30] [--keep DIR]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import REPO, peak_rss_mb

SEED = REPO / "examples" / "moscow-times-2016-12-21-aftermath.md"
CHROMIUM = Path("/usr/bin/chromium")
API_TARGET_MS = 200.0
RENDER_TARGET_MS = 1500.0
COUNTRIES = [
    "RUS",
    "TUR",
    "IRN",
    "SYR",
    "USA",
    "GBR",
    "FRA",
    "DEU",
    "CHN",
    "IND",
    "PAK",
    "AFG",
    "IRQ",
    "ISR",
    "EGY",
    "SAU",
    "QAT",
    "UKR",
    "POL",
    "KAZ",
    "JPN",
    "KOR",
    "PRK",
    "BRA",
    "MEX",
    "NGA",
    "ZAF",
    "ETH",
    "KEN",
    "SDN",
    "LBY",
    "TUN",
    "DZA",
    "MAR",
    "JOR",
    "LBN",
    "YEM",
    "ARM",
    "AZE",
    "GEO",
]

# (label, path, params): the dashboard's own requests and typical analyst filters.
EVENT_QUERIES = [
    ("events, no filter", {}),
    ("events, actor=TUR", {"actor": "TUR"}),
    ("events, one year + root 04", {"since": "2020", "until": "2020", "root": "04"}),
    ("events, dyad RUS,TUR", {"dyad": "RUS,TUR"}),
    ("events, place=Moscow", {"place": "Moscow"}),
    ("events, near Moscow 100 km", {"near": "55.75,37.62,100"}),
    ("events, sort=goldstein, QuadClass 4", {"sort": "goldstein", "quad_class": "4"}),
    ("events, all modalities, code 04", {"modality": "all", "code": "04"}),
]
TIMELINE_QUERIES = [
    ("timeline, auto (month)", {}),
    ("timeline, actor=TUR", {"actor": "TUR"}),
    ("timeline, day over one year", {"interval": "day", "since": "2020", "until": "2020"}),
    ("timeline, week, QuadClass 1,2", {"interval": "week", "quad_class": ["1", "2"]}),
]
OTHER_QUERIES = [
    ("/api/dyads", "dyads, countries", {"level": "country", "limit": 60}),
    ("/api/places", "places", {"limit": 500}),
    ("/api/actors", "actors q=tur", {"q": "tur"}),
]


def build(db: Path, events: int) -> int:
    """Code the example into ``db`` and replicate it to about ``events`` events."""
    from tidings.api import code_inputs
    from tidings.store import Store

    summary = code_inputs([str(SEED)], db=db)
    if summary.stored != 1:
        raise SystemExit(f"could not code {SEED}")
    with Store(db) as store:
        con = store.connection
        con.execute("SET enable_progress_bar = false")
        (seed,) = con.execute("SELECT count(*) FROM events").fetchone()
        copies = -(-events // seed) - 1
        # Copy k renames RUS and TUR after two different countries of the list.
        con.execute(
            "CREATE TEMP TABLE k AS SELECT range + 1 AS k, "
            "list_extract(?::VARCHAR[], CAST((range * 7) % 40 + 1 AS INTEGER)) AS a, "
            "list_extract(?::VARCHAR[], CAST((range * 11 + 3) % 40 + 1 AS INTEGER)) AS b "
            "FROM range(?)",
            [COUNTRIES, COUNTRIES, copies],
        )
        columns = [r[0] for r in con.execute("DESCRIBE events").fetchall()]
        shifted = {
            "event_id": "e.event_id || '-' || k.k",
            "doc_id": "e.doc_id || '-' || k.k",
            "date_start": "e.date_start + CAST(k.k % 3650 AS INTEGER) - 1825",
            "date": "CASE e.date_precision WHEN 'month' THEN strftime(e.date_start + "
            "CAST(k.k % 3650 AS INTEGER) - 1825, '%Y-%m') WHEN 'year' THEN strftime(e.date_start"
            " + CAST(k.k % 3650 AS INTEGER) - 1825, '%Y') ELSE strftime(e.date_start + "
            "CAST(k.k % 3650 AS INTEGER) - 1825, '%Y-%m-%d') END",
        }
        for side in ("source", "target"):
            shifted[f"{side}_code"] = (
                f"CASE WHEN starts_with(e.{side}_code, 'RUS') THEN k.a || e.{side}_code[4:] "
                f"WHEN starts_with(e.{side}_code, 'TUR') THEN k.b || e.{side}_code[4:] "
                f"ELSE e.{side}_code END"
            )
            shifted[f"{side}_country"] = (
                f"CASE e.{side}_country WHEN 'RUS' THEN k.a WHEN 'TUR' THEN k.b "
                f"ELSE e.{side}_country END"
            )
        select = ", ".join(shifted.get(c, f"e.{c}") for c in columns)
        started = time.perf_counter()
        con.execute(f"INSERT INTO events SELECT {select} FROM events e, k")
        article_columns = [r[0] for r in con.execute("DESCRIBE articles").fetchall()]
        a_select = ", ".join(
            "a.doc_id || '-' || k.k" if c == "doc_id" else f"a.{c}" for c in article_columns
        )
        con.execute(
            f"INSERT INTO articles SELECT {a_select} FROM articles a, k "
            "WHERE a.doc_id NOT LIKE '%-%'"
        )
        con.execute(
            "INSERT INTO sentences SELECT s.doc_id || '-' || k.k, s.sentence_index, "
            "s.paragraph_index, s.kind, s.text FROM sentences s, k"
        )
        (total,) = con.execute("SELECT count(*) FROM events").fetchone()
        con.execute("CHECKPOINT")
        print(
            f"built {total:,} events ({copies + 1:,} articles) in "
            f"{time.perf_counter() - started:.1f} s"
        )
        return int(total)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def measure(client, path: str, params: dict, repeat: int) -> list[float]:
    client.get(path, params=params)  # warm up (first use of the code path)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path, params=params)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path} {params}: {response.status_code} {response.text[:200]}")
    return times


def report(label: str, times: list[float]) -> None:
    p50, p95 = percentile(times, 50), percentile(times, 95)
    print(f"  {label:<40} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")


def api_latency(db: Path, repeat: int) -> dict[str, list[float]]:
    from fastapi.testclient import TestClient

    from tidings.web import create_app

    app = create_app(db, allowed_hosts=["testserver"])
    groups: dict[str, list[float]] = {"/api/events": [], "/api/timeline": []}
    with TestClient(app) as client:
        page = client.get("/api/events", params={"limit": 500}).json()
        deep = {"cursor": page["next_cursor"], "limit": 50}
        print("per query:")
        for path, queries in (("/api/events", EVENT_QUERIES), ("/api/timeline", TIMELINE_QUERIES)):
            for label, params in queries:
                times = measure(client, path, params, repeat)
                groups[path].extend(times)
                report(label, times)
        times = measure(client, "/api/events", deep, repeat)
        groups["/api/events"].extend(times)
        report("events, second page (cursor)", times)
        for path, label, params in OTHER_QUERIES:
            report(label, measure(client, path, params, repeat))
    app.state.db.close()
    return groups


def first_render(db: Path, runs: int) -> list[float] | None:
    """Milliseconds from navigation start to the dashboard's first complete render."""
    try:
        import uvicorn
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("first render: skipped (playwright or uvicorn not installed)")
        return None
    if not CHROMIUM.exists():
        print(f"first render: skipped ({CHROMIUM} not found)")
        return None
    from tidings.web import create_app

    app = create_app(db)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    times = []
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=args)
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                page = context.new_page()
                page.goto(f"http://127.0.0.1:{port}/")
                page.wait_for_selector("body[data-state=ready]", timeout=30_000)
                times.append(float(page.get_attribute("body", "data-first-render-ms")))
                context.close()
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.db.close()
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30, help="requests per query")
    parser.add_argument("--renders", type=int, default=5, help="dashboard loads in Chromium")
    parser.add_argument("--keep", type=Path, default=None, help="build in DIR and keep it")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="tidings-bench-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        db = folder / "api_latency.duckdb"
        if not db.exists():
            build(db, args.events)
        groups = api_latency(db, args.repeat)
        ok = True
        print("summary:")
        for path, times in groups.items():
            p50, p95 = percentile(times, 50), percentile(times, 95)
            met = p95 < API_TARGET_MS
            ok &= met
            print(
                f"  {path:<14} {len(times)} requests: p50 {p50:.1f} ms, p95 {p95:.1f} ms "
                f"(target p95 < {API_TARGET_MS:.0f} ms: {'met' if met else 'MISSED'})"
            )
        renders = first_render(db, args.renders)
        if renders:
            median, worst = statistics.median(renders), max(renders)
            met = median < RENDER_TARGET_MS
            ok &= met
            print(
                f"  first render   {len(renders)} loads: median {median:.0f} ms, "
                f"max {worst:.0f} ms (target < {RENDER_TARGET_MS:.0f} ms: "
                f"{'met' if met else 'MISSED'})"
            )
        print(f"peak RSS: {peak_rss_mb():.0f} MB")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
