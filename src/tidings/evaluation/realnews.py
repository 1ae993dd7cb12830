"""The ``realnews`` set: whole news articles annotated sentence by sentence.

``../shared/data/gold/realnews/realnews-dev.jsonl`` holds international articles of the
AllSides corpus annotated under ``GUIDELINES.md`` in the same folder.  The coder is run the
way a user runs it: it reads the ORIGINAL article (the corpus record on line ``row`` of
``../shared/data/corpora/allsides-international.jsonl.gz``, through the JSONL reader of
:mod:`tidings.ingest`, headline included, default pipeline configuration), and its events
are placed in the gold sentences by their sentence text.  The matching rule, the actor keys
and the error classes are in :mod:`tidings.evaluation._realnews_match`.

The dev set has a fixed split (:func:`realnews_split`): everyone tunes on ``tune`` and
reports on ``test``.

    >>> from tidings.pipeline import Pipeline
    >>> result = score_realnews(Pipeline(), split="test")          # doctest: +SKIP
    >>> result.summary()["precision"]                              # doctest: +SKIP

:class:`RealnewsResult` keeps every coded and gold event, so it can be re-scored at any
confidence threshold (:meth:`RealnewsResult.rescore`) and dumped event by event
(:meth:`RealnewsResult.dump_rows`) without coding again.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from tidings.errors import InputError
from tidings.evaluation._common import MAX_ERRORS, read_gold_text
from tidings.evaluation._metrics import prf, ratio
from tidings.evaluation._realnews_curve import calibration
from tidings.evaluation._realnews_match import (
    FN_CLASSES,
    FP_CLASSES,
    GoldEvent,
    SentenceScore,
    align_sentences,
    coder_actor_agent,
    coder_actor_key,
    false_negative_class,
    false_positive_class,
    match_sentence,
    place_event,
)
from tidings.model import DEFAULT_MIN_CONFIDENCE, DEFAULT_MODALITIES, CodedArticle, Event

if TYPE_CHECKING:
    from tidings.pipeline import Pipeline

__all__ = [
    "SPLITS",
    "RealnewsArticle",
    "RealnewsResult",
    "corpus_path_for",
    "evaluate_realnews",
    "load_realnews",
    "realnews_split",
    "score_realnews",
]

Split = Literal["tune", "test", "all"]
SPLITS: tuple[str, ...] = ("tune", "test", "all")
CORPUS_RELPATH = Path("corpora") / "allsides-international.jsonl.gz"


def realnews_split(article_id: str) -> Literal["tune", "test"]:
    """The fixed split of the real-news dev set, by a hash of the article id.

    ``tune`` (3 of 5 hash buckets; 25 articles of realnews-dev) is what rules, thresholds
    and models may be fitted on; ``test`` (the other 25) is only measured.
    """
    return "tune" if int(hashlib.sha1(article_id.encode()).hexdigest(), 16) % 5 < 3 else "test"


@dataclass(frozen=True, slots=True)
class RealnewsArticle:
    """A gold article: id, corpus row, sentence texts (0 = headline) and gold events."""

    id: str
    row: int
    title: str
    sentences: tuple[str, ...]
    events: tuple[GoldEvent, ...]

    @property
    def split(self) -> str:
        return realnews_split(self.id)

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> RealnewsArticle:
        doc = str(record["id"])
        sentences = sorted(record["sentences"], key=lambda s: int(s["i"]))
        events = tuple(
            GoldEvent.from_record(doc, int(s["i"]), k, raw)
            for s in sentences
            for k, raw in enumerate(s.get("events") or ())
        )
        return cls(
            id=doc,
            row=int(record["row"]),
            title=str(record.get("title") or ""),
            sentences=tuple(str(s["text"]) for s in sentences),
            events=events,
        )


def load_realnews(path: Path, split: Split = "all") -> list[RealnewsArticle]:
    """The gold articles of a realnews JSONL file in ``split``.

    Records without a corpus ``row`` (the Russian set) are not read: the coder codes
    English only.  A malformed line is an :class:`InputError` naming it.
    """
    if split not in SPLITS:
        raise InputError(f"unknown split {split!r} (known: {', '.join(SPLITS)})")
    out = []
    for lineno, line in enumerate(read_gold_text(path).splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if "row" not in record:
                continue
            article = RealnewsArticle.from_record(record)
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{path}:{lineno}: not a realnews record ({exc})") from None
        if split == "all" or article.split == split:
            out.append(article)
    return out


def corpus_path_for(gold_path: Path) -> Path:
    """The AllSides corpus beside a gold file: ``<data>/gold/realnews/x.jsonl`` ->
    ``<data>/corpora/allsides-international.jsonl.gz``."""
    path = Path(gold_path).resolve().parent.parent.parent / CORPUS_RELPATH
    if not path.is_file():
        raise InputError(f"corpus of the realnews set not found: {path}")
    return path


def _read_originals(corpus: Path, rows: set[int]) -> dict[int, Any]:
    """The corpus articles on lines ``rows`` (0-based), read as a user's ``tidings code``
    reads the corpus (its ``ID`` and ``content_original`` columns mapped)."""
    from tidings.ingest import IngestOptions, iter_articles
    from tidings.model import Article

    options = IngestOptions(columns={"id": "ID", "text": "content_original"})
    found: dict[int, Any] = {}
    last = max(rows, default=-1)
    for item in iter_articles([str(corpus)], options=options):
        if not isinstance(item, Article) or not item.source:
            continue
        row = int(item.source.rsplit(":", 1)[1]) - 1
        if row in rows:
            found[row] = item
        if row >= last:
            break
    missing = sorted(rows - set(found))
    if missing:
        raise InputError(f"{corpus}: no article on line(s) {missing[:5]} (0-based)")
    return found


def code_originals(
    pipeline: Pipeline, articles: list[RealnewsArticle], corpus: Path
) -> list[CodedArticle]:
    """Code each gold article's original text from the corpus, in the order given."""
    originals = _read_originals(corpus, {a.row for a in articles})
    # The gold id names the article; keep it as the coded doc_id so dumps line up.
    inputs = [replace(originals[a.row], doc_id=a.id) for a in articles]
    return list(pipeline.run(inputs))


