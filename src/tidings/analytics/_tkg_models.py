"""The two scorers of :mod:`._tkg`: the recurrency baseline and the learned scorer.

Both turn a :class:`~._tkg.Query` and the :class:`~._tkg.History` before its
day into one score per entity; :func:`evaluate` ranks the answers.  See the
docstring of :mod:`._tkg` for what each scorer does and why.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from tidings.analytics._tkg import Facts, History, Query, filtered_rank, metrics, walk

Scorer = Callable[[History, Query], np.ndarray]
#: λ values of the paper-form strict score tried on validation.
PAPER_LAMBDAS = (0.003, 0.01, 0.03, 0.1)


# ---------------------------------------------------------- recurrency baseline


@dataclass(frozen=True)
class Recurrency:
    """Strict recurrency plus β × the relaxed share, in one of two forms.

    ``form="paper"``: the strict score of an object is ``1 - Π_i (1 - 2^(-λ Δt_i))``
    over every earlier occurrence i of (s, r, o): recent and frequent facts
    both score high, as in the paper.  ``form="mix"``: ``(1 - α) 2^(-λ Δt)``
    for the last occurrence plus ``α n(s,r,o)/n(s,r,·)``, recency and frequency
    weighted separately (a stronger variant on ICEWS14).
    """

    lam: float = 0.1
    alpha: float = 0.1
    beta: float = 1e-3
    form: str = "mix"

    def strict(self, history: History, q: Query) -> tuple[np.ndarray, np.ndarray]:
        """Candidates seen with (s, r) and their strict scores."""
        seen = history.sro.get((q.s, q.r))
        if not seen:
            return np.zeros(0, dtype=int), np.zeros(0)
        objects = np.fromiter(seen.keys(), dtype=int, count=len(seen))
        last = np.fromiter((v.last for v in seen.values()), dtype=float, count=len(seen))
        count = np.fromiter((v.count for v in seen.values()), dtype=float, count=len(seen))
        total = history.sr_total[(q.s, q.r)]
        if self.form == "paper":
            return objects, noisy_or(seen.values(), q.t, self.lam)
        recency = np.exp2(-self.lam * (q.t - last))
        return objects, (1 - self.alpha) * recency + self.alpha * count / total

    def relaxed(self, history: History, q: Query) -> np.ndarray:
        row = history.object_share[q.r]
        return row / max(row.sum(), 1.0)

    def __call__(self, history: History, q: Query, *, part: str = "combined") -> np.ndarray:
        if part == "relaxed":
            return self.relaxed(history, q)
        scores = np.zeros(history.n_entities)
        objects, strict = self.strict(history, q)
        scores[objects] = strict
        if part == "combined":
            scores += self.beta * self.relaxed(history, q)
        return scores


def noisy_or(seen: Iterable[Any], t: int, lam: float) -> np.ndarray:
    """``1 - Π_i (1 - 2^(-λ (t - t_i)))`` over the occurrence days of each entry of ``seen``."""
    return np.array([1.0 - np.prod(1.0 - np.exp2(-lam * (t - np.array(v.times)))) for v in seen])


def strict_rank(objects: np.ndarray, strict: np.ndarray, q: Query, n_entities: int) -> float:
    """:func:`filtered_rank` of the strict score alone, without a dense vector.

    Entities never seen with (s, r) all score 0: they tie with an unseen answer.
    """
    excluded = {*q.others, q.answer}
    listed = objects.tolist()
    keep = [i for i, o in enumerate(listed) if o not in excluded]
    where = np.flatnonzero(objects == q.answer)
    target = float(strict[where[0]]) if len(where) else 0.0
    others = strict[keep]
    greater = int(np.count_nonzero(others > target))
    equal = int(np.count_nonzero(others == target))
    if target == 0.0:
        equal += n_entities - len(excluded | set(listed))
    return 1.0 + greater + equal / 2.0


# ------------------------------------------------------------- learned scorer

#: Names of the learned scorer's features, in column order.
FEATURES = (
    "strict_fast",  # 2^(-λf Δt) since (s, r, o) last occurred
    "strict_slow",  # the same with a slower decay
    "strict_share",  # n(s, r, o) / n(s, r, ·)
    "strict_count",  # log1p n(s, r, o)
    "pair_recency",  # 2^(-λf Δt) since s and o were last linked by any relation
    "pair_count",  # log1p of the facts linking them
    "inverse_recency",  # 2^(-λf Δt) since (o, r, s): the same relation the other way
    "cooccurrence",  # max over the pair's past relations r' of C[r, r']
    "linked",  # 1 when s and o were ever linked
    "relaxed",  # log of o's share among the objects of r
    "activity",  # log1p of o's facts in the last seven days
)


@dataclass
class Raw:
    """What a query's features are computed from (decay-independent), per linked candidate."""

    objects: np.ndarray
    table: np.ndarray  # columns: dt_sro, n_sro, dt_pair, n_pair, dt_inverse, cooc (inf: never)
    total: int


