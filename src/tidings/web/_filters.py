"""The dashboard's filters: the shared filter table as HTTP query parameters.

Every endpoint that lists or aggregates events takes the filters declared in
:data:`tidings.store.filters.FILTERS`; :func:`filters_dependency` is a
FastAPI dependency whose query parameters are generated from that table, so
the HTTP API, the Python API and the CLI take the same filters with the same
meaning and checks.  Values are checked by the shared
:func:`~tidings.store.filters.make_filters` and compiled by
:func:`~tidings.store.filters.compile_where` into bound SQL; a bad value is
a :class:`ParameterError` naming the parameter, which the app turns into a
422 response.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Query

from tidings.store.filters import (
    FILTERS,
    FilterError,
    Filters,
    compile_where,
    make_filters,
    parse_filter_strings,
)

__all__ = ["MAX_TEXT", "Filters", "ParameterError", "filters_dependency", "where"]

#: Longest free-text parameter accepted (place names, outlets, search text).
MAX_TEXT = 200
#: Most values a repeatable parameter may carry.
MAX_REPEAT = 20


class ParameterError(ValueError):
    """A request parameter is invalid; ``name`` is the parameter, for the 422 message."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"invalid parameter {name!r}: {message}")
        self.name = name
        self.message = message


def _parameter(spec) -> inspect.Parameter:
    if spec.kind == "flag":
        annotation: Any = Annotated[bool, Query(description=spec.help)]
        default: Any = False
    elif spec.multiple:
        annotation = Annotated[
            list[str] | None, Query(description=spec.help + " Repeatable, or comma-separated.")
        ]
        default = None
    else:
        annotation = Annotated[str | None, Query(max_length=spec.max_length, description=spec.help)]
        default = None
    return inspect.Parameter(
        spec.name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation
    )


def parse(raw: dict[str, Any]) -> Filters:
    """Check raw query values (strings) and build :class:`Filters`, or raise ParameterError."""
    for spec in FILTERS:
        values = raw.get(spec.name)
        if not values or isinstance(values, bool):
            continue
        items = [values] if isinstance(values, str) else list(values)
        if spec.multiple and sum(len(v.split(",")) for v in items) > MAX_REPEAT:
            raise ParameterError(spec.name, f"at most {MAX_REPEAT} values")
        for item in items:
            if len(item) > min(spec.max_length, MAX_TEXT):
                raise ParameterError(
                    spec.name, f"at most {min(spec.max_length, MAX_TEXT)} characters"
                )
            if any(ord(ch) < 32 for ch in item):
                raise ParameterError(spec.name, "control characters are not allowed")
    try:
        return make_filters(**parse_filter_strings(raw))
    except FilterError as exc:
        raise ParameterError(exc.name, exc.message) from None


def _make_dependency() -> Callable[..., Filters]:
    def dependency(**raw: Any) -> Filters:
        return parse(raw)

    dependency.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [_parameter(spec) for spec in FILTERS], return_annotation=Filters
    )
    return dependency


#: The FastAPI dependency of every filtered endpoint (parameters from FILTERS).
filters_dependency = _make_dependency()


def where(filters: Filters) -> tuple[str, list[Any]]:
    """The WHERE clause (``""`` when unfiltered) over ``events e`` and its parameters."""
    conditions, params = compile_where(filters, "events")
    return (" WHERE " + " AND ".join(conditions)) if conditions else "", params
