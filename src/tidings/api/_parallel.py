"""Coding articles in several worker processes on one machine.

Each worker builds its :class:`~tidings.pipeline.Pipeline` once (spaCy model,
dictionaries, gazetteer) in the pool initializer and then codes chunks of
articles; coded articles travel back as plain frozen dataclasses and the
parent process alone writes the store (DuckDB has a single writer).  Results
come back in input order, so a parallel run stores exactly what a serial run
stores.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Iterable, Iterator

from tidings.model import Article, CodedArticle
from tidings.pipeline import Pipeline, PipelineConfig

_PIPELINE: Pipeline | None = None


def _init_worker(config: PipelineConfig) -> None:
    global _PIPELINE
    _PIPELINE = Pipeline.from_config(config)


def _code_chunk(articles: list[Article]) -> list[CodedArticle]:
    assert _PIPELINE is not None, "worker not initialised"
    return list(_PIPELINE.run(articles))


def _chunks(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    chunk: list[Article] = []
    for article in articles:
        chunk.append(article)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run_parallel(
    articles: Iterable[Article],
    config: PipelineConfig,
    *,
    workers: int,
    chunk_size: int = 8,
) -> Iterator[CodedArticle]:
    """Code ``articles`` in ``workers`` processes, yielding results in input order."""
    ctx = mp.get_context("spawn")  # fork would duplicate a half-initialised parent
    with ctx.Pool(workers, initializer=_init_worker, initargs=(config,)) as pool:
        for coded_chunk in pool.imap(_code_chunk, _chunks(articles, chunk_size)):
            yield from coded_chunk
