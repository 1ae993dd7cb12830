"""``GET /api/aftermath``: the event study of :mod:`tidings.analytics` over HTTP.

The dashboard's aftermath view calls it with a dyad (or one actor) and a
trigger (a date, or the id of an event the user clicked).  The study runs on
a fresh cursor of the server's read-only store; a bad request (unknown
actor, empty windows, a trigger outside the data) is a 422 with the same
one-line message the CLI prints.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from fastapi import FastAPI, Query
from fastapi.responses import JSONResponse

from tidings.errors import InputError
from tidings.web._db import Database
from tidings.web._filters import ParameterError

_CODE = re.compile(r"^[A-Za-z0-9-]{1,32}$")


def _code(name: str, value: str | None) -> str | None:
    if value is not None and not _CODE.match(value):
        raise ParameterError(name, "expected an actor code (letters and digits)")
    return value


def add_aftermath_route(app: FastAPI, database: Database) -> None:
    """Register ``/api/aftermath`` on ``app`` (reading ``database``)."""

    @app.get("/api/aftermath")
    def aftermath(
        source: Annotated[str | None, Query(max_length=32, description="Dyad: first actor")] = None,
        target: Annotated[str | None, Query(max_length=32, description="Dyad: second")] = None,
        actor: Annotated[str | None, Query(max_length=32, description="Or one actor")] = None,
        both_ways: Annotated[bool, Query(description="Count target -> source too")] = False,
        date: Annotated[str | None, Query(max_length=10, description="Trigger date")] = None,
        event: Annotated[str | None, Query(max_length=128, description="Trigger event id")] = None,
        before: Annotated[str, Query(max_length=8)] = "26w",
        after: Annotated[str, Query(max_length=8)] = "8w",
        by: Annotated[Literal["day", "week", "month"], Query()] = "week",
        merged: bool = False,
    ) -> JSONResponse:
        """Before/after counts per QuadClass and root, their significance, and the series."""
        from tidings.analytics._aftermath import aftermath as study

        for name, value in (("source", source), ("target", target), ("actor", actor)):
            _code(name, value)
        if (source is None) != (target is None):
            raise ParameterError("target" if target is None else "source", "give both sides")
        dyad = (source, target) if source is not None and target is not None else None
        cursor = database._cursor()
        try:
            result = study(
                lambda: cursor,
                date=date,
                event=event,
                dyad=dyad,
                actor=actor,
                both_ways=both_ways,
                before=before,
                after=after,
                by=by,
                table="merged" if merged else "events",
            )
        except (InputError, ValueError, TypeError) as exc:
            return JSONResponse({"error": str(exc)}, status_code=422)
        finally:
            cursor.close()
        return JSONResponse(result.to_dict())
