"""Coding articles on an existing Dask cluster (``tidings code --dask ADDRESS``).

The same division of labour as :mod:`tidings.api._parallel`, stretched over
machines: the client process reads the inputs and cuts them into partitions
(lists of :class:`~tidings.model.Article`, plain frozen dataclasses that
pickle cheaply); each Dask worker process builds its
:class:`~tidings.pipeline.Pipeline` once, the first time it is handed a
partition, and keeps it for every later partition of the same configuration;
coded articles travel back and the client alone writes the DuckDB store (a
single writer, as DuckDB requires).

Why results are consumed in input order from a bounded window of futures
rather than with ``client.map`` over everything: a corpus can be far larger
than memory, and a run must store exactly what a single-process run stores
(and in the same order, so an interrupted run resumes the same way).  At most
``max_in_flight`` partitions are submitted ahead of the one being consumed,
so the client never holds more than that many partitions of results.

Workers need the same Tidings (and spaCy model, and any ``--dictionaries``
directory, at the same path) installed as the client: the per-worker task
imports this module by name.  The client checks the Tidings version of every
worker up front, because a different version would code different events.
Dask itself is optional (``pip install '.[dask]'`` from a checkout); without it,
:func:`run_dask` raises a one-line :class:`~tidings.errors.TidingsError`.
"""

from __future__ import annotations

import contextlib
import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from tidings.api._parallel import sort_out
from tidings.errors import TidingsError
from tidings.model import Article, CodedArticle
from tidings.pipeline import CodingFailure, Pipeline, PipelineConfig

if TYPE_CHECKING:  # pragma: no cover - typing only
    from distributed import Client, Future

__all__ = ["DASK_MISSING", "run_dask"]

#: The message shown when ``--dask`` is used on an installation without Dask.
DASK_MISSING = "--dask needs dask.distributed: pip install '.[dask]' (from a Tidings checkout)"

# ---------------------------------------------------------------- worker side

# One pipeline per configuration per worker process.  A module-level cache
# (rather than a WorkerPlugin) works with any cluster, needs no registration
# step, and survives between runs of the same client configuration, so a
# second `tidings code` against a warm cluster does not reload spaCy.
_PIPELINES: dict[PipelineConfig, Pipeline] = {}
_CACHE_SIZE = 2  # a worker shared by runs with different configs keeps two
# A Pipeline (spaCy, the resolver's memory) is not meant for concurrent use:
# on workers with several threads, partitions of one process take turns.
_LOCK = threading.Lock()


def _pipeline_for(config: PipelineConfig) -> Pipeline:
    """This process's pipeline for ``config``, built on first use."""
    pipeline = _PIPELINES.get(config)
    if pipeline is None:
        pipeline = Pipeline.from_config(config)
        while len(_PIPELINES) >= _CACHE_SIZE:
            _PIPELINES.pop(next(iter(_PIPELINES)))
        _PIPELINES[config] = pipeline
    return pipeline


def _code_partition(
    config: PipelineConfig, articles: list[Article]
) -> list[CodedArticle | CodingFailure]:
    """The Dask task: code one partition with this worker's cached pipeline.

    An article that fails comes back as a CodingFailure in its place, so it
    costs neither its partition nor the run.
    """
    with _LOCK:
        return _pipeline_for(config).code_isolated(articles)


def _tidings_version() -> str:
    """Run on every worker to check it codes with the client's Tidings."""
    from tidings import __version__

    return __version__


# ---------------------------------------------------------------- client side


