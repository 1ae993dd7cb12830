"""The fault campaign of issue 15, as a script that prints what held.

Three parts, each optional:

* ``resume``: a run of ``--articles`` AllSides articles (``../shared``) with
  ``--copies`` near-copies of earlier ones mixed in is SIGKILLed at three
  random points (seeded) and rerun to the end; its event ids and recorded
  copies must equal those of one uninterrupted run.
* ``bombs``: a gzip expanding to one 200 MiB JSONL record, one expanding to a
  1 GiB CSV row, and one of 1 GiB of blank JSONL lines read with
  ``--max-input-bytes 256 MiB``: peak RSS of each run under 1.5 GB, a one-line
  message, no traceback.
* ``disk``: ``tidings code`` under a small file-size limit (RLIMIT_FSIZE, as
  a full disk): it must end with the summary line and a non-zero exit, no
  traceback, and the store must still open with what was stored.
* ``server``: ``tidings serve`` on a loopback port over a store with the
  ICEWS 2014 events imported: 100 idle connections (half of them sending
  headers that never end) while ``/api/health`` and ``/api/events`` are
  timed; 2,000 mixed API requests at concurrency 20 (errors, p95); ten
  concurrent full exports (statuses, the server's peak RSS).

Only loopback addresses are used; every loop is bounded.  The machine may be
loaded: timings are what this run saw.

    python scripts/fault_campaign.py                       # everything (long)
    python scripts/fault_campaign.py --parts resume --articles 120 --copies 10
    python scripts/fault_campaign.py --parts disk,server
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
ALLSIDES = SHARED / "corpora" / "allsides-international.jsonl.gz"
ICEWS = SHARED / "events" / "icews14_events_named.csv"
RESULTS: list[tuple[str, bool, str]] = []


def report(name: str, held: bool, detail: str) -> None:
    RESULTS.append((name, held, detail))
    print(f"[{'held' if held else 'FAILED'}] {name}: {detail}", flush=True)


def tidings(*args: str, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    code = "from tidings.cli import main; main()"
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        env=env,
        stdout=kwargs.pop("stdout", subprocess.DEVNULL),
        stderr=kwargs.pop("stderr", subprocess.PIPE),
        **kwargs,
    )


def corpus(path: Path, articles: int, copies: int, seed: int) -> None:
    """``articles`` AllSides records with ``copies`` near-copies of earlier ones."""
    rng = random.Random(seed)
    rows = []
    with gzip.open(ALLSIDES, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if n >= articles - copies:
                break
            row = json.loads(line)
            rows.append(
                {
                    "id": str(row["ID"]),
                    "title": row["title"],
                    "date": row["date"],
                    "source": row["source"],
                    "text": row["content_original"],
                }
            )
    for k in range(copies):
        at = rng.randrange(len(rows) // 4, len(rows))
        original = rows[rng.randrange(0, at)]
        copy = dict(original, id=f"copy-{k}", source="Copycat")
        copy["text"] = "By Staff Reporter\n\n" + original["text"] + "\n\nRead more on our site."
        rows.insert(at + 1, copy)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def store_result(db: Path) -> tuple[list, list]:
    sys.path.insert(0, str(REPO / "src"))
    from tidings.store import Store

    with Store(db, read_only=True) as store:
        con = store.connection
        events = sorted(r[0] for r in con.execute("SELECT event_id FROM events").fetchall())
        copies = sorted(
            con.execute("SELECT doc_id, original_doc_id FROM article_copies").fetchall()
        )
    return events, copies


def part_resume(tmp: Path, args) -> None:
    data = tmp / "resume.jsonl"
    corpus(data, args.articles, args.copies, args.seed)
    whole = tmp / "whole.duckdb"
    start = time.monotonic()
    proc = tidings("code", str(data), "--db", str(whole), "--format", "csv")
    proc.communicate()
    duration = time.monotonic() - start
    rng = random.Random(args.seed)
    # Each attempt is killed a random time after its start, early enough that
    # the three together do not finish the job (a rerun starts with the
    # model's loading and then skips what is stored).
    points = [rng.uniform(0.2, 0.4) * duration for _ in range(3)]
    resumed = tmp / "resumed.duckdb"
    kills = 0
    for when in points:
        proc = tidings("code", str(data), "--db", str(resumed), "--format", "csv")
        try:
            proc.wait(timeout=when)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            kills += 1
    proc = tidings("code", str(data), "--db", str(resumed), "--format", "csv")
    _, _err = proc.communicate()
    ok_exit = proc.returncode == 0
    a, b = store_result(whole), store_result(resumed)
    report(
        "resume after SIGKILL",
        a == b and ok_exit and kills > 0,
        f"{kills} kills at {', '.join(f'{p:.0f}s' for p in points)} of a {duration:.0f}s run; "
        f"uninterrupted {len(a[0])} events / {len(a[1])} copies, "
        f"resumed {len(b[0])} events / {len(b[1])} copies; identical: {a == b}",
    )


def part_disk(tmp: Path, args) -> None:
    data = tmp / "disk.jsonl"
    corpus(data, 60, 0, args.seed)
    db = tmp / "full.duckdb"
    limit = args.fsize

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    proc = tidings("code", str(data), "--db", str(db), preexec_fn=small_files)
    _, err = proc.communicate()
    text = err.decode("utf-8", "replace")
    summary = [line for line in text.splitlines() if " articles read" in line]
    held = proc.returncode not in (0, None) and "Traceback" not in text and bool(summary)
    try:
        events, _ = store_result(db)
        readable = f"store reopens with {len(events)} events"
    except Exception as exc:  # the report says what happened
        readable = f"store does not reopen: {type(exc).__name__}: {exc}"
    last = text.strip().splitlines()[-1] if text.strip() else ""
    report(
        "file-size limit (full disk)",
        held,
        f"exit {proc.returncode}; summary: {summary[0] if summary else 'none'}; "
        f"last line: {last[:160]}; {readable}",
    )


def part_bombs(tmp: Path, args) -> None:
    """Decompression bombs: peak RSS of ``tidings code`` on each must stay under 1.5 GB."""
    one_line = tmp / "record.jsonl.gz"  # 200 MiB in one JSONL record
    with gzip.open(one_line, "wb", compresslevel=9) as out:
        out.write(b'{"id": "huge", "text": "')
        for _ in range(200):
            out.write(b"war " * (256 * 1024))
        out.write(b'"}\n{"id": "ok", "text": "Russia criticised Ukraine on Monday."}\n')
    gib_row = tmp / "row.csv.gz"  # 1 GiB in one CSV row
    with gzip.open(gib_row, "wb", compresslevel=9) as out:
        out.write(b"id,text\n1,")
        for _ in range(1024):
            out.write(b"x" * (1024 * 1024))
        out.write(b"\n")
    gib_lines = tmp / "blank.jsonl.gz"  # 1 GiB of blank lines, read under --max-input-bytes
    with gzip.open(gib_lines, "wb", compresslevel=9) as out:
        block = (b" " * 1023 + b"\n") * 1024
        for _ in range(1024):
            out.write(block)
    runs = (
        (one_line, []),
        (gib_row, []),
        (gib_lines, ["--max-input-bytes", str(256 * 1024**2)]),
    )
    for path, extra in runs:
        start = time.monotonic()
        proc = tidings("code", str(path), "--no-store", *extra)
        _, err = proc.communicate()
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # so far, max
        lines = err.decode("utf-8", "replace").strip().splitlines()
        problem = next((line for line in lines if "error:" in line), "")
        report(
            f"bomb {path.name} ({path.stat().st_size / 1e6:.1f} MB on disk)",
            peak < 1536 and "Traceback" not in err.decode("utf-8", "replace"),
            f"peak RSS of children so far {peak:.0f} MB in {time.monotonic() - start:.0f}s; "
            f"exit {proc.returncode}; {problem[:150]}",
        )


def _rss(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def part_server(tmp: Path, args) -> None:
    import httpx

    db = tmp / "serve.duckdb"
    imported = tidings("import", str(ICEWS), "--format", "icews14", "--db", str(db))
    imported.communicate()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    server = tidings("serve", "--db", str(db), "--port", str(port), stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(timeout=10) as client:
            for _ in range(300):  # up to 60 s for the server to start
                try:
                    client.get(base + "/api/health")
                    break
                except httpx.TransportError:
                    time.sleep(0.2)
        _flood(base, port)
        _mixed(base, args.requests, args.concurrency)
        _exports(base, server.pid)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def _flood(base: str, port: int) -> None:
    import httpx

    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(100)]
    try:
        for sock in idle[:50]:
            sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        times = {}
        with httpx.Client(timeout=5) as client:
            for url in ("/api/health", "/api/events?limit=50"):
                start = time.perf_counter()
                status = client.get(base + url).status_code
                times[url] = (status, time.perf_counter() - start)
        held = all(s == 200 and t < 1.0 for s, t in times.values())
        detail = ", ".join(f"{u} {s} in {t * 1000:.0f} ms" for u, (s, t) in times.items())
        report("100 idle connections", held, detail)
    finally:
        for sock in idle:
            sock.close()


def _mixed(base: str, total: int, concurrency: int) -> None:
    import httpx

    urls = [
        "/api/health",
        "/api/events?limit=50",
        "/api/events?limit=20&actor=RUS",
        "/api/events?limit=20&code=04&since=2014-03",
        "/api/timeline?interval=month",
        "/api/timeline?interval=week&actor=UKR",
        "/api/dyads?limit=20",
        "/api/actors?q=ru",
        "/api/events?limit=5&country=UKR",
    ]
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    counter = iter(range(total))

    def worker() -> None:
        with httpx.Client(timeout=30) as client:
            for n in counter:
                url = urls[n % len(urls)]
                start = time.perf_counter()
                try:
                    status = client.get(base + url).status_code
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed)
                    if status != 200:
                        errors.append(f"{url}: {status}")

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    p95 = statistics.quantiles(latencies, n=20)[18] * 1000
    report(
        f"{total} mixed requests at concurrency {concurrency}",
        not errors and p95 < 300,
        f"{len(errors)} errors{' e.g. ' + errors[0] if errors else ''}; p95 {p95:.0f} ms; "
        f"median {statistics.median(latencies) * 1000:.0f} ms; {total / wall:.0f} req/s",
    )


def _exports(base: str, pid: int) -> None:
    import httpx

    before = _rss(pid)
    peak = before
    done = threading.Event()

    def watch() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _rss(pid))
            time.sleep(0.05)

    statuses: list[int] = []

    def export() -> None:
        url = base + "/api/export?limit=100000&format=jsonl"
        with httpx.Client(timeout=120) as client, client.stream("GET", url) as response:
            for _chunk in response.iter_bytes():
                pass
            statuses.append(response.status_code)

    watcher = threading.Thread(target=watch)
    watcher.start()
    threads = [threading.Thread(target=export) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    watcher.join()
    counts = {s: statuses.count(s) for s in sorted(set(statuses))}
    report(
        "ten concurrent full exports",
        peak < 500 and set(statuses) <= {200, 429} and 200 in statuses,
        f"statuses {counts}; server RSS {before:.0f} MB before, peak {peak:.0f} MB",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", default="bombs,disk,server,resume")
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--fsize", type=int, default=1_000_000, help="file-size limit, bytes")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args()
    parts = {p.strip() for p in args.parts.split(",")}
    if not ALLSIDES.exists() and parts & {"resume", "disk"}:
        raise SystemExit(f"data not found: {ALLSIDES}")
    with tempfile.TemporaryDirectory() as tmp:
        steps = (
            ("bombs", part_bombs),
            ("disk", part_disk),
            ("server", part_server),
            ("resume", part_resume),
        )
        for name, run in steps:
            if name in parts:
                run(Path(tmp), args)
    failed = [name for name, held, _ in RESULTS if not held]
    print(
        f"{len(RESULTS) - len(failed)} of {len(RESULTS)} held"
        + (f"; failed: {failed}" if failed else "")
    )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
