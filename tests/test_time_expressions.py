"""The expression resolver and the date records, without spaCy (fast)."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from tidings.time import EventDate, publication_fallback, resolve_expression

TIME_PKG = Path(__file__).resolve().parents[1] / "src" / "tidings" / "time"

WED = dt.date(2016, 12, 21)  # a Wednesday: the seed op-ed's publication date
JAN3 = dt.date(2017, 1, 3)  # a Tuesday just after the new year

# (expression, publication, tense, expected value, expected precision)
CASES = [
    # weekdays: past → on or before publication, future → on or after, present → nearest
    ("on Tuesday", WED, "past", "2016-12-20", "day"),
    ("Tuesday", WED, "future", "2016-12-27", "day"),
    ("on Friday", WED, "future", "2016-12-23", "day"),
    ("on Friday", WED, "past", "2016-12-16", "day"),
    ("on Monday", WED, "present", "2016-12-19", "day"),
    ("on Saturday", WED, "present", "2016-12-24", "day"),
    ("Wednesday", WED, "past", "2016-12-21", "day"),  # same weekday: the publication day
    ("Wednesday", WED, "future", "2016-12-21", "day"),
    ("last Tuesday", WED, "past", "2016-12-20", "day"),
    ("last Wednesday", WED, "past", "2016-12-14", "day"),
    ("next Friday", WED, "future", "2016-12-23", "day"),
    ("next Wednesday", WED, "future", "2016-12-28", "day"),
    ("on Monday night", WED, "past", "2016-12-19", "day"),
    ("late Sunday", WED, "past", "2016-12-18", "day"),
    ("Tuesday's", WED, "past", "2016-12-20", "day"),
    # deictic words
    ("yesterday", WED, "past", "2016-12-20", "day"),
    ("yesterday", JAN3.replace(day=1), "past", "2016-12-31", "day"),
    ("today", WED, "past", "2016-12-21", "day"),
    ("tonight", WED, "future", "2016-12-21", "day"),
    ("later today", WED, "future", "2016-12-21", "day"),
    ("this morning", WED, "past", "2016-12-21", "day"),
    ("last night", WED, "past", "2016-12-20", "day"),
    ("tomorrow", WED, "future", "2016-12-22", "day"),
    ("the day before yesterday", WED, "past", "2016-12-19", "day"),
    # weeks and weekends: month of the week's Thursday / the weekend's Saturday
    ("last week", WED, "past", "2016-12", "month"),
    ("last week", dt.date(2017, 1, 4), "past", "2016-12", "month"),  # Dec 26 - Jan 1
    ("last week", dt.date(2017, 1, 11), "past", "2017-01", "month"),  # Jan 2 - Jan 8
    ("next week", dt.date(2017, 6, 28), "future", "2017-07", "month"),
    ("this week", WED, "past", "2016-12", "month"),
    ("earlier this week", WED, "past", "2016-12", "month"),
    ("two weeks ago", WED, "past", "2016-12", "month"),
    ("three weeks ago", dt.date(2016, 10, 20), "past", "2016-09", "month"),
    ("this weekend", dt.date(2018, 12, 6), "future", "2018-12", "month"),
    ("over the weekend", dt.date(2019, 6, 3), "past", "2019-06", "month"),  # Sat Jun 1
    ("over the weekend", dt.date(2020, 3, 2), "past", "2020-02", "month"),  # Sat Feb 29
    ("the past weekend", dt.date(2020, 3, 2), "past", "2020-02", "month"),
    # month and day without a year: the tense picks the year
    ("Dec. 27", WED, "future", "2016-12-27", "day"),
    ("Dec. 27", WED, "past", "2015-12-27", "day"),
    ("Dec. 15", WED, "past", "2016-12-15", "day"),
    ("Dec. 28", JAN3, "past", "2016-12-28", "day"),
    ("Jan. 23", dt.date(2016, 12, 30), "future", "2017-01-23", "day"),
    ("Jan. 5", dt.date(2016, 12, 30), "present", "2017-01-05", "day"),
    ("December 27th", WED, "future", "2016-12-27", "day"),
    ("the 27th of December", WED, "future", "2016-12-27", "day"),
    ("Jan. 23-24", dt.date(2017, 2, 1), "past", "2017-01-23", "day"),
    ("Christmas Eve", dt.date(2016, 12, 27), "past", "2016-12-24", "day"),
    ("New Year's Day", WED, "future", "2017-01-01", "day"),
    # full dates, in the formats news uses
    ("December 20, 2016", None, "past", "2016-12-20", "day"),
    ("Dec. 20, 2016", None, "past", "2016-12-20", "day"),
    ("20 December 2016", None, "past", "2016-12-20", "day"),
    ("2016-12-20", None, "past", "2016-12-20", "day"),
    ("12/20/2016", None, "past", "2016-12-20", "day"),
    ("Tuesday, Dec. 20, 2016", WED, "future", "2016-12-20", "day"),
    ("Dec. 20-22, 2016", None, "past", "2016-12-20", "day"),
    ("Sunday, Oct. 30", dt.date(2016, 2, 29), "present", "2016-10-30", "day"),  # weekday fits 2016
    # months and years
    ("in September 2015", None, "past", "2015-09", "month"),
    ("since March 2015", None, "past", "2015-03", "month"),
    ("in September", WED, "past", "2016-09", "month"),
    ("in March", WED, "future", "2017-03", "month"),
    ("in December", WED, "past", "2016-12", "month"),
    ("in January", WED, "past", "2016-01", "month"),
    ("last September", WED, "past", "2016-09", "month"),
    ("next March", WED, "future", "2017-03", "month"),
    ("early December", WED, "past", "2016-12", "month"),
    ("mid-September", WED, "past", "2016-09", "month"),
    ("2015", None, "past", "2015", "year"),
    ("in 2015", None, "past", "2015", "year"),
    ("2014-2015", None, "past", "2014", "year"),  # a range dates by its start
    ("2014–15", None, "past", "2014", "year"),
    ("between 2012 and 2016", None, "past", "2012", "year"),
    ("summer 2015", None, "past", "2015", "year"),
    # relative periods
    ("last month", JAN3, "past", "2016-12", "month"),
    ("next month", WED, "future", "2017-01", "month"),
    ("this month", WED, "past", "2016-12", "month"),
    ("earlier this month", WED, "past", "2016-12", "month"),
    ("later this month", WED, "future", "2016-12", "month"),
    ("last year", WED, "past", "2015", "year"),
    ("next year", WED, "future", "2017", "year"),
    ("earlier this year", WED, "past", "2016", "year"),
    ("by the end of the year", WED, "future", "2016", "year"),
    ("the end of next year", WED, "future", "2017", "year"),
    ("last summer", WED, "past", "2016", "year"),
    ("last summer", dt.date(2016, 7, 1), "past", "2015", "year"),
    ("next summer", WED, "future", "2017", "year"),
    # counted offsets
    ("two days ago", WED, "past", "2016-12-19", "day"),
    ("a couple of days ago", WED, "past", "2016-12-19", "day"),
    ("six months ago", dt.date(2018, 8, 15), "past", "2018-02", "month"),
    ("a year ago", WED, "past", "2015", "year"),
    ("a year from now", WED, "future", "2017", "year"),
    ("two years from now", WED, "future", "2018", "year"),
    ("in three days", WED, "future", "2016-12-24", "day"),
    ("in two weeks", dt.date(2018, 3, 30), "future", "2018-04", "month"),
]


@pytest.mark.parametrize(
    ("text", "publication", "tense", "value", "precision"),
    CASES,
    ids=[f"{c[0]}|{c[2]}|{c[1]}" for c in CASES],
)
def test_resolve_expression(text, publication, tense, value, precision) -> None:
    got = resolve_expression(text, publication=publication, tense=tense)
    assert got is not None, text
    assert (got.value, got.precision) == (value, precision)
    assert got.text == text


NOT_DATES = [
    "the 20-year-old",
    "three years old",
    "for three years",  # a duration
    "the 1990s",
    "the next day",  # relative to the story, not the publication
    "two days later",
    "the following week",
    "in recent days",
    "in the coming weeks",
    "within 20 days",  # a deadline
    "over the past year",  # the twelve months up to publication
    "in the past week",
    "a decade ago",
    "weekends",  # habitual
    "now",
    "",
]


@pytest.mark.parametrize("text", NOT_DATES)
def test_not_resolvable(text: str) -> None:
    assert resolve_expression(text, publication=WED, tense="past") is None


@pytest.mark.parametrize(
    "text", ["yesterday", "on Tuesday", "last week", "Dec. 27", "in September", "today"]
)
def test_relative_needs_a_publication_date(text: str) -> None:
    """Undated articles never fall back on the machine's clock."""
    assert resolve_expression(text, publication=None, tense="past") is None


