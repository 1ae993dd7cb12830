"""The HTTP app behind ``tidings serve``: a read-only JSON API and the dashboard.

FastAPI is used for its parameter validation and the OpenAPI description it
publishes at ``/openapi.json`` (browsable at ``/docs`` only if the static
Swagger assets were reachable, which offline they are not, so that page is
disabled).  Security stance: the app only reads a store opened read-only
with file access disabled; no endpoint fetches a URL, accepts SQL or writes;
every value reaches DuckDB as a bound parameter; every result and every
query's run time is capped; CORS is off unless origins are given; requests
must name an expected Host (guarding a localhost server against DNS
rebinding); responses carry a strict Content-Security-Policy.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

import duckdb
from fastapi import Depends, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tidings import __version__
from tidings.dictionaries.cameo import QUAD_CLASS_NAMES, load_codebook
from tidings.model import DEFAULT_MIN_CONFIDENCE, DEFAULT_MODALITIES, MODALITIES
from tidings.web import _aggregates
from tidings.web._aftermath import add_aftermath_route
from tidings.web._db import DEFAULT_TIMEOUT, Database, QueryFailed, QueryTimeout
from tidings.web._events import EventQueries
from tidings.web._export import export_stream
from tidings.web._filters import Filters, ParameterError, filters_dependency

__all__ = ["API_VERSION", "LOCAL_HOSTS", "create_app"]

API_VERSION = "1"
STATIC = Path(__file__).resolve().parent / "static"
#: Host headers accepted by default: the loopback names a local browser uses.
LOCAL_HOSTS: tuple[str, ...] = ("127.0.0.1", "localhost", "[::1]", "::1")
MAX_PAGE = 500
MAX_EXPORT = 100_000
#: Exports streaming at once; another one is refused with 429 and Retry-After.
#: Each holds a sorted DuckDB result and a thread: ten at once took a gigabyte.
EXPORT_SLOTS = 2

_log = logging.getLogger("tidings.web")

_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
_HEADERS = [
    (b"content-security-policy", _CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityHeaders:
    """Adds the security headers to every response (plain ASGI: no per-request overhead)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + _HEADERS
            await send(message)

        await self.app(scope, receive, with_headers)


def _released(chunks: Iterator[bytes], slots: threading.BoundedSemaphore) -> Iterator[bytes]:
    """``chunks``, releasing an export slot when they end (or the client goes away)."""
    try:
        yield from chunks
    finally:
        slots.release()


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


def _parameter_name(loc: Sequence[Any]) -> str:
    names = [str(part) for part in loc[1:] if isinstance(part, str)] if len(loc) > 1 else []
    return names[0] if names else "request"


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
        name = _parameter_name(first.get("loc", ()))
        # The offending input is not echoed back: it may be huge or hostile.
        detail = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in errors]
        return _error(
            422,
            f"invalid parameter {name!r}: {first.get('msg', 'invalid')}",
            parameter=name,
            detail=detail,
        )

    @app.exception_handler(ParameterError)
    async def bad_parameter(request: Request, exc: ParameterError) -> JSONResponse:
        return _error(422, str(exc), parameter=exc.name)

    @app.exception_handler(QueryTimeout)
    async def timeout(request: Request, exc: QueryTimeout) -> JSONResponse:
        return _error(503, "the query took too long and was stopped; narrow the filters")

    @app.exception_handler(QueryFailed)
    async def failed(request: Request, exc: QueryFailed) -> JSONResponse:
        _log.error("query failed: %s", exc)
        return _error(500, "the query failed")


FiltersDep = Annotated[Filters, Depends(filters_dependency)]


def _known_parameters(request: Request) -> None:
    """Refuse query parameters an API endpoint does not take (a 422 naming them):
    a misspelt or unsupported filter must not silently return unfiltered data."""
    route = request.scope.get("route")
    if route is None or not request.url.path.startswith("/api/"):
        return
    known: set[str] = set()
    stack = [route.dependant]
    while stack:  # the endpoint's own parameters and those of its dependencies
        dependant = stack.pop()
        known.update(param.alias for param in dependant.query_params)
        stack.extend(dependant.dependencies)
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        raise ParameterError(
            unknown[0],
            f"unknown parameter{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}; "
            f"this endpoint takes: {', '.join(sorted(known)) or 'no parameters'}",
        )


