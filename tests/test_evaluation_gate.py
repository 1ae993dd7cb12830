"""Regression gate: no evaluation score may drop more than 0.01 below tests/baselines/.

The baseline holds the scores of a full run of every gold set.  When a change makes a
score better, or makes one worse on purpose, regenerate it deliberately and commit it:

    tidings evaluate all --no-samples --json tests/baselines/evaluation.json

That includes ``realnews`` (whole articles of the realnews-dev set, both splits: its
``tune_*`` and ``test_*`` scores are gated too); it reads the AllSides corpus beside the
gold data, so regenerate only where ../shared/data/corpora is present.

Skipped when the shared gold data (../shared/data/gold) are absent.  One Pipeline is
loaded per module (per xdist worker); all sets together take well under a minute.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tidings.errors import InputError
from tidings.evaluation import (
    SETS,
    TOLERANCE,
    compare_to_baseline,
    default_gold_dir,
    evaluate_set,
    resolve_gold_path,
)

BASELINE = Path(__file__).resolve().parent / "baselines" / "evaluation.json"
REGENERATE = "tidings evaluate all --no-samples --json tests/baselines/evaluation.json"

pytestmark = [
    pytest.mark.slow,
    # Checked before any fixture runs, so no spaCy model is loaded when the data are absent.
    pytest.mark.skipif(not default_gold_dir().is_dir(), reason="../shared/data/gold is absent"),
]


@pytest.fixture(scope="module")
def baseline() -> dict:
    return json.loads(BASELINE.read_text(encoding="utf-8"))["sets"]


@pytest.fixture(scope="module")
def pipeline():
    from tidings.pipeline import Pipeline

    return Pipeline()


@pytest.mark.parametrize("name", list(SETS))
def test_scores_do_not_regress(name: str, pipeline, baseline: dict) -> None:
    try:
        path = resolve_gold_path(name)
    except InputError as exc:
        pytest.skip(str(exc))
    if name not in baseline:
        pytest.fail(f"{name} has no baseline yet: run {REGENERATE}")
    result = evaluate_set(name, pipeline, path)
    regressions = compare_to_baseline(name, result["scores"], baseline[name]["scores"])
    assert not regressions, (
        f"scores dropped more than {TOLERANCE} below the baseline:\n  "
        + "\n  ".join(map(str, regressions))
        + f"\n(if intended, regenerate the baseline: {REGENERATE})"
    )
