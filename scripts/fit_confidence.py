"""Fit the event confidence model on the realnews tune split and judged blind samples,
and choose its threshold.

Data, two kinds of labelled coded events (default modalities only; features are
:func:`tidings.coding.event_features`):

* the ``tune`` split of ``../shared/data/gold/realnews/realnews-dev.jsonl`` (articles of
  that split only, :func:`tidings.evaluation.realnews_split`; ``test`` is never read
  here) coded from the AllSides corpus by the current pipeline with the confidence stage
  off: label 1 when the event matches a gold event under the guidelines' scoring rule;
* the judged blind samples of ``scripts/blind_samples/`` (``--blind``): events of
  unannotated AllSides articles, each judged against the guidelines (yes 1, no 0, doubtful
  0.5) and matched to what the coder makes of them now (``scripts/blind_verdicts.py``).

Why both: the coder's rules are developed on the tune articles, so a model fitted on them
alone is optimistic on unseen ones.  On the first blind samples (2026-12-07) events the
old tune-only model put at 0.71 or more were right about 0.65 of the time, not the 0.86
it claimed, and its relaxed-pass events were right about 0.4 of the time at any
confidence.  Here the tune events carry two fit-only terms (:data:`DEVELOPED_ON`) that
absorb their optimism; a new article has them off, so the saved model speaks for articles
no rule was written for.  Out of fold, on the first 904 judged events, this ranked them
better (AUC 0.74 against 0.70) and was calibrated on them.  Sheets whose errors rules
were then written from are marked ``# developed-on: yes`` and get the same fit-only
terms; only the others are blind, and only they set the threshold.

Model: L2-regularised logistic regression (Newton's method, NumPy; deterministic).  The
regularisation is chosen among ``L2_GRID`` by out-of-fold log loss unless ``--l2`` is given.

Threshold of the default view: chosen on out-of-fold confidences (5 folds by article, so
no event is scored by a model fitted on its own article): among the thresholds whose
precision on the judged blind events (with at least :data:`MIN_BLIND_ABOVE` of them at or
above it) is at least ``--min-precision``, the one with the highest F0.5 of that precision
and the tune split's recall (precision weighted twice: fewer, right events); when none
reaches the bound, the highest F0.5 overall.  Without blind sheets the tune split's own
out-of-fold precision is used.

Why the bound is 0.60, the issue's precision target itself: the blind judgements read
stricter than gold matching does (at the old threshold the test split's precision was
0.78-0.80 where blind events were right 0.64-0.66 of the time), so 0.60 on blind events
should mean clearly more on annotated held-out articles, while recall, the target the
view misses by far, gains a quarter over a bound of 0.65 (tune recall 0.119 against
0.095, 2026-12-07).  (The earlier bounds, 0.70 and then 0.85 on tune out-of-fold
precision, compensated for the tune split's optimism by hand.)

Writes ``src/tidings/data/models/confidence.json`` and prints the threshold, which must
also be ``DEFAULT_MIN_CONFIDENCE`` in ``src/tidings/model.py`` (a test checks they agree):

    python scripts/fit_confidence.py [--gold FILE] [--out FILE] [--l2 X]

Another language (``--language ru``): its dev set is far too small to fit two dozen
weights, so the English model is *recalibrated*: its log-odds keep their weights and get
one intercept shift, fitted by maximum likelihood on the coded events of that language's
tune split (``realnews-ru-dev.jsonl``, the same split function; test articles are never
read).  The shift moves every probability by the language's own hit rate; the threshold
stays the default view's one threshold.  Writes ``confidence-<lang>.json``:

    python scripts/fit_confidence.py --language ru
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from blind_sample import corpus_articles
from blind_verdicts import BLIND_DIR, blind_examples, read_verdicts

REPO = Path(__file__).resolve().parents[1]
DEFAULT_GOLD = REPO.parent / "shared" / "data" / "gold" / "realnews" / "realnews-dev.jsonl"
DEFAULT_OUT = REPO / "src" / "tidings" / "data" / "models" / "confidence.json"
MODEL_NAME = "tidings.confidence.v1"
FOLDS = 5
L2_GRID = (0.3, 1.0, 3.0, 10.0)
# Fit-only terms: 1 on the tune articles the coder's rules were developed on (and that
# times the relaxed pass, which the blind samples found most overstated).  They soak up
# the optimism of those articles while the judged blind events anchor the rest; a new
# article has them off, so they are not saved with the model.
DEVELOPED_ON = ("developed_on", "developed_on_relaxed")
# A threshold needs this many judged blind events at or above it before their
# precision is trusted.
MIN_BLIND_ABOVE = 30


def _developed_on(feats: dict[str, float]) -> dict[str, float]:
    return {"developed_on": 1.0, "developed_on_relaxed": feats.get("relaxed", 0.0)}


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float) -> np.ndarray:
    """Weights (bias first) of an L2-regularised logistic regression (bias unpenalised)."""
    xb = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(xb.shape[1])
    penalty = np.full(xb.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-(xb @ w)))
        grad = xb.T @ (p - y) + penalty * w
        hess = (xb * (p * (1 - p))[:, None]).T @ xb + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return w


def predict(w: np.ndarray, x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(w[0] + x @ w[1:])))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--l2", type=float, default=None, help="default: chosen by CV")
    parser.add_argument("--min-precision", type=float, default=0.60)
    parser.add_argument(
        "--blind",
        type=Path,
        default=BLIND_DIR,
        help="folder of judged blind sheets (default: scripts/blind_samples; '' for none)",
    )
    parser.add_argument(
        "--language", default="en", help="recalibrate the English model for this language"
    )
    args = parser.parse_args(argv)
    if args.language != "en":
        return recalibrate(args)
    if not args.gold.is_file():
        print(f"fit_confidence: gold data not found: {args.gold}", file=sys.stderr)
        return 1

    from tidings.coding import ConfidenceModel, article_features
    from tidings.evaluation.realnews import RealnewsResult, score_articles, score_realnews
    from tidings.model import DEFAULT_MODALITIES
    from tidings.pipeline import Pipeline, PipelineConfig

    pipeline = Pipeline(PipelineConfig(confidence=False))
    result = score_realnews(pipeline, args.gold, split="tune", min_confidence=0.0)
    matched = {(s.article_id, s.coded[i].event_id) for s in result.sentences for i, _ in s.pairs}
    rows, labels, groups = [], [], []
    for k, coded in enumerate(result.coded):
        for event, feats in zip(
            coded.events, article_features(coded.events, coded.sentences), strict=True
        ):
            if event.modality in DEFAULT_MODALITIES:
                rows.append({**feats, **_developed_on(feats)})
                labels.append((coded.article.doc_id, event.event_id) in matched)
                groups.append(k)
    n_tune = len(rows)
    print(f"{n_tune} events of {len(result.coded)} tune articles, {int(sum(labels))} correct")
    verdicts = read_verdicts(sorted(args.blind.glob("*.tsv"))) if args.blind else []
    blind, missing = blind_examples(verdicts, pipeline, article_features, corpus_articles)
    first = len(result.coded)
    blind_ids = {a: first + i for i, a in enumerate(sorted({v.article for v, _ in blind}))}
    for verdict, feats in blind:
        rows.append({**feats, **_developed_on(feats)} if verdict.developed_on else feats)
        labels.append(verdict.label)
        groups.append(blind_ids[verdict.article])
    unseen = [not v.developed_on for v, _ in blind]
    print(
        f"{len(blind)} judged blind events of {len(blind_ids)} articles "
        f"({sum(v.label for v, _ in blind):.1f} right; {sum(unseen)} still blind, the rest "
        f"from sheets rules were written on; {missing} judged events no longer coded)"
    )
    names = sorted({name for feats in rows for name in feats})
    x = np.array([[feats.get(n, 0.0) for n in names] for feats in rows])
    y = np.array(labels, dtype=float)
    groups_arr = np.array(groups)
    # What the model says on an unseen article: the developed-on terms are off.
    deployed = x.copy()
    deployed[:, [names.index(n) for n in DEVELOPED_ON if n in names]] = 0.0
    is_blind = np.array([False] * n_tune + unseen, dtype=bool)

    def out_of_fold(l2: float, x_out: np.ndarray) -> np.ndarray:
        """Confidences from models that did not see the event's article (fold = group mod 5)."""
        oof = np.zeros(len(y))
        for fold in range(FOLDS):
            test = groups_arr % FOLDS == fold
            oof[test] = predict(fit_logistic(x[~test], y[~test], l2), x_out[test])
        return oof

    def log_loss(p: np.ndarray) -> float:
        p = np.clip(p, 1e-6, 1 - 1e-6)
        return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))

    if args.l2 is None:
        losses = {l2: log_loss(out_of_fold(l2, x)) for l2 in L2_GRID}
        print("out-of-fold log loss by l2:", {k: round(v, 4) for k, v in losses.items()})
        args.l2 = min(losses, key=lambda k: (losses[k], k))
    oof = out_of_fold(args.l2, deployed)
    tune_oof = oof[:n_tune]
    order = np.argsort(-tune_oof)
    hits = np.cumsum(y[:n_tune][order])
    precision_at = hits / np.arange(1, n_tune + 1)
    average_precision = float(np.sum(precision_at * y[:n_tune][order]) / max(y[:n_tune].sum(), 1))
    print(f"out-of-fold average precision on tune {average_precision:.4f} (l2 {args.l2})")

    def with_confidences(conf: dict[tuple[str, str], float]) -> RealnewsResult:
        coded = [
            dataclasses.replace(
                c,
                events=tuple(
                    dataclasses.replace(e, confidence=conf.get((c.article.doc_id, e.event_id), 0.0))
                    for e in c.events
                ),
            )
            for c in result.coded
        ]
        return RealnewsResult(
            result.articles, coded, "tune", score_articles(result.articles, coded), 0.0
        )

    keys = [
        (c.article.doc_id, e.event_id)
        for c in result.coded
        for e in c.events
        if e.modality in DEFAULT_MODALITIES
    ]
    oof_result = with_confidences(dict(zip(keys, map(float, tune_oof), strict=True)))
    candidates = []
    for t in sorted({round(float(v), 4) for v in oof}):
        scores = oof_result.rescore(t).summary()["scores"]
        p, r = scores["precision"], scores["recall"]
        if is_blind.any():
            # Precision from the judged blind events (articles no rule was written for),
            # recall from the annotated tune articles (the only place it can be counted).
            above = is_blind & (oof >= t)
            if above.sum() < MIN_BLIND_ABOVE:
                continue
            p = float(y[above].mean())
        f05 = 1.25 * p * r / (0.25 * p + r) if p + r else 0.0
        candidates.append((t, p, r, f05))
    feasible = [c for c in candidates if c[1] >= args.min_precision and c[2] > 0]
    where = "blind out-of-fold" if is_blind.any() else "out-of-fold"
    if feasible:
        # Precision first: among the thresholds that meet the bound, the highest F0.5.
        # The curve is flat in recall over long runs, and the highest-recall end of a
        # run sits on the bound by construction, so refits jumped along it.
        threshold, p, r, _ = max(feasible, key=lambda c: (c[3], -c[0]))
        rule = f"highest F0.5 with {where} precision >= {args.min_precision}"
    else:
        threshold, p, r, _ = max(candidates, key=lambda c: (c[3], -c[0]))
        rule = f"no threshold reached {where} precision {args.min_precision}: highest F0.5"
    tune_p = oof_result.rescore(threshold).summary()["scores"]["precision"]
    print(
        f"threshold {threshold} ({rule}): {where} precision {p:.4f}, "
        f"tune recall {r:.4f}, tune precision {tune_p:.4f}"
    )

    w = fit_logistic(x, y, args.l2)
    from tidings.evaluation._realnews_curve import calibration

    document = {
        "name": MODEL_NAME,
        "description": "Logistic regression: probability that a coded event matches a gold "
        "event (root and dyad) under the realnews guidelines",
        "bias": round(float(w[0]), 6),
        "weights": {
            n: round(float(v), 6)
            for n, v in zip(names, w[1:], strict=True)
            if n not in DEVELOPED_ON
        },
        "threshold": threshold,
        "threshold_rule": rule,
        "fitted_on": {
            "gold": args.gold.name,
            "split": "tune",
            "articles": len(result.coded),
            "events": n_tune,
            "correct": int(y[:n_tune].sum()),
            "blind_events": int(is_blind.sum()),
            "blind_right": round(float(y[is_blind].sum()), 1),
            "developed_on": {
                n: round(float(v), 6)
                for n, v in zip(names, w[1:], strict=True)
                if n in DEVELOPED_ON
            },
            "l2": args.l2,
            "code_commit": _git_commit(),
        },
        "out_of_fold": {
            "precision": p,
            "precision_source": where,
            "tune_precision": tune_p,
            "recall": r,
            "ece": calibration(oof_result)["ece"],
        },
    }
    ConfidenceModel.from_dict(document)  # what the stage will read
    args.out.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}; set DEFAULT_MIN_CONFIDENCE = {threshold} in src/tidings/model.py")
    return 0


