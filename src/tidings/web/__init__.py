"""``tidings serve``: a read-only JSON API and an offline dashboard over an event store.

The package sits at the top of the layer stack beside :mod:`tidings.cli`: it
may import the api, store, dictionaries and model layers, and nothing below
imports it.  FastAPI and uvicorn are imported only when an app is built or
served, so the rest of Tidings does not pay for them.

    >>> from tidings.web import create_app          # doctest: +SKIP
    >>> app = create_app("tidings.duckdb")           # an ASGI app
    >>> serve("tidings.duckdb", port=8000)           # blocks, like the CLI

The dashboard is plain JavaScript modules and vendored assets under
``static/`` (d3, topojson-client, world-atlas; licences beside them): no
build step, no CDN, no map tiles, so it works with no network at all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tidings.web._db import DEFAULT_TIMEOUT

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["DEFAULT_TIMEOUT", "create_app", "serve"]

#: Hosts that mean "every interface": the Host check cannot know the public name.
_WILDCARD_HOSTS = {"0.0.0.0", "::", ""}


def create_app(
    db: str | Path,
    *,
    allowed_hosts: Sequence[str] | None = None,
    cors_origins: Sequence[str] = (),
    timeout: float = DEFAULT_TIMEOUT,
) -> FastAPI:
    """The ASGI app serving the store at ``db`` (opened read-only).

    ``allowed_hosts`` defaults to the loopback names (``["*"]`` accepts any); see
    :func:`tidings.web.app.create_app` for the other options.
    """
    from tidings.web.app import LOCAL_HOSTS
    from tidings.web.app import create_app as _create

    hosts = LOCAL_HOSTS if allowed_hosts is None else allowed_hosts
    return _create(db, allowed_hosts=hosts, cors_origins=cors_origins, timeout=timeout)


def allowed_hosts_for(host: str) -> tuple[str, ...]:
    """The Host headers to accept when bound to ``host`` (any, ``*``, for 0.0.0.0)."""
    from tidings.web.app import LOCAL_HOSTS

    if host in _WILDCARD_HOSTS:
        return ("*",)
    if host in LOCAL_HOSTS:
        return LOCAL_HOSTS
    return (*LOCAL_HOSTS, host, f"[{host}]")


def serve(
    db: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    cors_origins: Sequence[str] = (),
    timeout: float = DEFAULT_TIMEOUT,
    log_level: str = "info",
    announce: Callable[[], None] | None = None,
) -> None:
    """Run the app with uvicorn until interrupted (Ctrl-C).

    ``announce`` is called once the store is open and before the port is
    bound, so a store that cannot be served fails with its one-line error
    before anything says it is being served.
    """
    import uvicorn

    from tidings.web._server import uvicorn_settings
    from tidings.web.app import create_app as _create

    app = _create(
        db, allowed_hosts=allowed_hosts_for(host), cors_origins=cors_origins, timeout=timeout
    )
    try:
        if announce is not None:
            announce()
        uvicorn.run(
            app,
            host=host,
            port=port,
            log_level=log_level,
            **uvicorn_settings(),  # header and idle timeouts, connection limit
        )
    finally:
        app.state.db.close()
