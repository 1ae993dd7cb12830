"""Event dates from the text, resolved against the publication date.

GDELT-style coders date every event by its article's publication day, but an
op-ed of 2016-12-21 that says "met on Tuesday" reports an event of
2016-12-20, and "in September 2015, when the Kremlin launched its
airstrikes" reports one of September 2015.  This stage finds the temporal
expression attached to an event's trigger in the dependency parse
(:func:`resolve_event_date`), reads the event's tense (:func:`tense_of`) to
know which "Tuesday" is meant, and resolves the expression
(:func:`resolve_expression`).  When the text dates nothing, the pipeline
uses :func:`publication_fallback`, whose precision ``"publication"`` tells
analysts the date is only a bound.  Undated articles are dated by absolute
dates in the text or not at all — never by the machine's clock.

The rules for each kind of expression are documented in
:mod:`tidings.time._expressions`; the search in the parse in
:mod:`tidings.time._attach`.
"""

from __future__ import annotations

from tidings.time._attach import may_mention_date, resolve_event_date
from tidings.time._expressions import resolve_expression
from tidings.time._russian import resolve_russian_date
from tidings.time._tense import tense_of
from tidings.time._types import PRECISIONS, EventDate, publication_fallback

__all__ = [
    "PRECISIONS",
    "EventDate",
    "may_mention_date",
    "publication_fallback",
    "resolve_event_date",
    "resolve_expression",
    "resolve_russian_date",
    "tense_of",
]
