"""Print the default view of randomly drawn, unannotated articles, for judging by hand.

Why: the realnews tune split is what the coder's rules were developed on, so its
out-of-fold precision overstates what unseen articles get; the test split is only
ever measured.  A blind sample of articles nobody annotated, judged event by event
against the guidelines (``../shared/data/gold/realnews/GUIDELINES.md``), is a third
view that costs no held-out data.  Articles of the realnews dev set and of earlier
sheets are left out.

    python scripts/blind_sample.py [--seed N] [--articles K] [--min-confidence C]

Each event is printed with its confidence, so the judged sample also shows how
precision changes with the threshold (see ``scripts/fit_confidence.py``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
CORPUS = SHARED / "corpora" / "allsides-international.jsonl.gz"
GOLD = SHARED / "gold" / "realnews" / "realnews-dev.jsonl"


def corpus_articles(ids: set[str]) -> dict:
    """The corpus articles ``ids`` as a user's ``tidings code`` reads the corpus (through
    ingest, so outlet boilerplate is dropped as it is for them), by ID.  The same
    everywhere a sample is read, so a judged sheet matches a later coding of it."""
    from tidings.ingest import IngestOptions, iter_articles
    from tidings.model import Article

    options = IngestOptions(columns={"id": "ID", "text": "content_original"})
    found = {}
    for item in iter_articles([str(CORPUS)], options=options):
        if isinstance(item, Article) and item.doc_id in ids:
            found[item.doc_id] = item
    return found


def corpus_rows() -> list[dict]:
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def _sheet_articles() -> set[str]:
    """The article ids of the judged sheets in ``scripts/blind_samples/``."""
    ids = set()
    for path in (REPO / "scripts" / "blind_samples").glob("*.tsv"):
        for line in path.read_text(encoding="utf-8").splitlines():
            cells = line.split("\t")
            if not line.startswith("#") and len(cells) > 1 and cells[0] != "n":
                ids.add(cells[1])
    return ids


def main(argv: list[str] | None = None) -> int:
    from tidings.evaluation.realnews import coder_actor_key
    from tidings.model import DEFAULT_MIN_CONFIDENCE, DEFAULT_MODALITIES
    from tidings.pipeline import Pipeline

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=4242)
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--min-confidence", type=float, default=DEFAULT_MIN_CONFIDENCE)
    parser.add_argument(
        "--tsv",
        type=Path,
        help="also write the events as a verdict sheet (the scripts/blind_samples format)",
    )
    args = parser.parse_args(argv)
    annotated = {str(json.loads(line)["id"]) for line in GOLD.open(encoding="utf-8")}
    # Articles of earlier sheets were read when their errors were studied: not blind.
    annotated |= _sheet_articles()
    rows = corpus_rows()
    rng = random.Random(args.seed)
    drawn = rng.sample(rows, min(len(rows), 10 * args.articles))
    sample = [r for r in drawn if str(r["ID"]) not in annotated][: args.articles]
    articles = corpus_articles({str(r["ID"]) for r in sample})
    pipeline = Pipeline()
    n = 0
    sheet: list[str] = []
    for row in sample:
        article = articles.get(str(row["ID"]))
        if article is None:  # nothing but boilerplate
            continue
        for e in pipeline.code_article(article).events:
            if e.confidence < args.min_confidence or e.modality not in DEFAULT_MODALITIES:
                continue
            n += 1
            # The readers see each actor's scoring key: its country, or the kind (IGO, NGO,
            # IMG, MNC) a non-state actor is keyed by; "NATO[None]" read as no actor at all.
            shown = f"{e.target.text}[{coder_actor_key(e.target)}]" if e.target else "-"
            print(
                f"[{n}] {row['ID']} {e.code} {e.modality} {e.confidence:.2f} "
                f"{e.source.text}[{coder_actor_key(e.source)}] -> {shown}  {e.evidence.rule}\n"
                f"     {e.sentence[:300]}"
            )
            # The sheet keeps the country: :mod:`blind_verdicts` matches events by it.
            target = f"{e.target.text}[{e.target.country}]" if e.target else "-"
            source = f"{e.source.text}[{e.source.country}/{e.source.agent}]"
            cells = (n, row["ID"], e.code, e.modality, f"{e.confidence:.2f}")
            cells += (f"{source} -> {target}", e.evidence.rule, "", e.sentence)
            sheet.append("\t".join(" ".join(str(c).split()) for c in cells))
    print(f"{n} events from {len(sample)} articles")
    if args.tsv:
        header = "n\tarticle\tcode\tmodality\tconfidence\tsource -> target\trule\tverdict\tsentence"
        args.tsv.write_text("\n".join([header, *sheet]) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
