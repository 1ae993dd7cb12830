"""End-to-end throughput against a bare spaCy pass, on the same texts in one run.

Codes N articles of the AllSides international corpus (ingest records →
NLP → actors → coding → dates → places → DuckDB store) and, on the same
paragraph texts, times a bare ``nlp.pipe`` pass of the same spaCy pipeline as
spaCy loads it (without Tidings' component speed-ups, ``tidings.nlp._speedups``).
Prints articles/s, sentences/s, words/s, events/s, peak RSS and the ratio of
the end-to-end rate to the bare spaCy rate.  With ``--workers N`` it also
times a pool of one worker process against a pool of N on the same
articles, both from the pool's start (process start and model load
included), and each worker's peak RSS.

    python benchmarks/throughput.py --limit 300
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import allsides_articles, peak_rss_mb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=300)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument(
        "--workers", type=int, default=0, help="also time N worker processes (0: skip)"
    )
    args = parser.parse_args(argv)

    from tidings.pipeline import Pipeline
    from tidings.store import Store

    articles = list(allsides_articles(args.limit))
    texts = [" ".join(p.text.split()) for a in articles for p in a.paragraphs if p.text.strip()]
    texts += [a.title for a in articles if a.title.strip()]
    words = sum(len(t.split()) for t in texts)

    pipeline = Pipeline()
    from tidings.nlp import load_stock_pipeline

    nlp = load_stock_pipeline(pipeline.config.model)
    list(nlp.pipe(texts[:50]))  # warm up
    list(pipeline.run(articles[:5]))  # warm up: dictionaries, gazetteer, model caches

    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=args.batch_size):
        pass
    bare_s = time.perf_counter() - start

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.duckdb")
        sentences = events = 0
        start = time.perf_counter()
        for coded in pipeline.run(articles):
            sentences += len(coded.sentences)
            events += len(coded.events)
            store.save(coded)
        full_s = time.perf_counter() - start
        store.close()

    n = len(articles)
    parallel: dict[str, float] = {}
    if args.workers > 1:
        import resource

        from tidings.api._parallel import run_parallel
        from tidings.pipeline import PipelineConfig

        def timed(workers: int) -> tuple[float, int]:
            start = time.perf_counter()
            done = sum(1 for _ in run_parallel(articles, PipelineConfig(), workers=workers))
            return time.perf_counter() - start, done

        # Like for like: one worker process against N, both timed from the
        # start of the pool (process start, imports, model load) to the last
        # article back in the parent.
        one_s, _ = timed(1)
        par_s, coded_n = timed(args.workers)
        child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        parallel = {
            "workers": args.workers,
            "one_worker_process_seconds": round(one_s, 2),
            "parallel_seconds": round(par_s, 2),
            "parallel_articles_per_s": round(coded_n / par_s, 2),
            "speedup_vs_one_worker": round(one_s / par_s, 3),
            "speedup_vs_in_process_run": round(full_s / par_s, 3),
            "peak_rss_per_worker_mb": round(child_rss, 1),
        }
    report = {
        "articles": n,
        "words": words,
        "sentences": sentences,
        "events": events,
        "bare_spacy_seconds": round(bare_s, 2),
        "end_to_end_seconds": round(full_s, 2),
        "bare_spacy_articles_per_s": round(n / bare_s, 2),
        "articles_per_s": round(n / full_s, 2),
        "sentences_per_s": round(sentences / full_s, 1),
        "words_per_s": round(words / full_s, 1),
        "events_per_s": round(events / full_s, 1),
        "ratio_to_bare_spacy": round(bare_s / full_s, 3),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        **parallel,
    }
    print(f"{n} articles, {words} words, {sentences} sentences, {events} events")
    print(f"bare spaCy nlp.pipe: {bare_s:.1f} s ({n / bare_s:.2f} articles/s)")
    print(
        f"end to end:          {full_s:.1f} s ({n / full_s:.2f} articles/s, "
        f"{sentences / full_s:.0f} sentences/s, {words / full_s:.0f} words/s, "
        f"{events / full_s:.1f} events/s)"
    )
    print(f"ratio end-to-end / bare spaCy rate: {bare_s / full_s:.3f}")
    print(f"peak RSS: {peak_rss_mb():.0f} MB")
    if parallel:
        print(
            f"1 worker process: {parallel['one_worker_process_seconds']} s; "
            f"{args.workers} workers: {parallel['parallel_seconds']} s "
            f"({parallel['parallel_articles_per_s']} articles/s), "
            f"{parallel['speedup_vs_one_worker']}x one worker "
            f"(both with process start and model load, coding only, no store; "
            f"{parallel['speedup_vs_in_process_run']}x the warm in-process run with store); "
            f"peak RSS per worker {parallel['peak_rss_per_worker_mb']:.0f} MB"
        )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
