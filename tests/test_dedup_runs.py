"""Copies of a story are recorded, not coded again, within and across runs."""

from __future__ import annotations

import json

from tidings.api import code_inputs, open_store

STORY = (
    "Russian Foreign Minister Sergei Lavrov met his Turkish counterpart Mevlut Cavusoglu in "
    "Moscow on Tuesday for talks on ending the war in Syria. The two ministers praised the "
    "ceasefire agreement and pledged to work with Iran. Turkey condemned the assassination of "
    "the Russian ambassador, Andrei Karlov, in Ankara on Monday. Officials said the talks "
    "would continue in Astana next week, with delegations from Iran and the Syrian opposition."
)


def _write(path, rows):
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_wire_copies_are_recorded_not_coded(tmp_path):
    db = tmp_path / "d.duckdb"
    first = _write(
        tmp_path / "a.jsonl",
        [
            {
                "id": "ap",
                "date": "2016-12-21",
                "source": "AP",
                "url": "https://ap.example/1",
                "text": STORY,
            },
            {
                "id": "copy1",
                "date": "2016-12-21",
                "source": "Daily",
                "url": "https://daily.example/9",
                "text": "By Staff\n\n" + STORY + " Read more on our site.",
            },
        ],
    )
    summary = code_inputs([str(first)], db=db)
    assert summary.duplicates == 1 and summary.stored == 1
    # a later run: another outlet carries the same story
    second = _write(
        tmp_path / "b.jsonl",
        [
            {
                "id": "copy2",
                "date": "2016-12-22",
                "source": "Herald",
                "text": STORY.upper().lower(),
            },
        ],
    )
    again = code_inputs([str(second)], db=db)
    assert again.duplicates == 1 and again.stored == 0
    # and re-running the first input adds nothing
    rerun = code_inputs([str(first)], db=db)
    assert rerun.stored == 0 and rerun.duplicates == 1 and rerun.already_stored == 1
    with open_store(db, read_only=True) as store:
        copies = store.copies("ap")
        assert store.counts()["articles"] == 1
        assert {c["doc_id"] for c in store.copies()} == {"copy1", "copy2"}
    assert {c["outlet"] for c in copies} == {"Daily", "Herald"}
    assert all(c["original_doc_id"] == "ap" for c in copies)


def test_different_stories_are_not_duplicates(tmp_path):
    rows = [
        {"id": "x", "text": STORY},
        {
            "id": "y",
            "text": "Japan condemned North Korea on Monday after a missile test over "
            "the Sea of Japan, and China urged restraint from both sides.",
        },
    ]
    summary = code_inputs([str(_write(tmp_path / "c.jsonl", rows))], db=tmp_path / "e.duckdb")
    assert summary.duplicates == 0 and summary.stored == 2


def test_copies_count_in_merged_events_across_runs(tmp_path):
    """Merged events count every outlet that carried the story, coded or copied."""
    from tidings.analytics import rebuild_merged

    db = tmp_path / "m.duckdb"
    row = {"id": "ap", "date": "2016-12-21", "source": "AP", "text": STORY}
    code_inputs([str(_write(tmp_path / "a.jsonl", [row]))], db=db)
    with open_store(db) as store:
        rebuild_merged(store)
        before = dict(
            store.connection.execute("SELECT merged_id, num_articles FROM merged_events").fetchall()
        )
    assert before and set(before.values()) == {1}
    copy = {"id": "copy", "date": "2016-12-22", "source": "Herald", "text": STORY}
    summary = code_inputs([str(_write(tmp_path / "b.jsonl", [copy]))], db=db)
    assert summary.duplicates == 1 and summary.stored == 0
    with open_store(db, read_only=True) as store:
        after = store.connection.execute(
            "SELECT merged_id, num_articles, num_sources FROM merged_events"
        ).fetchall()
    assert {m for m, _, _ in after} == set(before)
    assert {(n, s) for _, n, s in after} == {(2, 2)}