def _confidence(event: Event) -> float:
    return float(getattr(event, "confidence", 1.0))


def coded_in_view(event: Event, min_confidence: float = 0.0) -> bool:
    """Whether a coded event is in the default view: a default modality and, when a
    threshold is set, a confidence at or above it."""
    return event.modality in DEFAULT_MODALITIES and _confidence(event) >= min_confidence


def score_articles(
    articles: Iterable[RealnewsArticle],
    coded: Iterable[CodedArticle],
    *,
    min_confidence: float = 0.0,
) -> list[SentenceScore]:
    """Place coded events in gold sentences and match them, article by article.

    Coded events whose sentence is in no gold sentence go to an extra unaligned
    :class:`SentenceScore` (index -1) per article.
    """
    out: list[SentenceScore] = []
    for article, result in zip(articles, coded, strict=True):
        scores = [
            SentenceScore(article.id, i, text, aligned=False)
            for i, text in enumerate(article.sentences)
        ]
        stray = SentenceScore(article.id, -1, "", aligned=False)
        for event in article.events:
            scores[event.sentence].gold.append(event)
        coded_texts = [s.text for s in result.sentences]
        titles = [s.kind == "title" for s in result.sentences]
        alignment = align_sentences(article.sentences, coded_texts, titles)
        for candidates in alignment:
            for i in candidates:
                scores[i].aligned = True
        position = {s.index: k for k, s in enumerate(result.sentences)}
        for event in result.events:
            k = position.get(event.sentence_index)
            candidates = alignment[k] if k is not None else ()
            where = place_event(event, candidates, article.sentences)
            target = stray if where is None else scores[where]
            target.coded.append(event)
            target.coded_view.append(coded_in_view(event, min_confidence))
        for score in [*scores, stray]:
            match_sentence(score)
        out.extend(scores)
        if stray.coded:
            out.append(stray)
    return out


# ------------------------------------------------------------------------------ the result


