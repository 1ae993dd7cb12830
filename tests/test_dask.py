"""--dask codes exactly what one process codes; --parquet writes a dataset every reader reads.

One LocalCluster (2 worker processes) serves the whole module: each worker
loads spaCy once, the first time it gets a partition, which is most of the
module's run time.
"""

from __future__ import annotations

import importlib
import json
import shutil
import time
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed", reason="dask.distributed is not installed")
import dask  # noqa: E402  (installed with distributed)

pytest.importorskip("pyarrow", reason="pyarrow is not installed")

from tidings.api import (  # noqa: E402 - after the skips
    attach_parquet,
    code_inputs,
    open_store,
    run_dask,
    write_events_parquet,
)
from tidings.api._parquet import COLUMNS, EventDataset  # noqa: E402
from tidings.errors import TidingsError  # noqa: E402
from tidings.ingest import iter_articles  # noqa: E402
from tidings.model import Article  # noqa: E402
from tidings.pipeline import PipelineConfig  # noqa: E402

pytestmark = pytest.mark.slow

ARTICLES = [
    {"id": "a", "date": "2016-12-21", "text": "Japan condemned North Korea on Monday."},
    {"id": "b", "date": "2016-12-21", "text": "China will host Pakistani officials."},
    {"id": "c", "text": "Russian troops attacked Ukrainian police."},  # undated
    {"id": "d", "date": "2016-12-21", "text": "Turkey praised Iran and Russia in 2015."},
    {"id": "e", "date": "2017-01-05", "text": "Egypt accused Israel of violating the truce."},
    {
        "id": "f",
        "date": "2016-11-30",
        "title": "Talks in Moscow",
        "text": "Russian Foreign Minister Sergey Lavrov met his Turkish counterpart in Moscow "
        "on Tuesday.",
    },
    {"id": "g", "date": "2016-12-21", "text": "The weather in the capital was pleasant."},
    {
        "id": "h",
        "date": "2017-02-14",
        "text": "Iran denied that it had sent weapons to Yemen. Saudi Arabia threatened to "
        "sanction Iran in March 2016.",
    },
]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    scratch = str(tmp_path_factory.mktemp("dask-scratch"))  # not a folder left in /tmp
    with (
        dask.config.set({"temporary-directory": scratch}),
        distributed.LocalCluster(
            local_directory=scratch,
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",  # a free port: never clash with a running cluster
            silence_logs=40,  # logging.ERROR: no "worker started" chatter in test output
        ) as local,
    ):
        yield local


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("dask") / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in ARTICLES) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory, pipeline):
    """The single-process run (the session's pipeline): coded articles in order, store."""
    db = tmp_path_factory.mktemp("single") / "one.duckdb"
    coded = []
    summary = code_inputs([str(corpus)], db=db, pipeline=pipeline, on_article=coded.append)
    assert summary.articles == len(ARTICLES) and summary.events >= 8
    return coded, db


def _articles(corpus) -> list[Article]:
    return [a for a in iter_articles([str(corpus)]) if isinstance(a, Article)]


def _key(event) -> tuple:
    target = event.target.code if event.target else None
    return (event.event_id, event.code, event.source.code, target, event.date, event.modality)


def _stored(db) -> list[tuple]:
    with open_store(db, read_only=True) as store:
        return sorted(map(_key, store.events()))


def test_code_inputs_on_dask_equals_single_process(cluster, corpus, reference, tmp_path):
    coded, one_db = reference
    seen = []
    db = tmp_path / "dask.duckdb"
    summary = code_inputs(
        [str(corpus)], db=db, dask=cluster.scheduler_address, on_article=seen.append
    )
    assert summary.articles == len(ARTICLES) and summary.stored == len(ARTICLES)
    assert [c.article.doc_id for c in seen] == [a["id"] for a in ARTICLES]
    assert [_key(e) for c in seen for e in c.events] == [_key(e) for c in coded for e in c.events]
    assert [c.events for c in seen] == [c.events for c in coded]  # every field, not just keys
    assert _stored(db) == _stored(one_db)


def test_run_dask_spreads_partitions_and_keeps_input_order(cluster, corpus, reference):
    coded, _ = reference
    out = list(
        run_dask(
            iter(_articles(corpus)),
            PipelineConfig(),
            address=cluster.scheduler_address,
            partition_size=2,
        )
    )
    assert [c.article.doc_id for c in out] == [a["id"] for a in ARTICLES]
    assert [c.events for c in out] == [c.events for c in coded]
    # Both workers coded, each with one pipeline built once and kept.
    with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
        cached = client.run(lambda: len(importlib.import_module("tidings.api._dask")._PIPELINES))
    assert sorted(cached.values()) == [1, 1]


