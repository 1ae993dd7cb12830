"""Russian throughput against a bare natasha pass, on the same BSNLP texts in one run.

Loads the Russian stage (natasha's models, pymorphy3, the Russian dictionaries
and verb rules) and reports its load time and the process's resident memory
after loading, and apart from it the load of the places gazetteer (shared
with English, built on the first place either language resolves).  Codes
``--warmup`` other BSNLP documents untimed (a long run's caches: lemmas,
word forms), then, ``--rounds`` times, codes N documents end to end (parse →
actors → coding → dates → places) and runs natasha's own pipeline as its
documentation does (``Doc.segment``, ``tag_morph``, ``parse_syntax``,
``tag_ner``) on the same paragraph texts.  Prints the best words/s of both and
their ratio, and the machine's load average; and the share of the words that
an English-style sentence prefilter would keep (why ``--prefilter`` is English
only).  On a machine shared with other
jobs the absolute rates vary; the ratio, measured in one run, is the figure to
compare.

    python benchmarks/russian_throughput.py --limit 120
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import SHARED, peak_rss_mb

DOCS = SHARED / "data" / "russian" / "bsnlp_ru_docs.jsonl"


def _rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return peak_rss_mb()


_PRONOUNS = frozenset(
    [
        "он",
        "она",
        "оно",
        "они",
        "его",
        "ее",
        "её",
        "их",
        "ему",
        "ей",
        "им",
        "него",
        "нее",
        "неё",
        "них",
        "мы",
        "я",
    ]
)


def candidate_share(stage, texts: list[str]) -> float:
    """The share of words in sentences an English-style prefilter would keep: a word form
    of a trigger lemma (a rule that can code an event) and an actor candidate (a form of a
    dictionary name's first word, a capitalised word after the first, or a pronoun)."""
    parser = stage.parser
    triggers = {r.lemma for r in stage.coder.lexicon.rules if not r.is_null}
    names = set(stage.resolver._index)
    kept = total = 0
    for text in texts:
        for sent in parser.segmenter.sentenize(text):
            words = [t.text for t in parser.segmenter.tokenize(sent.text)]
            forms = [parser.forms(w) for w in words]
            total += len(words)
            trigger = any(f & triggers for f in forms)
            actor = (
                any(f & names for f in forms)
                or any(w[:1].isupper() for w in words[1:])
                or any(w.lower() in _PRONOUNS for w in words)
            )
            kept += len(words) if trigger and actor else 0
    return kept / total if total else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=120, help="documents timed")
    parser.add_argument("--warmup", type=int, default=40, help="other documents coded first")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    if not DOCS.is_file():
        print(f"{DOCS} not found", file=sys.stderr)
        return 2

    from tidings.evaluation.realnews_ru import bsnlp_article
    from tidings.nlp._matmul import _one_thread
    from tidings.pipeline import Pipeline, PipelineConfig
    from tidings.places import default_gazetteer

    records = []
    with DOCS.open(encoding="utf-8") as fh:
        for line in fh:
            records.append(json.loads(line))
            if len(records) >= args.limit + args.warmup:
                break
    articles = [bsnlp_article(r) for r in records[: args.limit]]
    warmup = [bsnlp_article(r) for r in records[args.limit :]]

    pipeline = Pipeline(PipelineConfig(languages=("ru",)))  # English loads here, not timed
    rss0 = _rss_mb()
    started = time.perf_counter()
    stage = pipeline._stage(articles[0])  # the Russian stage, loaded on its first article
    load_s = time.perf_counter() - started
    rss_loaded = _rss_mb()
    started = time.perf_counter()
    default_gazetteer().load()
    gazetteer_s = time.perf_counter() - started
    list(pipeline.run(warmup))

    from natasha import Doc

    parser_ = stage.parser
    texts = [" ".join(p.text.split()) for a in articles for p in a.paragraphs]
    texts += [" ".join(a.title.split()) for a in articles if a.title]
    bare_words = sum(len(t.split()) for t in texts)
    words = events = 0
    tidings_rates, bare_rates = [], []
    for _ in range(max(1, args.rounds)):
        started = time.perf_counter()
        coded = list(pipeline.run(articles))
        tidings_s = time.perf_counter() - started
        words = sum(len(s.text.split()) for c in coded for s in c.sentences)
        events = sum(len(c.events) for c in coded)
        tidings_rates.append(words / tidings_s)

        started = time.perf_counter()
        with _one_thread():  # the same threading Tidings uses, so the ratio compares work
            for text in texts:
                doc = Doc(text)
                doc.segment(parser_.segmenter)
                doc.tag_morph(parser_.morph)
                doc.parse_syntax(parser_.syntax)
                doc.tag_ner(parser_.ner)
        bare_rates.append(bare_words / (time.perf_counter() - started))

    report = {
        "documents": len(articles),
        "words": words,
        "events": events,
        "rounds": max(1, args.rounds),
        "load_seconds": round(load_s, 2),
        "gazetteer_load_seconds": round(gazetteer_s, 2),
        "rss_before_mb": round(rss0),
        "rss_after_load_mb": round(rss_loaded),
        "russian_models_mb": round(rss_loaded - rss0),
        "tidings_words_per_s": round(max(tidings_rates)),
        "bare_natasha_words_per_s": round(max(bare_rates)),
        "ratio_tidings_to_bare": round(max(tidings_rates) / max(bare_rates), 3),
        "peak_rss_mb": round(peak_rss_mb()),
        "words_a_sentence_prefilter_would_keep": round(candidate_share(stage, texts), 3),
        "load_average_1min": round(os.getloadavg()[0], 2),
    }
    print(json.dumps(report, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
