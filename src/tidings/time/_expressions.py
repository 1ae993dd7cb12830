"""Resolve one temporal expression ("on Tuesday", "Dec. 27", "last year").

Why a hand-written resolver rather than ``dateparser``: news uses a small,
regular vocabulary of date expressions, and what matters is not parsing them
but *anchoring* them — "Tuesday" means a different day for "met on Tuesday"
and "will meet on Tuesday", and "Dec. 27" in a January article about a past
meeting is last year's.  dateparser anchors everything to one fixed
preference and costs milliseconds per call; these compiled regexes cost
microseconds, which keeps date resolution far below the parse time.

Rules (each one is tested in ``tests/test_time.py``):

* Explicit dates keep the precision they state: "Dec. 20, 2016",
  "20 December 2016", "2016-12-20", "12/20/2016" → day; "September 2015" →
  month; "2015" → year.
* A range ("2014-2015", "between 2014 and 2016", "Dec. 20-22") resolves to
  its *start*, because an event reported "in 2014-2015" began then and a
  start date is what a time series can count.
* A month/day without a year ("Dec. 27") or a bare month ("in September")
  takes the year that puts it on the right side of the publication date for
  the event's tense: on or before publication for past events, on or after
  for future events, the nearest occurrence for present tense (headlines and
  captions use the present for past events).
* A bare weekday follows the same rule; a weekday equal to the publication's
  weekday is the publication day (AP style writes "Tuesday", not "today").
  "last Tuesday" is strictly before, "next Friday" strictly after publication.
* Spans longer than a day but shorter than a month ("last week", "this
  weekend", "two weeks ago") have no exact precision; they resolve to the
  month that holds most of the span — for a Monday–Sunday week its Thursday,
  the ISO 8601 convention, for a weekend its Saturday — with month
  precision.  A day-precision guess would be wrong six days in seven.
* Seasons resolve to their year ("last summer" → year precision).
* "the past week/month/year" runs up to publication rather than naming a
  calendar period, so it is left to the publication fallback.
* Expressions relative to the story rather than the publication ("the next
  day", "two days later", "the previous week") and vague ones ("recently",
  "in the coming weeks", "the 1990s") return ``None``: the caller then falls
  back to the publication date, which is honest about what is known.
* Anything relative needs a publication date; without one it returns
  ``None`` (never the machine's today).
"""

from __future__ import annotations

import datetime as _dt
import functools
import re

from tidings.time._types import EventDate, as_date

__all__ = ["TENSES", "is_story_relative", "resolve_expression"]

TENSES = ("past", "present", "future")

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
    "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
    "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9, "october": 10,
    "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
    "saturday": 5, "sunday": 6, "tues": 1, "thurs": 3,
}  # fmt: skip
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "fifteen": 15, "twenty": 20, "thirty": 30, "fifty": 50, "a couple of": 2,
}  # fmt: skip

_MON = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b\.?"
_WD = r"(?P<wd>" + "|".join(sorted(_WEEKDAYS, key=len, reverse=True)) + r")\b\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b"
_YEAR = r"(?P<year>1[89]\d\d|20\d\d)\b"
_NUM = r"(?P<num>\d+|" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + r")"
_UNIT = r"(?P<unit>day|week|fortnight|month|year|decade)s?"


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


# Explicit dates, most specific first.
_ISO = _c(r"\b(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b")
_NUMERIC = _c(r"\b(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>\d{4})\b")
_MDY = _c(rf"\b{_MON}\s*{_DAY}(?:\s*-\s*\d{{1,2}}(?:st|nd|rd|th)?)?\s*,?\s*{_YEAR}")
_DMY = _c(rf"\b{_DAY}(?:\s*-\s*\d{{1,2}})?\s+(?:of\s+)?{_MON}\s*,?\s*{_YEAR}")
_MY = _c(rf"\b{_MON}\s*(?:of\s+)?,?\s*{_YEAR}")
_MD = _c(rf"\b{_MON}\s*{_DAY}(?!\s*(?::|[ap]\.?m\b|%))")
_DM = _c(rf"\b(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MON}")
_HOLIDAY = _c(r"\b(?P<h>christmas(?:\s+eve)?|new\s+years?'?\s+(?:eve|day))\b")
_RANGE = _c(
    rf"(?:\bbetween\s+|\bfrom\s+)?\b{_YEAR}\s*(?:-|to|and|through|until)\s*(?:1[89]|20)?\d\d\b"
)
_SEASON_YEAR = _c(rf"\b(?P<season>spring|summer|fall|autumn|winter)\s+(?:of\s+)?{_YEAR}")
_YEAR_ONLY = _c(rf"(?<![\d/-]){_YEAR}(?![\d%-]|\s*(?:people|troops|km|miles))")