def _partitions(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    partition: list[Article] = []
    for article in articles:
        partition.append(article)
        if len(partition) >= size:
            yield partition
            partition = []
    if partition:
        yield partition


def _connect(address: str, timeout: float) -> Client:
    """A client of the cluster at ``address``, or a one-line TidingsError.

    ``set_as_default=False`` keeps the client from becoming the process-wide
    default Dask scheduler behind the caller's back.
    """
    try:
        from distributed import Client
    except ImportError:
        raise TidingsError(DASK_MISSING) from None
    _check_address(address)
    try:
        return Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise TidingsError(f"cannot reach the Dask scheduler at {address}: {detail}") from None


def _check_address(address: str) -> None:
    """Refuse a malformed address up front.

    Dask would raise too, but only after its half-built client has spent its
    close timeout (20 s) trying to shut down a connection that never existed.
    """
    from distributed.comm.addressing import (
        get_address_host_port,
        normalize_address,
        parse_address,
    )
    from distributed.comm.registry import backends

    try:
        scheme, _ = parse_address(normalize_address(address))
        if scheme not in backends:
            raise ValueError(f"unknown protocol {scheme!r}")
        if scheme in {"tcp", "tls"}:
            get_address_host_port(normalize_address(address))
    except ValueError as exc:
        raise TidingsError(f"{address!r} is not a Dask scheduler address: {exc}") from None


def _check_workers(client: Client, address: str, timeout: float) -> int:
    """Wait for at least one worker, check versions; return the worker threads.

    Without this a cluster with no workers would make the run wait forever,
    and workers without Tidings would fail every task with an import error.
    """
    from tidings import __version__

    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError:
        raise TidingsError(
            f"the Dask cluster at {address} has no workers (waited {timeout:g} s)"
        ) from None
    try:
        versions: dict[str, Any] = client.run(_tidings_version)
    except Exception as exc:  # typically: the workers cannot import tidings
        raise TidingsError(
            f"cannot run Tidings on the Dask workers at {address} (is it installed there?): "
            f"{type(exc).__name__}: {exc}"
        ) from None
    wrong = sorted(f"{worker} has {v}" for worker, v in versions.items() if v != __version__)
    if wrong:
        raise TidingsError(
            f"Dask workers run another Tidings version than this one ({__version__}): "
            + ", ".join(wrong)
        )
    return max(1, sum(client.nthreads().values()))


def run_dask(
    articles: Iterable[Article],
    config: PipelineConfig,
    *,
    address: str,
    partition_size: int = 32,
    max_in_flight: int | None = None,
    connect_timeout: float = 10.0,
    worker_timeout: float = 30.0,
    on_error: Callable[[Article, str], None] | None = None,
) -> Iterator[CodedArticle]:
    """Code ``articles`` on the Dask cluster at ``address``, yielding in input order.

    ``articles`` is consumed lazily, ``partition_size`` articles per task;
    at most ``max_in_flight`` tasks (default: twice the cluster's worker
    threads) are outstanding at once.  ``connect_timeout`` bounds the
    connection to the scheduler (a refused connection is retried until then),
    ``worker_timeout`` the wait for a first worker.  Closing the
    generator early -- Ctrl-C, an error while storing, ``break`` -- cancels
    the outstanding tasks and closes the client.  An article whose coding
    raises is handed to ``on_error`` with a one-line description and left
    out (without ``on_error``, it ends the run with a TidingsError).  Errors
    raised while building the pipeline on a worker (a missing model, say)
    are re-raised here.
    """
    if partition_size < 1:
        raise ValueError("partition_size must be at least 1")
    client = _connect(address, connect_timeout)
    pending: deque[Future] = deque()
    try:
        threads = _check_workers(client, address, worker_timeout)
        window = max_in_flight if max_in_flight is not None else max(2, 2 * threads)
        if window < 1:
            raise ValueError("max_in_flight must be at least 1")
        run_id = uuid.uuid4().hex[:12]
        for number, partition in enumerate(_partitions(articles, partition_size)):
            pending.append(
                client.submit(
                    _code_partition,
                    config,
                    partition,
                    key=f"tidings-code-{run_id}-{number}",
                    priority=-number,  # earlier partitions first: they are awaited first
                    pure=False,
                )
            )
            if len(pending) >= window:
                yield from sort_out(_next_result(pending, address), on_error)
        while pending:
            yield from sort_out(_next_result(pending, address), on_error)
    finally:
        if pending:
            # Best effort: the client is going away anyway, and a failure to
            # cancel must not hide the KeyboardInterrupt or error being raised.
            with contextlib.suppress(Exception):
                client.cancel(list(pending), force=True)
        client.close()


def _next_result(pending: deque[Future], address: str) -> list[CodedArticle | CodingFailure]:
    """The oldest partition's coded articles, once it is done.

    The future leaves ``pending`` only after its result arrived, so an
    interruption while waiting still cancels it.  Cluster failures become a
    TidingsError; exceptions raised by the pipeline itself (a TidingsError, a
    bug) come back unchanged.
    """
    from distributed import CancelledError, KilledWorker

    try:
        coded = pending[0].result()
    except KilledWorker as exc:
        raise TidingsError(
            f"Dask workers at {address} kept dying while coding a partition: {exc}"
        ) from None
    except CancelledError:
        raise TidingsError(f"a partition was cancelled by the Dask cluster at {address}") from None
    pending.popleft()
    return coded