def raw_features(history: History, q: Query, cooc: np.ndarray) -> Raw:
    linked = history.pair.get(q.s, {})
    n = len(linked)
    objects = np.fromiter(linked.keys(), dtype=int, count=n)
    table = np.full((n, 6), np.inf)
    table[:, 1] = table[:, 3] = table[:, 5] = 0.0
    sro = history.sro.get((q.s, q.r), {})
    half = history.n_relations // 2
    inverse = history.sro.get((q.s, q.r + half if q.r < half else q.r - half), {})
    row = cooc[q.r]
    relations = history.pair_relations
    for j, (o, seen) in enumerate(linked.items()):
        table[j, 2] = q.t - seen.last
        table[j, 3] = seen.count
        hit = sro.get(o)
        if hit is not None:
            table[j, 0] = q.t - hit.last
            table[j, 1] = hit.count
        back = inverse.get(o)
        if back is not None:
            table[j, 4] = q.t - back.last
        table[j, 5] = max(row[rr] for rr in relations[(q.s, o)])
    return Raw(objects, table, history.sr_total.get((q.s, q.r), 0))


def linked_features(raw: Raw, lam_fast: float, lam_slow: float) -> np.ndarray:
    """Columns 0-8 of :data:`FEATURES` for the linked candidates."""
    t = raw.table
    out = np.empty((len(raw.objects), 9))
    out[:, 0] = np.exp2(-lam_fast * t[:, 0])
    out[:, 1] = np.exp2(-lam_slow * t[:, 0])
    out[:, 2] = t[:, 1] / max(raw.total, 1)
    out[:, 3] = np.log1p(t[:, 1])
    out[:, 4] = np.exp2(-lam_fast * t[:, 2])
    out[:, 5] = np.log1p(t[:, 3])
    out[:, 6] = np.exp2(-lam_fast * t[:, 4])
    out[:, 7] = t[:, 5]
    out[:, 8] = 1.0
    return out


def dense_features(history: History, q: Query) -> np.ndarray:
    """Columns 9-10 of :data:`FEATURES` for every entity: [entities, 2]."""
    row = history.object_share[q.r]
    relaxed = np.log((row + 0.1) / (row.sum() + 1.0))
    return np.column_stack([relaxed, np.log1p(history.week_activity())])


@dataclass
class Learned:
    """A linear scorer over :data:`FEATURES` (see :mod:`._tkg`)."""

    weights: np.ndarray
    cooc: np.ndarray
    lam_fast: float = 0.3
    lam_slow: float = 0.02

    def __call__(self, history: History, q: Query) -> np.ndarray:
        dense = dense_features(history, q)
        scores = dense @ self.weights[9:]
        raw = raw_features(history, q, self.cooc)
        if len(raw.objects):
            scores[raw.objects] += (
                linked_features(raw, self.lam_fast, self.lam_slow) @ self.weights[:9]
            )
        return scores


def training_rows(
    facts: Facts,
    cooc: np.ndarray,
    *,
    first_day: int,
    split: str = "train",
    max_queries: int = 6000,
    negatives: int = 64,
    seed: int = 0,
) -> list[tuple[Raw, np.ndarray, np.ndarray, int, float]]:
    """Per sampled query of ``split`` from ``first_day``: its raw linked features, the dense
    features of the linked candidates and of sampled unlinked ones, the answer's position
    (-1: unlinked, appended as the first unlinked row) and the log of the unlinked
    sample's weight (sampled softmax)."""
    rng = np.random.default_rng(seed)
    queries = 2 * int(np.count_nonzero((facts.split == split) & (facts.t >= first_day)))
    keep_p = min(1.0, max_queries / max(queries, 1))
    rows = []
    for qs, history in walk(facts, split, first_day=first_day):
        for q in qs:
            if rng.random() > keep_p:
                continue
            raw = raw_features(history, q, cooc)
            dense = dense_features(history, q)
            linked = set(raw.objects.tolist())
            pos = np.flatnonzero(raw.objects == q.answer)
            pool = history.n_entities - len(linked) - (0 if len(pos) else 1)
            sample = rng.integers(0, history.n_entities, negatives * 2)
            sample = np.array(
                [e for e in dict.fromkeys(sample.tolist()) if e not in linked and e != q.answer][
                    :negatives
                ],
                dtype=int,
            )
            unlinked = sample if len(pos) else np.concatenate([[q.answer], sample])
            weight = math.log(max(pool, 1) / max(len(sample), 1))
            rows.append(
                (raw, dense[raw.objects], dense[unlinked], int(pos[0]) if len(pos) else -1, weight)
            )
    return rows


