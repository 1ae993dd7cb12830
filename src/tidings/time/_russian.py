"""Russian temporal expressions, resolved with the English rules' calendar helpers.

Russian writes dates as "20 декабря (2016 года)", "в декабре", "в 2015
году", "во вторник", "вчера", "на прошлой неделе"; the words are matched on
the lower-cased text of the trigger's clause (its temporal dependents) and
then of the sentence, and resolved exactly as the English expressions are:
a weekday or a day without a year by the tense of the event, a week by the
month of its Thursday (see :mod:`tidings.time._expressions`).
"""

from __future__ import annotations

import datetime as _dt
import re

from tidings.time._expressions import _monday, _month_day, _week_month, _weekday
from tidings.time._types import EventDate, as_date

__all__ = ["resolve_russian_date", "russian_tense"]

_MONTHS = {
    "январ": 1,
    "феврал": 2,
    "март": 3,
    "апрел": 4,
    "ма": 5,
    "июн": 6,
    "июл": 7,
    "август": 8,
    "сентябр": 9,
    "октябр": 10,
    "ноябр": 11,
    "декабр": 12,
}
_MONTH_RE = (
    r"(?P<month>январ[ья]|феврал[ья]|марта?|апрел[ья]|ма[яй]|июн[ья]|июл[ья]|августа?"
    r"|сентябр[ья]|октябр[ья]|ноябр[ья]|декабр[ья])"
)
_MONTH_LOC = (
    r"(?P<mloc>январе|феврале|марте|апреле|мае|июне|июле|августе|сентябре|октябре|ноябре|декабре)"
)
_WEEKDAYS = {
    "понедельник": 0,
    "вторник": 1,
    "среду": 2,
    "четверг": 3,
    "пятницу": 4,
    "субботу": 5,
    "воскресенье": 6,
}
_DAY_MONTH = re.compile(r"\b(?P<day>\d{1,2})\s+" + _MONTH_RE + r"(?:\s+(?P<year>(?:19|20)\d\d))?\b")
_IN_MONTH = re.compile(r"\bв\s+" + _MONTH_LOC + r"(?:\s+(?P<year>(?:19|20)\d\d))?\b")
_IN_YEAR = re.compile(r"\bв\s+(?P<year>(?:19|20)\d\d)\s+год(?:у|а)\b")
_WEEKDAY = re.compile(
    r"\bв(?:о)?\s+(?:(?P<rel>прошл\w+|следующ\w+|эт\w+)\s+)?"
    r"(?P<wd>понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье)\b"
)
_RELATIVE_DAY = {"позавчера": -2, "вчера": -1, "сегодня": 0, "завтра": 1, "послезавтра": 2}
_RELATIVE_DAY_RE = re.compile(r"\b(позавчера|вчера|сегодня|послезавтра|завтра)\b")
_PERIOD = re.compile(
    r"\bна\s+(?P<rel>прошлой|этой|следующей)\s+неделе\b"
    r"|\bв\s+(?P<mrel>прошлом|этом|следующем)\s+месяце\b"
    r"|\bв\s+(?P<yrel>прошлом|этом|следующем)\s+году\b"
)
_STEP = {"прошл": -1, "эт": 0, "следующ": 1}


def _step(word: str) -> int:
    for stem, step in _STEP.items():
        if word.startswith(stem):
            return step
    return 0


def _month_number(word: str) -> int:
    for stem, number in sorted(_MONTHS.items(), key=lambda kv: -len(kv[0])):
        if word.startswith(stem):
            return number
    raise ValueError(word)


def russian_tense(tok) -> str:
    """past / present / future from the trigger's morphology (and "будет")."""
    morph = str(tok.morph)
    if "Tense=Past" in morph:
        return "past"
    if "Tense=Fut" in morph or any(c.text.lower().startswith("буд") for c in tok.children):
        return "future"
    return "present" if "Tense=Pres" in morph else "past"


def resolve_expression_ru(text: str, pub: _dt.date | None, tense: str) -> EventDate | None:
    """The date a Russian text fragment names, or None."""
    low = " ".join(text.lower().replace("ё", "е").split())
    m = _DAY_MONTH.search(low)
    if m:
        month, day = _month_number(m["month"]), int(m["day"])
        if m["year"]:
            try:
                return EventDate.day(_dt.date(int(m["year"]), month, day), m.group(0))
            except ValueError:
                return None
        if pub is not None:
            found = _month_day(month, day, pub, tense)
            if found is not None:
                return EventDate.day(found, m.group(0))
        return None
    m = _IN_MONTH.search(low)
    if m:
        month = _month_number(m["mloc"])
        if m["year"]:
            return EventDate.month(int(m["year"]), month, m.group(0))
        if pub is not None:
            year = pub.year - 1 if tense == "past" and month > pub.month else pub.year
            return EventDate.month(year, month, m.group(0))
        return None
    m = _IN_YEAR.search(low)
    if m:
        return EventDate.year(int(m["year"]), m.group(0))
    if pub is None:
        return None
    m = _WEEKDAY.search(low)
    if m:
        rel = m["rel"]
        english_rel = (
            None
            if rel is None or rel.startswith("эт")
            else ("last" if rel.startswith("прошл") else "next")
        )
        return EventDate.day(_weekday(_WEEKDAYS[m["wd"]], english_rel, pub, tense), m.group(0))
    m = _RELATIVE_DAY_RE.search(low)
    if m:
        return EventDate.day(pub + _dt.timedelta(days=_RELATIVE_DAY[m.group(1)]), m.group(0))
    m = _PERIOD.search(low)
    if m:
        if m["rel"]:
            return _week_month(_monday(pub) + _dt.timedelta(days=7 * _step(m["rel"])), m.group(0))
        if m["mrel"]:
            index = pub.year * 12 + pub.month - 1 + _step(m["mrel"])
            return EventDate.month(index // 12, index % 12 + 1, m.group(0))
        return EventDate.year(pub.year + _step(m["yrel"]), m.group(0))
    return None


_TEMPORAL_DEPS = frozenset({"obl", "advmod", "nmod", "obl:tmod"})


def resolve_russian_date(trigger, publication: _dt.date | None) -> EventDate | None:
    """The date of the event ``trigger`` expresses: its own temporal dependents first,
    then the governing verb's, then the whole sentence."""
    pub = as_date(publication)
    tense = russian_tense(trigger)
    scopes = [trigger]
    if trigger.pos_ == "NOUN" and trigger.head.i != trigger.i:
        scopes.append(trigger.head)
    for scope in scopes:
        for child in scope.children:
            if child.dep_ in _TEMPORAL_DEPS:
                words = sorted(child.subtree, key=lambda t: t.i)
                found = resolve_expression_ru(" ".join(t.text for t in words), pub, tense)
                if found is not None:
                    return found
    return resolve_expression_ru(trigger.sent.text, pub, tense)