def test_closing_early_cancels_and_closes(cluster, corpus):
    stream = run_dask(
        iter(_articles(corpus) * 4),
        PipelineConfig(),
        address=cluster.scheduler_address,
        partition_size=1,
    )
    assert next(stream).article.doc_id == "a"
    stream.close()  # what Ctrl-C or a failure to store does to the generator

    def tasks_left(dask_scheduler) -> list[str]:
        return [str(k) for k in dask_scheduler.tasks if str(k).startswith("tidings-code-")]

    with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
        deadline = time.monotonic() + 10
        while client.run_on_scheduler(tasks_left) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert client.run_on_scheduler(tasks_left) == []


def _rows(records) -> list[tuple]:
    """The comparable part of read-back rows (pandas reads a missing date as NaN)."""
    return sorted(
        (
            r["event_id"],
            r["code"],
            r["date"] if isinstance(r["date"], str) else None,
            int(r["year"]),
            int(r["month"]),
        )
        for r in records
    )


def test_parquet_dataset_read_by_pandas_duckdb_and_pyarrow(cluster, corpus, reference, tmp_path):
    import duckdb
    import pandas as pd
    import pyarrow.dataset as ds

    coded, _ = reference
    out = tmp_path / "events"
    code_inputs([str(corpus)], db=None, dask=cluster.scheduler_address, parquet=out)
    events = [e for c in coded for e in c.events]
    expected = sorted(
        (
            e.event_id,
            e.code,
            e.date,
            int(e.date[:4]) if e.date else 0,
            int(e.date[5:7]) if e.date and len(e.date) >= 7 else 0,
        )
        for e in events
    )
    assert {p.relative_to(out).parts[:2] for p in out.glob("year=*/month=*/*.parquet")} >= {
        ("year=0", "month=0"),  # undated
        ("year=2015", "month=0"),  # year precision
        ("year=2016", "month=3"),  # month precision
        ("year=2016", "month=12"),
        ("year=2017", "month=1"),
    }
    frame = pd.read_parquet(out)
    assert _rows(frame.to_dict("records")) == expected
    assert list(frame.columns[: len(COLUMNS)]) == list(COLUMNS)
    table = ds.dataset(out, partitioning="hive").to_table()
    assert _rows(table.to_pylist()) == expected
    con = duckdb.connect()
    glob = (out / "**" / "*.parquet").as_posix()
    result = con.execute("SELECT * FROM read_parquet(?, hive_partitioning = true)", [glob])
    names = [column[0] for column in result.description]
    duck = [dict(zip(names, row, strict=True)) for row in result.fetchall()]
    assert _rows(duck) == expected
    # nested and typed columns survive: cues are lists, goldstein floats
    by_id = {r["event_id"]: r for r in table.to_pylist()}
    for event in events:
        row = by_id[event.event_id]
        assert row["cues"] == list(event.evidence.cues)
        assert row["goldstein"] == event.goldstein
        assert row["location_name"] == (event.location.name if event.location else None)
        assert row["target_code"] == (event.target.code if event.target else None)


def test_rewriting_adds_nothing_and_a_crashed_chunk_is_cleaned(reference, tmp_path):
    import pandas as pd

    coded, _ = reference
    out = tmp_path / "events"
    first = write_events_parquet(coded, out, chunk_rows=3)  # several chunks
    assert first.articles == len(ARTICLES) and first.rows == sum(len(c.events) for c in coded)
    files = sorted(out.rglob("*.parquet"))
    again = write_events_parquet(reversed(coded), out, chunk_rows=1000)  # other chunking
    assert again.articles == 0 and again.already_present == len(ARTICLES) and again.files == 0
    assert sorted(out.rglob("*.parquet")) == files
    # A chunk whose files were written but whose bookkeeping was not (a crash):
    orphan = files[0].with_name("part-0123456789abcdef.parquet")
    shutil.copy(files[0], orphan)
    (out / "year=2016" / "month=12" / ".tmp-part-x.parquet").write_bytes(b"half")
    with EventDataset(out) as dataset:
        assert "a" in dataset and "zzz" not in dataset
    assert sorted(out.rglob("*.parquet")) == files
    assert not list(out.rglob(".tmp-*"))
    assert len(pd.read_parquet(out)) == first.rows


def test_parquet_gets_stored_articles_too(corpus, reference, tmp_path):
    """Adding --parquet to a re-run writes the articles the store already had."""
    coded, _ = reference
    db = tmp_path / "s.duckdb"
    shutil.copy(reference[1], db)
    fresh = tmp_path / "fresh"
    write_events_parquet(coded, fresh)
    rerun = tmp_path / "rerun"
    summary = code_inputs([str(corpus)], db=db, parquet=rerun)
    assert summary.already_stored == len(ARTICLES) and summary.stored == 0
    import pyarrow.dataset as ds

    def rows(path):
        return sorted(
            ds.dataset(path, partitioning="hive").to_table().to_pylist(),
            key=lambda r: r["event_id"],
        )

    assert rows(rerun) == rows(fresh)


