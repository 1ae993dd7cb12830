"""Read judged blind samples (``scripts/blind_samples/*.tsv``) as confidence-model examples.

Why: the realnews tune split is where the coder's rules are developed, so a confidence
model fitted on it alone is optimistic on unseen articles (the 2026-12-07 blind samples
found about 0.2 of optimism, more for the relaxed pass).  Events of unannotated articles
judged one by one against the guidelines are labelled examples from articles no rule was
written for.  :func:`blind_examples` codes those articles again with the current pipeline
and matches every judged event to the event it is now (same article, sentence, code and
actor countries), so a sheet judged at an older commit still counts for the events the
coder still makes; those it no longer makes are reported and left out.

A sheet is what ``python scripts/blind_sample.py --tsv FILE`` writes, with the verdict
column filled in: ``yes`` (a careful reader signs off root + source country + target
country under the guidelines), ``no``, or ``?`` (doubtful; weighted as half right).
Lines starting with ``#`` are provenance.  A sheet whose errors the coder's rules were
then written from says so in a line ``# developed-on: yes``: its events are no longer
blind, and :mod:`fit_confidence` treats them as it treats the tune split's.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

BLIND_DIR = Path(__file__).resolve().parent / "blind_samples"
LABELS = {"yes": 1.0, "no": 0.0, "?": 0.5}
_COUNTRY = re.compile(r"\[([A-Z]{3}|None)(?:/[^\]]*)?\]\s*$")
_DEVELOPED_ON_RE = re.compile(r"^# developed-on: yes\b", re.MULTILINE)
_SENTENCE_PREFIX = 120  # the oldest sheet kept only the sentence's first 160 characters


@dataclasses.dataclass(frozen=True)
class Verdict:
    article: str
    code: str
    source: str | None
    target: str | None
    sentence: str
    label: float
    developed_on: bool = False


def _country(side: str) -> str | None:
    found = _COUNTRY.search(side)
    return None if found is None or found.group(1) == "None" else found.group(1)


def _sentence_key(text: str) -> str:
    """The sentence as a match key: a sheet judged before wire datelines were dropped
    from the text ("MOSCOW (Reuters) - ...") still matches what the coder makes now."""
    from tidings.nlp import strip_dateline

    return strip_dateline(" ".join(text.split()))[:_SENTENCE_PREFIX]


def read_verdicts(paths: Iterable[Path]) -> list[Verdict]:
    """Every judged row of the sheets (rows without a verdict are skipped)."""
    verdicts = []
    for path in paths:
        text = Path(path).read_text(encoding="utf-8")
        developed_on = _DEVELOPED_ON_RE.search(text) is not None
        for line in text.splitlines():
            cells = line.split("\t")
            if line.startswith("#") or len(cells) < 9 or cells[0] == "n":
                continue
            label = LABELS.get(cells[7].strip().lower())
            if label is None:
                continue
            source, _, target = cells[5].rpartition(" -> ")
            verdicts.append(
                Verdict(
                    article=cells[1],
                    code=cells[2],
                    source=_country(source),
                    target=None if target.strip() == "-" else _country(target),
                    sentence=_sentence_key(cells[8]),
                    label=label,
                    developed_on=developed_on,
                )
            )
    return verdicts


def blind_examples(
    verdicts: list[Verdict], pipeline, article_features, corpus_articles
) -> tuple[list[tuple[Verdict, dict[str, float]]], int]:
    """(verdict, features) of each judged event the pipeline still codes, and the number
    of judged events it no longer codes."""
    articles = corpus_articles({v.article for v in verdicts})
    events: dict[tuple, list[dict[str, float]]] = defaultdict(list)
    for article_id in sorted(articles):
        coded = pipeline.code_article(articles[article_id])
        for event, feats in zip(
            coded.events, article_features(coded.events, coded.sentences), strict=True
        ):
            key = (
                article_id,
                _sentence_key(event.sentence),
                event.code,
                event.source.country,
                event.target.country if event.target else None,
            )
            events[key].append(feats)
    examples, missing = [], 0
    for v in verdicts:
        found = events.get((v.article, v.sentence, v.code, v.source, v.target))
        if found:
            examples.append((v, found.pop(0)))
        else:
            missing += 1
    return examples, missing
