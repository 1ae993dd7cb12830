"""Actor coverage on real news.

Of the PERSON, GPE, NORP and ORG entity mentions spaCy finds in the first N
articles of the AllSides international corpus, what share does Tidings
resolve to an actor code?  A mention counts as resolved when the actor
resolver gives a code to any of its tokens, or when it is a dictionary
name at all (a dictionary person outside the dates of all their roles is
still "known").  Prints the share and the most frequent unresolved names.

    python benchmarks/coverage.py --limit 500
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import allsides_articles

LABELS = ("PERSON", "GPE", "NORP", "ORG")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=500)
    parser.add_argument("--top", type=int, default=50)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)

    from tidings.actors import ArticleMemory, default_resolver
    from tidings.nlp import load_pipeline, parse_articles

    nlp = load_pipeline()
    resolver = default_resolver()
    total = resolved = 0
    by_label: Counter = Counter()
    by_label_ok: Counter = Counter()
    unresolved: Counter = Counter()
    started = time.perf_counter()
    for parsed in parse_articles(nlp, allsides_articles(args.limit)):
        memory = ArticleMemory()
        for para in parsed.paragraphs:
            doc = para.doc
            actors = resolver.resolve(doc, when=parsed.article.date, memory=memory)
            matched = set()
            for m in resolver.find(doc):
                if m.kind in ("actor", "agent"):
                    matched.update(range(m.start, m.end))
            for ent in doc.ents:
                if ent.label_ not in LABELS:
                    continue
                total += 1
                by_label[ent.label_] += 1
                ok = any(t.i in actors or t.i in matched for t in ent)
                if ok:
                    resolved += 1
                    by_label_ok[ent.label_] += 1
                else:
                    unresolved[ent.text] += 1
    elapsed = time.perf_counter() - started
    share = resolved / total if total else 0.0
    report = {
        "articles": args.limit,
        "mentions": total,
        "resolved": resolved,
        "share": round(share, 4),
        "by_label": {
            label: round(by_label_ok[label] / by_label[label], 4)
            for label in LABELS
            if by_label[label]
        },
        "top_unresolved": unresolved.most_common(args.top),
        "seconds": round(elapsed, 1),
    }
    print(f"entity mentions (PERSON, GPE, NORP, ORG) in {args.limit} articles: {total}")
    print(f"resolved to an actor code: {resolved} ({share:.1%})")
    for label, value in report["by_label"].items():
        print(f"  {label:7s} {value:.1%} of {by_label[label]}")
    print(f"top {args.top} unresolved:")
    for name, count in report["top_unresolved"]:
        print(f"  {count:5d}  {name}")
    if args.json:
        args.json.write_text(
            json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
