"""Tests of the DuckDB store: schema, migrations, transactions, filters, round-trips."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from tidings.errors import StoreError
from tidings.model import (
    Actor,
    Article,
    CodedArticle,
    Event,
    Evidence,
    Paragraph,
    Place,
    Sentence,
)
from tidings.store import DEFAULT_DB, Store, _schema

LATEST = _schema.latest_version()

# ------------------------------------------------------------------ builders


def make_article(doc_id: str, **changes: object) -> Article:
    article = Article(
        doc_id=doc_id,
        title=f"Title of {doc_id}",
        paragraphs=(
            Paragraph("Russia's foreign minister met his Ukrainian counterpart."),
            Paragraph("The two ministers in Kyiv.", kind="caption"),
            Paragraph('It\'s "quoted" -- ünïcödé; DROP TABLE events; --'),
        ),
        authors=("Ann Author", "Bob Byline"),
        date=dt.date(2024, 3, 5),
        url=f"https://example.org/{doc_id}",
        outlet="Example Times",
        language="en",
        embeds=(Paragraph("@someone: a post", kind="embed"),),
        source=f"/data/{doc_id}.html",
    )
    return replace(article, **changes)


def make_sentences(doc_id: str, n: int = 3) -> tuple[Sentence, ...]:
    title = Sentence(doc_id, 0, -1, f"Title of {doc_id}", kind="title")
    body = tuple(
        Sentence(doc_id, i, i - 1, f"Sentence {i} of {doc_id}.", kind="body") for i in range(1, n)
    )
    return (title, *body)


def make_event(
    doc_id: str,
    n: int,
    *,
    sentence_index: int = 1,
    source: str = "RUSGOV",
    target: str | None = "UKRGOV",
    code: str = "042",
    modality: str = "asserted",
    date: str | None = "2024-03-04",
    precision: str | None = "day",
    location: Place | None = None,
    confidence: float = 1.0,
) -> Event:
    return Event(
        event_id=f"{doc_id}-e{n}",
        doc_id=doc_id,
        sentence_index=sentence_index,
        sentence=f"Sentence {sentence_index} of {doc_id}.",
        source=Actor(code=source, text=source.lower(), country=source[:3]),
        target=None if target is None else Actor(code=target, text=target.lower()),
        code=code,
        root_code=code[:2],
        quad_class=1,
        goldstein=1.9,
        modality=modality,
        evidence=Evidence(trigger="met", rule="rule"),
        date=date,
        date_precision=precision if date else None,
        location=location,
        confidence=confidence,
    )


def make_coded(doc_id: str, events: tuple[Event, ...] = (), n_sentences: int = 3) -> CodedArticle:
    return CodedArticle(make_article(doc_id), make_sentences(doc_id, n_sentences), events)


def full_event(doc_id: str = "full") -> Event:
    """An event with every optional field set, to prove the round-trip is exact."""
    return Event(
        event_id=f"{doc_id}-e1",
        doc_id=doc_id,
        sentence_index=2,
        sentence=f"Sentence 2 of {doc_id}.",
        source=Actor(
            code="RUSGOVFRM",
            text="Russia's foreign minister",
            country="RUS",
            agent="GOV",
            entry="SERGEY_LAVROV",
            role_start="2004-03-09",
            role_end="2099-12-31",
        ),
        target=Actor(
            code="UKRGOV",
            text="his Ukrainian counterpart",
            country="UKR",
            agent="GOV",
            entry="UKRAINE_GOVERNMENT",
            role_start="1991-08-24",
            role_end="2100-01-01",
        ),
        code="042",
        root_code="04",
        quad_class=1,
        goldstein=1.9,
        modality="reported",
        evidence=Evidence(
            trigger="met",
            rule="MEET:042",
            cues=("said", "according to"),
            date_text="on Monday",
            place_text="in Kyiv",
        ),
        date="2024-03-04",
        date_precision="day",
        location=Place(
            name="Kyiv",
            country="UKR",
            adm1="UP12",
            lat=50.45466,
            lon=30.5238,
            feature_id="703448",
            type="city",
        ),
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "store.duckdb"


@pytest.fixture
def store(db: Path):
    with Store(db) as opened:
        yield opened


# ------------------------------------------------------------ schema & files


def test_default_db_name() -> None:
    assert DEFAULT_DB == "tidings.duckdb"


def test_create_migrates_to_latest_version(db: Path) -> None:
    assert not db.exists()
    with Store(db) as store:
        assert db.exists()
        assert store.schema_version == LATEST == 5
        assert store.path == str(db)
        con = store.connection
        tables = {
            name
            for (name,) in con.execute(
                "SELECT table_name FROM information_schema.tables"
            ).fetchall()
        }
        assert {
            "articles",
            "sentences",
            "events",
            "settings",
            "schema_version",
            "imports",
        } <= tables
        versions = con.execute(
            "SELECT version, description FROM schema_version ORDER BY version"
        ).fetchall()
        assert versions == [
            (1, "Initial schema: articles, their sentences, the events coded from them, settings"),
            (
                2,
                "Imported event data: provenance of every event, fields of external formats, "
                "import log",
            ),
            (
                3,
                "Merged events: reports of one event across sentences and articles, "
                "and their mentions",
            ),
            (4, "Duplicate articles: copies of stored articles and the duplicate detector's state"),
            (
                5,
                "Event confidence: the calibrated probability that a coded event is right",
            ),
        ]
        indexes = {
            name
            for (name,) in con.execute(
                "SELECT index_name FROM duckdb_indexes() WHERE table_name = 'events'"
            ).fetchall()
        }
        assert {
            "events_date_start",
            "events_source_code",
            "events_target_code",
            "events_root_code",
        } <= indexes
        assert store.counts() == {"articles": 0, "sentences": 0, "events": 0}


def test_reopen_keeps_data_and_does_not_remigrate(db: Path) -> None:
    with Store(db) as store:
        assert store.save(make_coded("a", (make_event("a", 1),)))
    with Store(db) as store:
        assert store.schema_version == LATEST
        assert store.counts() == {"articles": 1, "sentences": 3, "events": 1}
        assert store.has_article("a")
        assert store.connection.execute("SELECT count(*) FROM schema_version").fetchone() == (
            LATEST,
        )


def test_newer_schema_version_is_refused(db: Path) -> None:
    with Store(db) as store:
        store.connection.execute(
            "INSERT INTO schema_version VALUES (7, current_timestamp, 'from the future')"
        )
    for read_only in (False, True):
        with pytest.raises(StoreError) as info:
            Store(db, read_only=read_only)
        assert str(info.value) == (
            f"store schema version 7 is newer than this Tidings ({LATEST}); upgrade Tidings"
        )


def test_text_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.duckdb"
    content = b"these are my notes\nnot a database\n"
    path.write_bytes(content)
    for read_only in (False, True):
        with pytest.raises(StoreError, match="not a DuckDB database") as info:
            Store(path, read_only=read_only)
        assert "\n" not in str(info.value)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.duckdb"]


def test_empty_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "empty.duckdb"
    path.touch()
    with pytest.raises(StoreError):
        Store(path)
    assert path.read_bytes() == b""


def test_foreign_duckdb_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE articles (x INTEGER)")
    for read_only in (False, True):
        with pytest.raises(StoreError, match="not a Tidings store"):
            Store(path, read_only=read_only)
    with duckdb.connect(str(path)) as con:
        tables = con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    assert tables == [("articles",)]


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="directory"):
        Store(tmp_path)


def test_file_locked_by_another_process(db: Path) -> None:
    Store(db).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys
                from tidings.store import Store
                store = Store({str(db)!r})
                print("ready", flush=True)
                sys.stdin.read()
                store.close()
                """
            ),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "ready"
        for read_only in (False, True):
            with pytest.raises(StoreError) as info:
                Store(db, read_only=read_only)
            assert str(info.value) == f"database {db} is in use by another process"
    finally:
        holder.communicate("", timeout=30)
    with Store(db) as store:  # released once the other process is done
        assert store.schema_version == LATEST


