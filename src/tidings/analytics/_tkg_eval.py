"""The ICEWS14 forecasting protocol (``tidings evaluate tkg-icews14``) and ``predict``.

Protocol (the standard one of temporal knowledge-graph forecasting): the
chronological split of the benchmark file (train Jan-Oct 2014, valid Nov,
test Dec: 74,845 / 8,514 / 7,371 facts, checked here by count and by day),
object and subject queries (inverse relations), single-step (every fact of
an earlier day, test days included, is history), time-aware filtered ranks
with ties at their mean rank, MRR and Hits@1/3/10.  Everything that is
chosen (the baseline's λ, α, β; the learned scorer's decay rates) is chosen
on the validation split — the paper's recurrency baseline with λ and α per
relation as the paper does (:mod:`._tkg_paper`); the learned scorer's weights are fitted on queries
of the last three months of the training split.
"""

from __future__ import annotations

import datetime as _dt
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tidings.analytics._tkg import (
    Facts,
    Query,
    build_facts,
    cooccurrence,
    load_icews14,
    metrics,
    replay,
)
from tidings.analytics._tkg_models import (
    Learned,
    Ranked,
    Recurrency,
    evaluate,
    fit_learned,
    strict_rank,
    strict_ranks,
    training_rows,
)
from tidings.analytics._tkg_paper import PerRelation, paper_queries, select
from tidings.analytics._tkg_paper import ranks as paper_ranks
from tidings.errors import InputError

#: The benchmark's split sizes.
ICEWS14_SPLIT = {"train": 74_845, "valid": 8_514, "test": 7_371}
#: Grids searched on the validation split.
STRICT_GRID = [(lam, a) for lam in (0.1, 0.3, 1.0) for a in (0.1, 0.3, 0.5, 0.7)]
BETA_GRID = (1e-3, 1e-2, 1e-1)
DECAY_GRID = ((0.3, 0.02), (0.1, 0.01))
#: Training queries of the learned scorer: this many days before the validation split.
TRAIN_DAYS = 92


def check_split(facts: Facts) -> dict[str, Any]:
    """The split sizes and day ranges; an InputError unless it is the benchmark's split."""
    found = {name: int(np.count_nonzero(facts.split == name)) for name in ICEWS14_SPLIT}
    if found != ICEWS14_SPLIT:
        raise InputError(f"split sizes {found} are not ICEWS14's {ICEWS14_SPLIT}")
    ranges = {}
    for name in ICEWS14_SPLIT:
        t = facts.t[facts.split == name]
        ranges[name] = (int(t.min()), int(t.max()))
    if not ranges["train"][1] < ranges["valid"][0] <= ranges["valid"][1] < ranges["test"][0]:
        raise InputError(f"the splits are not chronological by day: {ranges}")
    day = lambda d: (facts.start + _dt.timedelta(days=d)).isoformat()  # noqa: E731
    return {
        name: {"facts": found[name], "first": day(lo), "last": day(hi)}
        for name, (lo, hi) in ranges.items()
    }


@dataclass
class ProtocolResult:
    split: dict[str, Any]
    chosen: dict[str, Any]
    test: dict[str, dict[str, dict[str, float]]]
    valid: dict[str, float]
    seconds: float

    def line(self, name: str = "learned") -> str:
        m = self.test[name]["all"]
        return (
            f"MRR {m['mrr']:.2f} Hits@1 {m['hits1']:.2f} Hits@3 {m['hits3']:.2f} "
            f"Hits@10 {m['hits10']:.2f}"
        )


