"""The ICEWS14 temporal-KG forecasting protocol (what ``tidings evaluate tkg-icews14`` prints),
timed end to end including fitting.  Targets: the recurrency baseline within ±0.5 MRR of the
paper's 37.4 (strict 36.0, relaxed 14.4), the default scorer MRR >= 40, all in under 10
minutes on 2 cores.

The paper's baseline chooses λ and α per relation on validation (``paper``, ``paper
strict``); ``paper global`` is the same score with one (λ, α) for every relation, also
chosen on validation: it is stronger on ICEWS14's test split (about +0.4 MRR), which is
why a reproduction with one global pair lands outside ±0.5 of the paper's 37.4.

    python benchmarks/tkg_icews14.py [PATH]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import SHARED

ICEWS14 = SHARED / "data" / "events" / "icews14_events_named.csv"


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ICEWS14
    if not path.exists():
        raise SystemExit(f"benchmark data not found: {path}")
    from tidings.analytics._tkg_eval import run_protocol

    result = run_protocol(path, log=lambda m: print(f"... {m}", file=sys.stderr))
    print(f"tkg-icews14: {result.line('learned')}")
    paper = {"paper": 37.4, "paper strict": 36.0, "relaxed": 14.4}
    for name in ("paper", "paper strict", "relaxed", "paper global", "recurrency", "strict"):
        mrr = result.test[name]["all"]["mrr"]
        versus = f" (paper {paper[name]}: {mrr - paper[name]:+.2f})" if name in paper else ""
        print(f"  {name:>12}: {result.line(name)}{versus}")
    for part in ("seen", "new"):
        m = result.test["learned"][part]
        b = result.test["paper"][part]
        print(f"  {part} facts: {m['n']} queries, MRR {m['mrr']:.2f} (recurrency {b['mrr']:.2f})")
    print(f"  chosen on validation: {result.chosen}")
    print(f"  total {result.seconds:.0f} s incl. fitting (target < 600 s; loaded 2-core machine)")


if __name__ == "__main__":
    main()
