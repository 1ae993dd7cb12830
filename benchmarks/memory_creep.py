"""Does memory level off over a long run?  RSS after N and after 10·N articles.

Codes the AllSides corpus (``../shared``) through :func:`tidings.api.code_inputs`
into a fresh store, with near-duplicate detection, as ``tidings code`` does, and
prints the resident set size after ``--first`` articles and after ``--second``
(issue 15's target: RSS after 5,000 within 15% of RSS after 500).  With
``--every`` it also prints the curve, so a creep shows as a slope.

    python benchmarks/memory_creep.py                 # 500 vs 5,000 (long)
    python benchmarks/memory_creep.py --first 300 --second 3000 --every 300
"""

from __future__ import annotations

import argparse
import gc
import gzip
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ALLSIDES


def rss_mb() -> float:
    """Current resident set size (Linux /proc), in MB."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first", type=int, default=500)
    parser.add_argument("--second", type=int, default=5000)
    parser.add_argument("--every", type=int, default=0, help="also print RSS every N articles")
    args = parser.parse_args()
    if not ALLSIDES.exists():
        raise SystemExit(f"benchmark data not found: {ALLSIDES}")

    from tidings.api import code_inputs
    from tidings.ingest import IngestOptions

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        with gzip.open(ALLSIDES, "rt", encoding="utf-8") as src, corpus.open("w") as out:
            for n, line in enumerate(src):
                if n >= args.second:
                    break
                out.write(line)
        marks: dict[int, float] = {}
        count = 0
        start = time.perf_counter()

        last: list[float] = []  # RSS at the last articles, the store still open

        def on_article(_coded) -> None:
            nonlocal count
            count += 1
            if args.second - 20 < count < args.second:
                gc.collect()
                last[:] = [count, rss_mb()]
            if count in (args.first, args.second) or (args.every and count % args.every == 0):
                gc.collect()
                marks[count] = rss_mb()
                rate = count / (time.perf_counter() - start)
                print(
                    f"{count:6d} articles  RSS {marks[count]:7.1f} MB  ({rate:.1f}/s)", flush=True
                )

        options = IngestOptions(columns={"id": "ID", "text": "content_original"})
        summary = code_inputs(
            [str(corpus)], db=Path(tmp) / "m.duckdb", on_article=on_article, ingest_options=options
        )
        if args.second not in marks and last:
            # Copies (recorded, not coded) never reach on_article, so the count
            # may stop short of --second: the last mark is then the RSS at the
            # last article, taken while the run (and its store) was still open,
            # not after it ended (closing the store frees DuckDB's memory).
            marks[args.second] = last[1]
            print(f"{int(last[0]):6d} articles  RSS {last[1]:7.1f} MB (the last)", flush=True)
    first, second = marks.get(args.first), marks.get(args.second)
    print(f"articles read {summary.articles}, events {summary.events}, copies {summary.duplicates}")
    if first and second:
        growth = (second - first) / first * 100
        verdict = "within" if growth <= 15 else "NOT within"
        print(
            f"RSS after {args.first}: {first:.1f} MB; after {args.second}: {second:.1f} MB; "
            f"ratio {second / first:.3f}, growth {growth:+.1f}% ({verdict} the 15% target)"
        )


if __name__ == "__main__":
    main()
