"""The value every date resolver returns, and the publication-date fallback.

Kept in its own module so the expression resolver and the dependency-tree
search can both return it without importing each other.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import get_args

from tidings.model import DatePrecision

__all__ = ["PRECISIONS", "EventDate", "publication_fallback"]

#: The precisions an :class:`EventDate` may carry, finest first: those of the
#: event record (:data:`tidings.model.DatePrecision`).  There is deliberately
#: no "week": spans such as "last week" are mapped onto a month (see
#: ``_expressions``).
PRECISIONS: tuple[str, ...] = get_args(DatePrecision)


@dataclass(frozen=True, slots=True)
class EventDate:
    """When an event happened, as precisely as the text says and no more.

    ``value`` is truncated to the precision ("2016-12-20", "2015-09",
    "2015") so that a consumer can never mistake "September 2015" for
    September 1st.  ``text`` keeps the expression that produced it, for the
    event's evidence; it is ``None`` only for the publication-date fallback,
    where no expression was used.
    """

    value: str
    precision: str
    text: str | None

    def __post_init__(self) -> None:
        if self.precision not in PRECISIONS:
            raise ValueError(f"unknown date precision {self.precision!r}")

    @classmethod
    def day(cls, d: _dt.date, text: str | None) -> EventDate:
        return cls(d.isoformat(), "day", text)

    @classmethod
    def month(cls, year: int, month: int, text: str | None) -> EventDate:
        return cls(f"{year:04d}-{month:02d}", "month", text)

    @classmethod
    def year(cls, year: int, text: str | None) -> EventDate:
        return cls(f"{year:04d}", "year", text)


def as_date(publication: _dt.date | None) -> _dt.date | None:
    """Accept a ``datetime`` too: only its calendar day matters here."""
    if isinstance(publication, _dt.datetime):
        return publication.date()
    return publication


def publication_fallback(publication: _dt.date | None) -> EventDate | None:
    """The date to use when the text dates nothing: the publication day.

    Its precision is ``"publication"`` rather than ``"day"`` because the
    article only bounds the event (it happened by then, usually shortly
    before); analysts filter on that.  An undated article yields ``None``,
    never the machine's clock: a date that depends on when the pipeline ran
    would be silently wrong and unreproducible.
    """
    publication = as_date(publication)
    if publication is None:
        return None
    return EventDate(publication.isoformat(), "publication", None)
