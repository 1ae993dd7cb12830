"""Temporal KG forecasting: the protocol's ranking (filtering, mean-rank ties) on hand-made
facts, the recurrency baseline and the learned scorer on a synthetic history, predict, and
the ICEWS14 baseline figures (skipped without ../shared)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from tidings.analytics._tkg import (
    Query,
    build_facts,
    cooccurrence,
    filtered_rank,
    load_icews14,
    metrics,
    replay,
    walk,
)
from tidings.analytics._tkg_eval import predict
from tidings.analytics._tkg_models import (
    Recurrency,
    evaluate,
    fit_learned,
    strict_rank,
    strict_ranks,
    training_rows,
)
from tidings.errors import InputError

from .conftest import SHARED

ICEWS14 = SHARED / "data" / "events" / "icews14_events_named.csv"
DAY = dt.date(2014, 1, 1)


def test_filtered_rank_removes_other_true_answers_and_ranks_ties_at_their_mean():
    scores = np.array([5.0, 3.0, 3.0, 3.0, 9.0, 1.0])
    q = Query(s=5, r=0, t=1, answer=1, others=(4,), seen=True)
    # entity 4 (9.0) is true too: filtered; 0 (5.0) is above; 2 and 3 tie with the answer
    assert filtered_rank(scores, q) == 1 + 1 + 2 / 2
    unfiltered = Query(s=5, r=0, t=1, answer=1, others=(), seen=True)
    assert filtered_rank(scores, unfiltered) == 1 + 2 + 1
    # all-zero scores: the answer ties with every other entity
    assert filtered_rank(np.zeros(6), unfiltered) == 1 + 5 / 2
    m = metrics([1, 2, 4, 10, 11])
    assert m["mrr"] == pytest.approx(100 * (1 + 1 / 2 + 1 / 4 + 1 / 10 + 1 / 11) / 5)
    assert (m["hits1"], m["hits3"], m["hits10"]) == (20, 40, 80)


def test_time_aware_filter_uses_only_the_same_day_and_both_directions():
    facts = build_facts(
        [
            ("A", "fight", "B", DAY, "train"),
            ("A", "fight", "C", DAY + dt.timedelta(days=1), "test"),
            ("A", "fight", "D", DAY + dt.timedelta(days=1), "test"),
            ("A", "fight", "B", DAY + dt.timedelta(days=2), "test"),
        ]
    )
    queries = [q for qs, _ in walk(facts, "test") for q in qs]
    assert len(queries) == 6  # object and subject query per test fact
    a = facts.entities.index("A")
    first = [q for q in queries if q.s == a and q.t == 1]
    assert {q.answer for q in first} == {facts.entities.index(x) for x in "CD"}
    assert all(len(q.others) == 1 for q in first)  # C filters D and D filters C, not B
    last = next(q for q in queries if q.s == a and q.t == 2)
    assert last.others == () and last.seen
    inverse = [q for q in queries if q.r == 1]
    assert {q.answer for q in inverse} == {a}


def test_strict_rank_matches_the_dense_rank():
    rng = np.random.default_rng(0)
    for _ in range(50):
        objects = rng.choice(20, size=5, replace=False)
        strict = rng.choice([0.2, 0.5, 0.9], size=5)
        answer = int(rng.integers(0, 20))
        others = tuple(int(x) for x in rng.choice(20, 2, replace=False) if x != answer)
        q = Query(0, 0, 1, answer, others, answer in objects)
        dense = np.zeros(20)
        dense[objects] = strict
        assert strict_rank(objects, strict, q, 20) == filtered_rank(dense, q)


def _synthetic(seed: int = 0, n_days: int = 120):
    """Actors with habitual targets (recurrency), plus partners who fight back (inverse)."""
    rng = np.random.default_rng(seed)
    actors = [f"E{i}" for i in range(40)]
    habit = {a: rng.choice(actors, 3, replace=False) for a in actors}
    rows = []
    for d in range(n_days):
        split = "train" if d < 80 else ("valid" if d < 100 else "test")
        for a in rng.choice(actors, 12, replace=False):
            b = rng.choice(habit[a]) if rng.random() < 0.7 else rng.choice(actors)
            if b == a:
                continue
            rows.append((a, "fight", b, DAY + dt.timedelta(days=d), split))
            if rng.random() < 0.5:
                rows.append((b, "retaliate", a, DAY + dt.timedelta(days=d + 1), split))
    return build_facts(rows)


def test_recurrency_and_learned_scorers_beat_chance_and_learned_beats_strict():
    facts = _synthetic()
    cooc = cooccurrence(facts, 60)
    rows = training_rows(facts, cooc, first_day=60, max_queries=800)
    learned = fit_learned(rows, cooc, 0.3, 0.02)
    res = evaluate(
        facts,
        "test",
        {
            "learned": learned,
            "recurrency": Recurrency(0.3, 0.5, 0.01),
            "strict": lambda h, q: Recurrency(0.3, 0.5)(h, q, part="strict"),
        },
    )
    mrr = {k: v.summary()["all"]["mrr"] for k, v in res.items()}
    chance = 100 * np.mean(1 / np.arange(1, facts.n_entities + 1))
    assert mrr["strict"] > 2 * chance
    assert mrr["recurrency"] >= mrr["strict"] - 0.5
    # "retaliate" answers are the inverse of earlier fights: only the learned scorer links them
    assert mrr["learned"] > mrr["strict"] + 3


def test_predict_ranks_the_habitual_target_first():
    rows = [("RUS", "19", "UKR", DAY + dt.timedelta(days=d), "") for d in range(0, 60, 2)]
    rows += [("RUS", "19", "GEO", DAY + dt.timedelta(days=5), "")]
    rows += [("USA", "04", "RUS", DAY + dt.timedelta(days=d), "") for d in range(0, 60, 3)]
    facts = build_facts(rows)
    ranked = predict(facts, "RUS", "19", DAY + dt.timedelta(days=61))
    assert ranked[0]["actor"] == "UKR" and ranked[1]["actor"] == "GEO"
    sources = predict(facts, "RUS", "04", DAY + dt.timedelta(days=61), direction="source")
    assert sources[0]["actor"] == "USA"
    with pytest.raises(InputError, match="unknown actor"):
        predict(facts, "XXX", "19", DAY + dt.timedelta(days=61))
    history = replay(facts)
    assert history.sr_total[(facts.entities.index("RUS"), 0)] == 31


@pytest.mark.skipif(not ICEWS14.exists(), reason="needs ../shared ICEWS 2014")
def test_icews14_split_and_baselines():
    from tidings.analytics._tkg_eval import check_split

    facts = load_icews14(ICEWS14)
    split = check_split(facts)
    assert split["valid"]["first"] == "2014-11-01" and split["test"]["first"] == "2014-12-01"
    ranks = []
    for q, objects, table, total in strict_ranks(facts, "test"):
        score = 0.5 * np.exp2(-table[:, 0]) + 0.5 * table[:, 1] / max(total, 1)
        ranks.append(strict_rank(objects, score, q, facts.n_entities))
    strict = metrics(ranks)
    assert strict["n"] == 2 * 7371
    assert 36.0 <= strict["mrr"] <= 38.5  # paper: 36.0 (our strict with λ=1, α=0.5: 37.35)


def test_paper_form_strict_score_is_a_noisy_or_of_recency_weights():
    from tidings.analytics._tkg import History
    from tidings.analytics._tkg_models import noisy_or

    history = History(3, 2)
    for day in (0, 8):
        history.add_day(np.array([0]), np.array([0]), np.array([1]), day)
    history.add_day(np.array([0]), np.array([0]), np.array([2]), 9)
    seen = history.sro[(0, 0)]
    scores = noisy_or(seen.values(), 10, 0.5)
    # object 1: occurrences 10 and 2 days ago; object 2: one occurrence 1 day ago
    assert scores[0] == pytest.approx(1 - (1 - 2**-5) * (1 - 2**-1))
    assert scores[1] == pytest.approx(2**-0.5)
    q = Query(0, 0, 10, 1, (), True)
    paper = Recurrency(0.5, 0.0, 0.0, form="paper")(history, q, part="strict")
    assert paper[1] == pytest.approx(scores[0]) and paper[2] == pytest.approx(scores[1])


def test_paper_protocol_ranks_match_dense_scores_and_choose_per_relation():
    """The paper's combination α ψ_λ + (1 - α) ξ ranked without dense vectors equals the dense
    filtered rank; λ and α are chosen per relation on validation."""
    from tidings.analytics import _tkg_paper as paper

    facts = _synthetic(seed=3)
    queries = paper.paper_queries(facts, "test")
    i = 0
    for qs, history in walk(facts, "test"):
        share = history.object_share
        for q in qs:
            pq = queries[i]
            i += 1
            xi = share[q.r] / max(share[q.r].sum(), 1.0)
            for k in (0, 3, 6):
                for alpha in (0.0, 0.3, 0.99, 1.0):
                    dense = (1 - alpha) * xi
                    for o, seen in history.sro.get((q.s, q.r), {}).items():
                        gaps = q.t - np.array(seen.times, dtype=float)
                        psi = 1 - np.prod(1 - np.exp2(-paper.LAMBDAS[k] * gaps))
                        dense[o] += alpha * psi
                    assert pq.rank(k, alpha) == pytest.approx(filtered_rank(dense, q))
    assert i == len(queries) > 100
    chosen = paper.select(paper.paper_queries(facts, "valid"))
    assert set(chosen.lam) == {0, 1, 2, 3}  # both relations, both directions
    combined = metrics(paper.ranks(queries, chosen))["mrr"]
    relaxed = metrics(paper.ranks(queries, chosen, part="relaxed"))["mrr"]
    assert combined > relaxed > 100 / 40


def test_the_icews14_file_is_looked_for_beside_the_gold_sets(tmp_path, monkeypatch):
    from tidings.cli.predict_cmd import run_tkg_evaluation
    from tidings.errors import InputError

    monkeypatch.setenv("TIDINGS_GOLD", str(tmp_path / "shared" / "data" / "gold"))
    with pytest.raises(InputError) as found:
        run_tkg_evaluation(None, None)
    expected = tmp_path / "shared" / "data" / "events" / "icews14_events_named.csv"
    assert str(expected) in str(found.value)
