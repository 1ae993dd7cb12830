"""PETRARCH-2's own unit-test suite, coded by Tidings with the suite's dictionaries."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tidings.errors import InputError
from tidings.evaluation.petrarch_tests import (
    SUITE_FILES,
    Triple,
    UnitTestRecord,
    evaluate_petrarch_unit_tests,
    failure_causes,
    load_unit_test_records,
    run_petrarch_unit_tests,
    suite_dictionary_set,
    triples_of,
)
from tidings.model import Actor, Event

REPO = Path(__file__).resolve().parents[1]
SUITE = REPO.parent / "shared" / "data" / "gold" / "petrarch-unit-tests"
BASELINE = REPO / "tests" / "baselines" / "petrarch_unit_tests.json"


def event(source: Actor, target: Actor | None, code: str = "064") -> Event:
    return Event(
        event_id="e",
        doc_id="d",
        sentence_index=0,
        sentence="s",
        source=source,
        target=target,
        code=code,
        root_code=code[:2],
        quad_class=1,
        goldstein=0.0,
    )


# ----------------------------------------------------------------------------- fast


def test_records_are_read_with_dates_and_triples(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    rows = [
        {
            "id": "DEMO-00",
            "date": "19950101",
            "category": "DEMO",
            "text": "Arnor is about to restore\n full &amp; ties with Gondor.",
            "events": [{"source": "ARN", "target": "GON", "code": "064"}],
            "noevents": False,
            "error": [],
        },
        {
            "id": "X",
            "date": "20080801",
            "category": "ERROR",
            "text": "t",
            "events": [],
            "noevents": True,
            "error": ["storydiscard"],
        },
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    first, second = load_unit_test_records(path)
    assert first.date == dt.date(1995, 1, 1)
    assert first.text == "Arnor is about to restore full & ties with Gondor."
    assert first.expected == {Triple("ARN", "GON", "064")}
    assert second.expected == frozenset() and second.error == ("storydiscard",)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"id": "x"}', "'text'"),
        ('{"text": "t", "date": "1995"}', "YYYYMMDD"),
    ],
)
def test_bad_record_line_is_an_input_error(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "records.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=rf"records\.jsonl:1: .*{message}"):
        load_unit_test_records(path)


def test_triples_are_written_as_petrarch_writes_them() -> None:
    arn = Actor(code="ARN", text="Arnor", country="ARN")
    officials = Actor(code="GOV", text="officials", agent="GOV", entry="OFFICIAL")
    amnesty = Actor(code="NGM", text="Amnesty", agent="NGM", entry="AMNESTY_INTERNATIONAL")
    got = triples_of(
        [event(arn, None, "023"), event(officials, arn), event(amnesty, arn)],
        agent_ids=frozenset({"OFFICIAL"}),
    )
    assert got == {
        Triple("ARN", "---", "023"),  # no target
        Triple("---GOV", "ARN", "064"),  # an agent without a country
        Triple("NGM", "ARN", "064"),  # a dictionary actor keeps its code
    }


def test_failure_causes() -> None:
    record = UnitTestRecord(
        id="R",
        date=None,
        category="DEMO",
        text="t",
        expected=frozenset(
            {
                Triple("DAG", "GON", "032"),
                Triple("GON", "DAG", "033"),
                Triple("FRO", "GON", "041"),
                Triple("ARN", "XYZ", "064"),
                Triple("ARN", "GON", "051"),
            }
        ),
        noevents=False,
        error=(),
    )
    got = {Triple("DAG", "GON", "032"), Triple("ARN", "GON", "050"), Triple("ARN", "ELF", "051")}
    causes = dict(
        (t, c)
        for c, t in failure_causes(
            record,
            got,
            actors_found={"ARN", "GON", "DAG"},
            explain=lambda t: "frame: target not linked",
            compound_codes=frozenset({"FRO"}),
        )
    )
    assert causes == {
        "GON>DAG:033": "reverse-direction event ([A:B] code)",
        "FRO>GON:041": "compound actor code (A/B/C)",
        "ARN>XYZ:064": "actor not found",
        "ARN>GON:051": "frame: target not linked",
        "ARN>GON:050": "wrong code",
        "ARN>ELF:051": "wrong dyad",
    }


def test_suite_files_are_required(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"PETR\.Validate\.actors\.txt"):
        suite_dictionary_set(tmp_path)
    for name in SUITE_FILES.values():
        (tmp_path / name).write_text("", encoding="utf-8")
    ds = suite_dictionary_set(tmp_path)
    assert ds.mode == "replace"
    assert ds.verb_files() == [tmp_path / SUITE_FILES["verbs"]]  # nothing of ours
    assert ds.actor_files() == [tmp_path / SUITE_FILES["actors"]]
    with pytest.raises(InputError, match="not found"):
        evaluate_petrarch_unit_tests(tmp_path)  # no records.jsonl


# ----------------------------------------------------------------------------- the suite

needs_suite = pytest.mark.skipif(not SUITE.is_dir(), reason="../shared is absent")


@pytest.fixture(scope="module")
def result() -> dict:
    return evaluate_petrarch_unit_tests(SUITE)


@pytest.mark.slow
@needs_suite
def test_suite_is_complete_and_fast(result: dict) -> None:
    counts = result["counts"]
    assert counts["records"] == 284 and counts["expected_triples"] == 359
    assert sum(row["records"] for row in result["by_category"].values()) == 284
    assert {"DEMO", "COMPOUND", "SYNSET", "DATE", "VERB", "PATTERN"} <= set(result["by_category"])
    assert result["diagnostics"]["seconds"]["total"] < 60
    json.dumps(result)  # JSON-serialisable
    assert len(result["errors"]) <= 20
    assert all({"id", "text", "expected", "got", "causes"} <= set(e) for e in result["errors"])


@pytest.mark.slow
@needs_suite
def test_scores_do_not_fall_below_the_floor(result: dict) -> None:
    floors = json.loads(BASELINE.read_text(encoding="utf-8"))["floors"]
    scores = result["scores"]
    summary = f"{result['counts']} {scores}"
    assert scores["exact"] >= floors["exact"], summary
    assert scores["recall"] >= floors["recall"], summary


@pytest.mark.slow
@needs_suite
def test_registry_runner_and_limit(pipeline) -> None:
    small = run_petrarch_unit_tests(pipeline, SUITE / "records.jsonl", limit=5)
    assert small["set"] == "petrarch-unit-tests" and small["counts"]["records"] == 5
    assert set(small["scores"]) == {"exact", "recall", "precision"}
