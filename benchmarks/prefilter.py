"""The parser pre-filter against a bare spaCy pass and the unfiltered pipeline, in one run.

On the same N articles of the AllSides international corpus this times:

1. a bare ``nlp.pipe`` pass of the full spaCy pipeline, as spaCy loads it, over
   the paragraph texts (and, for reference, the same pass with the models as
   Tidings runs them -- ``tidings.nlp._speedups``, same annotations -- which
   separates the gain of a faster spaCy from the gain of filtering);
2. the unfiltered end-to-end pipeline (NLP, actors, coding, dates, places);
3. the same pipeline with ``PipelineConfig(prefilter=True)``;

and prints both end-to-end rates as ratios to the bare spaCy rate, the
events the filtered run lost or gained (same article, sentence text, code,
source and target), the share of tokens parsed and given entities, and the
*perfect sentence filter* estimate: the ratio reached by parsing exactly the
sentences that yielded an event in the unfiltered run, with every component
(entity recogniser included) on them (time = the ``senter`` pass + that
token share of the unfiltered pipeline's time).  The real filter can beat
it on the entity recogniser, which it also gates.
``--roots 18,19,20`` repeats everything with a verb dictionary cut down to
those CAMEO roots, the case of a user coding one kind of event.

    python benchmarks/prefilter.py --limit 150
    python benchmarks/prefilter.py --limit 150 --offset 3000
    python benchmarks/prefilter.py --limit 150 --roots 14,15,16,17,18,19,20
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import allsides_articles


def _event_key(e) -> tuple:
    return (
        e.doc_id,
        e.sentence,
        e.code,
        e.source.code if e.source else None,
        e.target.code if e.target else None,
    )


def _timed_run(pipeline, articles):
    events: Counter = Counter()
    event_tokens = tokens = 0
    placed = dated = 0
    start = time.perf_counter()
    for coded in pipeline.run(articles):
        with_events = {e.sentence_index for e in coded.events}
        for s in coded.sentences:
            n = len(s.text.split())
            tokens += n
            event_tokens += n if s.index in with_events else 0
        events.update(_event_key(e) for e in coded.events)
        placed += sum(e.location is not None for e in coded.events)
        dated += sum(e.date_precision not in (None, "publication") for e in coded.events)
    seconds = time.perf_counter() - start
    return seconds, events, event_tokens / max(tokens, 1), (placed, dated)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=150)
    parser.add_argument("--offset", type=int, default=0, help="skip this many articles first")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=2, help="timing rounds (fastest kept)")
    parser.add_argument("--roots", default=None, help="keep only verb rules of these roots")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)

    from tidings.dictionaries.verbs import VerbLexicon, load_verb_lexicon
    from tidings.pipeline import Pipeline, PipelineConfig

    lexicon = load_verb_lexicon()
    if args.roots:
        roots = {r.strip().zfill(2) for r in args.roots.split(",")}
        lexicon = VerbLexicon([r for r in lexicon.rules if r.code[:2] in roots])
    articles = list(allsides_articles(args.limit, args.offset))
    texts = [" ".join(p.text.split()) for a in articles for p in a.paragraphs if p.text.strip()]
    texts += [a.title for a in articles if a.title.strip()]

    plain = Pipeline(lexicon=lexicon)
    filtered = Pipeline(PipelineConfig(prefilter=True), resolver=plain.resolver, coder=plain.coder)
    from tidings.nlp import load_stock_pipeline

    nlp = load_stock_pipeline(plain.config.model)
    list(nlp.pipe(texts[:50]))  # warm up
    # The same models as Tidings runs them (tidings.nlp._speedups: same
    # annotations): how much of the gain is faster spaCy rather than filtering.
    nlp_fast = plain.nlp
    list(nlp_fast.pipe(texts[:50]))
    list(plain.run(articles[:5]))  # warm up dictionaries, gazetteer, caches
    list(filtered.run(articles[:5]))
    filtered.filter_stats.__init__()

    def bare(nlp=nlp) -> float:
        start = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=args.batch_size):
            pass
        return time.perf_counter() - start

    def segment() -> float:
        senter = nlp.get_pipe("senter")
        start = time.perf_counter()
        for _ in senter.pipe((nlp.make_doc(t) for t in texts), batch_size=args.batch_size):
            pass
        return time.perf_counter() - start

    # Rounds rotate through the variants and each keeps its fastest round, so
    # a burst of load from other processes does not favour one of them.
    bare_s = fast_s = senter_s = plain_s = filtered_s = float("inf")
    for _ in range(args.rounds):
        bare_s = min(bare_s, bare())
        fast_s = min(fast_s, bare(nlp_fast))
        senter_s = min(senter_s, segment())
        seconds, plain_events, event_share, plain_pd = _timed_run(plain, articles)
        plain_s = min(plain_s, seconds)
        filtered.filter_stats.__init__()
        seconds, filtered_events, _, filtered_pd = _timed_run(filtered, articles)
        filtered_s = min(filtered_s, seconds)

    n_events = sum(plain_events.values())
    lost = sum((plain_events - filtered_events).values())
    gained = sum((filtered_events - plain_events).values())
    stats = filtered.filter_stats
    oracle_s = senter_s + event_share * plain_s
    report = {
        "articles": len(articles),
        "offset": args.offset,
        "rounds": args.rounds,
        "verb_rules": len(lexicon),
        "roots": args.roots,
        "bare_spacy_seconds": round(bare_s, 2),
        "bare_tidings_spacy_seconds": round(fast_s, 2),
        "unfiltered_seconds": round(plain_s, 2),
        "filtered_seconds": round(filtered_s, 2),
        "ratio_unfiltered_to_bare": round(bare_s / plain_s, 3),
        "ratio_filtered_to_bare": round(bare_s / filtered_s, 3),
        "filtered_speedup": round(plain_s / filtered_s, 3),
        "events_unfiltered": n_events,
        "events_lost": lost,
        "events_gained": gained,
        "events_lost_share": round(lost / max(n_events, 1), 4),
        "events_with_place": [plain_pd[0], filtered_pd[0]],
        "events_with_text_date": [plain_pd[1], filtered_pd[1]],
        "sentences": stats.sentences,
        "parsed_sentences": stats.parsed_sentences,
        "parsed_token_share": round(stats.parsed_tokens / max(stats.tokens, 1), 3),
        "entity_token_share": round(stats.entity_tokens / max(stats.tokens, 1), 3),
        "event_sentence_token_share": round(event_share, 3),
        "oracle_ratio_to_bare": round(bare_s / oracle_s, 3),
    }
    print(f"{len(articles)} articles, {len(lexicon)} verb rules, {n_events} events unfiltered")
    print(f"bare spaCy nlp.pipe:  {bare_s:.1f} s")
    print(
        f"  same models as Tidings runs them: {fast_s:.1f} s  ({bare_s / fast_s:.2f}x bare; "
        f"with --prefilter {fast_s / filtered_s:.2f}x this)"
    )
    print(f"unfiltered pipeline:  {plain_s:.1f} s  ratio to bare {bare_s / plain_s:.3f}")
    print(
        f"with --prefilter:     {filtered_s:.1f} s  ratio to bare {bare_s / filtered_s:.3f} "
        f"({plain_s / filtered_s:.2f}x unfiltered)"
    )
    print(
        f"events lost {lost} ({lost / max(n_events, 1):.1%}), gained {gained}; "
        f"parsed {stats.parsed_sentences}/{stats.sentences} sentences, "
        f"{report['parsed_token_share']:.1%} of tokens, entities on "
        f"{report['entity_token_share']:.1%}"
    )
    print(
        f"events with a place {plain_pd[0]} -> {filtered_pd[0]}, "
        f"with a date from the text {plain_pd[1]} -> {filtered_pd[1]}"
    )
    print(
        f"sentences with events hold {event_share:.1%} of the tokens: a perfect sentence "
        f"filter (all components on them) would reach {bare_s / oracle_s:.2f}x the bare rate"
    )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
