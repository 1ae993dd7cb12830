"""``GET /api/aftermath``: the event study of :mod:`tidings.analytics` over HTTP.

The dashboard's aftermath view calls it with a dyad (``dyad=A,B``, or one
``actor``) and a trigger (a ``date``, or the ``event`` id of an event the
user clicked).  Its query parameters are generated from the declared study
options (:data:`tidings.analytics._study_options.STUDY_OPTIONS`, the same
table as the CLI's options and the Python API's keywords) and read by the
same parser.  The study runs through :meth:`Database.read` (a fresh cursor of
the server's read-only store, with the query timeout); a bad request
(unknown actor, empty windows, a trigger outside the data) is a 422 with the
same one-line message the CLI prints.
"""

from __future__ import annotations

import inspect
from typing import Annotated, Any

from fastapi import FastAPI, Query
from fastapi.responses import JSONResponse

from tidings.analytics._study_options import StudyOption, options_for, parse_option_strings
from tidings.errors import InputError
from tidings.web._db import Database
from tidings.web._filters import ParameterError

#: Longest value of any study parameter (ids, dates, windows, dyads).
MAX_LENGTH = 128


def _parameter(spec: StudyOption) -> inspect.Parameter:
    if spec.kind == "flag":
        annotation: Any = Annotated[bool, Query(description=spec.help)]
        default: Any = spec.default
    else:
        annotation = Annotated[str | None, Query(max_length=MAX_LENGTH, description=spec.help)]
        default = None
    return inspect.Parameter(
        spec.name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation
    )


def _check_text(raw: dict[str, Any]) -> None:
    for name, value in raw.items():
        if isinstance(value, str) and any(ord(ch) < 32 for ch in value):
            raise ParameterError(name, "control characters are not allowed")


def add_aftermath_route(app: FastAPI, database: Database) -> None:
    """Register ``/api/aftermath`` on ``app`` (reading ``database``)."""
    specs = options_for("aftermath", "http")

    def aftermath(**raw: Any) -> JSONResponse:
        """Before/after counts per QuadClass and root, their significance, and the series."""
        from tidings.analytics._aftermath import aftermath as study

        _check_text(raw)
        try:
            options = parse_option_strings("aftermath", raw)
            merged = options.pop("merged", False)
            result = database.read(
                lambda connect: study(connect, table="merged" if merged else "events", **options)
            )
        except (InputError, ValueError, TypeError) as exc:
            return JSONResponse({"error": str(exc)}, status_code=422)
        return JSONResponse(result.to_dict())

    aftermath.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [_parameter(spec) for spec in specs], return_annotation=JSONResponse
    )
    app.get("/api/aftermath")(aftermath)
