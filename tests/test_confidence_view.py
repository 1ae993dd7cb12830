"""The confidence threshold of the default view, on every surface (no spaCy).

Three stored events: one below the default threshold, one above, one imported-like
(confidence 1.0).  The default view hides the first; ``min_confidence=0`` shows all.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import tidings
from tidings.analytics._filters import make_filters
from tidings.cli import cli
from tidings.exchange import export_events
from tidings.model import DEFAULT_MIN_CONFIDENCE, CodedArticle
from tidings.store import Store

from .test_store import make_article, make_event, make_sentences

LOW = DEFAULT_MIN_CONFIDENCE / 2
HIGH = (DEFAULT_MIN_CONFIDENCE + 1) / 2


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "view.duckdb"
    events = (
        make_event("a", 1, sentence_index=1, confidence=LOW),
        make_event("a", 2, sentence_index=2, confidence=HIGH),
        make_event("a", 3, sentence_index=1),
    )
    with Store(path) as store:
        store.save(CodedArticle(make_article("a"), make_sentences("a"), events))
    return path


def test_store_events_filters_only_when_asked(db: Path) -> None:
    with Store(db) as store:
        assert {e.event_id: e.confidence for e in store.events()} == {
            "a-e1": LOW,
            "a-e2": HIGH,
            "a-e3": 1.0,
        }
        kept = store.events(min_confidence=DEFAULT_MIN_CONFIDENCE)
        assert {e.event_id for e in kept} == {"a-e2", "a-e3"}
        with pytest.raises(ValueError, match="min_confidence"):
            store.events(min_confidence=1.5)


def test_python_api_default_view_and_override(db: Path) -> None:
    with tidings.open(db) as store:
        assert store.events().count() == 2
        assert store.events(min_confidence=0).count() == 3
        assert store.events(min_confidence=None).count() == 3
        assert store.events(min_confidence=0.99).count() == 1
    assert make_filters().min_confidence == DEFAULT_MIN_CONFIDENCE
    with pytest.raises(ValueError, match="min_confidence"):
        make_filters(min_confidence=-0.1)


def test_export_default_view_and_override(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    assert export_events(db, "jsonl", out).events == 2
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert all(r["confidence"] >= DEFAULT_MIN_CONFIDENCE for r in rows)
    assert export_events(db, "jsonl", out, min_confidence=0).events == 3


def test_cli_events_and_analytics_default_view_and_override(db: Path) -> None:
    runner = CliRunner()
    shown = runner.invoke(cli, ["events", "--db", str(db), "--format", "jsonl"])
    assert shown.exit_code == 0, shown.output
    assert {json.loads(line)["event_id"] for line in shown.output.splitlines()} == {
        "a-e2",
        "a-e3",
    }
    every = runner.invoke(
        cli, ["events", "--db", str(db), "--format", "jsonl", "--min-confidence", "0"]
    )
    assert len(every.output.splitlines()) == 3
    bad = runner.invoke(cli, ["events", "--db", str(db), "--min-confidence", "7"])
    assert bad.exit_code != 0 and "min-confidence" in bad.output
