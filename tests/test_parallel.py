"""--workers N stores exactly what a single process stores."""

from __future__ import annotations

import json

from tidings.api import code_inputs, open_store


def _corpus(tmp_path):
    lines = [
        {"id": "a", "date": "2016-12-21", "text": "Japan condemned North Korea on Monday."},
        {"id": "b", "date": "2016-12-21", "text": "China will host Pakistani officials."},
        {"id": "c", "date": "2016-12-21", "text": "Russian troops attacked Ukrainian police."},
        {"id": "d", "date": "2016-12-21", "text": "Turkey praised Iran and Russia."},
    ]
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    return path


def _events(db):
    with open_store(db, read_only=True) as store:
        return sorted((e.event_id, e.code, e.source.code, e.date) for e in store.events())


def test_two_workers_equal_one(tmp_path):
    corpus = _corpus(tmp_path)
    one = code_inputs([str(corpus)], db=tmp_path / "one.duckdb")
    two = code_inputs([str(corpus)], db=tmp_path / "two.duckdb", workers=2)
    assert one.articles == two.articles == 4
    assert one.events == two.events > 0
    assert _events(tmp_path / "one.duckdb") == _events(tmp_path / "two.duckdb")


def test_prefilter_reaches_the_workers(tmp_path):
    """--prefilter with --workers 2 stores what one filtering process stores."""
    corpus = _corpus(tmp_path)
    extra = tmp_path / "more.jsonl"
    extra.write_text(
        json.dumps({"id": "e", "date": "2016-12-21", "text": "The weather was fine. Rain fell."})
        + "\n",
        encoding="utf-8",
    )
    one = code_inputs([str(corpus), str(extra)], db=tmp_path / "one.duckdb", prefilter=True)
    two = code_inputs(
        [str(corpus), str(extra)], db=tmp_path / "two.duckdb", workers=2, prefilter=True
    )
    assert one.articles == two.articles == 5
    assert one.events == two.events > 0
    assert _events(tmp_path / "one.duckdb") == _events(tmp_path / "two.duckdb")
    with open_store(tmp_path / "two.duckdb", read_only=True) as store:
        assert [s.text for s in store.sentences("e")] == ["The weather was fine.", "Rain fell."]


def test_rerun_after_partial_run_completes_the_job(tmp_path):
    corpus = _corpus(tmp_path)
    full = tmp_path / "full.duckdb"
    code_inputs([str(corpus)], db=full)
    # a run that "died" after two articles: only their lines were read
    partial = tmp_path / "partial.duckdb"
    head = tmp_path / "head.jsonl"
    head.write_text("".join(corpus.read_text().splitlines(keepends=True)[:2]), encoding="utf-8")
    code_inputs([str(head)], db=partial)
    summary = code_inputs([str(corpus)], db=partial)
    assert summary.already_stored == 2 and summary.stored == 2
    assert _events(partial) == _events(full)


