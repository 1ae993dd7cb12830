"""The server under hostile load (issue 15): a failed export is an HTTP error,
exports are capped, idle and slow-header connections cannot starve it.

Everything runs on loopback, with bounded loops and short deadlines.
"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
httpx = pytest.importorskip("httpx")
uvicorn = pytest.importorskip("uvicorn")

from fastapi.testclient import TestClient  # noqa: E402

from tidings.web import create_app  # noqa: E402
from tidings.web._db import QueryFailed, QueryTimeout  # noqa: E402
from tidings.web._server import GuardedH11Protocol, uvicorn_settings  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "examples" / "moscow-times-2016-12-21-aftermath.md"


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory, pipeline) -> Path:
    from tidings.api import code_inputs

    db = tmp_path_factory.mktemp("web-hardening") / "seed.duckdb"
    assert code_inputs([str(SEED)], db=db, pipeline=pipeline).stored == 1
    return db


@pytest.fixture
def app(seed_db):
    app = create_app(seed_db, allowed_hosts=["testserver", "127.0.0.1"])
    yield app
    app.state.db.close()


@pytest.mark.parametrize(
    ("error", "status"), [(QueryFailed("boom"), 500), (QueryTimeout("x"), 503)]
)
def test_a_failed_export_is_an_http_error(app, monkeypatch, error, status) -> None:
    def failing(sql, params=(), **kwargs):
        raise error
        yield  # a generator, as Database.stream is

    monkeypatch.setattr(app.state.db, "stream", failing)
    with TestClient(app) as client:
        response = client.get("/api/export")
    assert response.status_code == status
    assert response.json()["error"]


def test_a_timeout_before_the_first_rows_is_503_not_an_empty_200(app, monkeypatch) -> None:
    """Database.stream itself: DuckDB's interrupt (the stream's time limit) is an error."""
    import duckdb

    class Interrupted:
        def execute(self, sql, params):
            raise duckdb.InterruptException("INTERRUPT Error: Interrupted!")

        def interrupt(self) -> None:
            pass

        def close(self) -> None:
            pass

    monkeypatch.setattr(app.state.db, "_cursor", Interrupted)
    with TestClient(app) as client:
        response = client.get("/api/export")
    assert response.status_code == 503
    assert "too long" in response.json()["error"]


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_an_export_failing_mid_stream_is_an_incomplete_transfer(app, monkeypatch, fmt) -> None:
    """Once rows are sent the status cannot change: the connection is dropped before the
    final chunk (the client sees an incomplete transfer) and the server logs one line."""
    import logging

    import duckdb

    real = app.state.db._cursor

    class CutOff:
        """A cursor whose stream is interrupted (its time limit) after the first batch."""

        def __init__(self) -> None:
            self.cursor, self.fetched = real(), 0

        def execute(self, sql, params):
            self.result = self.cursor.execute(sql, params)
            return self

        def fetchmany(self, size):
            self.fetched += 1
            if self.fetched > 1:
                raise duckdb.InterruptException("INTERRUPT Error: Interrupted!")
            return self.result.fetchmany(size)

        def fetchall(self):
            return self.result.fetchall()

        def interrupt(self) -> None:
            self.cursor.interrupt()

        def close(self) -> None:
            self.cursor.close()

    monkeypatch.setattr(app.state.db, "_cursor", CutOff)
    with _Server(app, header_timeout=5.0) as server:
        records: list[logging.LogRecord] = []
        handler = logging.Handler()
        handler.emit = records.append  # type: ignore[method-assign]
        logger = logging.getLogger("uvicorn.error")
        logger.addHandler(handler)  # after uvicorn configured its logging
        received = b""
        try:
            with httpx.Client(timeout=5) as client:
                url = f"http://127.0.0.1:{server.port}/api/export?format={fmt}"
                with client.stream("GET", url) as response:
                    assert response.status_code == 200
                    with pytest.raises(httpx.RemoteProtocolError, match="incomplete"):
                        for chunk in response.iter_bytes():
                            received += chunk
            # the slot came back: the next export starts (and fails the same way)
            with httpx.Client(timeout=5) as client, client.stream("GET", url) as again:
                assert again.status_code == 200
                with pytest.raises(httpx.RemoteProtocolError):
                    for _ in again.iter_bytes():
                        pass
        finally:
            logger.removeHandler(handler)
    rows = received.decode().splitlines()[1 if fmt == "csv" else 0 :]
    assert rows  # the first batch did arrive
    aborted = [r for r in records if "export aborted" in r.getMessage()]
    assert len(aborted) == 2, [r.getMessage() for r in records]
    message = aborted[0].getMessage()
    assert message == (
        f"export aborted after {len(rows)} events: the query took too long and was stopped"
    )
    assert aborted[0].exc_info is None and "\n" not in message


def test_exports_are_capped_and_slots_come_back(app, seed_db, monkeypatch) -> None:
    with TestClient(app) as client:
        for _ in range(4):  # more than EXPORT_SLOTS in a row: each one gives its slot back
            assert client.get("/api/export", params={"format": "csv"}).status_code == 200
    monkeypatch.setattr("tidings.web.app.EXPORT_SLOTS", 0)
    capped = create_app(seed_db, allowed_hosts=["testserver"])
    try:
        with TestClient(capped) as client:
            response = client.get("/api/export")
        assert response.status_code == 429 and response.headers["retry-after"]
    finally:
        capped.state.db.close()


class _Server:
    """uvicorn with the project's settings on a free loopback port, in a thread."""

    def __init__(self, app, header_timeout: float) -> None:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        sock.close()
        protocol = type("Quick", (GuardedH11Protocol,), {"header_timeout": header_timeout})
        settings = {**uvicorn_settings(), "http": protocol}
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="error", **settings
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        assert self.server.started
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)


