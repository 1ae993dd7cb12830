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

import os
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
from tidings.evaluation.realnews_ru import evaluate_realnews_ru, score_realnews_ru

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
    "score_realnews_ru",
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
            GoldSet(
                "realnews-ru",
                "realnews/realnews-ru-dev.jsonl",
                evaluate_realnews_ru,
                "Whole Russian news articles (BSNLP documents) annotated and scored as realnews is",
            ),
        )
    }
)

#: The largest drop of a score below its baseline that the regression gate accepts.
TOLERANCE = 0.01


#: Environment variable naming the gold root (overrides the search below).
GOLD_ENV = "TIDINGS_GOLD"


def default_gold_dir() -> Path:
    """Where the gold data are when no path is given.

    In order: ``$TIDINGS_GOLD``; ``shared/data/gold`` or ``../shared/data/gold`` seen
    from the working directory or any of its parents (a checkout beside the shared data);
    ``../shared/data/gold`` beside this source tree (an editable install).  An installed
    package lives in site-packages, so the working directory is what finds the data after
    ``pip install .``.  The first existing directory wins; none existing gives the last
    candidate, which :func:`resolve_gold_path` reports.
    """
    env = os.environ.get(GOLD_ENV)
    if env:
        return Path(env)
    candidates: list[Path] = []
    cwd = Path.cwd().resolve()
    for folder in (cwd, *cwd.parents):
        candidates += [folder / "shared" / "data" / "gold"]
        candidates += [folder.parent / "shared" / "data" / "gold"]
    candidates.append(Path(__file__).resolve().parents[3].parent / "shared" / "data" / "gold")
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[-1]


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
    hint = "" if path is not None else f" (give the gold directory as PATH or set {GOLD_ENV})"
    raise InputError(f"gold data for {name} not found: {where}{hint}")


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