def _agent(actor: Any) -> str | None:
    """The sector of a gold actor (the annotation's dict) or of a coded one, read as the
    guidelines annotate it (:func:`coder_actor_agent`), so the two compare."""
    if actor is None:
        return None
    if isinstance(actor, dict):
        return actor.get("agent") or None
    return coder_actor_agent(actor)


def _date_ok(gold: GoldEvent, event: Event) -> bool:
    if gold.date is None:
        return event.date is None or event.date_precision == "publication"
    return event.date == gold.date and event.date_precision != "publication"


def _place_ok(gold: GoldEvent, event: Event) -> bool:
    ours = [event.location.name if event.location else None, event.evidence.place_text]
    ours = [p.lower() for p in ours if p]
    if gold.place is None:
        return not ours
    theirs = gold.place.lower()
    return any(p == theirs or p in theirs or theirs in p for p in ours)


def _code_compatible(gold: str, ours: str) -> bool:
    """Equal, or one refines the other (a gold ``110`` is root 11 unspecified)."""
    g = gold[:-1] if len(gold) == 3 and gold.endswith("0") else gold
    o = ours[:-1] if len(ours) == 3 and ours.endswith("0") else ours
    return g.startswith(o) or o.startswith(g)


@dataclass(slots=True)
class RealnewsResult:
    """Coded and gold events of a realnews run, matched at one confidence threshold."""

    articles: list[RealnewsArticle]
    coded: list[CodedArticle]
    split: str
    sentences: list[SentenceScore]
    min_confidence: float = 0.0

    def rescore(self, min_confidence: float) -> RealnewsResult:
        """The same run scored with another confidence threshold (no coding or alignment
        again: only the view and the matching change)."""
        sentences = []
        for s in self.sentences:
            copy = replace(
                s,
                gold=list(s.gold),
                coded=list(s.coded),
                coded_view=[coded_in_view(e, min_confidence) for e in s.coded],
                pairs=[],
            )
            match_sentence(copy)
            sentences.append(copy)
        return RealnewsResult(self.articles, self.coded, self.split, sentences, min_confidence)

    def subset(self, split: Split) -> RealnewsResult:
        """The articles of one split of this result (``all``: itself)."""
        if split == "all":
            return self
        keep = [k for k, a in enumerate(self.articles) if a.split == split]
        articles = [self.articles[k] for k in keep]
        ids = {a.id for a in articles}
        return RealnewsResult(
            articles,
            [self.coded[k] for k in keep],
            split,
            [s for s in self.sentences if s.article_id in ids],
            self.min_confidence,
        )

    # -------------------------------------------------------------------- counting

    def outcomes(self) -> Iterator[tuple[str, SentenceScore, int, str | None]]:
        """``(side, sentence, index, error class)`` for every event in the view:
        side ``tp`` (coded index), ``fp`` (coded index) or ``fn`` (gold index)."""
        for s in self.sentences:
            matched_coded = {i for i, _ in s.pairs}
            matched_gold = {j for _, j in s.pairs}
            for i, _ in s.pairs:
                yield "tp", s, i, None
            for i in range(len(s.coded)):
                if s.coded_view[i] and i not in matched_coded:
                    yield "fp", s, i, false_positive_class(s, i)
            for j, g in enumerate(s.gold):
                if g.in_view and j not in matched_gold:
                    yield "fn", s, j, false_negative_class(s, j)

    def summary(self) -> dict[str, Any]:
        """Scores, counts and diagnostics of this result (JSON-ready)."""
        tp = fp = fn = 0
        both = [0, 0]  # [matched, predicted] among events with both keys
        by_rule = {"strict": [0, 0], "relaxed": [0, 0]}
        roots: dict[str, Counter] = {}
        fp_classes: Counter = Counter()
        fn_classes: Counter = Counter()
        for side, s, k, why in self.outcomes():
            if side == "fn":
                fn += 1
                fn_classes[why] += 1
                roots.setdefault(s.gold[k].root, Counter())["fn"] += 1
                continue
            event = s.coded[k]
            hit = side == "tp"
            tp += hit
            fp += not hit
            if not hit:
                fp_classes[why] += 1
            roots.setdefault(event.root_code, Counter())[side] += 1
            if coder_actor_key(event.source) and coder_actor_key(event.target):
                both[0] += hit
                both[1] += 1
            rule = by_rule["relaxed" if event.evidence.rule.endswith("/relaxed") else "strict"]
            rule[0] += hit
            rule[1] += 1
        matched = [(s.coded[i], s.gold[j]) for s in self.sentences for i, j in s.pairs]
        agent_slots = [(_agent(g.source), _agent(e.source)) for e, g in matched] + [
            (_agent(g.target), _agent(e.target)) for e, g in matched if g.target
        ]
        scores = {
            **prf(tp, tp + fp, tp + fn),
            "precision_both_actors": ratio(both[0], both[1]),
        }
        accuracy = {
            "agent": ratio(sum(a == b for a, b in agent_slots), len(agent_slots)),
            "code": ratio(sum(g.code == e.code for e, g in matched), len(matched)),
            "code_compatible": ratio(
                sum(_code_compatible(g.code, e.code) for e, g in matched), len(matched)
            ),
            "modality": ratio(sum(g.modality == e.modality for e, g in matched), len(matched)),
            "date": ratio(sum(_date_ok(g, e) for e, g in matched), len(matched)),
            "place": ratio(sum(_place_ok(g, e) for e, g in matched), len(matched)),
        }
        return {
            "split": self.split,
            "min_confidence": self.min_confidence,
            "counts": {
                "articles": len(self.articles),
                "gold_events": tp + fn,
                "coded_events": tp + fp,
                "matched": tp,
                "coded_both_actors": both[1],
                "coded_strict": by_rule["strict"][1],
                "coded_relaxed": by_rule["relaxed"][1],
                "gold_outside_view": sum(not g.in_view for a in self.articles for g in a.events),
                "coded_outside_view": sum(not v for s in self.sentences for v in s.coded_view),
            },
            "scores": scores,
            "accuracy_on_matched": accuracy,
            "precision_by_rule": {k: ratio(v[0], v[1]) for k, v in by_rule.items()},
            "per_root": {
                root: {"tp": c["tp"], "fp": c["fp"], "fn": c["fn"]}
                for root, c in sorted(roots.items())
            },
            "false_positives": {k: fp_classes[k] for k in FP_CLASSES if fp_classes[k]},
            "false_negatives": {k: fn_classes[k] for k in FN_CLASSES if fn_classes[k]},
        }

    def report(self, *, gold_file: str = "realnews-dev.jsonl") -> dict[str, Any]:
        """The runner's JSON-ready dict (``set``, ``counts``, ``scores``, ``diagnostics``,
        ``errors``); over ``all`` the tune and test scores are added as ``tune_*`` and
        ``test_*`` scores."""
        summary = self.summary()
        out: dict[str, Any] = {
            "set": "realnews",
            "gold_file": gold_file,
            "split": self.split,
            "counts": summary["counts"],
            "scores": dict(summary["scores"]),
            "diagnostics": {k: v for k, v in summary.items() if k not in {"counts", "scores"}},
            "errors": [
                {k: row[k] for k in ("article_id", "sentence_i", "side", "error", "event")}
                for row in self.dump_rows()
                if row["status"] in {"fp", "fn"}
            ][:MAX_ERRORS],
        }
        out["diagnostics"]["calibration"] = calibration(self)
        if self.split == "all":
            for part in ("tune", "test"):
                part_summary = self.subset(part).summary()
                for name, value in part_summary["scores"].items():
                    out["scores"][f"{part}_{name}"] = value
                out["diagnostics"][part] = {
                    "counts": part_summary["counts"],
                    "accuracy_on_matched": part_summary["accuracy_on_matched"],
                    "calibration": calibration(self.subset(part)),
                }
        return out

    # -------------------------------------------------------------------- dumping

    def dump_rows(self) -> Iterator[dict[str, Any]]:
        """One JSON-ready row per coded event (every one, in the view or not) and per
        gold event, with its match status, error class and the other side's id."""
        split_of = {a.id: a.split for a in self.articles}
        status: dict[tuple[int, str, int], tuple[str, str | None]] = {}
        for side, s, k, why in self.outcomes():
            key = (id(s), "gold" if side == "fn" else "coded", k)
            status[key] = (side, why)
        for s in self.sentences:
            partner_of_coded = dict(s.pairs)
            partner_of_gold = {j: i for i, j in s.pairs}
            base = {
                "article_id": s.article_id,
                "split": split_of.get(s.article_id),
                "sentence_i": s.index,
                "sentence": s.text,
            }
            for i, event in enumerate(s.coded):
                side, why = status.get((id(s), "coded", i), ("outside view", None))
                j = partner_of_coded.get(i)
                yield {
                    **base,
                    "side": "coded",
                    "status": side,
                    "error": why,
                    "match": s.gold[j].id if j is not None else None,
                    "source_key": coder_actor_key(event.source),
                    "target_key": coder_actor_key(event.target),
                    "confidence": _confidence(event),
                    "event": event.to_dict(),
                }
            for j, gold in enumerate(s.gold):
                i = partner_of_gold.get(j)
                if i is not None:
                    side, why = "tp", None
                else:
                    side, why = status.get((id(s), "gold", j), ("outside view", None))
                yield {
                    **base,
                    "side": "gold",
                    "id": gold.id,
                    "status": side,
                    "error": why,
                    "match": s.coded[i].event_id if i is not None else None,
                    "source_key": gold.keys[0],
                    "target_key": gold.keys[1],
                    "event": {
                        "source": gold.source,
                        "target": gold.target,
                        "root": gold.root,
                        "code": gold.code,
                        "symmetric": gold.symmetric,
                        "modality": gold.modality,
                        "trigger": gold.trigger,
                        "date": gold.date,
                        "place": gold.place,
                    },
                }


