"""Event studies: how did relations change after a trigger, compared with chance?

``store.aftermath(date="2014-07-17", dyad=("RUS", "UKR"))`` counts the
events of a dyad (or of one actor with everyone) per period before and
after a trigger, per QuadClass and per CAMEO root, with Goldstein sums, and
tests each change twice (see :mod:`._aftermath_stats`): a segmented Poisson
or negative-binomial regression with a trend, and a placebo test at every
other trigger date of the history.  It also ranks the actors whose
relations with the focal actor (the dyad's first, or ``actor``) changed most.

Why one SQL query per study: the whole history of the selection is grouped
by period, root and QuadClass in DuckDB (a few thousand rows at most), and
all windows, placebo dates and categories are then sliced from that array
in numpy, so a study with hundreds of placebo dates costs one scan.

Periods: the trigger's period is the first "after" period.  Windows are
given as ``26w``, ``180d``, ``6m``, ``1y`` or a bare number of periods, and
are clipped to the history (a note says so); a trigger outside the history,
an actor the store does not know, or windows without a single event of the
selection are errors (:class:`~tidings.errors.InputError`).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from tidings.analytics import _aftermath_stats as st
from tidings.analytics._filters import Table, make_filters
from tidings.analytics._query import Connect
from tidings.analytics._series import _PRECISE, _UNITS, Unit, _base, _check, period_start
from tidings.dictionaries.cameo import QUAD_CLASS_NAMES, load_codebook
from tidings.errors import InputError

_DAYS_PER = {"d": 1.0, "w": 7.0, "m": 30.4375, "y": 365.25}
_PERIOD_DAYS = {"day": 1.0, "week": 7.0, "month": 30.4375}
_WINDOW = re.compile(r"^\s*(\d+)\s*([dwmy]?)\s*$", re.IGNORECASE)


def window_periods(text: str | int, by: Unit) -> int:
    """A window (``"26w"``, ``"180d"``, ``"6m"``, ``"1y"`` or ``8`` periods) in ``by`` periods."""
    match = _WINDOW.match(str(text))
    if not match or int(match.group(1)) < 1:
        raise InputError(f"window {text!r} is not a positive length such as 26w, 180d, 6m or 8")
    number, unit = int(match.group(1)), match.group(2).lower()
    if not unit:
        return number
    return max(1, round(number * _DAYS_PER[unit] / _PERIOD_DAYS[by]))


def _next(day: _dt.date, by: Unit) -> _dt.date:
    """The first day of the period after the one starting on ``day``."""
    if by == "month":
        return (day.replace(day=28) + _dt.timedelta(days=4)).replace(day=1)
    return day + _dt.timedelta(days=1 if by == "day" else 7)


def _periods(first: _dt.date, last: _dt.date, by: Unit) -> list[_dt.date]:
    out, day = [], period_start(first, by)
    while day <= last:
        out.append(day)
        day = _next(day, by)
    return out


@dataclass
class Aftermath:
    """The result of an event study (see :func:`aftermath`); ``to_dict()`` for JSON."""

    trigger: dict[str, Any]
    selection: dict[str, Any]
    by: str
    windows: dict[str, Any]
    rows: list[dict[str, Any]]
    actors: list[dict[str, Any]]
    series: list[dict[str, Any]]
    placebo_dates: int
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (dates as ISO strings)."""
        return _jsonable(asdict(self))

    def df(self):  # -> pandas.DataFrame
        """The change table (one row per category) as a pandas DataFrame."""
        import pandas as pd

        return pd.DataFrame(self.rows)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, np.generic):
        return _jsonable(value.item())
    return value


def _table_name(table: Table) -> str:
    return "events" if table == "events" else "merged_events"