# ------------------------------------------------------------------ read-only


def test_read_only_reads_and_refuses_to_save(db: Path) -> None:
    with Store(db) as store:
        store.save(make_coded("a", (full_event("a"),)))
    with Store(db, read_only=True) as store:
        assert store.read_only
        assert store.schema_version == LATEST
        assert store.events() == [full_event("a")]
        with pytest.raises(StoreError, match="read-only"):
            store.save(make_coded("b"))
        assert store.counts()["articles"] == 1


def test_read_only_missing_file_is_not_created(db: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        Store(db, read_only=True)
    assert not db.exists()


def test_read_only_without_schema_is_refused(db: Path) -> None:
    duckdb.connect(str(db)).close()  # a valid but empty DuckDB file
    with pytest.raises(StoreError, match="no Tidings schema"):
        Store(db, read_only=True)


def test_read_only_older_schema_is_refused(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Store(db).close()
    future = (
        *_schema.load_migrations(),
        _schema.Migration(LATEST + 1, "add a column", "ALTER TABLE settings ADD COLUMN note TEXT"),
    )
    monkeypatch.setattr(_schema, "load_migrations", lambda: future)
    with pytest.raises(StoreError, match="older than this Tidings"):
        Store(db, read_only=True)
    with Store(db) as store:  # read-write applies the pending migration
        assert store.schema_version == LATEST + 1


# --------------------------------------------------------------- migrations


def test_packaged_migrations_are_numbered_from_one() -> None:
    migrations = _schema.load_migrations()
    assert [m.version for m in migrations] == list(range(1, len(migrations) + 1))
    assert _schema.latest_version() == migrations[-1].version == 5


def test_migrations_apply_in_order_and_failures_roll_back() -> None:
    con = duckdb.connect()
    steps = [
        _schema.Migration(1, "one", "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);"),
        _schema.Migration(2, "two", "INSERT INTO t SELECT max(x) + 1 FROM t;"),
    ]
    assert _schema.ensure_schema(con, read_only=False, label="mem", migrations=steps) == 2
    assert con.execute("SELECT x FROM t ORDER BY x").fetchall() == [(1,), (2,)]
    broken = [
        *steps,
        _schema.Migration(3, "three", "INSERT INTO t VALUES (3); SELECT * FROM missing_table;"),
    ]
    with pytest.raises(StoreError, match=r"migration 3 \(three\) failed"):
        _schema.ensure_schema(con, read_only=False, label="mem", migrations=broken)
    assert _schema.current_version(con) == 2
    assert con.execute("SELECT max(x) FROM t").fetchone() == (2,)


# --------------------------------------------------------------- round-trips


def test_event_round_trip_is_exact(store: Store) -> None:
    event = full_event()
    assert store.save(make_coded("full", (event,)))
    (back,) = store.events()
    assert back == event
    assert isinstance(back.evidence.cues, tuple)
    assert isinstance(back.location, Place)


def test_event_round_trip_with_optional_parts_missing(store: Store) -> None:
    bare = replace(
        make_event("bare", 1, target=None, date=None),
        evidence=Evidence(trigger="", rule=""),
        goldstein=-10.0,
        quad_class=4,
    )
    assert store.save(make_coded("bare", (bare,)))
    assert store.events() == [bare]
    (back,) = store.events()
    assert back.target is None and back.location is None and back.date is None


def test_article_and_sentences_round_trip(store: Store) -> None:
    coded = make_coded("a", n_sentences=5)
    undated = CodedArticle(
        make_article("b", date=None, authors=(), embeds=(), url=None, outlet=None, source=None),
        make_sentences("b", 1),
        (),
    )
    assert store.save(coded, content_hash="abc123")
    assert store.save(undated)
    assert store.articles() == [coded.article, undated.article]
    assert store.sentences("a") == list(coded.sentences)
    assert store.sentences("b") == list(undated.sentences)
    assert store.sentences("missing") == []
    hashes = store.connection.execute(
        "SELECT doc_id, content_hash FROM articles ORDER BY doc_id"
    ).fetchall()
    assert hashes == [("a", "abc123"), ("b", None)]


def test_event_sentence_whitespace_is_normalised_not_refused(store: Store) -> None:
    padded = replace(make_event("a", 1), sentence="  Sentence 1 of a.\n")
    assert store.save(make_coded("a", (padded,)))
    assert store.events() == [make_event("a", 1)]


def test_many_sentences_and_events(store: Store) -> None:
    events = tuple(make_event("big", i, sentence_index=i % 250 + 1) for i in range(260))
    coded = make_coded("big", events, n_sentences=251)
    assert store.save(coded)
    assert store.counts() == {"articles": 1, "sentences": 251, "events": 260}
    assert sorted(store.events(), key=lambda e: e.event_id) == sorted(
        events, key=lambda e: e.event_id
    )


# ----------------------------------------------------- idempotence & rollback


def test_duplicate_save_returns_false_and_adds_nothing(store: Store) -> None:
    coded = make_coded("a", (make_event("a", 1),))
    assert store.has_article("a") is False
    assert store.save(coded) is True
    assert store.has_article("a") is True
    before = store.counts()
    changed = make_coded("a", (make_event("a", 1), make_event("a", 2)))
    assert store.save(changed) is False
    assert store.save(coded) is False
    assert store.counts() == before
    assert store.events() == [make_event("a", 1)]


def test_inconsistent_event_is_refused_and_nothing_written(store: Store) -> None:
    assert store.save(make_coded("a", (make_event("a", 1),)))
    bad_index = make_coded("b", (make_event("b", 1, sentence_index=99),))
    with pytest.raises(StoreError, match="no sentence with index 99") as info:
        store.save(bad_index)
    assert "\n" not in str(info.value)
    wrong_doc = make_coded("c", (make_event("a", 5),))
    with pytest.raises(StoreError, match="belongs to 'a'"):
        store.save(wrong_doc)
    bad_date = make_coded("d", (make_event("d", 1, date="March 2024"),))
    with pytest.raises(StoreError, match="bad date"):
        store.save(bad_date)
    wrong_text = make_coded("e", (replace(make_event("e", 1), sentence="Something else."),))
    with pytest.raises(StoreError, match="text differs"):
        store.save(wrong_text)
    assert store.counts() == {"articles": 1, "sentences": 3, "events": 1}
    assert not store.has_article("b")


def test_database_failure_mid_transaction_rolls_back_that_article_only(store: Store) -> None:
    assert store.save(make_coded("a", (make_event("a", 1),)))
    # Same event_id as the event of "a": the article and sentence rows of "b"
    # are written before the events insert violates the primary key.
    clash = replace(make_event("b", 1), event_id="a-e1")
    with pytest.raises(StoreError, match="cannot save article 'b'") as info:
        store.save(make_coded("b", (clash,)))
    assert "\n" not in str(info.value)
    assert store.counts() == {"articles": 1, "sentences": 3, "events": 1}
    assert not store.has_article("b")
    assert store.sentences("b") == []
    # The store is still usable, and "b" can be saved once fixed.
    assert store.save(make_coded("b", (make_event("b", 1),)))
    assert store.counts() == {"articles": 2, "sentences": 6, "events": 2}


def test_monkeypatched_insert_failure_rolls_back(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store(db) as store:
        assert store.save(make_coded("a", (make_event("a", 1),)))
        real_insert = Store._insert

        def failing_insert(con, table, columns, rows):  # type: ignore[no-untyped-def]
            if table == "events":
                raise duckdb.IOException("disk on fire\nsecond line of detail")
            real_insert(con, table, columns, rows)

        monkeypatch.setattr(Store, "_insert", staticmethod(failing_insert))
        with pytest.raises(StoreError) as info:
            store.save(make_coded("b", (make_event("b", 1),)))
        assert str(info.value) == "cannot save article 'b': disk on fire"
        monkeypatch.undo()
        assert store.counts() == {"articles": 1, "sentences": 3, "events": 1}
    with Store(db) as store:  # and nothing of "b" reached the file
        assert store.counts() == {"articles": 1, "sentences": 3, "events": 1}
        assert [a.doc_id for a in store.articles()] == ["a"]


def test_interrupt_mid_transaction_rolls_back(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_insert = Store._insert

    def interrupted(con, table, columns, rows):  # type: ignore[no-untyped-def]
        real_insert(con, table, columns, rows)
        if table == "sentences":
            raise KeyboardInterrupt

    monkeypatch.setattr(Store, "_insert", staticmethod(interrupted))
    with pytest.raises(KeyboardInterrupt):
        store.save(make_coded("a", (make_event("a", 1),)))
    monkeypatch.undo()
    assert store.counts() == {"articles": 0, "sentences": 0, "events": 0}
    assert store.save(make_coded("b"))


# ------------------------------------------------------------------- filters


@pytest.fixture
def filled(store: Store) -> Store:
    store.save(
        make_coded(
            "a",
            (
                make_event("a", 1, date="2024-03-04", source="RUSGOV", target="UKRGOV", code="042"),
                make_event("a", 2, date="2024-03", precision="month", code="040", sentence_index=2),
                make_event("a", 3, date=None, source="USA", target=None, code="190"),
            ),
        )
    )
    store.save(
        make_coded(
            "b",
            (
                make_event("b", 1, date="2024", precision="year", source="UKRMIL", target="RUSMIL"),
                make_event(
                    "b", 2, date="2023-12-31", source="FRA", target="DEU", modality="negated"
                ),
                make_event("b", 3, date="2024-04-01", code="1231", modality="future"),
            ),
        )
    )
    return store


def ids(events: list[Event]) -> list[str]:
    return [e.event_id for e in events]


def test_events_are_ordered(filled: Store) -> None:
    # date_start: b-e2 2023-12-31, b-e1 2024-01-01, a-e2 2024-03-01, a-e1 2024-03-04,
    # b-e3 2024-04-01, then the undated a-e3 last.
    assert ids(filled.events()) == ["b-e2", "b-e1", "a-e2", "a-e1", "b-e3", "a-e3"]


def test_filter_since_until(filled: Store) -> None:
    assert ids(filled.events(since="2024-03-02")) == ["a-e1", "b-e3"]
    assert ids(filled.events(since=dt.date(2024, 3, 1))) == ["a-e2", "a-e1", "b-e3"]
    assert ids(filled.events(since="2024")) == ["b-e1", "a-e2", "a-e1", "b-e3"]
    assert ids(filled.events(until="2023-12-31")) == ["b-e2"]
    assert ids(filled.events(until=dt.date(2024, 3, 3))) == ["b-e2", "b-e1", "a-e2"]
    # A month or year "until" includes the whole period.
    assert ids(filled.events(until="2024-03")) == ["b-e2", "b-e1", "a-e2", "a-e1"]
    assert ids(filled.events(since="2024-03", until="2024-03")) == ["a-e2", "a-e1"]
    assert ids(filled.events(since="2023", until="2023")) == ["b-e2"]
    assert ids(filled.events(since=dt.datetime(2024, 4, 1, 12, 0))) == ["b-e3"]
    # Undated events disappear as soon as a date filter is given.
    assert "a-e3" not in ids(filled.events(since="1900"))
    assert "a-e3" not in ids(filled.events(until="2999"))


def test_filter_actor_prefix_matches_source_or_target(filled: Store) -> None:
    assert ids(filled.events(actor="RUS")) == ["b-e1", "a-e2", "a-e1", "b-e3"]
    assert ids(filled.events(actor="RUSMIL")) == ["b-e1"]
    assert ids(filled.events(actor="DEU")) == ["b-e2"]
    assert ids(filled.events(actor="USA")) == ["a-e3"]
    assert filled.events(actor="CHN") == []
    assert filled.events(actor="%") == []  # not a LIKE pattern


def test_filter_code_prefix(filled: Store) -> None:
    assert ids(filled.events(code="04")) == ["b-e2", "b-e1", "a-e2", "a-e1"]
    assert ids(filled.events(code="042")) == ["b-e2", "b-e1", "a-e1"]
    assert ids(filled.events(code="12")) == ["b-e3"]
    assert ids(filled.events(code="19")) == ["a-e3"]


def test_filter_modalities(filled: Store) -> None:
    assert len(filled.events(modalities=None)) == 6
    assert ids(filled.events(modalities=["negated", "future"])) == ["b-e2", "b-e3"]
    assert ids(filled.events(modalities=("negated",))) == ["b-e2"]
    assert ids(filled.events(modalities="future")) == ["b-e3"]
    assert filled.events(modalities=[]) == []


def test_filter_doc_id_limit_and_combination(filled: Store) -> None:
    assert ids(filled.events(doc_id="a")) == ["a-e2", "a-e1", "a-e3"]
    assert ids(filled.events(limit=2)) == ["b-e2", "b-e1"]
    assert filled.events(limit=0) == []
    assert ids(filled.events(actor="RUS", code="04", since="2024-02", doc_id="a")) == [
        "a-e2",
        "a-e1",
    ]


def test_bad_filter_arguments(filled: Store) -> None:
    with pytest.raises(ValueError):
        filled.events(since="March 2024")
    with pytest.raises(ValueError):
        filled.events(until="2024-13")
    with pytest.raises(ValueError):
        filled.events(limit=-1)


# ------------------------------------------------------------------ lifecycle


def test_close_is_idempotent_and_closed_store_errors(db: Path) -> None:
    store = Store(db)
    store.close()
    store.close()
    assert "closed" in repr(store)
    with pytest.raises(StoreError, match="closed"):
        store.events()
    with pytest.raises(StoreError, match="closed"):
        store.save(make_coded("a"))
    # The lock is released: another connection can open the file read-write.
    duckdb.connect(str(db)).close()


def test_in_memory_store() -> None:
    with Store(":memory:") as store:
        assert store.schema_version == LATEST
        assert store.save(make_coded("a", (full_event("a"),)))
        assert store.events() == [full_event("a")]


def test_release_cache_drops_duckdbs_cached_blocks_and_nothing_else(store: Store) -> None:
    """A long run's writer: what DuckDB cached of the store it wrote is freed,
    its memory limit is as before, and the store reads and writes as before."""

    def cached() -> int:
        (used,) = store.connection.execute(
            "SELECT sum(memory_usage_bytes) FROM duckdb_memory()"
        ).fetchone()
        return int(used)

    def limit() -> str:
        return store.connection.execute("SELECT current_setting('memory_limit')").fetchone()[0]

    text = "Russia's foreign minister met his Ukrainian counterpart in Kyiv. " * 500
    for n in range(300):
        doc_id = f"cache{n}"
        coded = make_coded(doc_id, tuple(make_event(doc_id, k) for k in range(20)))
        article = replace(coded.article, paragraphs=(Paragraph(text),))
        assert store.save(replace(coded, article=article))
    store.connection.execute("CHECKPOINT")
    before, setting = cached(), limit()
    store.release_cache()
    assert cached() < before / 2, (cached(), before)
    assert limit() == setting
    assert len(store.articles()) == 300 and store.has_article("cache7")
    assert store.save(make_coded("after"))
    assert len(store.events(doc_id="cache299")) == 20
