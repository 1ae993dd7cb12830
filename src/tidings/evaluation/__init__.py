"""Evaluation of the pipeline on public gold sets, and the regression gate's arithmetic.

Every gold set is one :class:`GoldSet` in :data:`SETS`: a name, where its file lives under
the gold root, and a pure runner ``runner(pipeline, path, *, limit=None) -> dict``.  A
runner returns a JSON-ready dict with at least ``set``, ``counts``, ``scores`` (floats in
0..1, rounded to 4 places; higher is better; these are what the regression gate compares),
``errors`` (up to 20 wrong items, in file order) and optionally ``diagnostics`` (not gated)
and ``confusion``.  Adding a set (e.g. ``petrarch-unit-tests``) is one more entry in
:data:`SETS`.

    >>> from tidings.pipeline import Pipeline
    >>> result = evaluate_set("conflibert-class", Pipeline())     # doctest: +SKIP
    >>> result["scores"]["accuracy_first"]                           # doctest: +SKIP

The gold data are not packaged: they are read from ``../shared/data/gold`` beside the
repository (:func:`default_gold_dir`), or from a path given explicitly.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from tidings.errors import InputError
from tidings.evaluation.conflibert import evaluate_conflibert_class, evaluate_conflibert_spans
from tidings.evaluation.petrarch_tests import run_petrarch_unit_tests
from tidings.evaluation.plover_gsr import evaluate_plover
from tidings.evaluation.realnews import evaluate_realnews, realnews_split, score_realnews

if TYPE_CHECKING:
    from tidings.pipeline import Pipeline

__all__ = [
    "SETS",
    "TOLERANCE",
    "GoldSet",
    "Regression",
    "compare_to_baseline",
    "default_gold_dir",
    "evaluate_conflibert_class",
    "evaluate_conflibert_spans",
    "evaluate_plover",
    "evaluate_realnews",
    "evaluate_set",
    "realnews_split",
    "resolve_gold_path",
    "score_realnews",
]

Runner = Callable[..., dict]


@dataclass(frozen=True, slots=True)
class GoldSet:
    name: str
    relpath: str  # file under the gold root
    runner: Runner
    description: str


SETS: Mapping[str, GoldSet] = MappingProxyType(
    {
        s.name: s
        for s in (
            GoldSet(
                "plover-gsr",
                "plover-gsr/PLOVER_GSR_CAMEO.txt",
                evaluate_plover,
                "PLOVER gold-standard records (CAMEO manual examples): event category, "
                "source and target country",
            ),
            GoldSet(
                "conflibert-class",
                "conflibert-cameo-train/cameo_class/train.tsv",
                evaluate_conflibert_class,
                "ConfliBERT CAMEO sentences: five-way event class",
            ),
            GoldSet(
                "conflibert-spans",
                "conflibert-cameo-train/cameo_ner/train.txt",
                evaluate_conflibert_spans,
                "ConfliBERT CAMEO sentences: source and target actor spans",
            ),
            GoldSet(
                "petrarch-unit-tests",
                "petrarch-unit-tests/records.jsonl",
                run_petrarch_unit_tests,
                "PETRARCH-2's own 284 unit-test records with their validation dictionaries: "
                "records reproduced exactly, expected triples recalled",
            ),
            GoldSet(
                "realnews",
                "realnews/realnews-dev.jsonl",
                evaluate_realnews,
                "Whole international news articles annotated sentence by sentence "
                "(GUIDELINES.md): events matched by root and actor keys over the default view",
            ),
        )
    }
)

#: The largest drop of a score below its baseline that the regression gate accepts.
TOLERANCE = 0.01


def default_gold_dir() -> Path:
    """``<repo>/../shared/data/gold`` (the shared data beside the repository)."""
    return Path(__file__).resolve().parents[3].parent / "shared" / "data" / "gold"


def _gold_set(name: str) -> GoldSet:
    try:
        return SETS[name]
    except KeyError:
        raise InputError(f"unknown gold set {name!r} (known: {', '.join(SETS)})") from None


def resolve_gold_path(name: str, path: Path | None = None) -> Path:
    """The gold file of set ``name``.

    ``path`` may be the file itself, the gold root (``.../gold``), or any directory that
    holds the file under a suffix of its relative path (``.../plover-gsr``).  Without
    ``path``, :func:`default_gold_dir` is used.  A missing file is an :class:`InputError`.
    """
    gold = _gold_set(name)
    base = Path(path) if path is not None else default_gold_dir()
    if base.is_file():
        return base
    parts = Path(gold.relpath).parts
    for i in range(len(parts)):
        candidate = base.joinpath(*parts[i:])
        if candidate.is_file():
            return candidate
    where = base / gold.relpath if base.is_dir() or path is None else base
    raise InputError(f"gold data for {name} not found: {where}")


def evaluate_set(
    name: str,
    pipeline: Pipeline,
    path: Path | None = None,
    *,
    limit: int | None = None,
) -> dict:
    """Run one gold set's evaluation (see :func:`resolve_gold_path` for ``path``)."""
    gold = _gold_set(name)
    return gold.runner(pipeline, resolve_gold_path(name, path), limit=limit)


@dataclass(frozen=True, slots=True)
class Regression:
    set: str
    score: str
    baseline: float
    current: float | None  # None: the score is missing from the current result

    def __str__(self) -> str:
        now = "missing" if self.current is None else f"{self.current:.4f}"
        return f"{self.set}: {self.score} {self.baseline:.4f} -> {now}"


def compare_to_baseline(
    name: str,
    current: Mapping[str, float],
    baseline: Mapping[str, float],
    *,
    tolerance: float = TOLERANCE,
) -> list[Regression]:
    """Scores of ``baseline`` that ``current`` misses or undercuts by more than ``tolerance``.

    Scores new in ``current`` are not regressions; raising the baseline is a deliberate edit.
    """
    out = []
    for score, base in baseline.items():
        now = current.get(score)
        # The small epsilon keeps 0.01 exactly (after rounding to 4 places) acceptable.
        if now is None or now < base - tolerance - 1e-9:
            out.append(Regression(name, score, float(base), None if now is None else float(now)))
    return out
