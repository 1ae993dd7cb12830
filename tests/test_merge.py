"""Event merging: the rule, its options, stable ids, incremental updates, reversibility.

Every store here is built from hand-made articles and events (no spaCy), so
each test states exactly which reports should become one event and why.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tidings.analytics import (
    EventStore,
    MergeRule,
    merge_state,
    merged_id,
    rebuild_merged,
    update_merged,
)
from tidings.errors import StoreError
from tidings.model import CodedArticle, Event, Evidence, Place
from tidings.store import Store

from .test_store import make_article, make_event, make_sentences

MOSCOW = Place("Moscow", country="RUS", lat=55.75, lon=37.62, feature_id="524901", type="city")
SOCHI = Place("Sochi", country="RUS", lat=43.6, lon=39.73, feature_id="491422", type="city")
ANKARA = Place("Ankara", country="TUR", lat=39.92, lon=32.85, feature_id="323786", type="city")


def article(
    doc_id: str,
    events: list[dict[str, Any]],
    *,
    outlet: str | None = "Example Times",
    published: str = "2024-03-05",
) -> CodedArticle:
    """An article whose n-th event (sentence n+1) is make_event with the given changes."""
    import datetime as dt

    built: list[Event] = []
    for n, changes in enumerate(events, start=1):
        rule = changes.pop("rule", None)
        event = make_event(doc_id, n, sentence_index=n, **changes)
        if rule is not None:
            event = replace(event, evidence=Evidence(trigger="met", rule=rule))
        built.append(event)
    meta = make_article(doc_id, outlet=outlet, date=dt.date.fromisoformat(published))
    return CodedArticle(meta, make_sentences(doc_id, len(events) + 1), tuple(built))


def groups(store: Store) -> set[frozenset[str]]:
    """The merge as a set of groups of event ids."""
    rows = store.connection.execute(
        "SELECT merged_id, list(event_id ORDER BY event_id) FROM event_mentions GROUP BY 1"
    ).fetchall()
    return {frozenset(ids) for _, ids in rows}


def merged_rows(store: Store) -> dict[str, dict[str, Any]]:
    cursor = store.connection.execute("SELECT * FROM merged_events")
    names = [d[0] for d in cursor.description]
    return {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}


def merge(tmp_path: Path, articles: list[CodedArticle], rule: MergeRule | None = None) -> Store:
    store = Store(tmp_path / "merge.duckdb")
    for coded in articles:
        store.save(coded)
    rebuild_merged(store, rule)
    return store


# --------------------------------------------------------------------- rule


def test_reports_of_one_event_across_articles_merge_with_counts(tmp_path: Path) -> None:
    a = article("a", [{"date": "2024-03-04"}, {"date": "2024-03-04", "code": "043"}])
    b = article("b", [{"date": "2024-03-05"}], outlet="Other Post", published="2024-03-06")
    c = article("c", [{"date": "2024-03-04"}], outlet="example times", published="2024-03-04")
    with merge(tmp_path, [a, b, c]) as store:
        assert groups(store) == {frozenset({"a-e1", "a-e2", "b-e1", "c-e1"})}
        (row,) = merged_rows(store).values()
        assert row["num_mentions"] == 4
        assert row["num_articles"] == 3
        # outlets are compared as written: "Example Times" and "example times" differ
        assert row["num_sources"] == 3
        assert str(row["first_seen"]) == "2024-03-04"  # earliest article date
        assert str(row["date_start"]) == "2024-03-04" and str(row["date_end"]) == "2024-03-05"
        # the root is the earliest report: event date, then article date, then doc, sentence
        assert row["root_event_id"] == "c-e1"
        assert row["merged_id"] == merged_id("c-e1")
        assert merged_id("c-e1") == hashlib.sha1(b"c-e1").hexdigest()[:16]
        assert (row["source_code"], row["target_code"], row["root_code"]) == (
            "RUSGOV",
            "UKRGOV",
            "04",
        )
        mentions = store.connection.execute(
            "SELECT event_id, mention_rank, doc_id, sentence_index, outlet, confidence "
            "FROM event_mentions ORDER BY mention_rank"
        ).fetchall()
        assert mentions == [
            ("c-e1", 0, "c", 1, "example times", 1.0),
            ("a-e1", 1, "a", 1, "Example Times", 1.0),
            ("a-e2", 2, "a", 2, "Example Times", 1.0),
            ("b-e1", 3, "b", 1, "Other Post", 1.0),
        ]


def test_window_is_counted_from_the_first_report_and_configurable(tmp_path: Path) -> None:
    days = [{"date": f"2024-03-0{d}"} for d in (1, 2, 3, 6)]
    with merge(tmp_path, [article("a", days)]) as store:
        assert groups(store) == {
            frozenset({"a-e1", "a-e2"}),  # the 3rd is 2 days after the 1st: a new event
            frozenset({"a-e3"}),
            frozenset({"a-e4"}),
        }
        rebuild_merged(store, MergeRule(window=0))
        assert len(groups(store)) == 4
        rebuild_merged(store, MergeRule(window=2))
        assert groups(store) == {frozenset({"a-e1", "a-e2", "a-e3"}), frozenset({"a-e4"})}
        rebuild_merged(store, MergeRule(window=5))
        assert len(groups(store)) == 1


def test_dyad_direction_target_and_root_must_match(tmp_path: Path) -> None:
    events = [
        {},
        {"source": "UKRGOV", "target": "RUSGOV"},  # reversed dyad
        {"target": "TURGOV"},
        {"target": None},
        {"target": None},  # no target twice: same "dyad"
        {"code": "190"},  # another root
        {"code": "046"},  # same root as the first
    ]
    with merge(tmp_path, [article("a", events)]) as store:
        assert groups(store) == {
            frozenset({"a-e1", "a-e7"}),
            frozenset({"a-e2"}),
            frozenset({"a-e3"}),
            frozenset({"a-e4", "a-e5"}),
            frozenset({"a-e6"}),
        }


def test_modality_groups_and_options(tmp_path: Path) -> None:
    events = [
        {"modality": "asserted"},
        {"modality": "reported"},
        {"modality": "negated"},
        {"modality": "negated"},
        {"modality": "future"},
    ]
    with merge(tmp_path, [article("a", events)]) as store:
        assert groups(store) == {
            frozenset({"a-e1", "a-e2"}),
            frozenset({"a-e3", "a-e4"}),
            frozenset({"a-e5"}),
        }
        modalities = {r["root_event_id"]: r["modality"] for r in merged_rows(store).values()}
        assert modalities == {"a-e1": "asserted", "a-e3": "negated", "a-e5": "future"}
        rebuild_merged(store, MergeRule(modality="exact"))
        assert len(groups(store)) == 4
        rebuild_merged(store, MergeRule(modality="any"))
        assert len(groups(store)) == 1
        # a group with an asserted report is asserted even if its root is not
        (row,) = merged_rows(store).values()
        assert row["modality"] == "asserted"


def test_places_must_be_compatible(tmp_path: Path) -> None:
    events = [
        {"location": MOSCOW},
        {"location": SOCHI},  # same country
        {"location": ANKARA},  # another country: another event
        {"location": None},  # no place: joins the earliest compatible group
        {"location": Place("Moskva", feature_id="524901")},  # no country: same feature
        {"location": Place("Elsewhere", feature_id="x2"), "code": "190"},
        {"location": Place("Elsewhere again", feature_id="x3"), "code": "190"},
    ]
    with merge(tmp_path, [article("a", events)]) as store:
        assert groups(store) == {
            frozenset({"a-e1", "a-e2", "a-e4", "a-e5"}),
            frozenset({"a-e3"}),
            frozenset({"a-e6"}),
            frozenset({"a-e7"}),  # features differ and neither has a country
        }
        places = {r["root_event_id"]: r["location_name"] for r in merged_rows(store).values()}
        assert places["a-e1"] == "Moscow" and places["a-e3"] == "Ankara"


def test_unplaced_root_takes_the_place_of_its_first_placed_mention(tmp_path: Path) -> None:
    events = [{"location": None}, {"location": ANKARA}, {"location": MOSCOW}]
    with merge(tmp_path, [article("a", events)]) as store:
        assert groups(store) == {frozenset({"a-e1", "a-e2"}), frozenset({"a-e3"})}
        row = merged_rows(store)[merged_id("a-e1")]
        assert (row["location_name"], row["location_country"]) == ("Ankara", "TUR")


def test_precisions(tmp_path: Path) -> None:
    events = [
        {"date": "2024-03-04", "precision": "day"},
        {"date": "2024-03-05", "precision": "publication"},  # counts as a day
        {"date": "2024-03", "precision": "month"},
        {"date": "2024-03", "precision": "month"},
        {"date": "2024-04", "precision": "month"},
        {"date": "2024", "precision": "year"},
        {"date": None},
        {"date": None},  # undated reports are never merged
    ]
    with merge(tmp_path, [article("a", events)]) as store:
        assert groups(store) == {
            frozenset({"a-e1", "a-e2"}),
            frozenset({"a-e3", "a-e4"}),
            frozenset({"a-e5"}),
            frozenset({"a-e6"}),
            frozenset({"a-e7"}),
            frozenset({"a-e8"}),
        }


def test_confidence_and_imported_mentions(tmp_path: Path) -> None:
    coded = article("a", [{}, {"rule": "MEET/relaxed", "confidence": 0.35}])
    with merge(tmp_path, [coded]) as store:
        con = store.connection
        con.execute(
            "INSERT INTO events (event_id, doc_id, sentence_index, source_code, source_text, "
            "target_code, target_text, code, root_code, quad_class, goldstein, modality, trigger, "
            "rule, cues, date, date_precision, date_start, provenance, source_url, extras) VALUES "
            "('gdelt:1', 'gdelt:f.csv', -1, 'RUSGOV', 'Russia', 'UKRGOV', 'Ukraine', '040', '04', "
            "1, 1.0, 'asserted', '', 'import:gdelt', [], '2024-03-04', 'day', DATE '2024-03-04', "
            "'gdelt:f.csv', 'https://www.News.example/x', '{\"DATEADDED\": \"20240303120000\"}')"
        )
        summary = update_merged(store)
        assert summary is not None and summary.mode == "update"
        assert groups(store) == {frozenset({"a-e1", "a-e2", "gdelt:1"})}
        mentions = dict(con.execute("SELECT event_id, confidence FROM event_mentions").fetchall())
        # the event's own confidence; imported events have none
        assert mentions == {"a-e1": 1.0, "a-e2": 0.35, "gdelt:1": None}
        imported = con.execute(
            "SELECT article, outlet, published, mention_rank FROM event_mentions "
            "WHERE event_id = 'gdelt:1'"
        ).fetchall()
        assert [(a, o, str(p), r) for a, o, p, r in imported] == [
            ("https://www.News.example/x", "news.example", "2024-03-03", 0)
        ]
        (row,) = merged_rows(store).values()
        assert row["confidence"] == pytest.approx((1.0 + 0.35) / 2)
        assert (row["num_sources"], row["num_articles"]) == (2, 2)
        assert str(row["first_seen"]) == "2024-03-03"
        assert row["provenance"] == "gdelt:f.csv"


# ---------------------------------------------------------- ids and updates


def _snapshot(store: Store) -> dict[str, str]:
    return dict(
        store.connection.execute("SELECT event_id, merged_id FROM event_mentions").fetchall()
    )


def test_unrelated_articles_leave_existing_ids_unchanged(tmp_path: Path) -> None:
    first = [
        article("a", [{}, {"target": "TURGOV"}, {"date": "2024-03-20"}]),
        article("b", [{"date": "2024-03-05"}, {"location": ANKARA}]),
    ]
    with merge(tmp_path, first) as store:
        before = _snapshot(store)
        ids_before = set(merged_rows(store))
        unrelated = [
            article("c", [{"source": "USAGOV"}, {"code": "190"}, {"modality": "negated"}]),
            # same dyad and root, but more than the window away from every event
            article("d", [{"date": "2024-02-20"}, {"date": "2024-03-12"}]),
        ]
        for coded in unrelated:
            store.save(coded)
        assert merge_state(store)["pending"] == 5
        update_merged(store)
        after = _snapshot(store)
        assert {k: after[k] for k in before} == before
        assert ids_before <= set(merged_rows(store))
        rebuild_merged(store)  # a full rebuild agrees
        assert _snapshot(store) == after
        assert merge_state(store)["pending"] == 0


def test_update_equals_full_rebuild_after_related_articles(tmp_path: Path) -> None:
    with merge(
        tmp_path, [article("a", [{}, {"date": "2024-03-05"}, {"location": ANKARA}])]
    ) as store:
        store.save(article("b", [{"date": "2024-03-03"}, {"location": ANKARA}]))  # earlier report
        store.save(article("c", [{"target": "TURGOV"}]))
        update_merged(store)
        updated, updated_rows = _snapshot(store), merged_rows(store)
        rebuild_merged(store)
        assert _snapshot(store) == updated
        assert merged_rows(store) == updated_rows
        # the earlier report became the root: the group's id follows it
        assert updated["a-e1"] == merged_id("b-e1")


def test_merging_is_reversible_and_never_touches_events(tmp_path: Path) -> None:
    days = [{"date": f"2024-03-0{d}"} for d in (1, 2, 3, 4)]
    store = Store(tmp_path / "r.duckdb")
    store.save(article("a", days))
    events_before = store.connection.execute("SELECT * FROM events ORDER BY event_id").fetchall()
    rebuild_merged(store)
    original = (_snapshot(store), merged_rows(store))
    rebuild_merged(store, MergeRule(window=3))
    assert len(groups(store)) == 1
    rebuild_merged(store)
    assert (_snapshot(store), merged_rows(store)) == original
    after = store.connection.execute("SELECT * FROM events ORDER BY event_id").fetchall()
    assert after == events_before
    # every event is exactly one mention, every merged id unique
    con = store.connection
    assert con.execute(
        "SELECT count(*), count(DISTINCT event_id) FROM event_mentions"
    ).fetchall() == [(4, 4)]
    assert con.execute(
        "SELECT count(*) = count(DISTINCT merged_id) FROM merged_events"
    ).fetchall() == [(True,)]
    store.close()


def test_update_needs_a_first_merge_and_rule_is_recorded(tmp_path: Path) -> None:
    store = Store(tmp_path / "u.duckdb")
    store.save(article("a", [{}, {}]))
    assert update_merged(store) is None
    assert merge_state(store) == {
        "built": False,
        "merged_events": 0,
        "mentions": 0,
        "pending": None,
    }
    rebuild_merged(store, MergeRule(window=3, modality="exact"))
    state = merge_state(store)
    assert (state["window"], state["modality"], state["pending"]) == (3, "exact", 0)
    store.save(article("b", [{"date": "2024-03-07"}]))
    summary = update_merged(store)
    assert summary is not None and summary.rule == MergeRule(window=3, modality="exact")
    assert len(groups(store)) == 1  # b's report is 3 days after the first: same event
    store.close()


def test_rule_is_validated_and_read_only_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="window"):
        MergeRule(window=-1)
    with pytest.raises(ValueError, match="modality"):
        MergeRule(modality="some")  # type: ignore[arg-type]
    path = tmp_path / "ro.duckdb"
    Store(path).close()
    with Store(path, read_only=True) as store, pytest.raises(StoreError, match="read-only"):
        rebuild_merged(store)
    with EventStore(path) as events, pytest.raises(StoreError, match="read_only=False"):
        events.merge()


def test_event_store_merge_and_merged_queries(tmp_path: Path) -> None:
    path = tmp_path / "m.duckdb"
    with Store(path) as store:
        store.save(article("a", [{}, {"date": "2024-03-05"}, {"code": "190"}]))
        store.save(article("b", [{}], outlet="Other Post"))
    with EventStore(path, read_only=False) as events:
        summary = events.merge()
        assert (summary.mode, summary.mentions, summary.merged) == ("full", 4, 2)
        rows = sorted(events.merged().records(), key=lambda r: -r["num_mentions"])
        assert [r["num_mentions"] for r in rows] == [3, 1]
        assert events.merged(root="19").count() == 1
        assert events.merged(outlet="other post").count() == 1
        assert events.merged(doc_id="a").count() == 2
        mentions = events.mentions(rows[0]["merged_id"]).records()
        assert [m["event_id"] for m in mentions] == ["a-e1", "b-e1", "a-e2"]
        assert mentions[0]["sentence"] == "Sentence 1 of a."
        again = events.merge(update=True)
        assert (again.mode, again.mentions) == ("update", 0)


# ------------------------------------------------------------------- copies


def test_recorded_copies_count_as_articles_sources_and_mentions(tmp_path: Path) -> None:
    """A wire story coded once but carried by two more outlets: three articles."""
    import datetime as dt

    a = article("a", [{"date": "2024-03-04"}, {"date": "2024-03-04", "code": "043"}])
    with merge(tmp_path, [a]) as store:
        (before,) = merged_rows(store).values()
        assert (before["num_mentions"], before["num_articles"], before["num_sources"]) == (2, 1, 1)

        copy_b = make_article("b", outlet="Other Post", date=dt.date(2024, 3, 3))
        copy_c = make_article("c", outlet=None, url="https://www.wire.example/story")
        assert store.record_copy(copy_b, "a", "near", 0.93)
        assert store.record_copy(copy_c, "a", "exact", 1.0)
        update_merged(store)  # picks up copies of events merged before
        (row,) = merged_rows(store).values()
        assert row["merged_id"] == before["merged_id"]  # the root is still a coded report
        assert row["num_mentions"] == 6
        assert row["num_articles"] == 3
        assert row["num_sources"] == 3  # Example Times, Other Post, wire.example
        assert str(row["first_seen"]) == "2024-03-03"  # the copy appeared first
        copies = store.connection.execute(
            "SELECT doc_id, article, outlet, sentence_index FROM event_mentions "
            "WHERE doc_id <> 'a' ORDER BY doc_id, sentence_index"
        ).fetchall()
        assert copies == [
            ("b", "b", "Other Post", 1),
            ("b", "b", "Other Post", 2),
            ("c", "c", "wire.example", 1),
            ("c", "c", "wire.example", 2),
        ]
        updated = merged_rows(store)
        rebuild_merged(store)
        assert merged_rows(store) == updated