def test_attach_view_joins_the_store(reference, tmp_path):
    coded, one_db = reference
    db = tmp_path / "s.duckdb"
    shutil.copy(one_db, db)
    out = tmp_path / "it's data"  # a quote in the path: escaped, not injected
    write_events_parquet(coded, out)
    attach_parquet(db, out)
    with open_store(db, read_only=True) as store:
        joined = store.connection.execute(
            "SELECT count(*), count(DISTINCT p.year) FROM parquet_events p "
            "JOIN events e USING (event_id) WHERE p.code = e.code"
        ).fetchone()
    assert joined == (sum(len(c.events) for c in coded), 4)  # 0, 2015, 2016, 2017
    with pytest.raises(TidingsError, match="view name"):
        attach_parquet(db, out, name="x; DROP TABLE events")
    with pytest.raises(TidingsError, match="no Parquet dataset"):
        attach_parquet(db, tmp_path / "missing")


def test_cli_dask_and_parquet(cluster, corpus, tmp_path, capsys, monkeypatch):
    from tidings.cli import main

    out = tmp_path / "cli-events"
    monkeypatch.setenv("TIDINGS_DASK", cluster.scheduler_address)  # the settings entry
    try:
        # Every event (the dataset keeps them all, as the store does; the default view
        # would print only asserted and reported ones at or above the threshold).
        args = ["code", str(corpus), "--no-store", "--format", "jsonl", "--parquet", str(out)]
        main([*args, "--min-confidence", "0", "--all-modalities"])
    except SystemExit as exc:
        assert not exc.code
    printed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    import pandas as pd

    assert sorted(r["event_id"] for r in printed) == sorted(pd.read_parquet(out)["event_id"])


def test_bad_address_and_workers_conflict_are_one_line_errors(corpus, tmp_path):
    with pytest.raises(TidingsError, match="not a Dask scheduler address"):
        list(run_dask(iter([]), PipelineConfig(), address="tcp://localhost"))
    with pytest.raises(TidingsError, match="cannot be combined"):
        code_inputs([str(corpus)], db=None, dask="tcp://127.0.0.1:8786", workers=2)


def test_cluster_without_workers_is_an_error_not_a_hang(tmp_path):
    with (
        dask.config.set({"temporary-directory": str(tmp_path)}),
        distributed.LocalCluster(
            n_workers=0,
            processes=False,
            dashboard_address=":0",
            silence_logs=40,
            local_directory=str(tmp_path),
        ) as empty,
        pytest.raises(TidingsError, match="has no workers"),
    ):
        list(
            run_dask(
                iter([]), PipelineConfig(), address=empty.scheduler_address, worker_timeout=0.5
            )
        )


def test_pipeline_errors_on_workers_come_back(cluster, corpus):
    from tidings.errors import ModelError

    with pytest.raises(ModelError):
        list(
            run_dask(
                iter(_articles(corpus)[:1]),
                PipelineConfig(model="no_such_spacy_model"),
                address=cluster.scheduler_address,
            )
        )


def test_a_failing_article_costs_only_itself_on_dask(
    cluster, corpus, reference, tmp_path, monkeypatch
):
    """An article whose parsing raises on a worker is one problem line; the rest is stored."""
    import tidings.api
    from tidings.model import Paragraph

    real = tidings.api.iter_articles
    bad = Article(doc_id="bad", title="", paragraphs=(Paragraph(None),), source="bad.jsonl:3")

    def with_a_bad_article(*args, **kwargs):
        for n, item in enumerate(real(*args, **kwargs)):
            if n == 2:
                yield bad
            yield item

    _, one_db = reference
    db = tmp_path / "dask.duckdb"
    problems = []
    monkeypatch.setattr(tidings.api, "iter_articles", with_a_bad_article)
    summary = code_inputs(
        [str(corpus)],
        db=db,
        dask=cluster.scheduler_address,
        deduplicate=False,  # so the bad article reaches a worker's pipeline
        on_problem=problems.append,
    )
    assert summary.stored == len(ARTICLES) and summary.failed == 1
    assert [(p.source, p.level) for p in problems] == [("bad.jsonl:3", "error")]
    assert problems[0].message.startswith("not coded: AttributeError:")
    assert _stored(db) == _stored(one_db)
    # Through the Python API without on_error, the failure ends the run, naming the article.
    with pytest.raises(TidingsError, match="bad: not coded: AttributeError"):
        list(run_dask(iter([bad]), PipelineConfig(), address=cluster.scheduler_address))