def test_sigkill_then_rerun_equals_uninterrupted_run(tmp_path):
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    sentences = [
        "Japan condemned North Korea on Monday.",
        "Russian troops attacked Ukrainian police in Donetsk.",
        "Turkey praised Iran and Russia.",
        "China will host Pakistani officials next week.",
        "Egypt accused Israel of violating the truce.",
    ]
    lines = [
        json.dumps({"id": f"n{i}", "date": "2016-12-21", "text": " ".join(sentences[i % 5 :] * 3)})
        for i in range(60)
    ]
    corpus = tmp_path / "big.jsonl"
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    exe = str(Path(sys.executable).with_name("tidings"))
    reference = tmp_path / "ref.duckdb"
    subprocess.run(
        [exe, "code", str(corpus), "--db", str(reference), "--format", "csv", "--keep-duplicates"],
        check=True,
        capture_output=True,
        timeout=300,
    )
    killed = tmp_path / "killed.duckdb"
    proc = subprocess.Popen(
        [exe, "code", str(corpus), "--db", str(killed), "--format", "csv", "--keep-duplicates"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.2)
        if killed.exists() and killed.stat().st_size > 0:
            time.sleep(1.0)  # let it store a few articles, then kill mid-run
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    subprocess.run(
        [exe, "code", str(corpus), "--db", str(killed), "--format", "csv", "--keep-duplicates"],
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert _events(killed) == _events(reference)
    with open_store(killed, read_only=True) as store:
        assert store.counts()["articles"] == 60


def _chunky_corpus(tmp_path, n=30):
    """More articles than several chunks (8 each), with copies of some stories."""
    countries = ["Japan", "Russia", "Turkey", "China", "Egypt", "France", "Kenya", "Brazil",
                 "India", "Chile", "Norway", "Peru", "Iran"]  # fmt: skip
    verbs = ["condemned", "praised", "accused", "met", "threatened", "criticized", "thanked"]
    places = ["in Geneva", "on Monday", "after the vote", "in a statement", "at the summit"]
    lines = []
    for i in range(n):
        text = " ".join(
            f"{countries[(i + 3 * k) % 13]} {verbs[(i * 2 + k) % 7]} "
            f"{countries[(i * 5 + k + 1) % 13]} {places[(i + k) % 5]} ({i}-{k})."
            for k in range(4)
        )
        lines.append({"id": f"n{i}", "date": "2016-12-21", "text": text})
        if i % 7 == 0:  # a copy of the same story under another id
            lines.append({"id": f"copy{i}", "date": "2016-12-21", "text": text})
    path = tmp_path / "chunky.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    return path


def _articles(db):
    with open_store(db, read_only=True) as store:
        return sorted(a.doc_id for a in store.articles()), store.counts()


def test_several_chunks_with_copies_store_what_one_process_stores(tmp_path, monkeypatch):
    """The store is read (already stored? a copy?) and written by the main thread only,
    so chunks racing the writes can neither crash DuckDB 2 nor lose rows."""
    import threading

    from tidings.store import Store

    threads = set()
    for name in ("has_article", "is_copy", "record_copy", "save"):
        method = getattr(Store, name)

        def recording(self, *args, _method=method, **kwargs):
            threads.add(threading.current_thread().name)
            return _method(self, *args, **kwargs)

        monkeypatch.setattr(Store, name, recording)
    corpus = _chunky_corpus(tmp_path)
    one = code_inputs([str(corpus)], db=tmp_path / "one.duckdb")
    two = code_inputs([str(corpus)], db=tmp_path / "two.duckdb", workers=2)
    assert threads == {threading.main_thread().name}
    assert not two.problems
    assert (one.articles, one.stored, one.duplicates, one.events) == (
        two.articles,
        two.stored,
        two.duplicates,
        two.events,
    )
    assert two.duplicates >= 5 and two.stored == 30
    assert _articles(tmp_path / "one.duckdb") == _articles(tmp_path / "two.duckdb")
    assert _events(tmp_path / "one.duckdb") == _events(tmp_path / "two.duckdb")
    # a second parallel run finds everything stored and codes nothing
    again = code_inputs([str(corpus)], db=tmp_path / "two.duckdb", workers=2)
    assert again.stored == 0 and again.already_stored + again.duplicates == again.articles


def test_killed_worker_is_a_clear_error_and_a_rerun_completes(tmp_path):
    import multiprocessing
    import os
    import signal

    import pytest

    from tidings.errors import TidingsError

    corpus = _chunky_corpus(tmp_path, n=40)
    reference = tmp_path / "ref.duckdb"
    code_inputs([str(corpus)], db=reference)
    killed = tmp_path / "killed.duckdb"
    seen = []

    def kill_a_worker(coded):
        seen.append(coded.article.doc_id)
        if len(seen) == 1:
            os.kill(multiprocessing.active_children()[0].pid, signal.SIGKILL)

    with pytest.raises(TidingsError, match="worker process died"):
        code_inputs([str(corpus)], db=killed, workers=2, on_article=kill_a_worker)
    stored, _ = _articles(killed)
    assert 1 <= len(stored) < 40  # what came back before the death is kept
    code_inputs([str(corpus)], db=killed, workers=2)
    assert _articles(killed) == _articles(reference)
    assert _events(killed) == _events(reference)


def _with_a_bad_article(monkeypatch, after: int = 1):
    """Make the run's input hold one article that makes the parsing stage raise.

    Ingest never builds such an article (its text is not a string), but the
    Python API accepts any Article, and whatever a stage raises on one article
    must cost only that article, in a worker process as in the parent.
    """
    import tidings.api
    from tidings.model import Article, Paragraph

    real = tidings.api.iter_articles
    bad = Article(doc_id="bad", title="", paragraphs=(Paragraph(None),), source="bad.jsonl:2")

    def iter_articles(*args, **kwargs):
        for n, item in enumerate(real(*args, **kwargs)):
            if n == after:
                yield bad
            yield item

    monkeypatch.setattr(tidings.api, "iter_articles", iter_articles)


def test_a_failing_article_costs_only_itself_in_workers(tmp_path, monkeypatch):
    corpus = _corpus(tmp_path)
    _with_a_bad_article(monkeypatch)
    # Without near-duplicate detection the bad article reaches a worker's pipeline;
    # with it, the parent's fingerprinting meets it first: one line either way.
    for dedup in (False, True):
        one = code_inputs([str(corpus)], db=tmp_path / f"one{dedup}.duckdb", deduplicate=dedup)
        two = code_inputs(
            [str(corpus)], db=tmp_path / f"two{dedup}.duckdb", workers=2, deduplicate=dedup
        )
        assert (two.articles, two.stored, two.failed) == (one.articles, one.stored, one.failed)
        assert two.stored == 4 and two.failed == 1
        assert [(p.source, p.message, p.level) for p in two.problems] == [
            (p.source, p.message, p.level) for p in one.problems
        ]
        (problem,) = two.problems
        assert problem.source == "bad.jsonl:2" and problem.level == "error"
        assert problem.message.startswith(
            "not coded: TypeError:" if dedup else "not coded: AttributeError:"
        ), problem.message
        assert "\n" not in problem.message
        assert _events(tmp_path / f"one{dedup}.duckdb") == _events(tmp_path / f"two{dedup}.duckdb")
