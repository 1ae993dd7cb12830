"""The ``realnews-ru`` set: Russian articles scored exactly as ``realnews`` is.

``../shared/data/gold/realnews/realnews-ru-dev.jsonl`` annotates BSNLP Russian
documents under the same guidelines; a record's ``id`` is ``bsnlp:`` + the
document's ``source_file`` in ``../shared/data/russian/bsnlp_ru_docs.jsonl``.
The coder reads that original document (title and text, its date, language
``ru``), and :mod:`tidings.evaluation.realnews` places and scores the events
(same alignment, matching rule, split and report).
"""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tidings.errors import InputError
from tidings.evaluation._common import read_gold_text
from tidings.evaluation.realnews import (
    SPLITS,
    RealnewsArticle,
    RealnewsResult,
    Split,
    scored,
)
from tidings.model import Article, CodedArticle, Paragraph

if TYPE_CHECKING:
    from tidings.pipeline import Pipeline

__all__ = [
    "BSNLP_RELPATH",
    "bsnlp_article",
    "evaluate_realnews_ru",
    "load_realnews_ru",
    "score_realnews_ru",
]

BSNLP_RELPATH = Path("russian") / "bsnlp_ru_docs.jsonl"
PREFIX = "bsnlp:"


def load_realnews_ru(path: Path, split: Split = "all") -> list[RealnewsArticle]:
    """The gold articles of a Russian realnews file (records with a ``bsnlp:`` id)."""
    if split not in SPLITS:
        raise InputError(f"unknown split {split!r} (known: {', '.join(SPLITS)})")
    out = []
    for lineno, line in enumerate(read_gold_text(path).splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not str(record.get("id", "")).startswith(PREFIX):
                continue
            article = RealnewsArticle.from_record({**record, "row": -1})
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{path}:{lineno}: not a realnews record ({exc})") from None
        if split == "all" or article.split == split:
            out.append(article)
    return out


def bsnlp_path_for(gold_path: Path) -> Path:
    """``<data>/gold/realnews/x.jsonl`` -> ``<data>/russian/bsnlp_ru_docs.jsonl``."""
    path = Path(gold_path).resolve().parent.parent.parent / BSNLP_RELPATH
    if not path.is_file():
        raise InputError(f"documents of the realnews-ru set not found: {path}")
    return path


def bsnlp_article(record: dict[str, Any], doc_id: str | None = None) -> Article:
    """A BSNLP document as an article: its title, its text's lines as paragraphs."""
    date = None
    if record.get("date"):
        try:
            date = _dt.date.fromisoformat(str(record["date"])[:10])
        except ValueError:
            date = None
    paragraphs = tuple(
        Paragraph(line.strip())
        for line in str(record.get("text") or "").splitlines()
        if line.strip()
    )
    return Article(
        doc_id=doc_id or PREFIX + str(record["source_file"]),
        title=str(record.get("title") or ""),
        paragraphs=paragraphs,
        date=date,
        url=record.get("url"),
        language="ru",
    )


def _originals(path: Path, wanted: set[str]) -> dict[str, Article]:
    found: dict[str, Article] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            doc_id = PREFIX + str(record.get("source_file"))
            if doc_id in wanted:
                found[doc_id] = bsnlp_article(record, doc_id)
    missing = sorted(wanted - set(found))
    if missing:
        raise InputError(f"{path}: no document for {missing[:3]}")
    return found


def score_realnews_ru(
    pipeline: Pipeline,
    path: Path | None = None,
    *,
    split: Split = "all",
    limit: int | None = None,
    documents: Path | None = None,
    min_confidence: float | None = None,
) -> RealnewsResult:
    """Code the Russian gold articles from their BSNLP documents and score them over the
    default view, as :func:`~tidings.evaluation.realnews.score_realnews` does (None: the
    default confidence threshold)."""
    if path is None:
        from tidings.evaluation import resolve_gold_path

        path = resolve_gold_path("realnews-ru")
    articles = load_realnews_ru(Path(path), split)
    if limit is not None:
        articles = articles[:limit]
    originals = _originals(documents or bsnlp_path_for(Path(path)), {a.id for a in articles})
    coded: list[CodedArticle] = list(pipeline.run(originals[a.id] for a in articles))
    return scored(articles, coded, split, min_confidence)


def evaluate_realnews_ru(
    pipeline: Pipeline, path: Path, *, limit: int | None = None, split: Split = "all"
) -> dict[str, Any]:
    """The gold-set runner: the realnews report of :func:`score_realnews_ru`."""
    report = score_realnews_ru(pipeline, path, split=split, limit=limit).report(
        gold_file=Path(path).name
    )
    report["set"] = "realnews-ru"
    return report
