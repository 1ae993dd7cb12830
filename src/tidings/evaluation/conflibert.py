"""The ConfliBERT CAMEO sets: five-way event class and source/target actor spans.

``conflibert-class`` (``cameo_class/train.tsv``, ``sentence<TAB>class``): the gold class is
ConfliBERT's five-way grouping of CAMEO roots (0 = 01-02, 1 = 03-05, 2 = 06-08, 3 = 09-13,
4 = 14-20), compared with the ``class5`` of our codebook entry:

* ``accuracy_first``: the class of the FIRST event coded in the sentence is the gold class
  (a sentence with no event is wrong);
* ``accuracy_any``: some event of the sentence has the gold class;
* ``coverage``: sentences with at least one event;
* a 5x5 confusion matrix (rows gold, columns the first event's class) plus a ``none`` column.

``conflibert-spans`` (``cameo_ner/train.txt``, CoNLL ``token tag``): gold spans are the B-/I-S
(source) and B-/I-T (target) tag runs.  Sentences are rebuilt from the tokens by
:func:`~tidings.evaluation._metrics.detokenize`.  Predicted spans are the ``text`` of every
event's source and target actor (the unknown actor excluded), deduplicated per sentence and
role (case-insensitively).  A prediction matches a gold span of the same role when their word
sets (lowercased words, without possessive 's and the words "the", "a", "an", "of") share at
least half of the shorter set; matching is one-to-one (greedy, best overlap first).
Precision = matched / predicted, recall = matched / gold, per role and pooled ("actor").
The file also tags reciprocal actors (B-/I-R, e.g. the two sides of a meeting); they are not
part of the source/target scores, but a prediction that matches no span of its own role and
does match an R span is not counted as a false positive (``excused_by_reciprocal``), and the
share of R spans matched by some prediction is reported as ``reciprocal_recall``.

Events of every modality count.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tidings.coding import in_heldout_split
from tidings.dictionaries.cameo import CLASS5_NAMES
from tidings.errors import InputError
from tidings.evaluation._common import (
    MAX_ERRORS,
    class5_of,
    code_sentences,
    codebook,
    event_summary,
    read_gold_text,
)
from tidings.evaluation._metrics import (
    bio_spans,
    confusion_matrix,
    detokenize,
    match_spans,
    prf,
    ratio,
    spans_match,
    word_set,
)

if TYPE_CHECKING:
    from tidings.pipeline import Pipeline

__all__ = [
    "ConllSentence",
    "evaluate_conflibert_class",
    "evaluate_conflibert_spans",
    "load_class_examples",
    "load_conll",
    "predicted_actor_texts",
]

CLASSES = tuple(sorted(CLASS5_NAMES))  # 0..4


# ----------------------------------------------------------------------------- class


def load_class_examples(path: Path) -> list[tuple[str, int]]:
    """``(sentence, class)`` pairs of a ``sentence<TAB>class`` file."""
    out: list[tuple[str, int]] = []
    for lineno, line in enumerate(read_gold_text(path).splitlines(), 1):
        if not line.strip():
            continue
        text, sep, label = line.rpartition("\t")
        label = label.strip()
        if not sep or not text.strip() or label not in {str(c) for c in CLASSES}:
            raise InputError(f"{path}:{lineno}: expected 'sentence<TAB>class' with class 0-4")
        out.append((" ".join(text.split()), int(label)))
    if not out:
        raise InputError(f"{path}: no examples")
    return out


def evaluate_conflibert_class(pipeline: Pipeline, path: Path, *, limit: int | None = None) -> dict:
    """Score ``pipeline``'s five-way event class on ConfliBERT's ``cameo_class`` file."""
    examples = load_class_examples(Path(path))
    if limit is not None:
        examples = examples[:limit]
    coded = code_sentences(pipeline, [t for t, _ in examples], prefix="conflibert-class")
    book = codebook()

    pairs: list[tuple[int, int | None]] = []
    first_ok = any_ok = covered = 0
    # The event-class model is trained on 80% of this file; the other 20%
    # (a fixed hash split) is never seen in training: the honest estimate.
    heldout_n = heldout_ok = heldout_covered = 0
    errors: list[dict[str, object]] = []
    for (text, gold), events in zip(examples, coded, strict=True):
        classes = [class5_of(e, book) for e in events]
        first = classes[0] if classes else None
        pairs.append((gold, first))
        first_ok += first == gold
        if in_heldout_split(text):
            heldout_n += 1
            heldout_ok += first == gold
            heldout_covered += bool(events)
        any_ok += gold in classes
        covered += bool(events)
        if first != gold and len(errors) < MAX_ERRORS:
            errors.append(
                {
                    "sentence": text,
                    "gold": gold,
                    "predicted": [
                        {**event_summary(e), "class5": c}
                        for e, c in zip(events, classes, strict=True)
                    ],
                }
            )

    n = len(examples)
    matrix = confusion_matrix(pairs, CLASSES)
    per_class = {}
    for c, row in zip(CLASSES, matrix["rows"], strict=True):
        total = sum(row)
        predicted = sum(1 for _, p in pairs if p == c)
        per_class[str(c)] = {
            "name": CLASS5_NAMES[c],
            "gold": total,
            "predicted_first": predicted,
            **prf(row[CLASSES.index(c)], predicted, total),
        }
    return {
        "set": "conflibert-class",
        "gold_file": "/".join(Path(path).parts[-2:]),
        "counts": {
            "sentences": n,
            "sentences_with_events": covered,
            "events": sum(len(ev) for ev in coded),
            "gold_by_class": {str(c): sum(1 for g, _ in pairs if g == c) for c in CLASSES},
        },
        "scores": {
            "accuracy_first": ratio(first_ok, n),
            "accuracy_any": ratio(any_ok, n),
            "coverage": ratio(covered, n),
            "heldout_accuracy_first": ratio(heldout_ok, heldout_n),
            "heldout_coverage": ratio(heldout_covered, heldout_n),
        },
        "diagnostics": {
            "accuracy_first_when_coded": ratio(first_ok, covered),
            "heldout_sentences": heldout_n,
            "per_class_first": per_class,
        },
        "confusion": matrix,
        "errors": errors,
    }


# ----------------------------------------------------------------------------- spans


@dataclass(frozen=True, slots=True)
class ConllSentence:
    tokens: tuple[str, ...]
    tags: tuple[str, ...]

    @property
    def text(self) -> str:
        return detokenize(self.tokens)

    def spans(self, label: str) -> list[str]:
        """Texts (tokens joined by spaces) of the spans tagged ``label`` (S, T, R)."""
        return [
            " ".join(self.tokens[start:end])
            for name, start, end in bio_spans(self.tags)
            if name == label
        ]


def load_conll(path: Path) -> list[ConllSentence]:
    """Sentences of a two-column CoNLL file (``token tag``, blank line between sentences)."""
    sentences: list[ConllSentence] = []
    tokens: list[str] = []
    tags: list[str] = []

    def flush() -> None:
        if tokens:
            sentences.append(ConllSentence(tuple(tokens), tuple(tags)))
            tokens.clear()
            tags.clear()

    for lineno, line in enumerate(read_gold_text(path).splitlines(), 1):
        if not line.strip():
            flush()
            continue
        token, sep, tag = line.rstrip().rpartition(" ")
        if not sep or not token or not tag or (tag != "O" and tag[:2] not in {"B-", "I-"}):
            raise InputError(f"{path}:{lineno}: expected 'token tag' (tag O, B-X or I-X)")
        tokens.append(token)
        tags.append(tag)
    flush()
    if not sentences:
        raise InputError(f"{path}: no sentences")
    return sentences


def predicted_actor_texts(events, role: str) -> list[str]:
    """Distinct (case-insensitively) non-empty actor texts of ``role`` ("source"/"target")."""
    seen: dict[str, str] = {}
    for e in events:
        actor = e.source if role == "source" else e.target
        if actor is None or not actor.text.strip():
            continue
        seen.setdefault(" ".join(actor.text.lower().split()), actor.text)
    return list(seen.values())


def evaluate_conflibert_spans(pipeline: Pipeline, path: Path, *, limit: int | None = None) -> dict:
    """Score ``pipeline``'s source and target actor texts on ConfliBERT's ``cameo_ner`` file."""
    sentences = load_conll(Path(path))
    if limit is not None:
        sentences = sentences[:limit]
    texts = [s.text for s in sentences]
    coded = code_sentences(pipeline, texts, prefix="conflibert-spans")

    count: Counter[str] = Counter()
    errors: list[dict[str, object]] = []
    for sent, text, events in zip(sentences, texts, coded, strict=True):
        count["covered"] += bool(events)
        gold_r = [word_set(t) for t in sent.spans("R")]
        count["gold_reciprocal"] += len(gold_r)
        r_hit = [False] * len(gold_r)
        problems: dict[str, dict[str, list[str]]] = {}
        for role, label in (("source", "S"), ("target", "T")):
            gold_texts = sent.spans(label)
            pred_texts = predicted_actor_texts(events, role)
            gold_sets = [word_set(t) for t in gold_texts]
            pred_sets = [word_set(t) for t in pred_texts]
            pairs = match_spans(pred_sets, gold_sets)
            matched_p = {p for p, _ in pairs}
            excused = 0
            for p, ps in enumerate(pred_sets):
                if p in matched_p:
                    continue
                hits = [i for i, rs in enumerate(gold_r) if spans_match(ps, rs)]
                for i in hits:
                    r_hit[i] = True
                excused += bool(hits)
            count[f"{role}_gold"] += len(gold_texts)
            count[f"{role}_predicted"] += len(pred_texts) - excused
            count[f"{role}_excused"] += excused
            count[f"{role}_matched"] += len(pairs)
            if len(pairs) < len(gold_texts) or len(pairs) + excused < len(pred_texts):
                problems[role] = {"gold": gold_texts, "predicted": pred_texts}
        count["reciprocal_matched"] += sum(r_hit)
        if problems and len(errors) < MAX_ERRORS:
            errors.append(
                {
                    "sentence": text,
                    **problems,
                    "events": [event_summary(e) for e in events],
                }
            )

    src = prf(count["source_matched"], count["source_predicted"], count["source_gold"])
    tgt = prf(count["target_matched"], count["target_predicted"], count["target_gold"])
    actor = prf(
        count["source_matched"] + count["target_matched"],
        count["source_predicted"] + count["target_predicted"],
        count["source_gold"] + count["target_gold"],
    )
    n = len(sentences)
    return {
        "set": "conflibert-spans",
        "gold_file": "/".join(Path(path).parts[-2:]),
        "counts": {
            "sentences": n,
            "sentences_with_events": count["covered"],
            "events": sum(len(ev) for ev in coded),
            **{
                f"{role}_{what}": count[f"{role}_{what}"]
                for role in ("source", "target")
                for what in ("gold", "predicted", "matched", "excused")
            },
            "reciprocal_gold": count["gold_reciprocal"],
        },
        "scores": {
            **{f"source_{k}": v for k, v in src.items()},
            **{f"target_{k}": v for k, v in tgt.items()},
            **{f"actor_{k}": v for k, v in actor.items()},
            "coverage": ratio(count["covered"], n),
        },
        "diagnostics": {
            "reciprocal_recall": ratio(count["reciprocal_matched"], count["gold_reciprocal"]),
        },
        "errors": errors,
    }
