"""The SQL that turns a GDELT or ICEWS file into rows of the ``events`` table.

Why SQL: an event file has millions of rows, and a Python loop costs about a
microsecond per field.  DuckDB parses the file in parallel (``read_csv``),
and the transformation is a few joins against small mapping tables built
here from Python (the CAMEO codebook, FIPS codes, ICEWS actors), so the
whole import runs at several hundred thousand events per second.

Each importer fills a *stage* table, one row per parsed line with a
``_problem`` column that is NULL for good rows and says what is wrong
otherwise, then returns the SELECT (in ``ALL_EVENT_COLUMNS`` order; ``confidence`` is
NULL: another coder's events are never hidden by ours) that
:meth:`Store.insert_imported` inserts.  Temporary tables are named
``_tidings_*`` and dropped by :func:`drop_temporary`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

import duckdb

from tidings.dictionaries.cameo import load_codebook
from tidings.exchange._mappings import DAY_ZERO, ActorMapper, country_code
from tidings.exchange._tables import GDELT_EVENT_COLUMNS

TEMPORARY = (
    "_tidings_raw",
    "_tidings_stage",
    "_tidings_cameo",
    "_tidings_ids",
    "_tidings_actors",
    "_tidings_countries",
    "_tidings_fips",
    "_tidings_rejects",
    "_tidings_reject_scans",
)


def drop_temporary(con: duckdb.DuckDBPyConnection) -> None:
    for name in TEMPORARY:
        con.execute(f"DROP TABLE IF EXISTS {name}")


def literal(text: str) -> str:
    """A SQL string literal (for the few values DuckDB cannot bind, like table-function args)."""
    return "'" + text.replace("'", "''") + "'"


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def load_rows(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: Sequence[tuple[str, str]],
    rows: Iterable[Sequence[Any]],
) -> None:
    """Create a temporary table holding ``rows``.

    Each column travels as one list parameter, zipped back into rows by
    ``unnest``: one statement, whatever the number of rows (binding rows of
    scalar parameters costs a millisecond per hundred values).
    """
    values: list[list[Any]] = [[] for _ in columns]
    for row in rows:
        for column, value in zip(values, row, strict=True):
            column.append(value)
    select = ", ".join(f"unnest(CAST(? AS {kind}[])) AS {name}" for name, kind in columns)
    con.execute(f"CREATE TEMP TABLE {table} AS SELECT {select}", values)


def load_codebook_table(con: duckdb.DuckDBPyConnection) -> None:
    rows = [
        (c.code, c.root, c.goldstein, c.quad_class, " ".join(c.label.casefold().split()))
        for c in load_codebook().values()
    ]
    columns = [
        ("code", "TEXT"),
        ("root", "TEXT"),
        ("goldstein", "DOUBLE"),
        ("quad_class", "INTEGER"),
        ("label", "TEXT"),
    ]
    load_rows(con, "_tidings_cameo", columns, rows)


def load_id_table(con: duckdb.DuckDBPyConnection, mapping: dict[str, str]) -> None:
    """Integer -> Tidings event id, from the sidecar of a Tidings export."""
    load_rows(con, "_tidings_ids", [("num", "TEXT"), ("event_id", "TEXT")], mapping.items())


def read_csv_sql(path: str, *, delim: str, header: bool, names: Sequence[str]) -> str:
    """``read_csv`` of every column as text, bad lines to ``_tidings_rejects``.

    TSV files are read without quoting (neither GDELT nor ICEWS quote: a
    ``"`` is part of the text); CSV files with standard double quotes.
    """
    columns = ", ".join(f"{literal(name)}: 'VARCHAR'" for name in names)
    quote = "'\"'" if delim == "," else "''"
    return (
        f"SELECT * FROM read_csv({literal(path)}, delim={literal(delim)}, quote={quote}, "
        f"escape={quote}, header={str(header).lower()}, auto_detect=false, "
        f"columns={{{columns}}}, store_rejects=true, rejects_table='_tidings_rejects', "
        "rejects_scan='_tidings_reject_scans', max_line_size=8388608)"
    )


def _json_of(pairs: Sequence[tuple[str, str]]) -> str:
    """SQL for a JSON object of the non-NULL values (NULL when all are)."""
    if not pairs:
        return "CAST(NULL AS JSON)"
    parts = ", ".join(f"{literal(json.dumps(key) + ':')} || to_json({expr})" for key, expr in pairs)
    return f"CAST(nullif('{{' || concat_ws(',', {parts}) || '}}', '{{}}') AS JSON)"


def _text(column: str) -> str:
    return f"nullif(trim({ident(column)}), '')"


#: Joins giving each parsed row its CAMEO code: as given, with a dropped leading
#: zero restored ("43" -> "043"), a code under a known root ("0431"), or the
#: code of its label (ICEWS Event Text) when the code column is empty.
_CODED = """coded AS (
    SELECT p.*, coalesce(
        k1.code, k0.code,
        CASE WHEN regexp_full_match(p.c_raw, '[0-9]{2,4}') THEN kr.code || substr(p.c_raw, 3) END,
        kl.code) AS code
    FROM parsed p
    LEFT JOIN _tidings_cameo k1 ON k1.code = p.c_raw
    LEFT JOIN _tidings_cameo k0 ON k0.code = '0' || p.c_raw
    LEFT JOIN _tidings_cameo kr ON kr.code = substr(p.c_raw, 1, 2)
    LEFT JOIN (SELECT label, min(code) AS code FROM _tidings_cameo GROUP BY label) kl
        ON kl.label = p.c_label
)"""
_NEAREST = """LEFT JOIN _tidings_cameo k4 ON k4.code = st.code
LEFT JOIN _tidings_cameo k3 ON k3.code = substr(st.code, 1, 3)
LEFT JOIN _tidings_cameo k2 ON k2.code = substr(st.code, 1, 2)"""
_DATE = (
    "strftime(st.d, '%Y-%m-%d') AS date, CASE WHEN st.d IS NULL THEN NULL ELSE 'day' END, "
    "st.d, NULL, NULL"
)


def mark_duplicates(con: duckdb.DuckDBPyConnection, key: str, what: str) -> None:
    """Make every repeat of an id in the stage a bad line (the first one is kept)."""
    (repeats,) = con.execute(
        f"SELECT count({key}) - count(DISTINCT {key}) FROM _tidings_stage WHERE _problem IS NULL"
    ).fetchone()
    if repeats:
        con.execute(
            f"""UPDATE _tidings_stage SET _problem = '{what} ' || CAST({key} AS VARCHAR)
                || ' repeats an earlier row'
            WHERE _row IN (SELECT _row FROM (
                SELECT _row, row_number() OVER (PARTITION BY {key} ORDER BY _row) AS n
                FROM _tidings_stage WHERE _problem IS NULL AND {key} IS NOT NULL) WHERE n > 1)"""
        )


def _limited(where: str, limit: int | None) -> str:
    return where + (f" ORDER BY st._row LIMIT {int(limit)}" if limit is not None else "")


# --------------------------------------------------------------------- GDELT

_GDELT_EXTRAS = tuple(
    name
    for name in GDELT_EVENT_COLUMNS
    if any(
        name.endswith(suffix)
        for suffix in (
            "KnownGroupCode",
            "EthnicCode",
            "Religion1Code",
            "Religion2Code",
            "Type2Code",
            "Type3Code",
        )
    )
    or name.startswith(("Actor1Geo_", "Actor2Geo_"))
    or name in ("IsRootEvent", "NumMentions", "NumSources", "NumArticles", "AvgTone", "DATEADDED")
    or name == "ActionGeo_ADM2Code"
)


def stage_gdelt(con: duckdb.DuckDBPyConnection) -> None:
    """Parse and check the rows of ``_tidings_raw`` (the 61 GDELT columns)."""
    from tidings.exchange._mappings import _fips_tables

    load_rows(con, "_tidings_fips", [("fips", "TEXT"), ("iso3", "TEXT")], _fips_tables()[1].items())
    keep = ", ".join(
        f"{_text(name)} AS {ident(name)}"
        for name in GDELT_EVENT_COLUMNS
        if name not in ("GLOBALEVENTID", "SQLDATE", "EventCode")
    )
    con.execute(
        f"""CREATE TEMP TABLE _tidings_stage AS
        WITH parsed AS (
            SELECT rowid AS _row, {_text("GLOBALEVENTID")} AS gid_raw,
                try_cast(trim(GLOBALEVENTID) AS BIGINT) AS gid, {_text("SQLDATE")} AS d_raw,
                CAST(try_strptime(trim(SQLDATE), '%Y%m%d') AS DATE) AS d,
                {_text("EventCode")} AS c_raw, CAST(NULL AS VARCHAR) AS c_label, {keep}
            FROM _tidings_raw
        ), {_CODED}
        SELECT *, CASE
            WHEN gid IS NULL THEN 'GLOBALEVENTID ' || coalesce(gid_raw, '(empty)')
                || ' is not an integer'
            WHEN d_raw IS NOT NULL AND d IS NULL THEN 'SQLDATE ' || d_raw
                || ' is not a date (YYYYMMDD)'
            WHEN code IS NULL THEN 'EventCode ' || coalesce(c_raw, '(empty)')
                || ' is not a CAMEO event code'
        END AS _problem
        FROM coded"""
    )
    mark_duplicates(con, "gid", "GLOBALEVENTID")


def _gdelt_actor(n: int) -> str:
    code, name = f'st."Actor{n}Code"', f'st."Actor{n}Name"'
    present = "TRUE" if n == 1 else f"({code} IS NOT NULL OR {name} IS NOT NULL)"

    def when(value: str) -> str:
        return f"CASE WHEN {present} THEN {value} END"

    return ", ".join(
        [
            when(f"coalesce({code}, '---')"),
            when(f'st."Actor{n}CountryCode"'),
            when(f'st."Actor{n}Type1Code"'),
            when(f"coalesce({name}, '')"),
            "NULL, NULL, NULL",
        ]
    )


def gdelt_select(source: str, *, mapped: bool, limit: int | None) -> str:
    """The insert query for the good rows of a staged GDELT file."""
    geo = {name: f'st."ActionGeo_{name}"' for name in ("Type", "FullName", "Lat", "Long")}
    kind = f"try_cast({geo['Type']} AS INTEGER)"
    present = (
        f"({geo['FullName']} IS NOT NULL OR {geo['Lat']} IS NOT NULL OR coalesce({kind}, 0) <> 0)"
    )

    def where(value: str) -> str:
        return f"CASE WHEN {present} THEN {value} END"

    country = 'st."ActionGeo_CountryCode"'
    adm1 = 'st."ActionGeo_ADM1Code"'
    feature = 'st."ActionGeo_FeatureID"'
    extras = [(name, f"st.{ident(name)}") for name in _GDELT_EXTRAS]
    extras = [
        (name, f"nullif({expr}, '0')" if name.endswith("Geo_Type") else expr)
        for name, expr in extras
    ]
    extras.append(("ActionGeo_CountryCode", f"CASE WHEN fx.iso3 IS NULL THEN {country} END"))
    event_id = "'gdelt:' || CAST(st.gid AS VARCHAR)"
    if mapped:
        event_id = f"coalesce(ids.event_id, {event_id})"
    return f"""SELECT {event_id}, {literal(source)}, -1,
        {_gdelt_actor(1)}, {_gdelt_actor(2)},
        st.code, substr(st.code, 1, 2),
        coalesce(CASE WHEN try_cast(st.QuadClass AS INTEGER) BETWEEN 1 AND 4
            THEN try_cast(st.QuadClass AS INTEGER) END,
            k4.quad_class, k3.quad_class, k2.quad_class),
        coalesce(try_cast(st.GoldsteinScale AS DOUBLE), k4.goldstein, k3.goldstein, k2.goldstein),
        'asserted', '', 'import:gdelt', CAST([] AS TEXT[]), {_DATE},
        {where(f"coalesce({geo['FullName']}, '')")},
        {where(f"CASE WHEN length({country}) = 3 THEN {country} ELSE fx.iso3 END")},
        {
        where(
            f"CASE WHEN {kind} = 1 THEN NULL WHEN {kind} IN (2, 3) AND "
            f"regexp_full_match({adm1}, 'US[A-Z]{{2}}') THEN 'US-' || substr({adm1}, 3) "
            f"ELSE {adm1} END"
        )
    },
        {where(f"try_cast({geo['Lat']} AS DOUBLE)")},
        {where(f"try_cast({geo['Long']} AS DOUBLE)")},
        {
        where(f"CASE WHEN contains({feature}, ':') THEN {feature} ELSE 'gdelt:' || {feature} END")
    },
        {
        where(
            f"CASE WHEN {kind} = 1 THEN 'country' WHEN {kind} IN (2, 5) THEN 'adm1' "
            f"WHEN {kind} IN (3, 4) THEN 'city' END"
        )
    },
        NULL,
        {literal(source)}, NULL, CAST(st.gid AS VARCHAR), st.SOURCEURL, NULL, {_json_of(extras)}
    FROM _tidings_stage st {_NEAREST}
    LEFT JOIN _tidings_fips fx ON fx.fips = {country}
    {"LEFT JOIN _tidings_ids ids ON ids.num = CAST(st.gid AS VARCHAR)" if mapped else ""}
    {_limited("WHERE st._problem IS NULL", limit)}"""


# --------------------------------------------------------------------- ICEWS

#: Our name for each ICEWS column, by its header folded to lower case with
#: single spaces ("Event Date", "event_date" and "EVENT DATE" are the same);
#: the second group are the column names of the ICEWS14 benchmark file.
ICEWS_FIELDS: dict[str, str] = {
    "event id": "eid",
    "event date": "date",
    "source name": "sname",
    "source sectors": "ssect",
    "source country": "scountry",
    "event text": "etext",
    "cameo code": "code",
    "intensity": "intensity",
    "target name": "tname",
    "target sectors": "tsect",
    "target country": "tcountry",
    "city": "city",
    "province": "province",
    "country": "country",
    "latitude": "lat",
    "longitude": "lon",
    "date": "date",
    "source": "sname",
    "target": "tname",
}
#: Columns whose value is kept in ``extras`` although it was also read into a field.
_ICEWS_ALSO_KEPT = ("ssect", "scountry", "etext", "tsect", "tcountry", "province", "country")


def fold_header(name: str) -> str:
    return " ".join(name.replace("_", " ").casefold().split())


def stage_icews(con: duckdb.DuckDBPyConnection, header: Sequence[str]) -> dict[str, str]:
    """Parse and check ``_tidings_raw``; return our field name -> column name."""
    fields: dict[str, str] = {}
    for name in header:
        fields.setdefault(ICEWS_FIELDS.get(fold_header(name), f"x:{name}"), name)

    def col(field: str) -> str:
        name = fields.get(field)
        return _text(name) if name is not None else "CAST(NULL AS VARCHAR)"

    others = ", ".join(
        f"{_text(name)} AS {ident(key)}" for key, name in fields.items() if key.startswith("x:")
    )
    con.execute(
        f"""CREATE TEMP TABLE _tidings_stage AS
        WITH parsed AS (
            SELECT rowid AS _row, {col("eid")} AS eid, {col("date")} AS d_raw,
                CAST(try_strptime({col("date")}, '%Y-%m-%d') AS DATE) AS d,
                coalesce({col("sname")}, '') AS sname, coalesce({col("ssect")}, '') AS ssect,
                coalesce({col("scountry")}, '') AS scountry,
                coalesce({col("tname")}, '') AS tname, coalesce({col("tsect")}, '') AS tsect,
                coalesce({col("tcountry")}, '') AS tcountry,
                {col("code")} AS c_raw, {col("etext")} AS etext,
                lower({col("etext")}) AS c_label,
                {col("intensity")} AS intensity_raw, {col("city")} AS city,
                {col("province")} AS province, {col("country")} AS country,
                {col("lat")} AS lat, {col("lon")} AS lon{", " + others if others else ""}
            FROM _tidings_raw
        ), {_CODED}
        SELECT *, coalesce(d, DATE '{DAY_ZERO.isoformat()}') AS dd, CASE
            WHEN d_raw IS NOT NULL AND d IS NULL THEN 'Event Date ' || d_raw
                || ' is not a date (YYYY-MM-DD)'
            WHEN code IS NULL THEN 'CAMEO code ' || coalesce(c_raw, '(empty)')
                || ' is not a CAMEO event code'
        END AS _problem
        FROM coded"""
    )
    mark_duplicates(con, "eid", "Event ID")
    return fields


def load_icews_actors(con: duckdb.DuckDBPyConnection) -> None:
    """Resolve every distinct actor description of the stage (see :class:`ActorMapper`)."""
    keys = con.execute(
        "SELECT sname, ssect, scountry FROM _tidings_stage UNION "
        "SELECT tname, tsect, tcountry FROM _tidings_stage"
    ).fetchall()
    mapper = ActorMapper()
    rows = (
        (
            name,
            sectors,
            country,
            r.lo,
            r.hi,
            r.code,
            r.country,
            r.agent,
            r.entry,
            r.role_start,
            r.role_end,
        )
        for name, sectors, country in keys
        for r in mapper.resolve(name, sectors, country)
    )
    columns = [
        ("name", "TEXT"),
        ("sectors", "TEXT"),
        ("country", "TEXT"),
        ("lo", "DATE"),
        ("hi", "DATE"),
        ("code", "TEXT"),
        ("a_country", "TEXT"),
        ("agent", "TEXT"),
        ("entry", "TEXT"),
        ("role_start", "TEXT"),
        ("role_end", "TEXT"),
    ]
    load_rows(con, "_tidings_actors", columns, rows)
    places = con.execute(
        "SELECT DISTINCT country FROM _tidings_stage WHERE country IS NOT NULL"
    ).fetchall()
    load_rows(
        con,
        "_tidings_countries",
        [("name", "TEXT"), ("iso3", "TEXT")],
        ((name, country_code(name)) for (name,) in places),
    )


def _icews_actor(alias: str, prefix: str, *, target: bool) -> str:
    present = (
        f"(st.{prefix}name <> '' OR st.{prefix}sect <> '' OR st.{prefix}country <> '')"
        if target
        else "TRUE"
    )
    values = [
        f"coalesce({alias}.code, '---')",
        f"{alias}.a_country",
        f"{alias}.agent",
        f"st.{prefix}name",
        f"{alias}.entry",
        f"{alias}.role_start",
        f"{alias}.role_end",
    ]
    return ", ".join(f"CASE WHEN {present} THEN {value} END" for value in values)


def _actor_join(alias: str, prefix: str) -> str:
    return (
        f"LEFT JOIN _tidings_actors {alias} ON {alias}.name = st.{prefix}name "
        f"AND {alias}.sectors = st.{prefix}sect AND {alias}.country = st.{prefix}country "
        f"AND st.dd >= {alias}.lo AND st.dd < {alias}.hi"
    )


def icews_select(source: str, fields: dict[str, str], *, mapped: bool, limit: int | None) -> str:
    """The insert query for the good rows of a staged ICEWS file."""
    fallback = (
        f"'icews:' || {literal(source.split(':', 1)[1] + ':')} || CAST(st._row + 1 AS VARCHAR)"
    )
    event_id = f"CASE WHEN st.eid IS NULL THEN {fallback} ELSE 'icews:' || st.eid END"
    if mapped:
        event_id = f"coalesce(ids.event_id, {event_id})"
    has_place = "(st.city IS NOT NULL OR st.province IS NOT NULL OR st.country IS NOT NULL)"

    def where(value: str) -> str:
        return f"CASE WHEN {has_place} THEN {value} END"

    kept = [(fields[key], f"nullif(st.{key}, '')") for key in _ICEWS_ALSO_KEPT if key in fields]
    kept += [(fields[key], f"st.{ident(key)}") for key in fields if key.startswith("x:")]
    return f"""SELECT {event_id}, {literal(source)}, -1,
        {_icews_actor("sa", "s", target=False)}, {_icews_actor("ta", "t", target=True)},
        st.code, substr(st.code, 1, 2), coalesce(k4.quad_class, k3.quad_class, k2.quad_class),
        coalesce(k4.goldstein, k3.goldstein, k2.goldstein),
        'asserted', '', 'import:icews', CAST([] AS TEXT[]), {_DATE},
        {where("coalesce(st.city, st.province, st.country)")},
        {where("pl.iso3")}, NULL,
        {where("try_cast(st.lat AS DOUBLE)")}, {where("try_cast(st.lon AS DOUBLE)")}, NULL,
        {where("CASE WHEN st.city IS NOT NULL THEN 'city' "
               "WHEN st.province IS NOT NULL THEN 'adm1' ELSE 'country' END")},
        NULL, {literal(source)}, NULL, st.eid, NULL, try_cast(st.intensity_raw AS DOUBLE),
        {_json_of(kept)}
    FROM _tidings_stage st {_NEAREST}
    {_actor_join("sa", "s")}
    {_actor_join("ta", "t")}
    LEFT JOIN _tidings_countries pl ON pl.name = st.country
    {"LEFT JOIN _tidings_ids ids ON ids.num = st.eid" if mapped else ""}
    {_limited("WHERE st._problem IS NULL", limit)}"""  # fmt: skip