def _git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        return ""


def fit_shift(z: np.ndarray, y: np.ndarray) -> float:
    """The intercept ``a`` maximising the likelihood of ``y`` under ``sigmoid(z + a)``."""
    a = 0.0
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-(z + a)))
        step = float(np.sum(p - y)) / max(float(np.sum(p * (1 - p))), 1e-9)
        a -= step
        if abs(step) < 1e-10:
            break
    return a


def recalibrate(args: argparse.Namespace) -> int:
    """Shift the English model's intercept to the hit rate of ``args.language``'s tune split."""
    from tidings.coding import ConfidenceModel, article_features, load_confidence_model
    from tidings.coding._confidence import CONFIDENCE_MODEL_PATH
    from tidings.evaluation.realnews_ru import score_realnews_ru
    from tidings.model import DEFAULT_MODALITIES
    from tidings.pipeline import Pipeline, PipelineConfig

    if args.language != "ru":
        print(f"fit_confidence: no dev set for language {args.language!r}", file=sys.stderr)
        return 1
    gold = (
        args.gold if args.gold != DEFAULT_GOLD else DEFAULT_GOLD.with_name("realnews-ru-dev.jsonl")
    )
    out = (
        args.out
        if args.out != DEFAULT_OUT
        else DEFAULT_OUT.with_name(f"confidence-{args.language}.json")
    )
    if not gold.is_file():
        print(f"fit_confidence: gold data not found: {gold}", file=sys.stderr)
        return 1
    english = load_confidence_model(CONFIDENCE_MODEL_PATH)
    pipeline = Pipeline(PipelineConfig(confidence=False, languages=(args.language,)))
    result = score_realnews_ru(pipeline, gold, split="tune", min_confidence=0.0)
    matched = {(s.article_id, s.coded[i].event_id) for s in result.sentences for i, _ in s.pairs}
    z, y = [], []
    for coded in result.coded:
        for event, feats in zip(
            coded.events, article_features(coded.events, coded.sentences), strict=True
        ):
            if event.modality in DEFAULT_MODALITIES:
                p = min(max(english.probability(feats), 1e-9), 1 - 1e-9)
                z.append(float(np.log(p / (1 - p))))
                y.append((coded.article.doc_id, event.event_id) in matched)
    z_arr, y_arr = np.array(z), np.array(y, dtype=float)
    shift = fit_shift(z_arr, y_arr)
    print(
        f"{len(y)} events of {len(result.coded)} tune articles, {int(y_arr.sum())} correct; "
        f"intercept shift {shift:+.4f}"
    )
    document = {
        "name": f"tidings.confidence.v1-{args.language}",
        "description": "The English confidence model recalibrated for "
        f"{args.language!r}: same weights, intercept shifted to the hit rate of that "
        "language's tune articles",
        "bias": round(english.bias + shift, 6),
        "weights": dict(english.weights),
        "threshold": english.threshold,
        "threshold_rule": "the default view's one threshold (DEFAULT_MIN_CONFIDENCE)",
        "fitted_on": {
            "gold": gold.name,
            "split": "tune",
            "articles": len(result.coded),
            "events": len(y),
            "correct": int(y_arr.sum()),
            "recalibrated_from": CONFIDENCE_MODEL_PATH.name,
            "intercept_shift": round(shift, 6),
            "code_commit": _git_commit(),
        },
    }
    ConfidenceModel.from_dict(document)
    out.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
