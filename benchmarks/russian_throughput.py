"""Russian throughput against a bare natasha pass, on the same BSNLP texts in one run.

Loads the Russian stage (natasha's models, pymorphy3, the Russian dictionaries
and verb rules) and reports its load time and the process's resident memory
after loading; then codes N BSNLP documents end to end (parse → actors →
coding → dates → places) and, on the same paragraph texts, times natasha's
own pipeline as its documentation runs it (``Doc.segment``,
``tag_morph``, ``parse_syntax``, ``tag_ner``).  Prints words/s of both and
their ratio.  On a machine shared with other jobs the absolute rates vary; the
ratio, measured in one run, is the figure to compare.

    python benchmarks/russian_throughput.py --limit 100
"""

from __future__ import annotations

import argparse
import json
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    if not DOCS.is_file():
        print(f"{DOCS} not found", file=sys.stderr)
        return 2

    from tidings.evaluation.realnews_ru import bsnlp_article
    from tidings.nlp._matmul import _one_thread
    from tidings.pipeline import Pipeline, PipelineConfig

    records = []
    with DOCS.open(encoding="utf-8") as fh:
        for line in fh:
            records.append(json.loads(line))
            if len(records) >= args.limit:
                break
    articles = [bsnlp_article(r) for r in records]

    pipeline = Pipeline(PipelineConfig(languages=("ru",)))  # English loads here, not timed
    rss0 = _rss_mb()
    started = time.perf_counter()
    stage = pipeline._stage(articles[0])  # the Russian stage, loaded on its first article
    load_s = time.perf_counter() - started
    rss_loaded = _rss_mb()

    started = time.perf_counter()
    coded = list(pipeline.run(articles))
    tidings_s = time.perf_counter() - started
    words = sum(len(s.text.split()) for c in coded for s in c.sentences)
    events = sum(len(c.events) for c in coded)

    from natasha import Doc

    parser_ = stage.parser
    texts = [" ".join(p.text.split()) for a in articles for p in a.paragraphs]
    texts += [" ".join(a.title.split()) for a in articles if a.title]
    started = time.perf_counter()
    with _one_thread():  # the same threading Tidings uses, so the ratio compares work
        for text in texts:
            doc = Doc(text)
            doc.segment(parser_.segmenter)
            doc.tag_morph(parser_.morph)
            doc.parse_syntax(parser_.syntax)
            doc.tag_ner(parser_.ner)
    bare_s = time.perf_counter() - started
    bare_words = sum(len(t.split()) for t in texts)

    report = {
        "documents": len(articles),
        "words": words,
        "events": events,
        "load_seconds": round(load_s, 2),
        "rss_before_mb": round(rss0),
        "rss_after_load_mb": round(rss_loaded),
        "russian_models_mb": round(rss_loaded - rss0),
        "tidings_words_per_s": round(words / tidings_s),
        "bare_natasha_words_per_s": round(bare_words / bare_s),
        "ratio_tidings_to_bare": round((words / tidings_s) / (bare_words / bare_s), 3),
        "peak_rss_mb": round(peak_rss_mb()),
    }
    print(json.dumps(report, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