def test_idle_and_slow_header_connections_cannot_starve_the_server(app) -> None:
    with _Server(app, header_timeout=1.0) as server:
        base = f"http://127.0.0.1:{server.port}"
        idle = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(100)]
        try:
            for sock in idle[:50]:
                sock.sendall(b"GET /api/health HTTP/1.1\r\nHo")  # headers that never end
            with httpx.Client(timeout=5) as client:
                for url in ("/api/health", "/api/events?limit=20"):
                    start = time.perf_counter()
                    response = client.get(base + url)
                    assert response.status_code == 200, url
                    assert time.perf_counter() - start < 1.0, url
            # after the header deadline the server has closed them
            for sock in (idle[0], idle[75]):
                sock.settimeout(5)
                assert sock.recv(1024) == b""
        finally:
            for sock in idle:
                sock.close()


def test_repeated_queries_are_answered_from_a_bounded_cache(app, monkeypatch) -> None:
    """The store cannot change while served (DuckDB's lock keeps writers out), so the
    dashboard's repeated aggregates cost one query each; the cache stays bounded."""
    from tidings.web._db import Database, _ResultCache

    db: Database = app.state.db
    ran: list[str] = []
    real = db._run

    def counting(sql, params, timeout):
        ran.append(sql)
        return real(sql, params, timeout)

    monkeypatch.setattr(db, "_run", counting)
    urls = ["/api/timeline?interval=month", "/api/dyads?limit=5", "/api/events?limit=3"]
    with TestClient(app) as client:
        first = [client.get(url).json() for url in urls]
        queries = len(ran)
        again = [client.get(url).json() for url in urls]
        assert again == first and len(ran) == queries > 0  # nothing ran the second time
        client.get("/api/events?limit=4")  # other parameters: a query of its own
        assert len(ran) > queries
    rows = db.query("SELECT 1 AS x")
    rows.append(("mutated by a caller",))
    assert db.query("SELECT 1 AS x") == [(1,)]
    assert db.query("SELECT ?::VARCHAR", [1]) == [("1",)]
    assert db.query("SELECT ?::VARCHAR", [True]) == [("true",)]  # 1 == True, not as keys

    cache = _ResultCache(max_entries=3, max_bytes=10_000, total_bytes=20_000)
    row = [("x" * 1_000,)]
    for n in range(10):
        cache.put(("q", n), row * 5)  # ~5 KB each: four fit the bytes, three the entries
    assert [n for n in range(10) if cache.get(("q", n)) is not None] == [7, 8, 9]
    cache.put(("big",), row * 20)  # over max_bytes: not kept
    assert cache.get(("big",)) is None
    small = _ResultCache(max_entries=100, max_bytes=10_000, total_bytes=12_000)
    for n in range(10):
        small.put(("q", n), row * 5)
    assert sum(small.get(("q", n)) is not None for n in range(10)) == 2