def score_realnews(
    pipeline: Pipeline,
    path: Path | None = None,
    *,
    split: Split = "all",
    limit: int | None = None,
    corpus: Path | None = None,
    min_confidence: float | None = None,
) -> RealnewsResult:
    """Code the gold articles of ``path`` (default: the shared realnews-dev set) in
    ``split`` from the corpus and score them (see the module docstring) over the default
    view: default modalities, confidence at or above ``min_confidence`` (None: the
    default threshold, :data:`tidings.model.DEFAULT_MIN_CONFIDENCE`)."""
    if path is None:
        from tidings.evaluation import resolve_gold_path

        path = resolve_gold_path("realnews")
    articles = load_realnews(Path(path), split)
    if limit is not None:
        articles = articles[:limit]
    coded = code_originals(pipeline, articles, corpus or corpus_path_for(Path(path)))
    return scored(articles, coded, split, min_confidence)


def scored(articles, coded, split: Split, min_confidence: float | None) -> RealnewsResult:
    """The result of coded gold articles over the default view (None: the default
    confidence threshold); shared by every real-news set, whatever the language."""
    threshold = DEFAULT_MIN_CONFIDENCE if min_confidence is None else min_confidence
    return RealnewsResult(
        articles, coded, split, score_articles(articles, coded, min_confidence=threshold), threshold
    )


def evaluate_realnews(
    pipeline: Pipeline,
    path: Path,
    *,
    limit: int | None = None,
    split: Split = "all",
    min_confidence: float | None = None,
) -> dict[str, Any]:
    """The gold-set runner (see :mod:`tidings.evaluation`): :meth:`RealnewsResult.report`
    of :func:`score_realnews`."""
    result = score_realnews(pipeline, path, split=split, limit=limit, min_confidence=min_confidence)
    return result.report(gold_file=Path(path).name)


def write_dump(result: RealnewsResult, path: Path) -> int:
    """Write :meth:`RealnewsResult.dump_rows` as JSONL to ``path``; the number of rows."""
    n = 0
    opener = gzip.open if str(path).endswith(".gz") else open
    try:
        with opener(path, "wt", encoding="utf-8") as fh:
            for row in result.dump_rows():
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
                n += 1
    except OSError as exc:
        raise InputError(f"{path}: cannot write the dump ({exc.strerror})") from None
    return n