def create_app(
    db: str | Path | Database,
    *,
    allowed_hosts: Sequence[str] | None = LOCAL_HOSTS,
    cors_origins: Sequence[str] = (),
    timeout: float = DEFAULT_TIMEOUT,
) -> FastAPI:
    """The app over the store ``db`` (a path, opened read-only, or an open :class:`Database`).

    ``allowed_hosts`` lists the Host headers served (None: any, for a server
    deliberately exposed behind a proxy); ``cors_origins`` enables CORS for
    those origins (GET only); ``timeout`` bounds each query, in seconds.
    """
    database = db if isinstance(db, Database) else Database(db, timeout=timeout)
    codebook = load_codebook()
    events = EventQueries(database, codebook)
    app = FastAPI(
        title="Tidings",
        version=__version__,
        summary="Read-only API over a Tidings event store (CAMEO-coded events).",
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(_known_parameters)],
    )
    app.state.db = database
    export_slots = threading.BoundedSemaphore(EXPORT_SLOTS)
    _install_error_handlers(app)
    app.add_middleware(SecurityHeaders)
    if cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(cors_origins), allow_methods=["GET"])
    if allowed_hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))

    @app.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", headers={"cache-control": "no-cache"})

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/api/health")
    def health() -> JSONResponse:
        """Liveness, the size of the store and its events per provenance."""
        (events_n, articles_n) = database.query(
            "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM articles)"
        )[0]
        return JSONResponse(
            {
                "status": "ok",
                "events": events_n,
                "articles": articles_n,
                "read_only": True,
                "provenances": _aggregates.provenances(database),
            }
        )

    @app.get("/api/version")
    def version() -> JSONResponse:
        """Versions of Tidings, this API, the store schema and DuckDB."""
        return JSONResponse(
            {
                "tidings": __version__,
                "api": API_VERSION,
                "schema_version": database.schema_version,
                "duckdb": duckdb.__version__,
            }
        )

    @app.get("/api/cameo")
    def cameo() -> JSONResponse:
        """The CAMEO codebook, QuadClass names and the modalities."""
        return JSONResponse(
            {
                "codes": [entry.as_dict() for entry in codebook.values()],
                "quad_classes": {str(k): v for k, v in QUAD_CLASS_NAMES.items()},
                "modalities": list(MODALITIES),
                "default_modalities": list(DEFAULT_MODALITIES),
                "default_min_confidence": DEFAULT_MIN_CONFIDENCE,
            }
        )

    @app.get("/api/events")
    def list_events(
        filters: FiltersDep,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
        sort: Annotated[Literal["-date", "date", "-goldstein", "goldstein"], Query()] = "-date",
        cursor: Annotated[str | None, Query(max_length=400)] = None,
    ) -> JSONResponse:
        """Matching events, a page at a time (follow ``next_cursor``)."""
        return JSONResponse(events.page(filters, sort=sort, limit=limit, cursor=cursor))

    @app.get("/api/events/{event_id}")
    def event_detail(event_id: Annotated[str, PathParam(max_length=128)]) -> JSONResponse:
        """One event with every mention, its sentence and its article's paragraphs."""
        found = events.detail(event_id)
        if found is None:
            return _error(404, f"no event {event_id!r}")
        return JSONResponse(found)

    @app.get("/api/timeline")
    def timeline(
        filters: FiltersDep,
        by: Annotated[
            Literal["auto", "day", "week", "month"] | None,
            Query(description="Bucket: day, week or month; auto fits the range shown."),
        ] = None,
        interval: Annotated[
            Literal["auto", "day", "week", "month"] | None, Query(include_in_schema=False)
        ] = None,
    ) -> JSONResponse:
        """Events per day, week or month by QuadClass, with the mean Goldstein score.

        ``by`` is named as in the CLI and the Python API; ``interval``, the name it had
        first, is still read for scripts written against it."""
        name, chosen = ("by", by) if by is not None or interval is None else ("interval", interval)
        return JSONResponse(_aggregates.timeline(database, filters, chosen or "auto", name))

    @app.get("/api/dyads")
    def dyads(
        filters: FiltersDep,
        level: Annotated[Literal["code", "country"], Query()] = "code",
        directed_edges: Annotated[bool, Query(description="Keep A->B and B->A apart")] = False,
        unknown: Annotated[bool, Query(description="Include the unidentified actor ---")] = False,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> JSONResponse:
        """The actor network: nodes and edges weighted by events, with mean Goldstein."""
        return JSONResponse(
            _aggregates.dyads(
                database,
                filters,
                level=level,
                directed=directed_edges,
                unknown=unknown,
                limit=limit,
            )
        )

    @app.get("/api/places")
    def places(
        filters: FiltersDep, limit: Annotated[int, Query(ge=1, le=5000)] = 1000
    ) -> JSONResponse:
        """GeoJSON points of the located events, aggregated by place."""
        return JSONResponse(
            _aggregates.places(database, filters, limit=limit),
            media_type="application/geo+json",
        )

    @app.get("/api/actors")
    def actors(
        q: Annotated[str, Query(min_length=1, max_length=64)],
        limit: Annotated[int, Query(ge=1, le=50)] = 12,
    ) -> JSONResponse:
        """Autocomplete: actor codes starting with q, or whose text contains it."""
        if any(ord(ch) < 32 for ch in q) or not q.strip():
            raise ParameterError("q", "expected some text without control characters")
        return JSONResponse({"actors": _aggregates.actors(database, q, limit=limit)})

    @app.get("/api/export")
    def export(
        filters: FiltersDep,
        format: Annotated[Literal["jsonl", "csv"], Query()] = "jsonl",
        limit: Annotated[int, Query(ge=1, le=MAX_EXPORT)] = 10_000,
    ) -> Response:
        """Download the matching events (oldest first) as JSONL or CSV, at most ``limit``.

        At most :data:`EXPORT_SLOTS` exports stream at once (429 beyond).  The
        query runs, and its first batch is fetched, before the response
        starts, so a failed or timed-out query is an HTTP error, never an
        empty 200; one that fails later cuts the transfer short (no final
        chunk), never a complete-looking 200.
        """
        if not export_slots.acquire(blocking=False):
            return JSONResponse(
                {"error": "too many exports running; try again shortly"},
                status_code=429,
                headers={"retry-after": "5"},
            )
        try:
            sql, params = events.export_query(filters, limit)
            batches = database.stream(sql, params)
            first = next(batches, None)
        except BaseException:
            export_slots.release()
            raise
        media = "application/x-ndjson" if format == "jsonl" else "text/csv; charset=utf-8"
        return StreamingResponse(
            _released(
                export_stream(database, events, sql, params, format, batches=(first, batches)),
                export_slots,
            ),
            media_type=media,
            headers={"content-disposition": f'attachment; filename="tidings-events.{format}"'},
        )

    add_aftermath_route(app, database)
    return app
