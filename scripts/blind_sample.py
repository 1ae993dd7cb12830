"""Print the default view of randomly drawn, unannotated articles, for judging by hand.

Why: the realnews tune split is what the coder's rules were developed on, so its
out-of-fold precision overstates what unseen articles get; the test split is only
ever measured.  A blind sample of articles nobody annotated, judged event by event
against the guidelines (``../shared/data/gold/realnews/GUIDELINES.md``), is a third
view that costs no held-out data.  Articles of the realnews dev set are left out.

    python scripts/blind_sample.py [--seed N] [--articles K] [--min-confidence C]

Each event is printed with its confidence, so the judged sample also shows how
precision changes with the threshold (see ``scripts/fit_confidence.py``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import random
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
CORPUS = SHARED / "corpora" / "allsides-international.jsonl.gz"
GOLD = SHARED / "gold" / "realnews" / "realnews-dev.jsonl"


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def main(argv: list[str] | None = None) -> int:
    from tidings.model import DEFAULT_MIN_CONFIDENCE, DEFAULT_MODALITIES, Article, Paragraph
    from tidings.pipeline import Pipeline

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=4242)
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--min-confidence", type=float, default=DEFAULT_MIN_CONFIDENCE)
    args = parser.parse_args(argv)
    annotated = {str(json.loads(line)["id"]) for line in GOLD.open(encoding="utf-8")}
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    rng = random.Random(args.seed)
    drawn = rng.sample(rows, min(len(rows), 10 * args.articles))
    sample = [r for r in drawn if str(r["ID"]) not in annotated][: args.articles]
    pipeline = Pipeline()
    n = 0
    for row in sample:
        text = row.get("content_original") or ""
        paragraphs = tuple(Paragraph(t) for t in text.split("\n") if t.strip())
        article = Article(
            str(row["ID"]), row.get("title") or "", paragraphs, date=_date(row["date"])
        )
        for e in pipeline.code_article(article).events:
            if e.confidence < args.min_confidence or e.modality not in DEFAULT_MODALITIES:
                continue
            n += 1
            target = f"{e.target.text}[{e.target.country}]" if e.target else "-"
            print(
                f"[{n}] {row['ID']} {e.code} {e.modality} {e.confidence:.2f} "
                f"{e.source.text}[{e.source.country}] -> {target}  {e.evidence.rule}\n"
                f"     {e.sentence[:300]}"
            )
    print(f"{n} events from {len(sample)} articles")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