# Relative to the publication date.
_RELATIVE_STORY = _c(
    r"\b(?:the\s+(?:next|following|previous|preceding|same)\s+(?:day|week|month|year|morning"
    r"|night|evening|weekend)|(?:day|week|month|year)s?\s+(?:later|earlier|before|after))\b"
    r"(?!\s+(?:yesterday|tomorrow))"
)
_AGO = _c(rf"\b{_NUM}\s+{_UNIT}\s+ago\b")
_FROM_NOW = _c(rf"\b{_NUM}\s+{_UNIT}\s+from\s+(?:now|today)\b")
_IN_UNITS = _c(rf"\bin\s+{_NUM}\s+{_UNIT}\b")  # not "within": a deadline, not a date
_DEICTIC = _c(
    r"\b(?P<d>(?:the\s+)?day\s+before\s+yesterday|(?:the\s+)?day\s+after\s+tomorrow|yesterday"
    r"|tomorrow|tonight|today|last\s+night|this\s+(?:morning|afternoon|evening))\b"
)
_REL_PERIOD = _c(
    r"\b(?P<rel>last|previous|next|coming|this|earlier\s+this|later\s+this|"
    r"the\s+end\s+of\s+this|the\s+end\s+of\s+the|the\s+end\s+of\s+next|the\s+end\s+of\s+last)"
    r"\s+(?P<period>week|weekend|month|year)\b"
)
_WEEKEND = _c(r"\bweekend\b")  # "over the weekend", "a fourth straight weekend"
_REL_WEEKDAY = _c(rf"\b(?:(?P<rel>last|past|next|this|coming)\s+)?{_WD}")
_REL_MONTH = _c(
    rf"\b(?:(?P<rel>last|next|this|early|mid|late|the\s+end\s+of|earlier\s+in)\s*-?\s*)?{_MON}"
)
_REL_SEASON = _c(r"\b(?P<rel>last|next|this|past)\s+(?P<season>spring|summer|fall|autumn|winter)\b")
_AGE = _c(r"\b(?:years?|months?|weeks?|days?)[- ]old\b")
# "the past year" is the twelve months up to publication, not last year: vague.
_VAGUE = _c(r"\b(?:\d+s|recent|coming|past\s+(?:few|several|\d+|two|three|week|month|year))\b")


def _normalise(text: str) -> str:
    """Lower-case, unify dashes and apostrophes, drop possessive 's."""
    text = text.lower().replace("\u2013", "-").replace("\u2014", "-").replace("\u2019", "'")
    text = re.sub(r"'s\b", "", text)
    return " ".join(text.split())


def _number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return _NUMBERS.get(word)


def _safe_date(year: int, month: int, day: int) -> _dt.date | None:
    try:
        return _dt.date(year, month, day)
    except ValueError:
        return None


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _pick(candidates: list[_dt.date], pub: _dt.date, tense: str) -> _dt.date | None:
    """Choose among occurrences by tense (see the module docstring)."""
    if tense == "past":
        before = [c for c in candidates if c <= pub]
        return max(before) if before else None
    if tense == "future":
        after = [c for c in candidates if c >= pub]
        return min(after) if after else None
    # present: the nearest occurrence, ties going to the past
    return min(candidates, key=lambda c: (abs((c - pub).days), c > pub)) if candidates else None


def _month_day(
    month: int, day: int, pub: _dt.date, tense: str, weekday: int | None = None
) -> _dt.date | None:
    """The occurrence of a month/day the tense points at.

    A weekday given with it ("Sunday, Oct. 30") settles the year when only
    one candidate year has that weekday, whatever the tense says.
    """
    options = [d for k in (-1, 0, 1) if (d := _safe_date(pub.year + k, month, day))]
    if weekday is not None:
        matching = [d for d in options if d.weekday() == weekday]
        if len(matching) == 1:
            return matching[0]
    return _pick(options, pub, tense)


def _weekday(wd: int, rel: str | None, pub: _dt.date, tense: str) -> _dt.date:
    back = (pub.weekday() - wd) % 7  # days back to the most recent such weekday (0 = today)
    if rel in ("last", "past"):
        return pub - _dt.timedelta(days=back or 7)
    if rel in ("next", "coming"):
        ahead = (wd - pub.weekday()) % 7
        return pub + _dt.timedelta(days=ahead or 7)
    ahead = (7 - back) % 7
    if tense == "past" or (tense == "present" and back <= ahead):
        return pub - _dt.timedelta(days=back)
    return pub + _dt.timedelta(days=ahead)