def run_protocol(path: str | Path, *, log=lambda message: None) -> ProtocolResult:
    """Run the protocol on the ICEWS14 file at ``path``; ``log`` gets progress lines."""
    started = time.perf_counter()
    facts = load_icews14(path)
    split = check_split(facts)
    valid_start = int(facts.t[facts.split == "valid"].min())

    log("tuning the recurrency baseline on validation")
    data = list(strict_ranks(facts, "valid"))
    best_strict, best_mrr = STRICT_GRID[0], -1.0
    for lam, alpha in STRICT_GRID:
        ranks = []
        for q, objects, table, total in data:
            score = (
                (1 - alpha) * np.exp2(-lam * table[:, 0]) + alpha * table[:, 1] / max(total, 1)
                if len(objects)
                else np.zeros(0)
            )
            ranks.append(strict_rank(objects, score, q, facts.n_entities))
        mrr = metrics(ranks)["mrr"]
        if mrr > best_mrr:
            best_strict, best_mrr = (lam, alpha), mrr
    lam, alpha = best_strict
    log("choosing the paper's λ and α per relation on validation")
    paper_choice = select(paper_queries(facts, "valid"))

    log("fitting the learned scorer on the last months of training")
    cooc = cooccurrence(facts, valid_start - TRAIN_DAYS)
    rows = training_rows(facts, cooc, first_day=valid_start - TRAIN_DAYS)
    candidates: dict[str, Any] = {}
    for fast, slow in DECAY_GRID:
        candidates[f"learned {fast}/{slow}"] = fit_learned(rows, cooc, fast, slow)
    for beta in BETA_GRID:
        candidates[f"recurrency β={beta}"] = Recurrency(lam, alpha, beta)
    log("choosing on validation")
    valid = {
        name: r.summary()["all"]["mrr"] for name, r in evaluate(facts, "valid", candidates).items()
    }
    learned_name = max((n for n in valid if n.startswith("learned")), key=valid.get)
    beta_name = max((n for n in valid if n.startswith("recurrency")), key=valid.get)
    baseline: Recurrency = candidates[beta_name]
    learned: Learned = candidates[learned_name]

    log("testing")
    final = {
        "learned": learned,
        "recurrency": baseline,
        "strict": lambda h, q: baseline(h, q, part="strict"),
        "relaxed": lambda h, q: baseline(h, q, part="relaxed"),
    }
    test = {name: r.summary() for name, r in evaluate(facts, "test", final).items()}
    tested = paper_queries(facts, "test")
    seen = np.array([q.seen for q in tested], dtype=bool)
    one_pair = PerRelation({}, {}, paper_choice.default_lam, paper_choice.default_alpha)
    for name, choice, part in (
        ("paper", paper_choice, "combined"),
        ("paper strict", paper_choice, "strict"),
        ("paper global", one_pair, "combined"),
    ):
        test[name] = Ranked(paper_ranks(tested, choice, part=part), seen).summary()
    chosen = {
        "strict": {"lambda": lam, "alpha": alpha},
        "beta": baseline.beta,
        "paper": paper_choice.summary(),
        "learned": {
            "lambda_fast": learned.lam_fast,
            "lambda_slow": learned.lam_slow,
            "weights": dict(zip(_feature_names(), learned.weights.round(4).tolist(), strict=True)),
            "training_queries": len(rows),
        },
    }
    return ProtocolResult(split, chosen, test, valid, time.perf_counter() - started)


def _feature_names() -> tuple[str, ...]:
    from tidings.analytics._tkg_models import FEATURES

    return FEATURES


# ------------------------------------------------------------------- predict


def predict(
    facts: Facts,
    actor: str,
    relation: str,
    day: _dt.date,
    *,
    direction: str = "target",
    top: int = 10,
    train_days: int = 60,
) -> list[dict[str, Any]]:
    """Ranked likely targets (or ``direction="source"``: sources) of ``actor`` for ``relation``
    on ``day``, from the facts before it: the learned scorer fitted on the last
    ``train_days`` of that history (the recurrency baseline when it is too short)."""
    try:
        s = facts.entities.index(actor)
    except ValueError:
        raise InputError(f"unknown actor {actor!r}: not in the history") from None
    try:
        r = facts.relations.index(relation)
    except ValueError:
        raise InputError(f"no event of {relation!r} in the history") from None
    t = (day - facts.start).days
    if t <= 0:
        raise InputError(f"{day} is not after the first event ({facts.start})")
    if direction == "source":
        r += facts.n_relations
    before = facts.t < t
    history_facts = Facts(
        facts.s[before],
        facts.r[before],
        facts.o[before],
        facts.t[before],
        np.where(facts.t[before] >= t - train_days, "fit", "history"),
        facts.entities,
        facts.relations,
        facts.start,
    )
    scorer: Any = Recurrency(0.3, 0.5, 0.01)
    if np.count_nonzero(history_facts.split == "fit") >= 200 and t > train_days:
        cooc = cooccurrence(history_facts, t - train_days)
        rows = training_rows(
            history_facts, cooc, first_day=t - train_days, split="fit", max_queries=2000
        )
        if len(rows) >= 100:
            scorer = fit_learned(rows, cooc, 0.3, 0.02)
    if not len(history_facts):
        raise InputError("no history before that day")
    history = replay(history_facts)
    scores = scorer(history, Query(s, r, t, s, (), False))
    scores[s] = -np.inf
    order = np.argsort(-scores, kind="stable")[:top]
    z = scores[np.isfinite(scores)]
    probs = np.exp(scores - z.max())
    probs /= probs[np.isfinite(probs)].sum()
    return [
        {
            "rank": i + 1,
            "actor": facts.entities[e],
            "score": float(scores[e]),
            "probability": float(probs[e]),
        }
        for i, e in enumerate(order.tolist())
    ]


def facts_from_store(connect, *, level: str = "country", table: str = "events") -> Facts:
    """The store's dated events with a target as facts: actors at ``level``, CAMEO root as
    the relation."""
    from tidings.analytics._filters import make_filters
    from tidings.analytics._series import _LEVELS, _base

    source, target = _LEVELS[level]
    body, params = _base(
        make_filters(),
        table,  # type: ignore[arg-type]
        "e.date_start IS NOT NULL",
        "e.target_code IS NOT NULL",
        "e.root_code IS NOT NULL",
    )
    rows = (
        connect()
        .execute(
            f"SELECT {source}, e.root_code, {target}, CAST(e.date_start AS DATE){body}", params
        )
        .fetchall()
    )
    unknown = ("---", None, "")
    return build_facts(
        (a, r, b, d, "") for a, r, b, d in rows if a not in unknown and b not in unknown
    )
