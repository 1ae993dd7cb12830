"""Event merging: reports of one event in several sentences and articles become one event.

News reports an event many times: the same talks are in the title and the
body, in today's and tomorrow's articles, in several outlets.  Counting every
report inflates counts in proportion to coverage, which is why GDELT keeps
*events* apart from their *mentions*.  Tidings does the same, without ever
discarding a report: ``events`` keeps one row per report, and the derived
tables ``merged_events`` and ``event_mentions`` (migration 0003) hold the
merge, rebuilt by ``tidings merge`` (:func:`rebuild_merged`) and brought up
to date by :func:`update_merged`.

The rule (:class:`MergeRule`), applied to every event in the store:

1. Reports can be one event only if they have the same **dyad** (source and
   target actor codes; no target counts as a value), the same **CAMEO root**
   and the same **modality group**: by default asserted and reported events
   merge together and every other modality (negated, future, hypothetical,
   uncertain) only with itself (``modality="exact"``: every modality apart;
   ``"any"``: modality ignored).
2. **Dates**: day- and publication-precision dates merge when they are at
   most ``window`` days (default 1) after the first report of the group.
   Month- and year-precision dates merge only with the same month or year at
   the same precision.  Undated reports are never merged.
3. **Place**: compatible if either report has no place, else if both have a
   country, the same country, else the same place feature.
4. Reports are taken in order (event date, then article date, then article
   and sentence, then event id); each joins the earliest open group it is
   compatible with, else starts a new one.  The first report of a group is its
   **root** mention.

A merged event's id is the first 16 hex digits of the SHA-1 of its root
mention's event_id.  Groups of different dyads, roots or modality groups are
computed independently, and a group is only affected by reports within
``window`` days of it, so adding articles whose events share no dyad, root
and modality group with an existing event within the window changes no
existing id (a test checks this).  A new *related* report may of course join
a group, or become its new root if it is earlier.

Each mention records its article, sentence, outlet and the event's calibrated
confidence (``events.confidence``; 1 for events coded before confidences
existed), NULL for imported events (their source gives none).
A recorded copy of an article (``article_copies``: the same wire story in
another outlet, coded once) mentions the article's events too, so it counts
in NumMentions, NumArticles and -- with its outlet -- NumSources.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

import duckdb

from tidings.errors import StoreError
from tidings.store import Store

ModalityRule = Literal["grouped", "exact", "any"]
#: Version of the rule's implementation; a store merged by another version is rebuilt.
RULE_VERSION = 3  # 2: recorded copies of an article are mentions too; 3: event confidence
#: The ``settings`` key under which the rule of the last merge is recorded.
SETTING = "merge"

_MODALITY_GROUP: dict[str, str] = {
    "grouped": "CASE WHEN e.modality IN ('asserted', 'reported') THEN 'asserted' "
    "ELSE e.modality END",
    "exact": "e.modality",
    "any": "''",
}
_PRECISION_CLASS = (
    "CASE WHEN e.date_start IS NULL THEN 'undated:' || e.event_id "
    "WHEN coalesce(e.date_precision, 'day') IN ('day', 'publication') THEN 'day' "
    "ELSE e.date_precision || ':' || e.date END"
)
#: The article's date, or for GDELT imports the date the event was first added.
_PUBLISHED = (
    "coalesce(a.date, CAST(try_strptime(e.extras->>'$.DATEADDED', '%Y%m%d%H%M%S') AS DATE))"
)
_HOST = (
    "lower(nullif(regexp_extract({url}, "
    "'^[A-Za-z][A-Za-z0-9+.-]*://(?:www[.])?([^/:?#]+)', 1), ''))"
)
_OUTLET = "coalesce(a.outlet, " + _HOST.format(url="coalesce(a.url, e.source_url)") + ")"
#: An article stands for itself; an imported event's for its URL, else for itself.
_ARTICLE = (
    "CASE WHEN a.doc_id IS NOT NULL OR e.sentence_index >= 0 THEN e.doc_id "
    "ELSE coalesce(e.source_url, e.event_id) END"
)
_CONFIDENCE = (
    "CASE WHEN starts_with(e.rule, 'import:') THEN NULL ELSE coalesce(e.confidence, 1.0) END"
)
_BATCH = 100_000


@dataclass(frozen=True, slots=True)
class MergeRule:
    """The configurable part of the merge rule (see the module documentation).

    ``window``: days after a group's first report within which a report of
    the same dyad, root and modality group joins it (0 = same day only).
    ``modality``: ``"grouped"`` (asserted with reported, others apart),
    ``"exact"`` or ``"any"``.
    """

    window: int = 1
    modality: ModalityRule = "grouped"

    def __post_init__(self) -> None:
        if isinstance(self.window, bool) or not isinstance(self.window, int) or self.window < 0:
            raise ValueError(f"window must be a non-negative number of days, got {self.window!r}")
        if self.modality not in _MODALITY_GROUP:
            raise ValueError(
                f"modality must be one of {', '.join(_MODALITY_GROUP)}, got {self.modality!r}"
            )

    def to_json(self) -> str:
        return json.dumps({"window": self.window, "modality": self.modality, "rule": RULE_VERSION})


@dataclass(frozen=True, slots=True)
class MergeSummary:
    """What a merge did: ``mentions`` reports grouped into ``merged`` events."""

    mode: Literal["full", "update"]
    rule: MergeRule
    mentions: int
    merged: int
    seconds: float


def merged_id(root_event_id: str) -> str:
    """A merged event's id: the first 16 hex digits of SHA-1 of its root mention's id."""
    return hashlib.sha1(root_event_id.encode("utf-8")).hexdigest()[:16]


def recorded_rule(store: Store) -> tuple[MergeRule, int] | None:
    """The rule of the store's last merge and its implementation version; None if never merged."""
    text = store.setting(SETTING)
    if not text:
        return None
    try:
        data = json.loads(text)
        return MergeRule(window=data["window"], modality=data["modality"]), int(data["rule"])
    except (ValueError, KeyError, TypeError):
        return None