def _monday(d: _dt.date) -> _dt.date:
    return d - _dt.timedelta(days=d.weekday())


def _week_month(monday: _dt.date, text: str) -> EventDate:
    """A week is dated by the month of its Thursday (ISO 8601's rule)."""
    thursday = monday + _dt.timedelta(days=3)
    return EventDate.month(thursday.year, thursday.month, text)


def _weekend(rel: str | None, pub: _dt.date, tense: str, text: str) -> EventDate:
    """A weekend is dated by the month of its Saturday."""
    monday = _monday(pub)
    if rel in ("last", "past", "previous"):
        monday -= _dt.timedelta(days=7)
    elif rel in ("next", "coming"):
        monday += _dt.timedelta(days=7)
    elif rel is None and tense == "past" and pub.weekday() < 5:
        monday -= _dt.timedelta(days=7)  # "over the weekend" read on a weekday: the one just gone
    saturday = monday + _dt.timedelta(days=5)
    return EventDate.month(saturday.year, saturday.month, text)


def _relative_period(rel: str, period: str, pub: _dt.date, tense: str, text: str) -> EventDate:
    rel = rel.split()[-1] if rel.startswith("the end of") else rel
    step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(rel, 0)
    if period == "weekend":
        return _weekend(rel, pub, tense, text)
    if period == "week":
        return _week_month(_monday(pub) + _dt.timedelta(days=7 * step), text)
    if period == "month":
        year, month = _add_months(pub.year, pub.month, step)
        return EventDate.month(year, month, text)
    return EventDate.year(pub.year + step, text)


def _offset(num: int, unit: str, pub: _dt.date, sign: int, text: str) -> EventDate | None:
    """Publication plus or minus a count of units, at the unit's precision."""
    if unit == "day":
        return EventDate.day(pub + _dt.timedelta(days=sign * num), text)
    if unit in ("week", "fortnight"):
        days = 7 * num * (2 if unit == "fortnight" else 1)
        d = pub + _dt.timedelta(days=sign * days)
        return EventDate.month(d.year, d.month, text)
    if unit == "month":
        year, month = _add_months(pub.year, pub.month, sign * num)
        return EventDate.month(year, month, text)
    if unit == "year":
        return EventDate.year(pub.year + sign * num, text)
    return None  # decades are too vague to date


def _season_year(rel: str, season: str, pub: _dt.date) -> int:
    """The year of a season relative to publication; a winter is dated by its January."""
    m = pub.month
    if season == "winter":
        in_winter = m in (12, 1, 2)
        current = pub.year + (1 if m == 12 else 0)
        if rel in ("last", "past"):
            return current - 1 if in_winter else pub.year
        if rel == "next":
            return current + 1 if in_winter else pub.year + 1
        return current if in_winter else (pub.year if m <= 6 else pub.year + 1)
    start, end = {"spring": (3, 5), "summer": (6, 8), "fall": (9, 11), "autumn": (9, 11)}[season]
    if rel in ("last", "past"):
        return pub.year if m > end else pub.year - 1
    if rel == "next":
        return pub.year if m < start else pub.year + 1
    return pub.year


def _explicit(s: str, text: str) -> EventDate | None:
    """Dates that carry their own year (no publication date needed)."""
    if m := _ISO.search(s):
        d = _safe_date(int(m["year"]), int(m["month"]), int(m["day"]))
        if d:
            return EventDate.day(d, text)
    if m := _NUMERIC.search(s):
        a, b = int(m["a"]), int(m["b"])
        month, day = (a, b) if a <= 12 else (b, a)  # US order unless impossible
        d = _safe_date(int(m["year"]), month, day)
        if d:
            return EventDate.day(d, text)
    for pattern in (_MDY, _DMY):
        if m := pattern.search(s):
            d = _safe_date(int(m["year"]), _MONTHS[m["mon"]], int(m["day"]))
            if d:
                return EventDate.day(d, text)
    if m := _MY.search(s):
        return EventDate.month(int(m["year"]), _MONTHS[m["mon"]], text)
    if m := _SEASON_YEAR.search(s):
        return EventDate.year(int(m["year"]), text)
    if m := _RANGE.search(s):
        return EventDate.year(int(m["year"]), text)
    return None


