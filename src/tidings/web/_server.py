"""How ``tidings serve`` runs uvicorn: limits that keep the server answering.

A handful of clients that open connections and send nothing (or send a
request's headers a byte at a time) must not starve everyone else.  uvicorn
counts every open connection against ``limit_concurrency`` and answers 503
beyond it, and its h11 protocol has no deadline for a request's headers, so
64 idle sockets used to take the server down for as long as they were held.
Here:

* the connection limit is high (idle asyncio connections cost a socket and a
  few kilobytes), while the work itself is bounded by the thread pool that
  runs the request handlers and by the export limit (:mod:`tidings.web.app`);
* every connection gets :data:`HEADER_TIMEOUT` seconds to deliver complete
  request headers, from connection or from the first byte of a later request
  on a kept-alive connection (trickling does not extend it), then is closed;
* idle kept-alive connections are closed after :data:`KEEP_ALIVE_TIMEOUT`;
* an export cut off by a failing query (:class:`~tidings.web._export.ExportAborted`)
  is logged as one line, not as uvicorn's traceback of an application error
  (uvicorn still closes the connection without the final chunk, which is
  what tells the client the download is incomplete).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from tidings.web._export import ExportAborted

#: Seconds a client has to send a request's complete headers.
HEADER_TIMEOUT = 10.0
#: Seconds an idle kept-alive connection stays open.
KEEP_ALIVE_TIMEOUT = 5
#: Open connections before uvicorn answers 503 (far above what the work limits allow).
CONNECTION_LIMIT = 1000


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for request headers."""

    header_timeout: float = HEADER_TIMEOUT

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._header_timer: asyncio.TimerHandle | None = None
        super().connection_made(transport)
        self._arm_header_timer()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is h11.IDLE:
            self._arm_header_timer()  # headers still incomplete: the deadline stands
        else:
            self._disarm_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_header_timer()
        super().connection_lost(exc)

    def _arm_header_timer(self) -> None:
        if self._header_timer is None and self.timeout_keep_alive_task is None:
            self._header_timer = self.loop.call_later(self.header_timeout, self._headers_late)

    def _disarm_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_late(self) -> None:
        self._header_timer = None
        idle = self.cycle is None or self.cycle.response_complete
        if idle and self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()


class OneLineExportAbort(logging.Filter):
    """Turns uvicorn's "Exception in ASGI application" record for an aborted
    export into the abort's one-line message (other records pass unchanged)."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        while isinstance(exc, BaseExceptionGroup) and len(exc.exceptions) == 1:
            exc = exc.exceptions[0]  # anyio task groups may wrap it
        if isinstance(exc, ExportAborted):
            record.msg, record.args = "%s", (str(exc),)
            record.exc_info, record.exc_text = None, None
        return True


def quiet_export_aborts(logger: logging.Logger | None = None) -> None:
    """Install :class:`OneLineExportAbort` on uvicorn's error logger (once)."""
    logger = logger or logging.getLogger("uvicorn.error")
    if not any(isinstance(f, OneLineExportAbort) for f in logger.filters):
        logger.addFilter(OneLineExportAbort())


def uvicorn_settings() -> dict[str, Any]:
    """Keyword arguments for ``uvicorn.run`` / ``uvicorn.Config``."""
    quiet_export_aborts()
    return {
        "http": GuardedH11Protocol,
        "limit_concurrency": CONNECTION_LIMIT,
        "timeout_keep_alive": KEEP_ALIVE_TIMEOUT,
        "backlog": 2048,
        "server_header": False,
    }
