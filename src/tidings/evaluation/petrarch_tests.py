"""The ``petrarch-unit-tests`` set: PETRARCH's own unit-test records, coded by Tidings.

PETRARCH-2 ships 284 unit-test records (``PETR.UnitTest.records.xml``, converted to
``records.jsonl``: ``id``, ``date`` YYYYMMDD, ``category``, ``text``, ``events``
``[{source, target, code}]``, ``noevents``, ``error``...) together with the
validation dictionaries they are written for (``PETR.Validate.{actors, agents,
discards, verbs}.txt``: fictional actors such as ``ARN`` Arnor and ``GON`` Gondor).

This runner builds a pipeline with **only** those four dictionaries (``replace`` mode,
see :mod:`tidings.dictionaries.profile`; the PETRARCH verb file is converted at run
time with the model's own lemmas), keeps Tidings' CAMEO codebook, and codes every
record's text as a one-paragraph article dated with the record's date (so that dated
actor roles apply), parsing it with Tidings' spaCy pipeline -- not with the Penn
Treebank parse stored in the record.

What counts (per record), with codes compared as exact strings:

* the set of ``(source, target, code)`` triples Tidings emits (events of every
  modality; an event without a target has target ``---``; an actor made of an agent
  only, with no country, is written ``---AGENT`` as PETRARCH does, e.g. ``---GOV``);
* ``exact``: the set equals the expected set (all expected triples, nothing extra;
  for a record that expects no event, no event at all);
* ``recalled``: expected triples found; ``extra``: triples emitted but not expected.

Scores (higher is better, rounded to 4 places): ``exact`` (records reproduced exactly /
records), ``recall`` (recalled / expected triples) and ``precision`` (recalled /
emitted triples).  The result also has a per-category table, a breakdown of failure
causes (see :func:`failure_causes`) and up to :data:`MAX_ERRORS` failed records.

For comparison, PETRARCH-2 itself (run on the same records with their Penn Treebank
parses) reproduces 91 records exactly (32%) and recalls 119 of the 359 expected
triples (33%), emitting 100 extra; see :data:`PETRARCH2_REFERENCE`.

This module holds the run and its scores; the suite's records, dictionaries and
triples are read by :mod:`~tidings.evaluation._petrarch_suite`, and the failure
causes with their diagnostics come from :mod:`~tidings.evaluation._petrarch_causes`.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from tidings.errors import InputError
from tidings.evaluation._common import MAX_ERRORS
from tidings.evaluation._metrics import ratio
from tidings.evaluation._petrarch_causes import _OBJECT_DEPS as _OBJECT_DEPS
from tidings.evaluation._petrarch_causes import _actor_path as _actor_path
from tidings.evaluation._petrarch_causes import (
    _compound_codes,
    _sentence_facts,
    failure_causes,
)
from tidings.evaluation._petrarch_causes import _dep_path as _dep_path
from tidings.evaluation._petrarch_causes import _explainer as _explainer
from tidings.evaluation._petrarch_causes import _is_petrarch_only as _is_petrarch_only
from tidings.evaluation._petrarch_causes import _satisfies as _satisfies
from tidings.evaluation._petrarch_suite import (
    SUITE_FILES,
    Triple,
    UnitTestRecord,
    build_suite_pipeline,
    load_unit_test_records,
    suite_dictionary_set,
    triples_of,
)
from tidings.evaluation._petrarch_suite import _actor_code as _actor_code
from tidings.evaluation._petrarch_suite import _coder_for as _coder_for
from tidings.evaluation._petrarch_suite import _date as _date
from tidings.model import Article, Paragraph

if TYPE_CHECKING:
    from tidings.pipeline import Pipeline

__all__ = [
    "PETRARCH2_REFERENCE",
    "RECORDS_FILE",
    "SET_NAME",
    "SUITE_FILES",
    "Triple",
    "UnitTestRecord",
    "build_suite_pipeline",
    "evaluate_petrarch_unit_tests",
    "failure_causes",
    "load_unit_test_records",
    "run_petrarch_unit_tests",
    "suite_dictionary_set",
    "triples_of",
]

SET_NAME = "petrarch-unit-tests"
RECORDS_FILE = "records.jsonl"
#: PETRARCH-2 on the same records (with their Penn Treebank parses), for comparison.
PETRARCH2_REFERENCE: dict[str, object] = {
    "records": 284,
    "exact": 91,
    "exact_share": 0.3204,
    "expected_triples": 359,
    "recalled": 119,
    "recall": 0.3315,
    "extra": 100,
    "crashed_records": 36,
}
#: Target of the issue that introduced the set: at least this much.
TARGET = {"exact": 0.50, "recall": 0.60}

#: Categories of the records, in the suite's order (others are listed after them).
_CATEGORY_ORDER = (
    "DEMO",
    "AGENT",
    "AGENTS",
    "COMPOUND",
    "COMPOUNDx",
    "DATE",
    "MODIFY",
    "PARSING",
    "ERROR",
    "ACTOR",
    "VERB",
    "PATTERN",
    "SYNSET",
)


def _order(categories: Iterable[str]) -> list[str]:
    known = {c: i for i, c in enumerate(_CATEGORY_ORDER)}
    return sorted(categories, key=lambda c: (known.get(c, len(known)), c))


def evaluate_petrarch_unit_tests(
    path: Path | None = None,
    *,
    limit: int | None = None,
    model: str | None = None,
) -> dict:
    """Run the PETRARCH unit-test suite and score it (see the module docstring).

    ``path`` is ``records.jsonl`` or the directory holding it and the validation
    dictionaries; by default ``<gold>/petrarch-unit-tests``
    (:func:`tidings.evaluation.default_gold_dir`).  ``limit`` codes only the first
    records; ``model`` names the spaCy pipeline (default: Tidings' own).  The result is
    JSON-serialisable.
    """
    started = time.perf_counter()
    records_path = _records_path(path)
    directory = records_path.parent
    records = load_unit_test_records(records_path)
    if limit is not None:
        records = records[:limit]
    pipeline, issues, agent_ids = build_suite_pipeline(directory, model=model)
    built = time.perf_counter()

    articles = [
        Article(
            doc_id=f"{SET_NAME}-{i:04d}",
            title="",
            paragraphs=(Paragraph(r.text),),
            date=r.date,
        )
        for i, r in enumerate(records)
    ]
    coded = [c.events for c in pipeline.run(articles)]
    if len(coded) != len(records):  # pragma: no cover - a pipeline bug
        raise RuntimeError(f"pipeline returned {len(coded)} results for {len(records)} records")
    coded_at = time.perf_counter()

    compound = _compound_codes(issues)
    totals: Counter[str] = Counter()
    by_category: dict[str, Counter[str]] = {}
    causes: Counter[str] = Counter()
    frame_paths: Counter[str] = Counter()
    cause_examples: dict[str, list[str]] = {}
    failures: list[dict[str, object]] = []
    for record, events in zip(records, coded, strict=True):
        got = triples_of(events, agent_ids)
        recalled = len(record.expected & got)
        extra = len(got - record.expected)
        exact = got == record.expected
        row = by_category.setdefault(record.category, Counter())
        for counter in (totals, row):
            counter["records"] += 1
            counter["exact"] += exact
            counter["expected"] += len(record.expected)
            counter["recalled"] += recalled
            counter["extra"] += extra
            counter["emitted"] += len(got)
        if exact:
            continue
        actors_found, explain = _sentence_facts(pipeline, record, agent_ids, frame_paths)
        why = failure_causes(
            record, got, actors_found=actors_found, explain=explain, compound_codes=compound
        )
        for cause, triple in why:
            kind = (
                "missing: " if triple in {str(t) for t in record.expected} else "extra: "
            ) + cause
            causes[kind] += 1
            examples = cause_examples.setdefault(kind, [])
            if len(examples) < 3:
                examples.append(f"{record.id}: {triple}")
        if len(failures) < MAX_ERRORS:
            failures.append(
                {
                    "id": record.id,
                    "category": record.category,
                    "date": record.date.isoformat() if record.date else None,
                    "text": record.text,
                    "expected": sorted(str(t) for t in record.expected),
                    "got": sorted(str(t) for t in got),
                    "causes": [f"{c}: {t}" for c, t in why],
                    "events": [
                        {
                            "triple": str(next(iter(triples_of([e], agent_ids)))),
                            "trigger": e.evidence.trigger,
                            "rule": e.evidence.rule,
                            "source_text": e.source.text,
                            "target_text": e.target.text if e.target else None,
                        }
                        for e in events
                    ],
                }
            )

    n = totals["records"]
    issue_levels = Counter(i.level for i in issues)
    return {
        "set": SET_NAME,
        "gold_file": "/".join(records_path.parts[-2:]),
        "counts": {
            "records": n,
            "exact": totals["exact"],
            "expected_triples": totals["expected"],
            "recalled": totals["recalled"],
            "extra": totals["extra"],
            "emitted": totals["emitted"],
        },
        "scores": {
            "exact": ratio(totals["exact"], n),
            "recall": ratio(totals["recalled"], totals["expected"]),
            "precision": ratio(totals["recalled"], totals["emitted"]),
        },
        "by_category": {
            cat: {
                "records": c["records"],
                "exact": c["exact"],
                "expected": c["expected"],
                "recalled": c["recalled"],
                "extra": c["extra"],
            }
            for cat, c in ((cat, by_category[cat]) for cat in _order(by_category))
        },
        "failure_causes": {
            cause: {"count": count, "examples": cause_examples[cause]}
            for cause, count in sorted(causes.items(), key=lambda kv: (-kv[1], kv[0]))
        },
        "errors": failures,
        "diagnostics": {
            "missed_frame_paths": dict(
                sorted(frame_paths.items(), key=lambda kv: (-kv[1], kv[0]))[:25]
            ),
            "dictionary_issues": dict(sorted(issue_levels.items())),
            "compound_codes_skipped": sorted(compound),
            "seconds": {
                "build": round(built - started, 2),
                "code": round(coded_at - built, 2),
                "total": round(time.perf_counter() - started, 2),
            },
            "petrarch2": dict(PETRARCH2_REFERENCE),
            "target": dict(TARGET),
        },
    }


def _records_path(path: Path | None) -> Path:
    if path is None:
        from tidings.evaluation import default_gold_dir

        path = default_gold_dir() / SET_NAME
    path = Path(path)
    if path.is_dir():
        path = path / RECORDS_FILE
    if not path.is_file():
        raise InputError(f"gold data for {SET_NAME} not found: {path}")
    return path


def run_petrarch_unit_tests(
    pipeline: Pipeline | None, path: Path, *, limit: int | None = None
) -> dict:
    """The runner for :data:`tidings.evaluation.SETS` (``runner(pipeline, path, *, limit)``).

    The suite needs its own dictionaries, so ``pipeline`` only lends its spaCy model
    name; everything else is built by :func:`evaluate_petrarch_unit_tests`.
    """
    model = pipeline.config.model if pipeline is not None else None
    return evaluate_petrarch_unit_tests(path, limit=limit, model=model)