class _Group:
    __slots__ = ("anchor", "country", "feature", "merged_id", "size")

    def __init__(self, anchor: int | None, event_id: str, country: Any, feature: Any) -> None:
        self.anchor = anchor
        self.merged_id = merged_id(event_id)
        self.country = country
        self.feature = feature
        self.size = 0

    def accepts(self, country: Any, feature: Any) -> bool:
        if self.country is not None and country is not None:
            return self.country == country
        if self.feature is not None and feature is not None:
            return self.feature == feature
        return True

    def take(self, country: Any, feature: Any) -> int:
        """Add a mention; return its rank.  An unplaced group takes the first place it meets."""
        if self.country is None and self.feature is None:
            self.country, self.feature = country, feature
        rank = self.size
        self.size += 1
        return rank


def assign(
    rows: Iterator[list[tuple[Any, ...]]], window: int
) -> Iterator[tuple[list[str], list[str], list[int]]]:
    """Group sorted ``(event_id, key, day, country, feature)`` rows; yield assignment batches.

    Rows must come ordered by key, then day, then the tie-breakers of rule 4.
    Each yielded batch is (event ids, merged ids, mention ranks).
    """
    key: Any = object()
    groups: list[_Group] = []
    for batch in rows:
        ids: list[str] = []
        merged: list[str] = []
        ranks: list[int] = []
        for event_id, row_key, day, country, feature in batch:
            if row_key != key:
                key, groups = row_key, []
            elif day is not None:
                while groups and day - groups[0].anchor > window:
                    groups.pop(0)  # sorted by day: this group can take nothing more
            group = next((g for g in groups if g.accepts(country, feature)), None)
            if group is None:
                group = _Group(day, event_id, country, feature)
                groups.append(group)
            ids.append(event_id)
            merged.append(group.merged_id)
            ranks.append(group.take(country, feature))
        yield ids, merged, ranks


def _key(rule: MergeRule) -> str:
    return (
        "concat_ws(chr(31), e.source_code, coalesce(e.target_code, ''), e.root_code, "
        f"{_MODALITY_GROUP[rule.modality]}, {_PRECISION_CLASS})"
    )


