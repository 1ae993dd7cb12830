"""Aggregates behind the dashboard's views: timeline, actor network, map, autocomplete.

Each view asks the database for a small summary rather than the events
themselves, so the page stays fast on a store of millions of events: the
grouping happens in DuckDB and only buckets, edges or places travel.  Every
result is capped (buckets, edges, places, suggestions) so no request can make
the server build an unbounded response.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from tidings.analytics._series import country_level
from tidings.web._db import Database
from tidings.web._filters import Filters, ParameterError, where

INTERVALS = ("day", "week", "month")
#: Most periods one timeline may have (e.g. 5000 days is about 13 years).
MAX_BUCKETS = 5000


def _and(sql_where: str, clause: str) -> str:
    return f"{sql_where} AND {clause}" if sql_where else f" WHERE {clause}"


def _mean(total: float, count: int) -> float | None:
    return round(total / count, 3) if count else None


def _auto_interval(first: _dt.date, last: _dt.date) -> str:
    """Day for up to about three months, week up to two years, else month."""
    days = (last - first).days
    if days <= 92:
        return "day"
    return "week" if days <= 731 else "month"


def _periods(first: _dt.date, last: _dt.date, interval: str) -> int:
    days = (last - first).days + 1
    if interval == "day":
        return days
    if interval == "week":
        return days // 7 + 2
    return (last.year - first.year) * 12 + last.month - first.month + 1


#: Share of dated events cut off at each end of the timeline's default range.
FOCUS_TAIL = 0.01


def timeline(db: Database, filters: Filters, interval: str, param: str = "by") -> dict[str, Any]:
    """Event counts per period and QuadClass, with the mean Goldstein score of each period.

    ``start``/``end`` span every matching dated event; ``focus`` is where the
    data is: the 1st and 99th percentiles of the event dates, so a handful of
    outlying dates (an event of 1871 in a store of 2014-2020 news) does not
    squeeze the rest into a sliver.  The dashboard shows the focus by default
    and can widen to the whole span.  ``interval="auto"`` is chosen for the
    range shown: the date filter when one is given, else the focus.  When the
    whole span would need more than :data:`MAX_BUCKETS` periods of that
    interval, only the focus is bucketed (``clipped`` is then true) rather
    than refusing the request; an explicit interval over an explicit date
    range still must fit (else the error names ``param``, the query parameter given).
    """
    sql_where, params = where(filters)
    (first, last, undated, low, high) = db.query(
        "SELECT min(e.date_start), max(e.date_start), count(*) FILTER (e.date_start IS NULL), "
        "quantile_disc(e.date_start, ?), quantile_disc(e.date_start, ?) "
        f"FROM events e{sql_where}",
        [FOCUS_TAIL, 1 - FOCUS_TAIL, *params],
    )[0]
    empty = {
        "interval": interval,
        "start": None,
        "end": None,
        "focus": None,
        "outside": {"before": 0, "after": 0},
        "clipped": False,
        "buckets": [],
        "undated": undated,
    }
    if first is None:
        return {**empty, "interval": "day" if interval == "auto" else interval}
    ranged = filters.since is not None or filters.until is not None
    if interval == "auto":
        interval = _auto_interval(first, last) if ranged else _auto_interval(low, high)
    clipped = False
    if _periods(first, last, interval) > MAX_BUCKETS:
        if ranged or _periods(low, high, interval) > MAX_BUCKETS:
            raise ParameterError(
                param,
                f"{interval} buckets from {first} to {last} would exceed {MAX_BUCKETS}; "
                "choose a coarser interval or a shorter since/until range",
            )
        clipped = True
    (before, after) = db.query(
        "SELECT count(*) FILTER (e.date_start < ?), count(*) FILTER (e.date_start > ?) "
        f"FROM events e{sql_where}",
        [low, high, *params],
    )[0]
    dated = _and(sql_where, "e.date_start IS NOT NULL")
    bucket_params: list[Any] = [interval, *params]
    if clipped:
        dated = _and(dated, "e.date_start BETWEEN ? AND ?")
        bucket_params += [low, high]
    rows = db.query(
        "SELECT CAST(date_trunc(?, e.date_start) AS DATE) AS period, e.quad_class, count(*), "
        f"sum(e.goldstein) FROM events e{dated} "
        "GROUP BY ALL ORDER BY period, e.quad_class",
        bucket_params,
    )
    buckets: dict[_dt.date, dict[str, Any]] = {}
    sums: dict[_dt.date, float] = {}
    for period, quad, count, total in rows:
        bucket = buckets.setdefault(
            period, {"period": period.isoformat(), "count": 0, "q1": 0, "q2": 0, "q3": 0, "q4": 0}
        )
        bucket["count"] += count
        if quad in (1, 2, 3, 4):
            bucket[f"q{quad}"] += count
        sums[period] = sums.get(period, 0.0) + float(total)
    for period, bucket in buckets.items():
        bucket["goldstein_mean"] = _mean(sums[period], bucket["count"])
    return {
        "interval": interval,
        "start": first.isoformat(),
        "end": last.isoformat(),
        "focus": {"start": low.isoformat(), "end": high.isoformat()},
        "outside": {"before": before, "after": after},
        "clipped": clipped,
        "buckets": list(buckets.values()),
        "undated": undated,
    }


def dyads(
    db: Database, filters: Filters, *, level: str, directed: bool, unknown: bool, limit: int
) -> dict[str, Any]:
    """The actor network: the ``limit`` heaviest edges and the nodes they join.

    ``level="code"`` keeps full actor codes (RUSGOV), ``"country"`` folds them
    into their country and keeps international organisations (IGO..., NGO...,
    IMG..., MNC...) as they are; an actor with neither (a bare agent such as
    GOV or MED, "the government" of no known country) is not a country and
    is left out at that level.  Undirected edges join the pair in
    alphabetical order.  The unidentified actor ``---`` is left out unless
    ``unknown``: it would otherwise be the hub of every victim-side event.
    """
    if level == "country":  # countries and organisations only (not GOV, MED...)
        src, tgt = country_level("source"), country_level("target")
    else:
        src, tgt = "e.source_code", "e.target_code"
    a, b = (src, tgt) if directed else (f"least({src}, {tgt})", f"greatest({src}, {tgt})")
    sql_where, params = where(filters)
    sql_where = _and(sql_where, f"e.target_code IS NOT NULL AND {src} IS NOT NULL")
    sql_where = _and(sql_where, f"{tgt} IS NOT NULL")
    if not unknown:
        sql_where = _and(sql_where, "e.source_code <> '---' AND e.target_code <> '---'")
    rows = db.query(
        f"SELECT {a} AS a, {b} AS b, count(*) AS n, avg(e.goldstein), "
        "count(*) FILTER (e.quad_class = 1), count(*) FILTER (e.quad_class = 2), "
        "count(*) FILTER (e.quad_class = 3), count(*) FILTER (e.quad_class = 4) "
        f"FROM events e{sql_where} GROUP BY ALL HAVING a <> b "
        "AND a IS NOT NULL AND b IS NOT NULL ORDER BY n DESC, a, b LIMIT ?",
        [*params, limit + 1],
    )
    truncated = len(rows) > limit
    edges = []
    nodes: dict[str, dict[str, Any]] = {}
    for source, target, count, mean, q1, q2, q3, q4 in rows[:limit]:
        edges.append(
            {
                "source": source,
                "target": target,
                "weight": count,
                "goldstein_mean": round(mean, 3),
                "quad_counts": [q1, q2, q3, q4],
            }
        )
        for code in (source, target):
            node = nodes.setdefault(code, {"id": code, "events": 0, "goldstein_sum": 0.0})
            node["events"] += count
            node["goldstein_sum"] += mean * count
    for node in nodes.values():
        node["goldstein_mean"] = _mean(node.pop("goldstein_sum"), node["events"])
    return {
        "level": level,
        "directed": directed,
        "nodes": sorted(nodes.values(), key=lambda n: (-n["events"], n["id"])),
        "edges": edges,
        "truncated": truncated,
    }


def places(db: Database, filters: Filters, *, limit: int) -> dict[str, Any]:
    """A GeoJSON FeatureCollection: one point per place, with counts and mean Goldstein."""
    sql_where, params = where(filters)
    sql_where = _and(sql_where, "e.location_lat IS NOT NULL AND e.location_lon IS NOT NULL")
    rows = db.query(
        "SELECT e.location_name, e.location_country, e.location_feature_id, "
        "avg(e.location_lat), avg(e.location_lon), count(*) AS n, avg(e.goldstein), "
        "count(*) FILTER (e.quad_class = 1), count(*) FILTER (e.quad_class = 2), "
        "count(*) FILTER (e.quad_class = 3), count(*) FILTER (e.quad_class = 4) "
        f"FROM events e{sql_where} GROUP BY ALL ORDER BY n DESC, e.location_name LIMIT ?",
        [*params, limit + 1],
    )
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
            "properties": {
                "name": name,
                "country": country,
                "feature_id": feature_id,
                "count": count,
                "goldstein_mean": round(mean, 3),
                "quad_counts": [q1, q2, q3, q4],
            },
        }
        for name, country, feature_id, lat, lon, count, mean, q1, q2, q3, q4 in rows[:limit]
    ]
    return {"type": "FeatureCollection", "features": features, "truncated": len(rows) > limit}


def provenances(db: Database) -> list[dict[str, Any]]:
    """Events per provenance (``tidings`` for coded from text, ``icews:FILE``...).

    The dashboard offers these as the provenance filter's choices.  A store
    older than the provenance column holds only coded events.
    """
    if not db.has("events", "provenance"):
        (n,) = db.query("SELECT count(*) FROM events")[0]
        return [{"provenance": "tidings", "events": n}] if n else []
    rows = db.query(
        "SELECT coalesce(e.provenance, 'tidings') AS p, count(*) FROM events e "
        "GROUP BY p ORDER BY p LIMIT 200"
    )
    return [{"provenance": p, "events": n} for p, n in rows]


def _like_escape(value: str) -> str:
    """``value`` as a literal inside an ILIKE pattern (its own % and _ are not wildcards)."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def actors(db: Database, q: str, *, limit: int) -> list[dict[str, Any]]:
    """Actor codes starting with ``q``, or whose text contains it, most frequent first."""
    code = q.strip().upper()
    pattern = f"%{_like_escape(q.strip())}%"
    # Group each side by (code, country, text) first: the text match then runs
    # once per distinct wording instead of once per event.
    rows = db.query(
        "WITH pairs AS ("
        "SELECT e.source_code AS code, e.source_country AS country, e.source_text AS text, "
        "count(*) AS n FROM events e GROUP BY ALL UNION ALL "
        "SELECT e.target_code, e.target_country, e.target_text, count(*) FROM events e "
        "WHERE e.target_code IS NOT NULL GROUP BY ALL) "
        "SELECT code, any_value(country), sum(n) AS total, arg_max(text, n), "
        "bool_or(starts_with(code, ?)) AS by_code FROM pairs "
        "WHERE code <> '---' AND (starts_with(code, ?) OR country = ? "
        "OR text ILIKE ? ESCAPE '\\') "
        "GROUP BY code ORDER BY by_code DESC, total DESC, code LIMIT ?",
        [code, code, code, pattern, limit],
    )
    return [
        {"code": c, "country": country, "events": int(n), "text": text}
        for c, country, n, text, _ in rows
    ]
