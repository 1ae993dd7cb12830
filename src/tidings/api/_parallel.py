"""Coding articles in several worker processes on one machine.

Each worker builds its :class:`~tidings.pipeline.Pipeline` once (spaCy model,
dictionaries, gazetteer) in the pool initializer and then codes chunks of
articles; coded articles travel back as plain frozen dataclasses and the
parent process alone writes the store (DuckDB has a single writer).

Only the calling thread reads ``articles``: the input iterator checks the
store (already stored? a copy?) and records copies, so it must never run in
a pool's feeder thread while the main thread writes (DuckDB 2 refuses a
connection used from two threads at once; DuckDB 1.x silently lost rows).
Chunks are therefore submitted by hand, a bounded number ahead, and results
come back in input order, so a parallel run stores exactly what a serial run
stores.  An article whose coding raises comes back as a
:class:`~tidings.pipeline.CodingFailure` in its place and is handed to
``on_error``, so one bad article costs only itself, as in a single process.
A worker that dies (killed, out of memory) ends the run with a
:class:`~tidings.errors.TidingsError`; everything yielded before is stored
and a re-run codes only the rest.
"""

from __future__ import annotations

import multiprocessing as mp
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from tidings.errors import TidingsError
from tidings.model import Article, CodedArticle
from tidings.pipeline import CodingFailure, Pipeline, PipelineConfig

_PIPELINE: Pipeline | None = None


def _init_worker(config: PipelineConfig) -> None:
    global _PIPELINE
    _PIPELINE = Pipeline.from_config(config)


def _code_chunk(articles: list[Article]) -> list[CodedArticle | CodingFailure]:
    assert _PIPELINE is not None, "worker not initialised"
    return _PIPELINE.code_isolated(articles)


def sort_out(
    results: list[CodedArticle | CodingFailure],
    on_error: Callable[[Article, str], None] | None,
) -> Iterator[CodedArticle]:
    """The coded articles of a worker's results; each failure goes to ``on_error``.

    Without ``on_error`` the first failure ends the run, as ``Pipeline.run``
    without one does.
    """
    for item in results:
        if isinstance(item, CodingFailure):
            if on_error is None:
                raise TidingsError(f"{item.article.doc_id}: not coded: {item.error}")
            on_error(item.article, item.error)
        else:
            yield item


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
    ahead: int = 2,
    on_error: Callable[[Article, str], None] | None = None,
) -> Iterator[CodedArticle]:
    """Code ``articles`` in ``workers`` processes, yielding results in input order.

    An article that cannot be coded is handed to ``on_error`` with a one-line
    description of the error and left out.

    At most ``ahead`` chunks per worker are in flight, which bounds memory and
    keeps every worker busy while the caller stores the oldest result.
    """
    ctx = mp.get_context("spawn")  # fork would duplicate a half-initialised parent
    pending: deque[Future[list[CodedArticle | CodingFailure]]] = deque()
    chunks = _chunks(articles, chunk_size)  # iterated in this (the caller's) thread only
    limit = max(1, workers * ahead)
    with ProcessPoolExecutor(
        workers, mp_context=ctx, initializer=_init_worker, initargs=(config,)
    ) as pool:
        try:
            exhausted = False
            while True:
                while not exhausted and len(pending) < limit:
                    chunk = next(chunks, None)
                    if chunk is None:
                        exhausted = True
                    else:
                        pending.append(pool.submit(_code_chunk, chunk))
                if not pending:
                    return
                yield from sort_out(pending.popleft().result(), on_error)
        except BrokenProcessPool:
            raise TidingsError(
                "a worker process died (killed or out of memory); what was coded before "
                "is stored, run the same command again to code the rest"
            ) from None
        finally:
            for future in pending:
                future.cancel()