def _trigger_event(connect: Connect, event_id: str, table: Table) -> dict[str, Any]:
    id_column = "event_id" if table == "events" else "merged_id"
    rows = (
        connect()
        .execute(
            f"SELECT date_start, coalesce(source_country, source_code), "
            f"coalesce(target_country, target_code), code FROM {_table_name(table)} "
            f"WHERE {id_column} = ?",
            [event_id],
        )
        .fetchall()
    )
    if not rows:
        raise InputError(f"no event {event_id!r} in the store")
    date, source, target, code = rows[0]
    if date is None:
        raise InputError(f"event {event_id!r} has no date to use as a trigger")
    day = date.date() if isinstance(date, _dt.datetime) else date
    return {"event_id": event_id, "date": day, "source": source, "target": target, "code": code}


def _known_actor(connect: Connect, code: str, table: Table) -> None:
    body, params = _base(make_filters(actor=code, modality=None), table)
    if not connect().execute("SELECT count(*)" + body, params).fetchall()[0][0]:
        raise InputError(f"unknown actor {code!r}: no event in the store names it")


def _history(connect: Connect, by: Unit, table: Table) -> tuple[_dt.date, _dt.date]:
    precise = _PRECISE[by]
    body, params = _base(
        make_filters(),
        table,
        "e.date_start IS NOT NULL",
        f"coalesce(e.date_precision, 'day') IN ({', '.join('?' * len(precise))})",
        extra_params=precise,
    )
    first, last = (
        connect()
        .execute("SELECT min(e.date_start), max(e.date_start)" + body, params)
        .fetchall()[0]
    )
    if first is None:
        raise InputError(f"the store has no events dated precisely enough for a {by} series")
    as_day = lambda d: d.date() if isinstance(d, _dt.datetime) else d  # noqa: E731
    return as_day(first), as_day(last)


def _grouped(connect: Connect, by: Unit, table: Table, filters: dict[str, Any]) -> list[tuple]:
    """(period, root, quad, events, goldstein sum) of the selection over its whole history."""
    part = _UNITS[by][0]
    precise = _PRECISE[by]
    body, params = _base(
        make_filters(**filters),
        table,
        "e.date_start IS NOT NULL",
        f"coalesce(e.date_precision, 'day') IN ({', '.join('?' * len(precise))})",
        extra_params=precise,
    )
    sql = (
        f"SELECT CAST(date_trunc('{part}', e.date_start) AS DATE), e.root_code, e.quad_class, "
        f"count(*), coalesce(sum(e.goldstein), 0){body} GROUP BY 1, 2, 3"
    )
    return connect().execute(sql, params).fetchall()


def _counterparts(
    connect: Connect,
    focal: str,
    table: Table,
    filters: dict[str, Any],
    start: _dt.date,
    trigger: _dt.date,
    end: _dt.date,
) -> list[tuple]:
    """(other actor's country, after?, events, goldstein sum) of the focal actor's relations."""
    dropped = ("dyad", "directed", "actor", "since", "until")
    flt = {k: v for k, v in filters.items() if k not in dropped}
    body, params = _base(
        make_filters(actor=focal, since=start, until=end - _dt.timedelta(days=1), **flt),
        table,
        "e.target_code IS NOT NULL",
    )
    other = (
        "CASE WHEN starts_with(e.source_code, ?) THEN coalesce(e.target_country, e.target_code) "
        "ELSE coalesce(e.source_country, e.source_code) END"
    )
    sql = (
        f"SELECT {other} AS other, e.date_start >= ? AS post, count(*), "
        f"coalesce(sum(e.goldstein), 0){body} GROUP BY 1, 2"
    )
    return connect().execute(sql, [focal, trigger, *params]).fetchall()