def _input_sql(rule: MergeRule, update: bool) -> str:
    key = _key(rule)
    scope = ""
    if update:  # whole partitions of the events not merged yet, or with new copies
        scope = (
            f" WHERE {key} IN (SELECT DISTINCT {key} FROM events e WHERE NOT EXISTS "
            "(SELECT 1 FROM event_mentions m WHERE m.event_id = e.event_id) "
            "OR EXISTS (SELECT 1 FROM article_copies c WHERE c.original_doc_id = e.doc_id "
            "AND NOT EXISTS (SELECT 1 FROM event_mentions m "
            "WHERE m.event_id = e.event_id AND m.doc_id = c.doc_id)))"
        )
    return (
        f"SELECT e.event_id, {key} AS key, date_diff('day', DATE '1970-01-01', e.date_start), "
        "e.location_country, e.location_feature_id FROM events e "
        f"LEFT JOIN articles a ON a.doc_id = e.doc_id{scope} "
        f"ORDER BY 2, 3, {_PUBLISHED} NULLS LAST, e.doc_id, e.sentence_index, e.event_id"
    )


_INSERT_MENTIONS = (
    "INSERT INTO event_mentions SELECT t.event_id, t.merged_id, t.mention_rank, e.doc_id, "
    f"e.sentence_index, {_ARTICLE}, {_OUTLET}, {_PUBLISHED}, {_CONFIDENCE}, e.modality "
    "FROM _tidings_merge t JOIN events e ON e.event_id = t.event_id "
    "LEFT JOIN articles a ON a.doc_id = e.doc_id"
)
#: A recorded copy of an article (the same story in another outlet, coded
#: once) mentions every event of the article it copies: one more article, its
#: outlet one more source, with the original's sentence and mention rank.
_INSERT_COPY_MENTIONS = (
    "INSERT INTO event_mentions SELECT t.event_id, t.merged_id, t.mention_rank, c.doc_id, "
    "e.sentence_index, c.doc_id, coalesce(c.outlet, "
    + _HOST.format(url="c.url")
    + f"), c.date, {_CONFIDENCE}, e.modality "
    "FROM _tidings_merge t JOIN events e ON e.event_id = t.event_id "
    "JOIN article_copies c ON c.original_doc_id = e.doc_id"
)
_ROOT = (
    "r.source_code, r.source_country, r.source_agent, r.source_text, r.target_code, "
    "r.target_country, r.target_agent, r.target_text, r.code, r.root_code, r.quad_class, "
    "r.goldstein"
)
_PLACE = (
    "coalesce(p.place_text, r.place_text), p.location_name, p.location_country, "
    "p.location_adm1, p.location_lat, p.location_lon, p.location_feature_id, p.location_type"
)


