"""Who will do what to whom next: temporal knowledge-graph forecasting of event targets.

A query is ``(subject, relation, ?, day)``: rank every actor as the likely
object of the relation on that day, from the facts before it.  Queries for
the subject are answered the same way with inverse relations: each fact
``(s, r, o, t)`` is also stored as ``(o, r⁻¹, s, t)``.

Two scorers share one pass over the history (:class:`History`, updated day
by day so that every query sees exactly the facts before its day):

* the **recurrency baseline** of Gastinger et al. (IJCAI 2024, "History
  repeats itself"), written from the paper's description: a *strict* score
  for objects that already occurred with ``(s, r)`` — in the paper's form a
  noisy-or of ``2^(-λ Δt_i)`` over every earlier occurrence i (recent and
  frequent facts both score high); in a second form ``(1 - α) 2^(-λ Δt)``
  for the last occurrence plus α times the object's share among the objects
  of ``(s, r)`` —; a *relaxed* score, the share of ``o`` among all objects of
  relation ``r``; and their sum with a small weight β on the relaxed part,
  which orders the objects never seen with ``(s, r)``.  λ, α and β are
  chosen on the validation split.  The paper's own combination,
  ``α ψ + (1 - α) ξ`` with λ and α chosen per relation, is in
  :mod:`._tkg_paper`.
* the **learned scorer** (the default): a linear score over features of each
  candidate's history with the subject: strict recency at two speeds and
  frequency, recency and counts of the pair under any relation and under the
  inverse relation, how often the pair's past relations co-occur with the
  asked one (relation-to-relation co-occurrence), the object's popularity
  under the relation and its activity in the last week.  The weights are
  fitted by a softmax (listwise) likelihood on queries of the last months
  of the training split; the decay rates are chosen on validation.

Ranks follow the time-aware filtered protocol: other objects true for the
same query on the same day are removed, and ties count at their mean rank.
"""

from __future__ import annotations

import csv
import datetime as _dt
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tidings.errors import InputError


@dataclass
class Facts:
    """Facts as integer arrays (``s``, ``r``, ``o``, ``t`` in days) with their names and split."""

    s: np.ndarray
    r: np.ndarray
    o: np.ndarray
    t: np.ndarray
    split: np.ndarray  # "train" / "valid" / "test" ("" when unknown)
    entities: list[str]
    relations: list[str]
    start: _dt.date

    @property
    def n_entities(self) -> int:
        return len(self.entities)

    @property
    def n_relations(self) -> int:
        """Relations without their inverses."""
        return len(self.relations)

    def __len__(self) -> int:
        return len(self.s)


def build_facts(rows: Iterable[tuple[str, str, str, _dt.date, str]]) -> Facts:
    """Facts from ``(subject, relation, object, date, split)`` rows, sorted by date."""
    ent: dict[str, int] = {}
    rel: dict[str, int] = {}
    data = []
    for s, r, o, day, split in rows:
        data.append(
            (
                ent.setdefault(s, len(ent)),
                rel.setdefault(r, len(rel)),
                ent.setdefault(o, len(ent)),
                day,
                split,
            )
        )
    if not data:
        raise InputError("no facts to learn from")
    data.sort(key=lambda x: x[3])
    start = data[0][3]
    return Facts(
        s=np.array([d[0] for d in data]),
        r=np.array([d[1] for d in data]),
        o=np.array([d[2] for d in data]),
        t=np.array([(d[3] - start).days for d in data]),
        split=np.array([d[4] for d in data]),
        entities=list(ent),
        relations=list(rel),
        start=start,
    )


def load_icews14(path: str | Path) -> Facts:
    """The ICEWS14 benchmark file (``date,source,event_text,cameo_code,target,tkg_split``)."""
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            need = {"date", "source", "event_text", "target", "tkg_split"}
            if not need <= set(reader.fieldnames or ()):
                raise InputError(f"{path}: not the ICEWS14 benchmark file (columns {sorted(need)})")
            rows = [
                (
                    row["source"],
                    row["event_text"],
                    row["target"],
                    _dt.date.fromisoformat(row["date"]),
                    row["tkg_split"],
                )
                for row in reader
            ]
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"{path}: cannot read ({exc})") from None
    return build_facts(rows)


# -------------------------------------------------------------------- history


@dataclass
class _Seen:
    count: int = 0
    last: int = -1
    times: list[int] = field(default_factory=list)


@dataclass
class History:
    """Everything known before the current day, for both directions of each fact."""

    n_entities: int
    n_relations: int  # with inverses: 2 × the relations
    sro: dict[tuple[int, int], dict[int, _Seen]] = field(default_factory=dict)
    sr_total: dict[tuple[int, int], int] = field(default_factory=lambda: defaultdict(int))
    pair: dict[int, dict[int, _Seen]] = field(default_factory=dict)
    pair_relations: dict[tuple[int, int], set[int]] = field(default_factory=dict)
    object_share: np.ndarray = field(init=False)
    recent: list[np.ndarray] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.object_share = np.zeros((self.n_relations, self.n_entities))

    def add_day(self, s: np.ndarray, r: np.ndarray, o: np.ndarray, day: int) -> None:
        """Record the facts of ``day`` (given in one direction; inverses are added here)."""
        half = self.n_relations // 2
        activity = np.zeros(self.n_entities)
        for a, rel, b in zip(s.tolist(), r.tolist(), o.tolist(), strict=True):
            for x, rr, y in ((a, rel, b), (b, rel + half, a)):
                seen = self.sro.setdefault((x, rr), {}).setdefault(y, _Seen())
                seen.count += 1
                seen.last = day
                seen.times.append(day)
                self.sr_total[(x, rr)] += 1
                p = self.pair.setdefault(x, {}).setdefault(y, _Seen())
                p.count += 1
                p.last = day
                self.pair_relations.setdefault((x, y), set()).add(rr)
                self.object_share[rr, y] += 1
            activity[a] += 1
            activity[b] += 1
        self.recent.append(activity)
        if len(self.recent) > 7:
            self.recent.pop(0)

    def week_activity(self) -> np.ndarray:
        return np.sum(self.recent, axis=0) if self.recent else np.zeros(self.n_entities)