def _rank_actors(
    rows: list[tuple], focal: str, n_before: int, n_after: int, top: int
) -> list[dict[str, Any]]:
    """Counterparts ordered by how far their after-rate departs from the before-rate (z-score)."""
    table: dict[str, list[float]] = {}
    for other, post, count, gold in rows:
        if other is None or other == "---" or str(other).startswith(focal):
            continue
        entry = table.setdefault(other, [0, 0, 0.0, 0.0])
        entry[1 if post else 0] += count
        entry[3 if post else 2] += gold
    ranked = []
    for other, (nb, na, gb, ga) in table.items():
        expected = nb * n_after / max(n_before, 1)
        z = (na - expected) / math.sqrt(expected + 1.0)
        ranked.append(
            {
                "actor": other,
                "before": int(nb),
                "after": int(na),
                "before_rate": nb / max(n_before, 1),
                "after_rate": na / max(n_after, 1),
                "z": z,
                "goldstein_before": gb,
                "goldstein_after": ga,
                "goldstein_rate_change": ga / max(n_after, 1) - gb / max(n_before, 1),
            }
        )
    ranked.sort(key=lambda r: (-abs(r["z"]), r["actor"]))
    return ranked[:top]


def _selection(
    dyad: tuple[str, str] | None, actor: str | None, both_ways: bool, trigger: dict | None
) -> tuple[dict[str, Any], dict[str, Any], str]:
    if dyad is not None and actor is not None:
        raise InputError("give either a dyad or an actor, not both")
    if dyad is None and actor is None:
        if trigger is None or not trigger.get("source") or not trigger.get("target"):
            raise InputError("give a dyad or an actor (or an event with a source and a target)")
        dyad = (trigger["source"], trigger["target"])
    if dyad is not None:
        a, b = (str(x).strip().upper() for x in dyad)
        return (
            {"dyad": (a, b), "directed": not both_ways},
            {"dyad": [a, b], "directed": not both_ways},
            a,
        )
    focal = str(actor).strip().upper()
    return {"actor": focal}, {"actor": focal}, focal