def _insert_merged(update: bool) -> str:
    scope = " WHERE m.merged_id IN (SELECT merged_id FROM _tidings_merge)" if update else ""
    return (
        "INSERT INTO merged_events WITH g AS (SELECT m.merged_id, "
        "arg_min(m.event_id, m.mention_rank) AS root_event_id, "
        "arg_min(m.event_id, m.mention_rank) FILTER (WHERE e.location_name IS NOT NULL) "
        "AS placed_event_id, bool_or(m.modality = 'asserted') AS any_asserted, "
        "min(e.date_start) AS date_start, max(e.date_start) AS date_end, "
        "coalesce(min(m.published), min(e.date_start)) AS first_seen, count(*) AS mentions, "
        "count(DISTINCT coalesce(m.outlet, '')) AS sources, "
        "count(DISTINCT m.article) AS articles, avg(m.confidence) AS confidence "
        f"FROM event_mentions m JOIN events e ON e.event_id = m.event_id{scope} "
        f"GROUP BY m.merged_id) SELECT g.merged_id, g.root_event_id, {_ROOT}, "
        "CASE WHEN g.any_asserted THEN 'asserted' ELSE r.modality END, r.date, "
        f"r.date_precision, g.date_start, g.date_end, g.first_seen, {_PLACE}, "
        "coalesce(r.provenance, 'tidings'), g.mentions, g.sources, g.articles, g.confidence "
        "FROM g JOIN events r ON r.event_id = g.root_event_id "
        "LEFT JOIN events p ON p.event_id = g.placed_event_id"
    )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _run(store: Store, rule: MergeRule, update: bool) -> MergeSummary:
    """Assign the in-scope events to groups, then replace their merge in one transaction."""
    import pyarrow

    if store.read_only:
        raise StoreError(f"store {store.path} is open read-only; cannot merge events")
    started = time.perf_counter()
    con = store.connection
    reader = con.cursor()  # reads while `con` fills the temporary table
    try:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _tidings_merge "
            "(event_id TEXT, merged_id TEXT, mention_rank INTEGER)"
        )
        result = reader.execute(_input_sql(rule, update))
        batches = iter(lambda: result.fetchmany(_BATCH), [])
        mentions = 0
        for ids, merged, ranks in assign(batches, rule.window):
            chunk = pyarrow.table(
                {
                    "event_id": pyarrow.array(ids, pyarrow.string()),
                    "merged_id": pyarrow.array(merged, pyarrow.string()),
                    "mention_rank": pyarrow.array(ranks, pyarrow.int32()),
                }
            )
            con.register("_tidings_merge_chunk", chunk)
            con.execute("INSERT INTO _tidings_merge SELECT * FROM _tidings_merge_chunk")
            con.unregister("_tidings_merge_chunk")
            mentions += len(ids)
        con.begin()
        try:
            if update:
                con.execute(
                    "DELETE FROM merged_events WHERE merged_id IN (SELECT m.merged_id FROM "
                    "event_mentions m JOIN _tidings_merge t ON t.event_id = m.event_id)"
                )
                con.execute(
                    "DELETE FROM event_mentions WHERE event_id IN "
                    "(SELECT event_id FROM _tidings_merge)"
                )
            else:
                con.execute("DELETE FROM merged_events")
                con.execute("DELETE FROM event_mentions")
            con.execute(_INSERT_MENTIONS)
            con.execute(_INSERT_COPY_MENTIONS)
            (merged_count,) = con.execute(_insert_merged(update)).fetchall()[0]
            con.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", [SETTING, rule.to_json()])
            con.commit()
        except BaseException:
            con.rollback()
            raise
    except duckdb.Error as exc:
        raise StoreError(f"cannot merge events in {store.path}: {_first_line(exc)}") from None
    finally:
        reader.close()
        con.execute("DROP TABLE IF EXISTS _tidings_merge")
    mode: Literal["full", "update"] = "update" if update else "full"
    return MergeSummary(mode, rule, mentions, int(merged_count), time.perf_counter() - started)


def rebuild_merged(store: Store, rule: MergeRule | None = None) -> MergeSummary:
    """Merge every event of the store anew under ``rule`` (default :class:`MergeRule`).

    Replaces ``merged_events`` and ``event_mentions`` in one transaction
    and records the rule, so :func:`update_merged` can continue with it.
    """
    return _run(store, rule or MergeRule(), update=False)


def update_merged(store: Store) -> MergeSummary | None:
    """Merge the events added since the last merge, with the rule it recorded.

    Does nothing (returns None) in a store that was never merged.  Only the
    groups of the new events' dyad, root and modality group are recomputed,
    which yields exactly what a full rebuild would; a store merged by an
    older implementation of the rule is rebuilt in full.
    """
    recorded = recorded_rule(store)
    if recorded is None:
        return None
    rule, version = recorded
    return _run(store, rule, update=version == RULE_VERSION)


def merge_state(store: Store) -> dict[str, Any]:
    """Whether the store was merged, with which rule, and how many events are pending."""
    recorded = recorded_rule(store)
    con = store.connection
    (merged, mentions, pending) = con.execute(
        "SELECT (SELECT count(*) FROM merged_events), (SELECT count(*) FROM event_mentions), "
        "(SELECT count(*) FROM events e WHERE NOT EXISTS "
        "(SELECT 1 FROM event_mentions m WHERE m.event_id = e.event_id))"
    ).fetchall()[0]
    state: dict[str, Any] = {
        "built": recorded is not None,
        "merged_events": int(merged),
        "mentions": int(mentions),
        "pending": int(pending) if recorded is not None else None,
    }
    if recorded is not None:
        state["window"] = recorded[0].window
        state["modality"] = recorded[0].modality
    return state