def _relative(s: str, text: str, pub: _dt.date, tense: str) -> EventDate | None:
    """Dates that only mean something against the publication date."""
    wd = _REL_WEEKDAY.search(s)
    weekday = _WEEKDAYS[wd["wd"]] if wd else None
    if m := _MD.search(s):
        d = _month_day(_MONTHS[m["mon"]], int(m["day"]), pub, tense, weekday)
        if d and 1 <= int(m["day"]) <= 31:
            return EventDate.day(d, text)
    if m := _DM.search(s):
        d = _month_day(_MONTHS[m["mon"]], int(m["day"]), pub, tense, weekday)
        if d:
            return EventDate.day(d, text)
    if m := _HOLIDAY.search(s):
        h = m["h"]
        month, day = (12, 24) if "eve" in h and "christ" in h else (12, 25)
        if h.startswith("new year"):
            month, day = (12, 31) if h.endswith("eve") else (1, 1)
        d = _month_day(month, day, pub, tense)
        if d:
            return EventDate.day(d, text)
    if _RELATIVE_STORY.search(s):
        return None
    if m := _AGO.search(s):
        num = _number(m["num"])
        return _offset(num, m["unit"], pub, -1, text) if num else None
    if m := _FROM_NOW.search(s):
        num = _number(m["num"])
        return _offset(num, m["unit"], pub, 1, text) if num else None
    if tense == "future" and (m := _IN_UNITS.search(s)):
        num = _number(m["num"])
        return _offset(num, m["unit"], pub, 1, text) if num else None
    if m := _DEICTIC.search(s):
        d = m["d"]
        delta = 0
        if "before yesterday" in d:
            delta = -2
        elif "after tomorrow" in d:
            delta = 2
        elif d in ("yesterday", "last night"):
            delta = -1
        elif d == "tomorrow":
            delta = 1
        return EventDate.day(pub + _dt.timedelta(days=delta), text)
    if m := _REL_PERIOD.search(s):
        return _relative_period(m["rel"], m["period"], pub, tense, text)
    if _WEEKEND.search(s):
        return _weekend(None, pub, tense, text)
    if m := _REL_WEEKDAY.search(s):
        return EventDate.day(_weekday(_WEEKDAYS[m["wd"]], m["rel"], pub, tense), text)
    if m := _REL_SEASON.search(s):
        return EventDate.year(_season_year(m["rel"], m["season"], pub), text)
    if m := _REL_MONTH.search(s):
        return _month_only(_MONTHS[m["mon"]], m["rel"], pub, tense, text)
    return None


def _month_only(month: int, rel: str | None, pub: _dt.date, tense: str, text: str) -> EventDate:
    if rel == "last":
        year = pub.year if month < pub.month else pub.year - 1
    elif rel == "next":
        year = pub.year if month > pub.month else pub.year + 1
    elif rel == "this":
        year = pub.year
    else:
        options = [_dt.date(pub.year + k, month, 1) for k in (-1, 0, 1)]
        anchor = pub.replace(day=1)
        year = (_pick(options, anchor, tense) or anchor.replace(month=month)).year
    return EventDate.month(year, month, text)


def is_story_relative(text: str) -> bool:
    """True for expressions anchored to the story, not the publication ("the next day")."""
    return _RELATIVE_STORY.search(_normalise(text)) is not None


def resolve_expression(
    text: str, *, publication: _dt.date | None, tense: str = "past"
) -> EventDate | None:
    """Resolve a temporal expression against the publication date.

    ``tense`` ("past", "present" or "future") is the tense of the event the
    expression dates; it decides which occurrence of a weekday or month is
    meant.  Returns ``None`` when nothing in ``text`` is a resolvable date, or
    when it is relative and ``publication`` is ``None``.
    """
    if tense not in TENSES:
        raise ValueError(f"tense must be one of {TENSES}, not {tense!r}")
    return _resolve(text, as_date(publication), tense)


# Pure and called with the same few expressions for every trigger of a
# sentence (and the same publication date for a whole article): memoised.
@functools.lru_cache(maxsize=4096)
def _resolve(text: str, publication: _dt.date | None, tense: str) -> EventDate | None:
    original = " ".join(text.split())
    s = _normalise(text)
    if not s or _AGE.search(s):
        return None  # ages ("the 20-year-old") are DATE entities to spaCy
    found = _explicit(s, original)
    if found is not None:
        return found
    if publication is not None:
        found = _relative(s, original, publication, tense)
        if found is not None:
            return found
    if _VAGUE.search(s):
        return None
    if m := _YEAR_ONLY.search(s):
        return EventDate.year(int(m["year"]), original)
    return None