def cooccurrence(facts: Facts, until_day: int) -> np.ndarray:
    """``C[r, r']``: share of the pairs linked by r' (before ``until_day``) also linked by r."""
    n_rel = 2 * facts.n_relations
    pairs: dict[tuple[int, int], set[int]] = defaultdict(set)
    keep = facts.t < until_day
    for a, rel, b in zip(
        facts.s[keep].tolist(), facts.r[keep].tolist(), facts.o[keep].tolist(), strict=True
    ):
        pairs[(a, b)].add(rel)
        pairs[(b, a)].add(rel + facts.n_relations)
    both = np.zeros((n_rel, n_rel))
    for rels in pairs.values():
        idx = np.fromiter(rels, dtype=int)
        both[np.ix_(idx, idx)] += 1
    single = np.maximum(np.diag(both), 1)
    return both / single[None, :]


# ----------------------------------------------------------------- the queries


@dataclass(frozen=True)
class Query:
    """One query of the protocol: ``(s, r, ?, t)`` with its answer and the filtered objects."""

    s: int
    r: int
    t: int
    answer: int
    others: tuple[int, ...]  # other true objects of (s, r, ·, t): filtered out of the ranking
    seen: bool  # whether (s, r, answer) occurred before t


def days(facts: Facts, split: str | None = None) -> Iterator[tuple[int, np.ndarray]]:
    """(day, indices of its facts) in order; only days holding facts of ``split`` when given."""
    order = np.argsort(facts.t, kind="stable")
    bounds = np.flatnonzero(np.diff(facts.t[order])) + 1
    for chunk in np.split(order, bounds):
        if split is None or np.any(facts.split[chunk] == split):
            yield int(facts.t[chunk[0]]), chunk


def day_queries(facts: Facts, idx: np.ndarray, history: History, split: str | None) -> list[Query]:
    """Both directions of each fact of one day (of ``split``) as queries."""
    half = facts.n_relations
    truth: dict[tuple[int, int], set[int]] = defaultdict(set)
    for i in idx.tolist():
        truth[(facts.s[i], facts.r[i])].add(facts.o[i])
        truth[(facts.o[i], facts.r[i] + half)].add(facts.s[i])
    out = []
    for i in idx.tolist():
        if split is not None and facts.split[i] != split:
            continue
        t = int(facts.t[i])
        for s, r, o in (
            (facts.s[i], facts.r[i], facts.o[i]),
            (facts.o[i], facts.r[i] + half, facts.s[i]),
        ):
            others = tuple(sorted(truth[(s, r)] - {o}))
            seen = o in history.sro.get((s, r), {})
            out.append(Query(int(s), int(r), t, int(o), others, seen))
    return out


def filtered_rank(scores: np.ndarray, query: Query) -> float:
    """Rank of the answer among all entities, others true that day removed, ties at mean rank."""
    target = scores[query.answer]
    greater = np.count_nonzero(scores > target)
    equal = np.count_nonzero(scores == target) - 1
    for other in query.others:
        if scores[other] > target:
            greater -= 1
        elif scores[other] == target:
            equal -= 1
    return 1.0 + greater + equal / 2.0


def metrics(ranks: Iterable[float]) -> dict[str, float]:
    """MRR and Hits@1/3/10 in percent."""
    r = np.asarray(list(ranks), dtype=float)
    if r.size == 0:
        return {"mrr": math.nan, "hits1": math.nan, "hits3": math.nan, "hits10": math.nan, "n": 0}
    return {
        "mrr": 100 * float(np.mean(1 / r)),
        "hits1": 100 * float(np.mean(r <= 1)),
        "hits3": 100 * float(np.mean(r <= 3)),
        "hits10": 100 * float(np.mean(r <= 10)),
        "n": int(r.size),
    }


def walk(
    facts: Facts, split: str | None, *, first_day: int = 0
) -> Iterator[tuple[list[Query], History]]:
    """Replay the facts day by day: the queries of each day of ``split`` (on or after
    ``first_day``) with the history of every earlier day, then that day's facts are added."""
    history = History(facts.n_entities, 2 * facts.n_relations)
    for day, idx in days(facts):
        if day >= first_day and (split is None or np.any(facts.split[idx] == split)):
            yield day_queries(facts, idx, history, split), history
        history.add_day(facts.s[idx], facts.r[idx], facts.o[idx], day)


def replay(facts: Facts) -> History:
    """The history after every fact of ``facts``."""
    history = History(facts.n_entities, 2 * facts.n_relations)
    for day, idx in days(facts):
        history.add_day(facts.s[idx], facts.r[idx], facts.o[idx], day)
    return history