def aftermath(
    connect: Connect,
    *,
    date: str | _dt.date | None = None,
    event: str | None = None,
    dyad: tuple[str, str] | None = None,
    actor: str | None = None,
    both_ways: bool = False,
    before: str | int = "26w",
    after: str | int = "8w",
    by: Unit = "week",
    table: Table = "events",
    placebo: bool = True,
    top_actors: int = 10,
    **filters: Any,
) -> Aftermath:
    """Run an event study; see the module docstring.  Raises InputError on a bad request."""
    _check("by", by, _UNITS)
    if (
        table == "merged"
        and not connect().execute("SELECT count(*) FROM merged_events").fetchall()[0][0]
    ):
        raise InputError("the store has no merged events: run tidings merge first")
    if (date is None) == (event is None):
        raise InputError("give the trigger as either a date or an event id")
    trigger_event = _trigger_event(connect, event, table) if event is not None else None
    if trigger_event is not None:
        day = trigger_event["date"]
    elif isinstance(date, _dt.date):
        day = date
    else:
        try:
            day = _dt.date.fromisoformat(str(date))
        except ValueError:
            raise InputError(f"trigger date {date!r} is not YYYY-MM-DD") from None
    select, described, focal = _selection(dyad, actor, both_ways, trigger_event)
    for code in described.get("dyad", [focal]):
        _known_actor(connect, code, table)
    first, last = _history(connect, by, table)
    if not first <= day <= last:
        raise InputError(f"trigger {day} is outside the data ({first} to {last})")
    n_before, n_after = window_periods(before, by), window_periods(after, by)
    periods = _periods(first, last, by)
    index = {p: i for i, p in enumerate(periods)}
    trig = index[period_start(day, by)]
    notes: list[str] = []
    lo, hi = trig - n_before, trig + n_after
    if lo < 0:
        notes.append(f"before window clipped to {trig} {by}s at the start of the data")
        lo = 0
    if hi > len(periods):
        notes.append(f"after window clipped to {len(periods) - trig} {by}s at the end of the data")
        hi = len(periods)
    nb, na = trig - lo, hi - trig
    if nb < 1:
        raise InputError(f"trigger {day} is in the first {by} of the data: nothing before it")

    roots = {c.code: c.label for c in load_codebook().roots()}
    cats = ["all", "q1", "q2", "q3", "q4", *roots]
    counts = np.zeros((len(cats), len(periods)))
    gold = np.zeros((len(cats), len(periods)))
    pos = {c: i for i, c in enumerate(cats)}
    for period, root, quad, n, g in _grouped(connect, by, table, {**filters, **select}):
        i = index.get(period)
        if i is None:
            continue
        for cat in ("all", f"q{quad}" if quad else None, root):
            if cat in pos:
                counts[pos[cat], i] += n
                gold[pos[cat], i] += g
    win = slice(lo, hi)
    if counts[0, win].sum() == 0:
        what = "-".join(described["dyad"]) if "dyad" in described else focal
        raise InputError(
            f"no events of {what} between {periods[lo]} and {periods[hi - 1]} ({by}s): "
            "widen the windows or pick another dyad"
        )
    positions = st.placebo_positions(len(periods), trig, n_before, na) if placebo else []
    positions = np.asarray(positions, dtype=int)
    if placebo and len(positions) < 19:
        notes.append(
            f"only {len(positions)} placebo dates fit the data: the smallest placebo "
            f"p-value possible is {1 / (1 + len(positions)):.2f}"
        )
    placebo_stats = st.placebo_changes(counts, positions, n_before, na) if len(positions) else None

    rows = []
    for k, cat in enumerate(cats):
        y = counts[k, win]
        if k >= 5 and y.sum() == 0:
            continue
        yb, ya = y[:nb], y[nb:]
        gb, ga = gold[k, lo:trig].sum(), gold[k, trig:hi].sum()
        shift = st.segmented_shift(y, nb)
        observed = st.log_change(yb, ya)
        p_placebo = (
            st.empirical_p(observed, placebo_stats[k]) if placebo_stats is not None else None
        )
        if cat == "all":
            label = "all events"
        elif cat.startswith("q"):
            label = f"Q{cat[1]} {QUAD_CLASS_NAMES[int(cat[1])]}"
        else:
            label = f"{cat} {roots[cat]}"
        rb, ra = yb.sum() / nb, ya.sum() / na
        rows.append(
            {
                "category": label,
                "kind": "total" if cat == "all" else ("quad" if cat.startswith("q") else "root"),
                "before": int(yb.sum()),
                "after": int(ya.sum()),
                "before_rate": rb,
                "after_rate": ra,
                "change": ra - rb,
                "change_pct": None if rb == 0 else 100 * (ra - rb) / rb,
                "goldstein_before": gb,
                "goldstein_after": ga,
                "goldstein_rate_change": ga / na - gb / nb,
                "rate_ratio": shift.rate_ratio,
                "p_model": shift.p_value,
                "model": shift.model,
                "p_placebo": p_placebo,
            }
        )

    mu, band_lo, band_hi = st.counterfactual(counts[0, win], nb, na)
    series = []
    for offset, i in enumerate(range(lo, hi)):
        point = {
            "period": periods[i],
            "window": "before" if i < trig else "after",
            "events": int(counts[0, i]),
            **{f"q{q}": int(counts[q, i]) for q in (1, 2, 3, 4)},
            "goldstein": float(gold[0, i]),
            "expected": None,
            "low": None,
            "high": None,
        }
        if i >= trig:
            j = offset - nb
            point.update(expected=float(mu[j]), low=float(band_lo[j]), high=float(band_hi[j]))
        series.append(point)

    end = _next(periods[hi - 1], by)
    ranked = _rank_actors(
        _counterparts(connect, focal, table, filters, periods[lo], periods[trig], end),
        focal,
        nb,
        na,
        top_actors,
    )
    return Aftermath(
        trigger={
            "date": day,
            "period": periods[trig],
            **({} if trigger_event is None else {"event": trigger_event}),
        },
        selection={**described, "focal": focal, "merged": table != "events"},
        by=by,
        windows={
            "before": nb,
            "after": na,
            "start": periods[lo],
            "end": end - _dt.timedelta(days=1),
        },
        rows=rows,
        actors=ranked,
        series=series,
        placebo_dates=len(positions),
        notes=notes,
    )