def test_within_in_future_only() -> None:
    """'in two weeks' is a date only for a future event ('the worst in two weeks' is not)."""
    assert resolve_expression("in two weeks", publication=WED, tense="past") is None


def test_unknown_tense_is_an_error() -> None:
    with pytest.raises(ValueError, match="tense"):
        resolve_expression("today", publication=WED, tense="conditional")


def test_publication_fallback() -> None:
    assert publication_fallback(WED) == EventDate("2016-12-21", "publication", None)
    assert publication_fallback(None) is None


def test_event_date_rejects_unknown_precision() -> None:
    with pytest.raises(ValueError, match="precision"):
        EventDate("2016-W51", "week", "last week")


def test_event_date_is_frozen() -> None:
    d = EventDate("2016", "year", "2016")
    with pytest.raises(AttributeError):
        d.value = "2017"  # type: ignore[misc]


def _sources() -> list[Path]:
    return sorted(TIME_PKG.glob("*.py"))


def test_never_reads_the_clock() -> None:
    """A date must depend on the article, never on when the pipeline ran."""
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        for call in ("today()", "now(", "utcnow(", "time.time("):
            assert call not in text, f"{path.name} calls {call}"


def test_imports_respect_the_layering() -> None:
    """tidings.time may use tidings.model, tidings.errors, stdlib and third parties only."""
    allowed = ("tidings.time", "tidings.model", "tidings.errors")
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                if name == "tidings" or name.startswith("tidings."):
                    assert name.startswith(allowed), f"{path.name} imports {name}"


def test_modules_stay_small() -> None:
    for path in _sources():
        assert len(path.read_text(encoding="utf-8").splitlines()) < 600, path.name
