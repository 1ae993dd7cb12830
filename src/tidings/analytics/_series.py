"""Aggregate queries: dyadic time series, top actors and dyads, event types, networks.

Every function compiles filters (see :mod:`._filters`) into one SQL query and
returns it as a lazy :class:`~._query.Query`, so the grouping happens in
DuckDB and only buckets, pairs or edges travel to Python.  Each can run over
the raw reports (``table="events"``) or over merged events
(``table="merged"``, after ``tidings merge``), whose columns share names.

Periods: ``by`` is ``day``, ``week`` (ISO weeks, starting on Monday; a period
is named by its first day) or ``month``.  An event is placed in a period only
if its date is at least that precise: day- and publication-precision dates
in every series, month-precision dates only in monthly ones (a "December
2016" event cannot be put in a week); year-precision and undated events in
none.

Only names chosen from the constant tables below (time units, expressions of
the actor level) are spliced into SQL; every value is a bound parameter.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from tidings.analytics._filters import Filters, Table, compile_where, from_clause, where_sql
from tidings.analytics._query import Connect, Query
from tidings.dictionaries._petrarch.actors import INTERNATIONAL_PREFIXES

if TYPE_CHECKING:
    import networkx

Unit = Literal["day", "week", "month"]
Level = Literal["code", "country"]

#: date_trunc part and generate_series step of each period unit.
_UNITS: dict[str, tuple[str, str]] = {
    "day": ("day", "INTERVAL 1 DAY"),
    "week": ("week", "INTERVAL 7 DAY"),
    "month": ("month", "INTERVAL 1 MONTH"),
}
#: The date precisions that can be placed in a period of each unit.
_PRECISE: dict[str, tuple[str, ...]] = {
    "day": ("day", "publication"),
    "week": ("day", "publication"),
    "month": ("day", "publication", "month"),
}


def country_level(side: str) -> str:
    """SQL naming an event's ``side`` actor at the country level: its country, else an
    international organisation's code (IGOUNO, NGOMSF, IMGMUSISI: the prefixes of
    :data:`INTERNATIONAL_PREFIXES`); NULL for actors that are only an agent, a group or a
    region (GOV, MED, CVL, KUR, SASREB) or unidentified (---), which are not countries and
    must not be shown as such.  The prefixes are the dictionaries' constants, so they are
    spliced as literals, never user input."""
    prefixes = ", ".join(f"'{p}'" for p in sorted(INTERNATIONAL_PREFIXES))
    return (
        f"CASE WHEN e.{side}_country IS NOT NULL THEN e.{side}_country "
        f"WHEN left(e.{side}_code, 3) IN ({prefixes}) THEN e.{side}_code END"
    )


#: How an actor is named at each level: its code, or its country (or organisation).
_LEVELS: dict[str, tuple[str, str]] = {
    "code": ("e.source_code", "e.target_code"),
    "country": (country_level("source"), country_level("target")),
}
_QUADS = ", ".join(f"count(*) FILTER (WHERE e.quad_class = {q}) AS q{q}" for q in (1, 2, 3, 4))


def _check(name: str, value: str, allowed: dict[str, Any] | tuple[str, ...]) -> str:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, got {value!r}")
    return value


def _top(n: int) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    return n


def period_start(day: _dt.date, by: Unit) -> _dt.date:
    """The first day of the period of unit ``by`` that contains ``day``."""
    if by == "week":
        return day - _dt.timedelta(days=day.weekday())
    if by == "month":
        return day.replace(day=1)
    return day


def _base(
    filters: Filters, table: Table, *extra: str, extra_params: tuple[Any, ...] = ()
) -> tuple[str, list[Any]]:
    """``FROM ... WHERE ...`` of the filtered rows (and ``extra`` conditions), its parameters."""
    conditions, params = compile_where(filters, table)
    return from_clause(filters, table) + where_sql(conditions, *extra), [*params, *extra_params]


def timeline(
    connect: Connect,
    filters: Filters,
    *,
    by: Unit = "week",
    normalize: bool = False,
    fill: bool = True,
    table: Table = "events",
) -> Query:
    """Events per period: counts per QuadClass, Goldstein sum and mean.

    Columns: ``period`` (first day), ``events``, ``q1``..``q4``,
    ``goldstein_sum``, ``goldstein_mean`` (NULL for an empty period).  With
    ``fill`` every period from ``since`` (else the first event's) to
    ``until`` (else the last event's) is present, empty ones with zeros.

    ``normalize`` adds ``articles``, the article volume of the period (stored
    articles published in it, plus distinct source URLs of imported events
    dated in it, each of which stands for an article), and the counts and
    Goldstein sum divided by it (``events_per_article``, ``q1_per_article``...,
    ``goldstein_per_article``; NULL when the period has no article), so that
    series from periods of more and less news can be compared.
    """
    part, step = _UNITS[_check("by", by, _UNITS)]
    precise = _PRECISE[by]
    body, params = _base(
        filters,
        table,
        "e.date_start IS NOT NULL",
        f"coalesce(e.date_precision, 'day') IN ({', '.join('?' * len(precise))})",
        extra_params=precise,
    )
    period = f"CAST(date_trunc('{part}', e.date_start) AS DATE)"
    sql = (
        f"WITH agg AS (SELECT {period} AS period, count(*) AS events, {_QUADS}, "
        "sum(e.goldstein) AS goldstein_sum, avg(e.goldstein) AS goldstein_mean"
        f"{body} GROUP BY 1)"
    )
    columns = "events, q1, q2, q3, q4, goldstein_sum"
    if fill:
        lo = None if filters.since is None else period_start(filters.since, by)
        last = None if filters.until is None else filters.until - _dt.timedelta(days=1)
        hi = None if last is None else period_start(last, by)
        sql += (
            ", periods AS (SELECT CAST(unnest(generate_series(lo, hi, "
            f"{step})) AS DATE) AS period FROM (SELECT coalesce(CAST(? AS DATE), min(period)) "
            "AS lo, coalesce(CAST(? AS DATE), max(period)) AS hi FROM agg) "
            "WHERE lo IS NOT NULL AND hi IS NOT NULL AND lo <= hi), "
            "series AS (SELECT p.period, "
            + ", ".join(f"coalesce(agg.{c}, 0) AS {c}" for c in columns.split(", "))
            + ", agg.goldstein_mean FROM periods p LEFT JOIN agg USING (period))"
        )
        params.extend([lo, hi])
    else:
        sql += ", series AS (SELECT * FROM agg)"
    if not normalize:
        return Query(connect, sql + " SELECT * FROM series ORDER BY period", params)
    volume, volume_params = _volume(part, filters)
    per = ", ".join(
        f"CASE WHEN v.articles > 0 THEN s.{c} / v.articles END AS "
        f"{c.replace('_sum', '')}_per_article"
        for c in columns.split(", ")
    )
    sql += (
        f", volume AS ({volume}) SELECT s.*, coalesce(v.articles, 0) AS articles, {per} "
        "FROM series s LEFT JOIN volume v USING (period) ORDER BY s.period"
    )
    return Query(connect, sql, [*params, *volume_params])


def _volume(part: str, filters: Filters) -> tuple[str, list[Any]]:
    """Articles per period: stored articles by date, imported events' distinct URLs."""
    params: list[Any] = []
    article_range = event_range = ""
    if filters.since is not None:
        article_range += " AND a.date >= ?"
        event_range += " AND i.date_start >= ?"
    if filters.until is not None:
        article_range += " AND a.date < ?"
        event_range += " AND i.date_start < ?"
    bounds = [d for d in (filters.since, filters.until) if d is not None]
    params.extend(bounds)
    params.extend(bounds)
    sql = (
        "SELECT period, count(*) AS articles FROM ("
        f"SELECT CAST(date_trunc('{part}', a.date) AS DATE) AS period FROM articles a "
        f"WHERE a.date IS NOT NULL{article_range} "
        "UNION ALL SELECT period FROM (SELECT DISTINCT "
        f"CAST(date_trunc('{part}', i.date_start) AS DATE) AS period, "
        "coalesce(i.source_url, i.event_id) AS article FROM events i "
        "WHERE i.sentence_index < 0 AND i.date_start IS NOT NULL"
        f"{event_range})) GROUP BY period"
    )
    return sql, params


def top_actors(
    connect: Connect,
    filters: Filters,
    n: int = 20,
    *,
    role: Literal["any", "source", "target"] = "any",
    level: Level = "code",
    table: Table = "events",
) -> Query:
    """The ``n`` actors in most events: ``actor``, ``events``, ``as_source``,
    ``as_target``, ``goldstein_mean``.

    An event counts once for each actor in it (an actor on both sides once).
    ``role`` restricts to sources or targets; ``level="country"`` counts
    countries (an actor without a country by its code).
    """
    _check("role", role, ("any", "source", "target"))
    source, target = _LEVELS[_check("level", level, _LEVELS)]
    sides: list[str] = []
    all_params: list[Any] = []
    if role in ("any", "source"):
        body, params = _base(filters, table, f"{source} IS NOT NULL")
        sides.append(f"SELECT {source} AS actor, 1 AS s, 0 AS t, e.goldstein{body}")
        all_params.extend(params)
    if role in ("any", "target"):
        extra = [f"{target} IS NOT NULL"]
        if role == "any":  # an actor on both sides of an event counts once
            extra.append(f"{target} IS DISTINCT FROM {source}")
        body, params = _base(filters, table, *extra)
        sides.append(f"SELECT {target} AS actor, 0 AS s, 1 AS t, e.goldstein{body}")
        all_params.extend(params)
    all_params.append(_top(n))
    sql = (
        "SELECT actor, count(*) AS events, CAST(sum(s) AS BIGINT) AS as_source, "
        "CAST(sum(t) AS BIGINT) AS as_target, "
        f"avg(goldstein) AS goldstein_mean FROM ({' UNION ALL '.join(sides)}) "
        "GROUP BY actor ORDER BY events DESC, actor LIMIT ?"
    )
    return Query(connect, sql, all_params)


def top_dyads(
    connect: Connect,
    filters: Filters,
    n: int = 20,
    *,
    directed: bool = True,
    level: Level = "code",
    table: Table = "events",
) -> Query:
    """The ``n`` dyads with most events (events without a target have no dyad).

    Directed (the default, as in GDELT): columns ``source``, ``target``;
    undirected: ``actor1``, ``actor2`` (alphabetical, so RUS-TUR and TUR-RUS
    are one dyad).  Then ``events``, ``q1``..``q4``, ``goldstein_sum``,
    ``goldstein_mean``; ties in ``events`` are ordered by the actors.

    Computed in two passes, which on 10 million events is about 1.5 times as
    fast as one: the dyads are ranked on their count alone (a cheap
    aggregate), then the QuadClass and Goldstein aggregates are computed for
    the rows of the top ``n`` dyads only, found with an IN filter on their
    actors that DuckDB evaluates on the compressed columns.
    """
    source, target = _LEVELS[_check("level", level, _LEVELS)]
    known = (f"{source} IS NOT NULL", f"{target} IS NOT NULL")
    body, params = _base(filters, table, "e.target_code IS NOT NULL", *known)
    if directed:
        first, second = source, target
        names = ("source", "target")
    else:
        first, second = f"least({source}, {target})", f"greatest({source}, {target})"
        names = ("actor1", "actor2")
    one, two = names
    sql = (
        f"WITH top AS (SELECT {first} AS x, {second} AS y, count(*) AS n{body} "
        "GROUP BY 1, 2 ORDER BY n DESC, x, y LIMIT ?), "
        "codes AS (SELECT x AS c FROM top UNION SELECT y FROM top), "
        f"detail AS (SELECT {first} AS {one}, {second} AS {two}, count(*) AS events, {_QUADS}, "
        f"sum(e.goldstein) AS goldstein_sum, avg(e.goldstein) AS goldstein_mean{body} "
        f"AND {source} IN (SELECT c FROM codes) AND {target} IN (SELECT c FROM codes) "
        f"GROUP BY 1, 2) SELECT detail.* FROM detail JOIN top ON top.x = detail.{one} "
        f"AND top.y = detail.{two} ORDER BY events DESC, {one}, {two}"
    )
    return Query(connect, sql, [*params, _top(n), *params])


def event_types(connect: Connect, filters: Filters, *, table: Table = "events") -> Query:
    """Events per CAMEO root: ``root``, ``label``, ``quad_class``, ``events``,
    ``share`` (of the filtered events), ``goldstein_mean``; in root order."""
    from tidings.dictionaries.cameo import load_codebook

    roots = load_codebook().roots()
    body, params = _base(filters, table)
    sql = (
        "WITH agg AS (SELECT e.root_code AS root, count(*) AS events, "
        f"avg(e.goldstein) AS goldstein_mean{body} GROUP BY 1) "
        "SELECT agg.root, l.label, l.quad_class, agg.events, "
        "agg.events / sum(agg.events) OVER () AS share, agg.goldstein_mean FROM agg "
        "LEFT JOIN (SELECT unnest(CAST(? AS VARCHAR[])) AS root, "
        "unnest(CAST(? AS VARCHAR[])) AS label, unnest(CAST(? AS INTEGER[])) AS quad_class) l "
        "USING (root) ORDER BY agg.root"
    )
    labels = [[c.code for c in roots], [c.label for c in roots], [c.quad_class for c in roots]]
    return Query(connect, sql, [*params, *labels])


@dataclass(frozen=True)
class Network:
    """A co-occurrence network: ``nodes`` and ``edges``, each a lazy :class:`Query`.

    ``edges``: ``source``, ``target`` (alphabetical: the network is
    undirected), ``weight`` (events, or articles, in which both occur) and
    ``goldstein_mean``.  ``nodes``: every actor of an edge, with ``degree``
    (its edges) and ``weight`` (sum of its edges' weights).
    """

    nodes: Query
    edges: Query

    def to_networkx(self) -> networkx.Graph:
        """The network as a ``networkx.Graph`` (the ``network`` extra), weights as attributes."""
        try:
            import networkx
        except ImportError:
            raise ImportError(
                "to_networkx() needs networkx: pip install networkx "
                "(or pip install '.[network]' from a Tidings checkout)"
            ) from None

        graph = networkx.Graph()
        for node in self.nodes.records():
            graph.add_node(node.pop("actor"), **node)
        for edge in self.edges.records():
            graph.add_edge(edge.pop("source"), edge.pop("target"), **edge)
        return graph


def network(
    connect: Connect,
    filters: Filters,
    *,
    by: Literal["event", "article"] = "event",
    level: Level = "code",
    min_weight: int = 1,
    table: Table = "events",
) -> Network:
    """Actors that co-occur: in one event (its source and target), or in one article.

    ``by="article"`` links every two actors named in events of the same coded
    article (imported events have no article and are left out); it is not
    available for merged events, which span articles.
    """
    _check("by", by, ("event", "article"))
    if by == "article" and table != "events":
        raise ValueError("a network by article needs the events table, not merged events")
    source, target = _LEVELS[_check("level", level, _LEVELS)]
    if by == "event":
        body, params = _base(
            filters, table, "e.target_code IS NOT NULL", f"{source} IS NOT NULL",
            f"{target} IS NOT NULL"
        )  # fmt: skip
        edges = (
            f"SELECT least(a1, a2) AS source, greatest(a1, a2) AS target, count(*) AS weight, "
            f"avg(goldstein) AS goldstein_mean FROM (SELECT {source} AS a1, {target} AS a2, "
            f"e.goldstein{body}) WHERE a1 <> a2 GROUP BY 1, 2"
        )
    else:
        coded, coded_params = _base(filters, table, "e.sentence_index >= 0")
        with_target, target_params = _base(
            filters, table, "e.sentence_index >= 0", "e.target_code IS NOT NULL"
        )
        # actors of each article, with the mean Goldstein value of their events there
        edges = (
            "WITH acts AS (SELECT doc_id, actor, avg(goldstein) AS goldstein FROM ("
            f"SELECT e.doc_id, {source} AS actor, e.goldstein{coded} UNION ALL "
            f"SELECT e.doc_id, {target}, e.goldstein{with_target}) "
            "WHERE actor IS NOT NULL GROUP BY 1, 2) "
            "SELECT x.actor AS source, y.actor AS target, count(*) AS weight, "
            "avg((x.goldstein + y.goldstein) / 2) AS goldstein_mean FROM acts x JOIN acts y "
            "ON x.doc_id = y.doc_id AND x.actor < y.actor GROUP BY 1, 2"
        )
        params = [*coded_params, *target_params]
    if isinstance(min_weight, bool) or not isinstance(min_weight, int) or min_weight < 1:
        raise ValueError(f"min_weight must be a positive integer, got {min_weight!r}")
    edges = f"SELECT * FROM ({edges}) WHERE weight >= ?"
    edge_params = [*params, min_weight]
    nodes = (
        f"WITH edges AS ({edges}) SELECT actor, count(*) AS degree, "
        "CAST(sum(weight) AS BIGINT) AS weight "
        "FROM (SELECT source AS actor, weight FROM edges UNION ALL "
        "SELECT target, weight FROM edges) GROUP BY actor ORDER BY weight DESC, actor"
    )
    return Network(
        nodes=Query(connect, nodes, edge_params),
        edges=Query(connect, edges + " ORDER BY weight DESC, source, target", edge_params),
    )
