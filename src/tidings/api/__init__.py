"""The Python facade: what the CLI (and users' scripts) call.

It wires ingest, the pipeline and the store together for whole runs and
reports what happened in a :class:`RunSummary`, so front ends only format.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from tidings.api._dask import run_dask  # issue 6.6: Dask and Parquet (lazy imports)
from tidings.api._parquet import EventDataset, attach_parquet, write_events_parquet
from tidings.errors import StoreError, TidingsError
from tidings.ingest import IngestOptions, IngestProblem, escape_controls, iter_articles
from tidings.model import DEFAULT_MIN_CONFIDENCE, Article, CodedArticle, Event
from tidings.pipeline import Pipeline, PipelineConfig, describe_error
from tidings.store import DEFAULT_DB, Store

__all__ = [
    "RunSummary",
    "attach_parquet",
    "code_inputs",
    "open_store",
    "run_dask",
    "write_events_parquet",
]


@dataclass
class RunSummary:
    """Counts of one run, and every problem met, in order."""

    articles: int = 0
    stored: int = 0
    already_stored: int = 0
    not_coded_language: int = 0  # stored, but in a language the pipeline does not code
    duplicates: int = 0  # copies of an article already seen: recorded, not coded
    events: int = 0
    failed: int = 0  # read, but parsing or coding failed: not stored
    not_stored: int = 0  # coded, but the store refused the write (full disk, corrupt store)
    problems: list[IngestProblem] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.level == "error")


def open_store(path: str | Path = DEFAULT_DB, *, read_only: bool = False) -> Store:
    """Open (creating and migrating if needed) an event store."""
    return Store(path, read_only=read_only)


#: Articles between two :meth:`Store.release_cache` calls of a coding run: a
#: few seconds of coding, against milliseconds to evict.
RELEASE_CACHE_EVERY = 100


def code_inputs(
    inputs: Sequence[str],
    *,
    db: str | Path | None = DEFAULT_DB,
    model: str | None = None,
    strict: bool = False,
    workers: int = 1,
    dictionaries: str | Path | None = None,
    stdin: TextIO | None = None,
    on_article: Callable[[CodedArticle], None] | None = None,
    on_problem: Callable[[IngestProblem], None] | None = None,
    pipeline: Pipeline | None = None,
    dask: str | None = None,
    parquet: str | Path | None = None,
    deduplicate: bool = True,
    prefilter: bool = False,
    languages: Sequence[str] | None = None,
    ingest_options: IngestOptions | None = None,
) -> RunSummary:
    """Ingest, code and (unless ``db`` is None) store every article of ``inputs``.

    ``ingest_options`` says how inputs are read (a corpus's field names, network
    limits; see :class:`tidings.ingest.IngestOptions`).

    Problems with single inputs are reported through ``on_problem`` and never
    stop the run.  A failure to store one article rolls back that article
    only.

    ``dask`` (a scheduler address) codes on that Dask cluster instead of
    locally; ``parquet`` (a directory) also adds the events, of new and
    already-stored articles alike, to that partitioned Parquet dataset.
    """
    summary = RunSummary()
    # -- issue 6.6 (Dask, Parquet): see _dask.py and _parquet.py ---------------
    if dask is not None and workers > 1:
        raise TidingsError("--dask and --workers cannot be combined: Dask has its own workers")
    dataset = EventDataset(parquet) if parquet is not None else None
    if dataset is not None:
        on_article = dataset.chained(on_article)  # so stored articles reach it too
    # ---------------------------------------------------------------------------
    store = Store(db) if db is not None else None

    def report(problem: IngestProblem) -> None:
        summary.problems.append(problem)
        if on_problem:
            on_problem(problem)

    try:
        dedup = _deduplicator(store) if deduplicate else None
    except BaseException:
        if store is not None:
            store.close()
        raise

    def articles() -> Iterable[Article]:
        for item in iter_articles(inputs, stdin=stdin, options=ingest_options):
            if isinstance(item, IngestProblem):
                report(item)
                continue
            yield item

    def not_coded(article: Article, error: BaseException | str) -> None:
        """One line naming the article; ``error`` as raised, or as a worker described it."""
        summary.failed += 1
        described = error if isinstance(error, str) else describe_error(error)
        report(
            IngestProblem(
                source=escape_controls(article.source or article.doc_id),
                message=f"not coded: {escape_controls(described)}",
                level="error",
            )
        )

    def todo() -> Iterable[Article]:
        return _unstored(articles(), store, summary, on_article, dedup, report, on_error=not_coded)

    try:
        config = _config(model, strict, dictionaries, prefilter, languages)
        if dask is not None and pipeline is None:  # issue 6.6
            coded_stream = run_dask(todo(), config, address=dask, on_error=not_coded)
        elif workers > 1 and pipeline is None:
            from tidings.api._parallel import run_parallel

            coded_stream = run_parallel(todo(), config, workers=workers, on_error=not_coded)
        else:
            pipe = pipeline or Pipeline.from_config(config, on_issue=on_problem_issue(on_problem))
            coded_stream = pipe.run(todo(), on_error=not_coded)
        for n, coded in enumerate(coded_stream, 1):
            summary.articles += 1
            summary.events += len(coded.events)
            if not config.codes_language(coded.article):
                summary.not_coded_language += 1
            if store is not None:
                _store_coded(store, coded, dedup, summary, report)
                if n % RELEASE_CACHE_EVERY == 0:
                    store.release_cache()  # else DuckDB keeps what it wrote: memory grows
            if on_article:
                on_article(coded)
        if store is not None and (summary.stored or summary.duplicates):
            # Keep merged events current; a no-op in a store never merged (tidings merge).
            from tidings.analytics import update_merged

            try:
                update_merged(store)
            except StoreError as exc:
                report(IngestProblem(str(db), f"merged events not updated: {exc}", "error"))
    finally:
        if store is not None:
            if dedup is not None:
                try:
                    store.save_dedup_state(dedup.to_bytes())
                except StoreError as exc:  # a rerun rebuilds it from the inputs
                    report(IngestProblem(str(db), f"duplicate index not saved: {exc}", "warning"))
            store.close()
        if dataset is not None:  # issue 6.6: writes the last chunk, even after Ctrl-C
            dataset.close()
    return summary


def _store_coded(
    store: Store,
    coded: CodedArticle,
    dedup,
    summary: RunSummary,
    report: Callable[[IngestProblem], None],
) -> None:
    """Save one coded article (with its part of the near-duplicate index) and count it;
    a failure is one line naming the article, and the run goes on."""
    try:
        entry = dedup.entry(coded.article.doc_id) if dedup is not None else None
        if store.save(coded, dedup_entry=entry):
            summary.stored += 1
        else:
            summary.already_stored += 1
    except StoreError as exc:
        summary.not_stored += 1
        report(
            IngestProblem(
                source=escape_controls(coded.article.source or coded.article.doc_id),
                message=f"not stored: {_one_line(exc)}",
                level="error",
            )
        )


def _one_line(exc: BaseException) -> str:
    return escape_controls(" ".join(str(exc).split())) or type(exc).__name__


def _config(
    model: str | None,
    strict: bool,
    dictionaries: str | Path | None,
    prefilter: bool = False,
    languages: Sequence[str] | None = None,
) -> PipelineConfig:
    """The pipeline configuration of a run (the default model unless one is named)."""
    chosen: dict = {"model": model} if model else {}
    if languages:
        chosen["languages"] = tuple(languages)
    return PipelineConfig(
        **chosen, relaxed=not strict, dictionaries=dictionaries, prefilter=prefilter
    )


def on_problem_issue(on_problem):
    """Report dictionary issues of ``--dictionaries`` files as run problems."""

    def report(issue) -> None:
        if on_problem is not None:
            on_problem(
                IngestProblem(
                    source=f"{issue.file}:{issue.line}",
                    message=issue.message,
                    level="warning" if getattr(issue, "level", "error") == "warning" else "error",
                )
            )

    return report


def _unstored(
    articles: Iterable[Article],
    store: Store | None,
    summary: RunSummary,
    on_article: Callable[[CodedArticle], None] | None,
    dedup,
    report: Callable[[IngestProblem], None],
    on_error: Callable[[Article, BaseException], None] | None = None,
):
    """The articles that still need coding; ``report`` records a problem in the run's
    summary and tells the caller (``code_inputs``'s own ``report``).

    Skips articles already in the store: a re-run (after a crash or Ctrl-C)
    codes only what is missing, so it ends with what one uninterrupted run
    stores.  Stored articles still reach ``on_article``, with their stored
    events.  With a deduplicator, a copy of a story already seen is recorded
    (not coded again).  An article the deduplicator cannot read goes to
    ``on_error``, as one the pipeline cannot code does.  An article whose ``doc_id``
    came earlier in this run (the same file named twice) is coded once: the repeat is
    counted as a duplicate, with a warning.
    """
    this_run: set[str] = set()
    for article in articles:
        if article.doc_id in this_run:
            summary.articles += 1
            summary.duplicates += 1
            report(
                IngestProblem(
                    article.source or article.doc_id,
                    f"article {article.doc_id} came earlier in this run: coded once",
                    "warning",
                )
            )
            continue
        this_run.add(article.doc_id)
        if store is not None and store.is_copy(article.doc_id):
            summary.articles += 1
            summary.duplicates += 1  # recorded as a copy by an earlier run
            continue
        if store is not None and store.has_article(article.doc_id):
            if dedup is not None:
                # Indexed as the run that stored it did (a no-op when its entry
                # was restored), so a rerun after a kill builds the same index.
                dedup.add(article)
            summary.articles += 1
            summary.already_stored += 1
            if on_article is not None:
                events = store.events(doc_id=article.doc_id)
                summary.events += len(events)
                sentences = tuple(store.sentences(article.doc_id))
                on_article(CodedArticle(article=article, sentences=sentences, events=tuple(events)))
            continue
        if dedup is not None:
            try:
                duplicate = dedup.check(article)
            except (Exception, RecursionError) as exc:  # an article no stage can read
                if on_error is None:
                    raise
                on_error(article, exc)
                continue
            if duplicate is not None:
                # The same story elsewhere: recorded, not coded again.
                summary.articles += 1
                summary.duplicates += 1
                if store is not None:
                    try:
                        store.record_copy(
                            article,
                            duplicate.doc_id,
                            duplicate.kind,
                            duplicate.similarity,
                        )
                    except StoreError as exc:
                        summary.not_stored += 1
                        report(IngestProblem(article.source or article.doc_id, str(exc), "error"))
                continue
            dedup.add(article)
        yield article


def _deduplicator(store: Store | None):
    """The near-duplicate detector, with the state saved in the store by earlier runs.

    A store that predates the saved state (or lost it) gets its stored
    articles added once, so copies of them are still recognised.
    """
    from tidings.ingest import Deduplicator

    if store is None:
        return Deduplicator()
    state = store.dedup_state()
    if state is not None:
        try:
            dedup = Deduplicator.from_bytes(state)
        except ValueError:
            pass  # a damaged state is rebuilt below
        else:
            # Entries written with each article since the state was saved (a
            # run that did not end): restored up to the first gap, an article
            # in flight at the kill, which the rerun meets again in order.
            for position, entry in store.dedup_entries():
                if not dedup.restore_entry(position, entry):
                    break
            return dedup
    dedup = Deduplicator()
    for article in store.articles():
        dedup.add(article)
    # Saved at once: a run killed before its end leaves this state, and its
    # rerun re-adds the articles it stored in input order (see _unstored),
    # so the index is the one an uninterrupted run builds.
    store.save_dedup_state(dedup.to_bytes())
    return dedup


def ingest_inputs(
    inputs: Sequence[str],
    *,
    db: str | Path = DEFAULT_DB,
    stdin: TextIO | None = None,
    on_problem: Callable[[IngestProblem], None] | None = None,
    ingest_options: IngestOptions | None = None,
) -> RunSummary:
    """Store the articles of ``inputs`` without coding them (``tidings ingest``).

    Useful to collect a corpus first (feeds, crawls) and code it later, or
    with other dictionaries, with :func:`recode_store`.
    """
    summary = RunSummary()
    with Store(db) as store:
        for item in iter_articles(inputs, stdin=stdin, options=ingest_options):
            if isinstance(item, IngestProblem):
                summary.problems.append(item)
                if on_problem:
                    on_problem(item)
                continue
            summary.articles += 1
            try:
                saved = store.save(CodedArticle(article=item, sentences=(), events=()))
            except StoreError as exc:
                summary.not_stored += 1
                problem = IngestProblem(
                    escape_controls(item.source or item.doc_id), f"not stored: {exc}", "error"
                )
                summary.problems.append(problem)
                if on_problem:
                    on_problem(problem)
                continue
            if saved:
                summary.stored += 1
            else:
                summary.already_stored += 1
    return summary


def recode_store(
    *,
    db: str | Path = DEFAULT_DB,
    model: str | None = None,
    strict: bool = False,
    dictionaries: str | Path | None = None,
    on_article: Callable[[CodedArticle], None] | None = None,
    on_problem: Callable[[IngestProblem], None] | None = None,
    prefilter: bool = False,
    languages: tuple[str, ...] | None = None,
) -> RunSummary:
    """Code every stored article again (``tidings recode``), after a dictionary
    or coder change or after ``tidings ingest``.

    Each article's sentences and coded events are replaced in one transaction
    (imported events are never touched); a store that was merged is merged
    again with its recorded rule, so merged events match the new coding.
    """
    if not Path(db).exists():
        raise StoreError(f"no event store at {db} (run 'tidings ingest' or 'tidings code' first)")
    config = _config(model, strict, dictionaries, prefilter, languages)
    pipe = Pipeline.from_config(config, on_issue=on_problem_issue(on_problem))
    summary = RunSummary()

    def report(problem: IngestProblem) -> None:
        summary.problems.append(problem)
        if on_problem:
            on_problem(problem)

    def not_coded(article: Article, exc: BaseException) -> None:
        summary.failed += 1
        where = escape_controls(article.source or article.doc_id)
        report(
            IngestProblem(where, f"not recoded: {type(exc).__name__}: {_one_line(exc)}", "error")
        )

    with Store(db) as store:
        for coded in pipe.run(store.articles(), on_error=not_coded):
            summary.articles += 1
            summary.events += len(coded.events)
            if not config.codes_language(coded.article):
                summary.not_coded_language += 1
            try:
                store.save(coded, replace=True)
            except StoreError as exc:  # the article keeps its earlier coding
                summary.not_stored += 1
                where = escape_controls(coded.article.source or coded.article.doc_id)
                report(IngestProblem(where, f"not stored: {_one_line(exc)}", "error"))
                continue
            summary.stored += 1
            if on_article:
                on_article(coded)
        from tidings.analytics._merge import rebuild_merged, recorded_rule

        recorded = recorded_rule(store)
        if recorded is not None:
            rebuild_merged(store, recorded[0])
    return summary


def stored_events(db: str | Path = DEFAULT_DB, **filters) -> list[Event]:
    """Events already in the store, filtered as :meth:`Store.events` allows
    (a store written by an older Tidings is migrated once first); ``min_confidence``
    defaults to the default view's threshold (None: it; 0: every event)."""
    if filters.get("min_confidence") is None:
        filters["min_confidence"] = DEFAULT_MIN_CONFIDENCE
    with Store.for_reading(db) as store:
        return store.events(**filters)


def lookup_actor(name: str, when=None) -> list:
    """Dictionary answers for a name on a date (see ``tidings actors lookup``)."""
    from tidings.actors import default_resolver

    return default_resolver().lookup(name, when)
