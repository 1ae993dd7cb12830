"""Shared fixtures: one spaCy pipeline per test session (loading it is the slow part)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = REPO / "examples" / "moscow-times-2016-12-21-aftermath.md"


@pytest.fixture(scope="session")
def pipeline():
    from tidings.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def code_text(pipeline):
    """Code a one-paragraph article and return its events."""
    import datetime as dt

    from tidings.model import Article, Paragraph

    def run(text: str, date: str | None = "2016-12-21"):
        article = Article(
            doc_id="t",
            title="",
            paragraphs=(Paragraph(text),),
            date=dt.date.fromisoformat(date) if date else None,
        )
        return list(pipeline.code_article(article).events)

    return run


@pytest.fixture(scope="session")
def seed_coded(pipeline):
    from tidings.ingest import iter_articles

    (article,) = list(iter_articles([str(SEED)]))
    return pipeline.code_article(article)
