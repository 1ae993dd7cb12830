"""Helpers shared by the benchmark scripts."""

from __future__ import annotations

import gzip
import json
import resource
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
ALLSIDES = SHARED / "data" / "corpora" / "allsides-international.jsonl.gz"


def allsides(limit: int | None = None, offset: int = 0) -> Iterator[dict]:
    """Articles of the AllSides international corpus, in file order, from ``offset``."""
    if not ALLSIDES.exists():
        raise SystemExit(f"benchmark data not found: {ALLSIDES}")
    with gzip.open(ALLSIDES, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if n < offset:
                continue
            if limit is not None and n >= offset + limit:
                break
            yield json.loads(line)


def allsides_articles(limit: int | None = None, offset: int = 0):
    """The corpus as :class:`tidings.model.Article` records (via the JSONL reader's rules)."""
    import datetime as dt

    from tidings.model import Article, Paragraph

    for row in allsides(limit, offset):
        text = row.get("content_original") or ""
        paras = tuple(Paragraph(p.strip()) for p in text.split("\n") if p.strip())
        try:
            date = dt.date.fromisoformat(str(row.get("date", ""))[:10])
        except ValueError:
            date = None
        yield Article(
            doc_id=str(row.get("ID")),
            title=row.get("title") or "",
            paragraphs=paras,
            date=date,
            url=row.get("url"),
            outlet=row.get("source"),
        )


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
