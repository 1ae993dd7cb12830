"""Cost of event dates and places: the pipeline with and without them, one run.

Times the full pipeline over N AllSides articles twice on the same articles
(after a warm-up that also builds the gazetteer): with date and place
resolution, and with both switched off (events then carry the publication
date and no place).  Prints the ratio (target <= 1.10) and, separately, the
gazetteer's lazy build time in a fresh process (target < 2 s).

    python benchmarks/when_where.py --limit 100
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import allsides_articles

_GAZETTEER_PROBE = (
    "import time; from tidings.places import default_gazetteer as g; gaz = g(); "
    "t = time.perf_counter(); gaz.candidates('Moscow'); print(time.perf_counter() - t)"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=100)
    args = parser.parse_args(argv)

    from tidings.pipeline import Pipeline, PipelineConfig

    articles = list(allsides_articles(args.limit))
    with_both = Pipeline(PipelineConfig())
    without = Pipeline(PipelineConfig(dates=False, places=False))
    list(with_both.run(articles[:5]))
    list(without.run(articles[:5]))

    def timed(pipe) -> tuple[float, int, int, int]:
        start = time.perf_counter()
        events = dated = placed = 0
        for coded in pipe.run(articles):
            events += len(coded.events)
            dated += sum(e.date_precision not in (None, "publication") for e in coded.events)
            placed += sum(e.location is not None for e in coded.events)
        return time.perf_counter() - start, events, dated, placed

    # alternate the two runs and keep each one's best, so drift in machine
    # load does not favour either
    runs = [timed(without), timed(with_both), timed(without), timed(with_both)]
    base_s = min(runs[0][0], runs[2][0])
    full_s = min(runs[1][0], runs[3][0])
    _, events2, dated, placed = runs[1]
    print(
        f"{len(articles)} articles, {events2} events: {dated} dated from the text, "
        f"{placed} with a place"
    )
    print(
        f"pipeline without dates/places {base_s:.1f} s, with {full_s:.1f} s: "
        f"ratio {full_s / base_s:.3f} (target <= 1.10)"
    )
    build = subprocess.run(
        [sys.executable, "-c", _GAZETTEER_PROBE], capture_output=True, text=True, check=True
    )
    print(f"gazetteer lazy build on first lookup: {float(build.stdout):.2f} s (target < 2 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
