"""Dictionary load time and memory, and the cost of actor resolution.

1. Loads every packaged dictionary (actors, agents, discards, verb rules,
   CAMEO codebook) and compiles the actor matcher, reporting wall time and
   the growth of peak RSS (targets: < 3 s, < 400 MB).
2. Runs the pipeline over N AllSides articles twice on the same parsed
   docs -- once without actor resolution (the coder sees no actors), once
   with it -- and prints the ratio of the two end-to-end times (parse +
   resolve + code); target <= 1.05.

    python benchmarks/dictionaries.py --limit 200
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import allsides_articles, peak_rss_mb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=200)
    args = parser.parse_args(argv)

    import spacy  # noqa: F401  (import cost is not dictionary cost)

    rss0 = peak_rss_mb()
    t0 = time.perf_counter()
    from tidings.actors import build_resolver
    from tidings.dictionaries.cameo import load_codebook
    from tidings.dictionaries.verbs import load_verb_lexicon

    resolver = build_resolver()
    lexicon = load_verb_lexicon()
    codebook = load_codebook()
    load_s = time.perf_counter() - t0
    load_mb = peak_rss_mb() - rss0
    print(
        f"dictionaries: {resolver.size} actor/agent names, {len(lexicon)} verb rules, "
        f"{len(codebook)} CAMEO codes"
    )
    print(
        f"load time {load_s:.2f} s (target < 3 s), peak RSS growth {load_mb:.0f} MB "
        "(target < 400 MB)"
    )

    from tidings.coding import Coder
    from tidings.nlp import load_pipeline, parse_articles

    nlp = load_pipeline()
    coder = Coder(lexicon, codebook)
    articles = list(allsides_articles(args.limit))
    t = time.perf_counter()
    parsed = list(parse_articles(nlp, articles))
    parse_s = time.perf_counter() - t

    # Resolve once (timed), then code with those actors (timed separately), so
    # the ratio isolates actor resolution: the pipeline without it is parse +
    # coding (which, given no actors, has nothing to do).
    def resolve_all() -> tuple[float, list]:
        out = []
        start = time.perf_counter()
        for item in parsed:
            # as the pipeline does: one article's paragraphs with one memory
            out.append(
                resolver.resolve_article([p.doc for p in item.paragraphs], when=item.article.date)
            )
        return time.perf_counter() - start, out

    def code_all(resolved: list | None) -> tuple[float, int]:
        events = 0
        start = time.perf_counter()
        for n, item in enumerate(parsed):
            for k, para in enumerate(item.paragraphs):
                actors = resolved[n][k] if resolved is not None else {}
                for i, sent in enumerate(para.doc.sents):
                    events += len(coder.code_sentence(sent, actors, doc_id="b", sentence_index=i))
        return time.perf_counter() - start, events

    resolve_all()  # warm caches
    resolve_s, resolved = resolve_all()
    without_s, _ = code_all(None)
    code_s, events = code_all(resolved)
    base = parse_s + without_s
    full = parse_s + resolve_s + code_s
    print(
        f"{len(articles)} articles: parse {parse_s:.2f} s, actor resolution {resolve_s:.2f} s, "
        f"coding {code_s:.2f} s ({events} events)"
    )
    print(
        f"actor resolution: {resolve_s / parse_s:.1%} of the spaCy pass; end-to-end ratio "
        f"with/without actor resolution: {(parse_s + resolve_s) / parse_s:.3f} (target <= 1.05)"
    )
    print(
        f"coding (with actors): {code_s / parse_s:.1%} of the spaCy pass; full pipeline "
        f"{full:.2f} s vs {base:.2f} s without actors"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