def fit_learned(
    rows: list, cooc: np.ndarray, lam_fast: float, lam_slow: float, *, ridge: float = 1e-3
) -> Learned:
    """Maximise the sampled-softmax likelihood of the answers over the training rows."""
    from scipy.optimize import minimize

    blocks, offsets, groups, answers = [], [], [], []
    start = 0
    for g, (raw, dense_linked, dense_unlinked, pos, weight) in enumerate(rows):
        linked = np.column_stack([linked_features(raw, lam_fast, lam_slow), dense_linked])
        unlinked = np.column_stack([np.zeros((len(dense_unlinked), 9)), dense_unlinked])
        block = np.vstack([linked, unlinked])
        blocks.append(block)
        off = np.zeros(len(block))
        answer_row = pos if pos >= 0 else len(linked)
        off[len(linked) :] = weight
        if pos < 0:
            off[answer_row] = 0.0  # the answer itself is not a sample
        offsets.append(off)
        groups.append(np.full(len(block), g))
        answers.append(start + answer_row)
        start += len(block)
    x = np.vstack(blocks)
    off = np.concatenate(offsets)
    group = np.concatenate(groups)
    answers_idx = np.array(answers)
    starts = np.concatenate([[0], np.flatnonzero(np.diff(group)) + 1])

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = x @ w + off
        zmax = np.maximum.reduceat(z, starts)
        e = np.exp(z - zmax[group])
        denom = np.add.reduceat(e, starts)
        nll = float(np.sum(np.log(denom) + zmax - z[answers_idx]))
        p = e / denom[group]
        grad = x.T @ p - x[answers_idx].sum(axis=0)
        return nll / len(starts) + ridge * float(w @ w), grad / len(starts) + 2 * ridge * w

    w0 = np.zeros(x.shape[1])
    w0[0] = w0[9] = 1.0
    result = minimize(loss, w0, jac=True, method="L-BFGS-B", options={"maxiter": 300})
    return Learned(result.x, cooc, lam_fast, lam_slow)


# ------------------------------------------------------------------- evaluation


@dataclass
class Ranked:
    """Ranks of the answers of one split, with whether each fact had occurred before."""

    ranks: np.ndarray
    seen: np.ndarray

    def summary(self) -> dict[str, dict[str, float]]:
        return {
            "all": metrics(self.ranks),
            "seen": metrics(self.ranks[self.seen]),
            "new": metrics(self.ranks[~self.seen]),
        }


def evaluate(facts: Facts, split: str, scorers: dict[str, Scorer]) -> dict[str, Ranked]:
    """Rank every query of ``split`` under each scorer in one replay of the history."""
    ranks: dict[str, list[float]] = {name: [] for name in scorers}
    seen: list[bool] = []
    for qs, history in walk(facts, split):
        for q in qs:
            seen.append(q.seen)
            for name, scorer in scorers.items():
                ranks[name].append(filtered_rank(scorer(history, q), q))
    flags = np.array(seen, dtype=bool)
    return {name: Ranked(np.array(r), flags) for name, r in ranks.items()}


def strict_ranks(facts: Facts, split: str) -> Iterator[tuple[Query, np.ndarray, np.ndarray, int]]:
    """(query, candidates, their last-seen gaps, counts and paper-form strict scores for
    each λ of ``PAPER_LAMBDAS``, n(s, r, ·)) for tuning the strict baselines without dense
    score vectors."""
    for qs, history in walk(facts, split):
        for q in qs:
            seen = history.sro.get((q.s, q.r), {})
            objects = np.fromiter(seen.keys(), dtype=int, count=len(seen))
            gaps = np.fromiter((q.t - v.last for v in seen.values()), dtype=float, count=len(seen))
            counts = np.fromiter((v.count for v in seen.values()), dtype=float, count=len(seen))
            paper = [noisy_or(seen.values(), q.t, lam) for lam in PAPER_LAMBDAS]
            table = np.column_stack([gaps, counts, *paper]) if len(objects) else np.zeros((0, 2))
            yield q, objects, table, history.sr_total.get((q.s, q.r), 0)
