"""End-to-end throughput against a bare spaCy pass, on the same texts in one run.

First, what a user measures (reported first, the README's figures): whole
processes on the same N articles written as a JSONL corpus, model load
included and the store on: ``tidings code corpus.jsonl --db ...`` against a
bare spaCy process (load the model, ``nlp.pipe`` the same texts), and with
``--workers N`` also ``tidings code --workers N`` against ``tidings code``,
checking that both stores hold the same events.  The processes alternate
(A/B) for ``--rounds`` rounds and the best time of each is kept.

Then, in process:
Codes N articles of the AllSides international corpus (ingest records →
NLP → actors → coding → dates → places → DuckDB store) and, on the same
paragraph texts, times a bare ``nlp.pipe`` pass of the same spaCy pipeline as
spaCy loads it (without Tidings' component speed-ups, ``tidings.nlp._speedups``).
Prints articles/s, sentences/s, words/s, events/s, peak RSS and the ratio of
the end-to-end rate to the bare spaCy rate (the pipeline's own cost, without
process start and model load).

    python benchmarks/throughput.py --limit 300 --workers 2
"""

from __future__ import annotations

import argparse
import json
import subprocess
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
    parser.add_argument("--rounds", type=int, default=1, help="A/B rounds of whole processes")
    parser.add_argument(
        "--no-whole", action="store_true", help="skip the whole-process measurements"
    )
    args = parser.parse_args(argv)

    from tidings.pipeline import Pipeline
    from tidings.store import Store

    articles = list(allsides_articles(args.limit))
    texts = [" ".join(p.text.split()) for a in articles for p in a.paragraphs if p.text.strip()]
    texts += [a.title for a in articles if a.title.strip()]
    words = sum(len(t.split()) for t in texts)
    whole = {} if args.no_whole else whole_process(articles, texts, args.workers, args.rounds)

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
    report = {
        **whole,
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
    }
    print(f"{n} articles, {words} words, {sentences} sentences, {events} events")
    print("in process (warm, model loaded before timing):")
    print(f"bare spaCy nlp.pipe: {bare_s:.1f} s ({n / bare_s:.2f} articles/s)")
    print(
        f"end to end:          {full_s:.1f} s ({n / full_s:.2f} articles/s, "
        f"{sentences / full_s:.0f} sentences/s, {words / full_s:.0f} words/s, "
        f"{events / full_s:.1f} events/s)"
    )
    print(f"ratio end-to-end / bare spaCy rate: {bare_s / full_s:.3f}")
    print(f"peak RSS: {peak_rss_mb():.0f} MB")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


def _best_of(commands: dict[str, list[str]], rounds: int) -> dict[str, float]:
    """Best wall time of each command, the commands alternating round by round."""
    best: dict[str, float] = {}
    for _ in range(rounds):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            seconds = time.perf_counter() - start
            best[name] = min(best.get(name, seconds), seconds)
    return best


def whole_process(articles, texts: list[str], workers: int, rounds: int) -> dict:
    """Whole-process timings, store on (what a user measures); printed at once."""
    from tidings.api import open_store
    from tidings.pipeline import PipelineConfig

    model = PipelineConfig().model
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        with corpus.open("w", encoding="utf-8") as out:
            for a in articles:
                record = {
                    "id": a.doc_id,
                    "title": a.title,
                    "text": "\n\n".join(p.text for p in a.paragraphs),
                    "date": a.date.isoformat() if a.date else None,
                    "url": a.url,
                    "source": a.outlet,
                }
                out.write(json.dumps(record) + "\n")
        texts_file = Path(tmp) / "texts.json"
        texts_file.write_text(json.dumps(texts), encoding="utf-8")
        bare = (
            "import json, sys, spacy; nlp = spacy.load(sys.argv[1]); "
            "texts = json.load(open(sys.argv[2], encoding='utf-8')); "
            "[None for _ in nlp.pipe(texts, batch_size=64)]"
        )
        commands = {"bare": [sys.executable, "-c", bare, model, str(texts_file)]}
        dbs = {}
        for n in sorted({1, workers} - {0}):
            # a fresh store each round: remove it before the command runs
            dbs[n] = Path(tmp) / f"w{n}.duckdb"
            commands[f"w{n}"] = [
                sys.executable, "-c",
                "import pathlib, sys; pathlib.Path(sys.argv[1]).unlink(missing_ok=True); "
                "from tidings.cli import main; sys.argv = ['tidings', *sys.argv[2:]]; main()",
                str(dbs[n]), "code", str(corpus), "--db", str(dbs[n]), "--format", "jsonl",
                "--workers", str(n),
            ]  # fmt: skip
        best = _best_of(commands, rounds)
        result = {
            "whole_process_rounds": rounds,
            "whole_bare_spacy_seconds": round(best["bare"], 2),
            "whole_tidings_seconds": round(best["w1"], 2),
            "whole_ratio_to_bare_spacy": round(best["bare"] / best["w1"], 3),
        }
        print(
            f"whole process, store on, {len(articles)} articles (best of {rounds}): "
            f"tidings code {best['w1']:.1f} s, bare spaCy {best['bare']:.1f} s: "
            f"ratio tidings / bare spaCy rate {best['bare'] / best['w1']:.3f}"
        )
        if workers > 1:

            def stored(db: Path):
                with open_store(db, read_only=True) as store:
                    return sorted(
                        (e.event_id, e.code, e.source.code, e.target.code if e.target else "")
                        for e in store.events()
                    ), store.counts()["articles"]

            same = stored(dbs[1]) == stored(dbs[workers])
            ratio = best["w1"] / best[f"w{workers}"]
            result |= {
                "whole_workers": workers,
                "whole_workers_seconds": round(best[f"w{workers}"], 2),
                "whole_workers_speedup": round(ratio, 3),
                "whole_workers_store_identical": same,
            }
            print(
                f"whole process, store on: --workers {workers} {best[f'w{workers}']:.1f} s, "
                f"{ratio:.3f}x one process; stores identical: {same}"
            )
    sys.stdout.flush()
    return result


if __name__ == "__main__":
    raise SystemExit(main())
