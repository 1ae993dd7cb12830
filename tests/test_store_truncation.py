"""A store cut short is refused in one line by every command that opens it.

A half-copied store or one cut by a full disk opens in DuckDB, which reads
blocks lazily: counts come from the metadata while data or index blocks are
gone.  Every cut of a real store -- inside the headers, inside a block, at
each block boundary -- must either be refused by ``stats``, ``events``,
``export`` and ``serve`` alike (one line, non-zero exit, ``serve`` before its
banner and before binding a port), or have lost nothing a reader can reach,
point lookups through the indexes included.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

import duckdb
import pytest

from tidings.api import ingest_inputs
from tidings.cli import main
from tidings.errors import StoreError
from tidings.store import Store

HEADER = 4096  # DuckDB: a main header and two database headers, 4 KiB each


def run(argv: list[str], capsys) -> tuple[int, str]:
    code = 0
    try:
        main(argv)
    except SystemExit as exc:
        code = exc.code or 0
    return code, capsys.readouterr().err


@pytest.fixture(scope="module")
def whole(tmp_path_factory) -> Path:
    """A small real store written by two runs: the second leaves free blocks
    and puts an index block last, past every block of table data."""
    tmp = tmp_path_factory.mktemp("store")
    db = tmp / "whole.duckdb"
    for run_no in range(2):
        corpus = tmp / f"run{run_no}.jsonl"
        corpus.write_text(
            "".join(
                json.dumps(
                    {
                        "id": f"r{run_no}a{i}",
                        "title": f"T{i}",
                        "text": f"{i} Russia criticised Ukraine in run {run_no}. " * 40,
                    }
                )
                + "\n"
                for i in range(100)
            ),
            encoding="utf-8",
        )
        ingest_inputs([str(corpus)], db=db)
    return db


def layout(db: Path) -> tuple[int, int, set[int]]:
    """Blocks the newest header counts, their size, and the blocks DuckDB lists
    as holding table data or metadata (index blocks are not listed)."""
    data = db.read_bytes()
    counted, size = max(
        (struct.unpack_from("<QQQQQQ", data, at) for at in (HEADER, 2 * HEADER)),
        key=lambda fields: fields[1],
    )[4:6]
    con = duckdb.connect(str(db), read_only=True)
    try:
        metadata = con.execute("SELECT block_id FROM pragma_metadata_info()").fetchall()
        listed = {b for (b,) in metadata}
        for (table,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
        ).fetchall():
            listed.update(
                b
                for (b,) in con.execute(
                    f"SELECT DISTINCT block_id FROM pragma_storage_info('{table}') "
                    "WHERE block_id >= 0"
                ).fetchall()
            )
    finally:
        con.close()
    return counted, size, listed


def contents(db: Path) -> list[tuple]:
    """Everything a reader reaches, each article also looked up by its key
    (through the primary-key index, which a cut may have taken)."""
    with Store(db, read_only=True) as store:
        articles = sorted((a.doc_id, a.text) for a in store.articles())
        found = [
            (doc_id, store.has_article(doc_id), len(tuple(store.sentences(doc_id))))
            for doc_id, _ in articles
        ]
    return articles + found


def commands(db: Path, tmp: Path) -> dict[str, list[str]]:
    return {
        "stats": ["stats", "--db", str(db)],
        "events": ["events", "--db", str(db)],
        "export": ["export", "--format", "csv", "--db", str(db), "-o", str(tmp / "out.csv")],
        "serve": ["serve", "--db", str(db), "--port", "0"],
    }


def outcomes(db: Path, tmp: Path, capsys, monkeypatch) -> dict[str, tuple[int, str, bool]]:
    """Per command: exit code, stderr, and whether ``serve`` went on to bind."""
    import uvicorn

    bound: list[bool] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: bound.append(True))
    results = {}
    for name, argv in commands(db, tmp).items():
        bound.clear()
        code, err = run(argv, capsys)
        results[name] = (code, err, bool(bound))
    return results


def cuts(data: bytes, size: int, counted: int) -> list[int]:
    inside_headers = [100, HEADER + 100, 3 * HEADER - 1]
    inside_blocks = [3 * HEADER + k * size + size // 2 for k in range(counted)]
    boundaries = [3 * HEADER + k * size for k in range(counted)]
    return [n for n in inside_headers + inside_blocks + boundaries if n < len(data)]


def test_every_cut_is_refused_by_every_command_or_loses_nothing(
    whole, tmp_path, capsys, monkeypatch
):
    data = whole.read_bytes()
    counted, size, listed = layout(whole)
    expected = contents(whole)
    index_only_tail_refused = False
    for length in cuts(data, size, counted):
        cut = tmp_path / f"cut{length}.duckdb"
        cut.write_bytes(data[:length])
        results = outcomes(cut, tmp_path, capsys, monkeypatch)
        refused = {name for name, (code, _err, _bound) in results.items() if code}
        if refused:
            assert refused == set(results), (length, results)  # every command, not some
            for name, (_code, err, bound) in results.items():
                assert "Traceback" not in err, (length, name, err)
                assert len(err.strip().splitlines()) == 1, (length, name, err)
                assert str(cut) in err, (length, name, err)
                if name == "serve":  # the error alone: no banner, no port bound
                    assert "serving" not in err and not bound, (length, err)
            boundary = (length - 3 * HEADER) % size == 0 and length >= 3 * HEADER
            if boundary and max(listed) < (length - 3 * HEADER) // size:
                index_only_tail_refused = True  # only blocks DuckDB does not list were cut
        else:
            assert contents(cut) == expected, length
            assert results["serve"][2], "a whole store is served"
    # The store was built so that its last block holds index data only.
    assert max(listed) < counted - 1
    assert index_only_tail_refused


def test_a_store_cut_in_the_index_only_tail_fails_point_lookups(whole, tmp_path):
    """Why such a cut must be refused: it answers counts, then fails lookups."""
    data = whole.read_bytes()
    counted, size, _listed = layout(whole)
    cut = tmp_path / "tail.duckdb"
    cut.write_bytes(data[: 3 * HEADER + (counted - 1) * size])
    with pytest.raises(StoreError, match="is truncated"):
        Store(cut, read_only=True)
    con = duckdb.connect(str(cut), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (200,)
        failed = 0
        for run_no in range(2):
            for i in range(100):
                try:
                    con.execute("SELECT 1 FROM articles WHERE doc_id = ?", [f"r{run_no}a{i}"])
                except duckdb.IOException:
                    failed += 1
        assert failed
    finally:
        con.close()


def test_serve_on_a_corrupt_store_fails_before_its_banner(tmp_path, capsys, monkeypatch):
    import uvicorn

    bound: list[bool] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: bound.append(True))
    db = tmp_path / "bad.duckdb"
    db.write_bytes(b"\x00garbage" * 1000)
    code, err = run(["serve", "--db", str(db), "--port", "0"], capsys)
    assert code != 0 and not bound
    assert len(err.strip().splitlines()) == 1 and "serving" not in err, err
    assert "Traceback" not in err
