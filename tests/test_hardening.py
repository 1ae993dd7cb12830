"""Bad input of every kind the fault campaign found (issue 15): one line naming the
input, the run goes on, and the good inputs of the same run are stored."""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path

from tidings.api import code_inputs, ingest_inputs
from tidings.cli import main
from tidings.cli._progress import estimate_total
from tidings.ingest import IngestOptions, IngestProblem, iter_articles
from tidings.model import Article, Paragraph
from tidings.nlp import split_long
from tidings.store import Store

GOOD = {"id": "good-1", "title": "Talks", "text": "Russia criticised Ukraine on Monday."}
GOOD2 = {"id": "good-2", "title": "Threat", "text": "Iran threatened Israel on Tuesday."}


def run(argv, capsys, monkeypatch=None, stdin=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", stdin)
    code = 0
    try:
        main(argv)
    except SystemExit as exc:
        code = exc.code or 0
    out, err = capsys.readouterr()
    return code, out, err


def write_jsonl(path: Path, *lines: str) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_bad_records_cost_themselves_only(tmp_path, capsys, pipeline):
    corpus = write_jsonl(
        tmp_path / "mixed.jsonl",
        json.dumps(GOOD),
        '{"id": "sur", "text": "Russia \\ud800 criticised Ukraine again."}',  # lone surrogate
        '{"id": "big", "text": "China met Japan.", "n": ' + "1" * 5000 + "}",  # int too long
        '{"id": "dated", "date": "12/20/16", "text": "France praised Germany."}',
        '{"id": "numtitle", "title": 12345, "text": "Egypt accused Sudan."}',
        json.dumps(GOOD2),
    )
    db = tmp_path / "t.duckdb"
    summary = code_inputs([str(corpus)], db=db, pipeline=pipeline)
    with Store(db, read_only=True) as store:
        stored = {
            row[0] for row in store.connection.execute("SELECT doc_id FROM articles").fetchall()
        }
        (title,) = store.connection.execute(
            "SELECT title FROM articles WHERE doc_id = 'sur'"
        ).fetchone()
    assert stored == {"good-1", "sur", "dated", "numtitle", "good-2"}
    errors = [p for p in summary.problems if p.level == "error"]
    assert [p.source for p in errors] == [f"{corpus}:3"]
    assert "invalid JSON" in errors[0].message
    warnings = [p for p in summary.problems if p.level == "warning"]
    assert {p.source for p in warnings} == {f"{corpus}:4", f"{corpus}:5"}
    assert title == ""


def test_stdin_with_undecodable_bytes(tmp_path, capsys, monkeypatch):
    raw = b"Russia criticised Ukraine on Monday over the law.\n" + b"\xff\xfe bad \xc3\n"
    stdin = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8", errors="surrogateescape")
    db = tmp_path / "t.duckdb"
    code, _out, err = run(
        ["code", "-", "--db", str(db), "--format", "csv"], capsys, monkeypatch, stdin
    )
    assert code == 0, err
    assert "Traceback" not in err
    assert "invalid UTF-8" in err
    with Store(db, read_only=True) as store:
        assert store.connection.execute("SELECT count(*) FROM articles").fetchone() == (1,)


def test_record_over_the_limit_is_skipped_while_reading(tmp_path):
    corpus = tmp_path / "huge.jsonl.gz"
    with gzip.open(corpus, "wb") as out:
        out.write((json.dumps(GOOD) + "\n").encode())
        out.write(b'{"text": "' + b"a" * 3_000_000 + b'"}\n')
        out.write((json.dumps(GOOD2) + "\n").encode())
    results = list(iter_articles([str(corpus)], options=IngestOptions(max_record_bytes=1_000_000)))
    assert [r.doc_id for r in results if isinstance(r, Article)] == ["good-1", "good-2"]
    (bad,) = [r for r in results if isinstance(r, IngestProblem)]
    assert bad.source == f"{corpus}:2" and "larger than 1,000,000 bytes" in bad.message


def test_decompression_bomb_stops_at_the_input_limit(tmp_path):
    corpus = tmp_path / "bomb.jsonl.gz"
    with gzip.open(corpus, "wb") as out:
        out.write((json.dumps(GOOD) + "\n").encode())
        block = (json.dumps({"text": "x" * 1000}) + "\n").encode()
        for _ in range(5000):  # ~5 MB decompressed, a few KB on disk
            out.write(block)
    results = list(iter_articles([str(corpus)], options=IngestOptions(max_input_bytes=1_000_000)))
    problems = [r for r in results if isinstance(r, IngestProblem)]
    assert isinstance(results[0], Article)
    assert len(results) < 1100
    assert "after decompression" in problems[-1].message


def test_unreadable_file_while_estimating(tmp_path, monkeypatch):
    corpus = write_jsonl(tmp_path / "locked.jsonl", json.dumps(GOOD))

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", refuse)  # root reads anything: simulate the refusal
    assert estimate_total([str(corpus)]) is None


def test_file_name_with_control_characters_stays_one_line(tmp_path, capsys):
    name = tmp_path / "evil\n\x1b[31mred.md"
    name.write_bytes(b"")
    code, _out, err = run(["code", str(name), "--no-store"], capsys)
    assert code == 1
    assert "\x1b" not in err
    lines = [line for line in err.splitlines() if "evil" in line]
    assert len(lines) == 1 and "evil\\n\\x1b[31mred.md" in lines[0]


def test_long_paragraph_is_split_not_refused(pipeline, monkeypatch):
    sentence = "Russia criticised Ukraine over the new law. "
    text = (sentence * 30_000).strip()  # ~1.3 M characters, over spaCy's max_length
    pieces = split_long(text)
    assert all(len(p) <= 100_000 for p in pieces)
    assert " ".join(pieces) == text  # cut at sentence ends, nothing lost
    monkeypatch.setattr(pipeline.nlp, "max_length", 2_000)  # a long paragraph, cheaply
    monkeypatch.setattr("tidings.nlp.MAX_UNIT_CHARS", 1_000)
    article = Article(doc_id="long", title="", paragraphs=(Paragraph(sentence * 100),))
    coded = pipeline.code_article(article)
    assert len(coded.events) == 100


def test_pipeline_isolates_a_failing_article(pipeline, monkeypatch):
    articles = [
        Article(doc_id=f"a{i}", title="", paragraphs=(Paragraph("Iran threatened Israel."),))
        for i in range(5)
    ]
    real = pipeline._code

    def flaky(parsed, *stage):
        if parsed.article.doc_id == "a2":
            raise RuntimeError("boom")
        return real(parsed, *stage)

    monkeypatch.setattr(pipeline, "_code", flaky)
    failed = []
    coded = list(
        pipeline.run(articles, on_error=lambda a, exc: failed.append((a.doc_id, str(exc))))
    )
    assert [c.article.doc_id for c in coded] == ["a0", "a1", "a3", "a4"]
    assert failed == [("a2", "boom")]


def test_code_exits_non_zero_when_nothing_can_be_stored(tmp_path, capsys, monkeypatch):
    from tidings.errors import StoreError

    corpus = write_jsonl(tmp_path / "c.jsonl", json.dumps(GOOD), json.dumps(GOOD2))

    def full(self, coded, **kwargs):
        raise StoreError("cannot save article: No space left on device")

    monkeypatch.setattr(Store, "save", full)  # a full disk, as DuckDB reports it
    code, _out, err = run(["code", str(corpus), "--db", str(tmp_path / "t.duckdb")], capsys)
    assert code == 1
    assert "Traceback" not in err
    assert "0 stored" in err  # the summary still tells what happened
    assert "2 article(s) could not be stored" in err


def test_corrupt_store_is_one_line_in_every_command(tmp_path, capsys):
    db = tmp_path / "bad.duckdb"
    db.write_bytes(b"\x00garbage" * 1000)
    corpus = write_jsonl(tmp_path / "c.jsonl", json.dumps(GOOD))
    for argv in (
        ["code", str(corpus), "--db", str(db)],
        ["ingest", str(corpus), "--db", str(db)],
        ["stats", "--db", str(db)],
        ["events", "--db", str(db)],
    ):
        code, _out, err = run(argv, capsys)
        assert code != 0, argv
        assert "Traceback" not in err
        assert len(err.strip().splitlines()) == 1, (argv, err)


def test_ingest_counts_store_failures(tmp_path):
    corpus = write_jsonl(tmp_path / "c.jsonl", json.dumps(GOOD), json.dumps(GOOD2))
    summary = ingest_inputs([str(corpus)], db=tmp_path / "t.duckdb")
    assert summary.stored == 2 and summary.not_stored == 0


def test_truncated_store_is_refused_in_one_line(tmp_path, capsys):
    corpus = write_jsonl(tmp_path / "c.jsonl", json.dumps(GOOD), json.dumps(GOOD2))
    db = tmp_path / "whole.duckdb"
    ingest_inputs([str(corpus)], db=db)
    data = db.read_bytes()
    half = tmp_path / "half.duckdb"
    half.write_bytes(data[: len(data) // 2])
    for argv in (["stats", "--db", str(half)], ["code", str(corpus), "--db", str(half)]):
        code, _out, err = run(argv, capsys)
        assert code == 1, argv
        assert err.count("\n") == 1 and "is truncated" in err, err


def test_csv_line_over_the_limit_is_not_gathered(tmp_path):
    corpus = tmp_path / "long.csv.gz"
    with gzip.open(corpus, "wb") as out:
        out.write(b"id,text\n1,Russia criticised Ukraine.\n2," + b"a" * 2_000_000 + b"\n3,x\n")
    results = list(iter_articles([str(corpus)], options=IngestOptions(max_record_bytes=100_000)))
    assert [r.doc_id for r in results if isinstance(r, Article)] == ["1"]
    (bad,) = [r for r in results if isinstance(r, IngestProblem)]
    assert bad.source == f"{corpus}:3" and "longer than 100,000 bytes" in bad.message


def test_speedup_tables_refilled_give_the_same_annotations(pipeline, monkeypatch):
    texts = [
        "Russia's foreign minister criticised Ukraine's new laws on Monday.",
        "The Zorblatt delegation met 14 officials in Astana, sources said.",
        "He didn't deny that talks were running late.",
    ]

    def annotate():
        with pipeline.nlp.memory_zone():
            return [[(t.tag_, t.pos_, t.lemma_) for t in doc] for doc in pipeline.nlp.pipe(texts)]

    before = annotate()
    monkeypatch.setattr("tidings.nlp._speedups._TABLE_LIMIT", 3)
    monkeypatch.setattr("tidings.nlp._speedups._LEMMA_CACHE_LIMIT", 3)
    assert annotate() == before == annotate()


def test_coding_does_not_grow_the_string_store(pipeline):
    def article(n):
        words = " ".join(f"Qwx{n}zz{k}" for k in range(30))
        return Article(doc_id=f"z{n}", title="", paragraphs=(Paragraph(f"Iran met {words}."),))

    pipeline.code_article(article(0))
    size = len(pipeline.nlp.vocab.strings)
    for n in range(1, 4):
        pipeline.code_article(article(n))  # 30 new words each, freed with the zone
    assert len(pipeline.nlp.vocab.strings) == size


def test_store_cut_at_a_block_boundary_is_refused_in_every_command(tmp_path, capsys):
    """A store cut exactly between blocks (a half-copied file, a full disk) opens in
    DuckDB and answers counts from its metadata while its data is gone.  Every cut is
    either refused by every command in one line, or loses nothing (only free blocks
    were cut)."""
    import struct

    records = [
        json.dumps(
            {"id": f"a{i}", "title": f"T{i}", "text": f"{i} Russia criticised Ukraine. " * 40}
        )
        for i in range(60)
    ]
    corpus = write_jsonl(tmp_path / "c.jsonl", *records)
    db = tmp_path / "whole.duckdb"
    ingest_inputs([str(corpus)], db=db)
    with Store(db, read_only=True) as store:
        whole = sorted((a.doc_id, a.text) for a in store.articles())
    data = db.read_bytes()
    header = 4096
    counted, block = max(
        (struct.unpack_from("<QQQQQQ", data, at) for at in (header, 2 * header)),
        key=lambda fields: fields[1],
    )[4:6]
    assert counted >= 2
    refused = 0
    for kept in range(counted):
        cut = tmp_path / f"cut{kept}.duckdb"
        cut.write_bytes(data[: 3 * header + kept * block])
        outcomes = []
        for argv in (
            ["stats", "--db", str(cut)],
            ["events", "--db", str(cut)],
            ["ingest", str(corpus), "--db", str(cut)],
        ):
            code, _out, err = run(argv, capsys)
            outcomes.append(code)
            assert "Traceback" not in err
            if code:
                assert err.count("\n") == 1 and "is truncated" in err, (kept, argv, err)
        if any(outcomes):
            assert all(outcomes), (kept, outcomes)  # every command, not just some
            refused += 1
        else:  # only free blocks were cut: everything is there
            with Store(cut, read_only=True) as store:
                assert sorted((a.doc_id, a.text) for a in store.articles()) == whole
    assert refused >= 1


def test_coding_run_releases_duckdbs_cache_as_it_goes(tmp_path, pipeline, monkeypatch):
    """DuckDB keeps what it wrote cached until told otherwise: a long run asks it
    to let go every RELEASE_CACHE_EVERY articles, and stores everything."""
    import tidings.api as api

    released = []
    real = Store.release_cache
    monkeypatch.setattr(Store, "release_cache", lambda self: released.append(real(self)))
    monkeypatch.setattr(api, "RELEASE_CACHE_EVERY", 2)
    texts = [
        "Russia criticised Ukraine on Monday.",
        "Iran threatened Israel on Tuesday.",
        "China praised Japan for its aid after the storm.",
        "France and Germany met in Paris to discuss trade.",
        "Turkey accused Syria of shelling border villages.",
    ]
    records = [{"id": f"g{n}", "title": "", "text": text} for n, text in enumerate(texts)]
    corpus = write_jsonl(tmp_path / "c.jsonl", *map(json.dumps, records))
    summary = code_inputs([str(corpus)], db=tmp_path / "t.duckdb", pipeline=pipeline)
    assert summary.stored == 5 and len(released) == 2
    with Store(tmp_path / "t.duckdb", read_only=True) as store:
        assert len(store.articles()) == 5
