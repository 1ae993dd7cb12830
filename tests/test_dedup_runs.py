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


def _resume_corpus(path):
    """60 distinct stories (seeded, so fixed), near-copies of some among them and, at
    the end, far beyond any read-ahead, copies of the first ten."""
    import random

    rng = random.Random(15)
    words = "government army talks border ceasefire minister police protest election court"
    words = (words + " economy trade sanctions aid refugees treaty summit parliament").split(" ")
    countries = ["Russia", "Iran", "Israel", "China", "Japan", "France", "Egypt", "Turkey"]
    rows = []
    for i in range(60):
        a, b = rng.sample(countries, 2)
        filler = " ".join(rng.choice(words) for _ in range(40))
        text = f"{a} criticised {b} on Monday over the {rng.choice(words)} dispute. {filler}."
        rows.append({"id": f"s{i}", "text": text})
        if i % 6 == 5:  # a near-copy of an earlier story
            source = rows[rng.randrange(len(rows) - 1)]
            rows.append({"id": f"copy{i}", "text": source["text"] + " Read more on our site."})
    for i in range(10):
        rows.append({"id": f"late{i}", "text": "From the wires. " + rows[i]["text"]})
    return _write(path, rows)


def test_resume_after_a_kill_gives_the_uninterrupted_result(tmp_path, pipeline, monkeypatch):
    """A run that dies without its ending (as under SIGKILL) and its rerun store exactly
    what one uninterrupted run stores: the index is written with each article."""
    from tidings.store import Store

    corpus = _resume_corpus(tmp_path / "c.jsonl")
    whole = tmp_path / "whole.duckdb"
    code_inputs([str(corpus)], db=whole, pipeline=pipeline)

    class Killed(BaseException):
        pass

    real_save_state = Store.save_dedup_state
    seen = {"n": 0, "dying": False}

    def save_state(self, state):
        if not seen["dying"]:  # a killed process never reaches its ending
            real_save_state(self, state)

    def on_article(coded):
        seen["n"] += 1
        if seen["n"] in (12, 40):
            seen["dying"] = True
            raise Killed

    monkeypatch.setattr(Store, "save_dedup_state", save_state)
    resumed = tmp_path / "resumed.duckdb"
    for _ in range(3):
        seen["dying"] = False
        try:
            code_inputs([str(corpus)], db=resumed, pipeline=pipeline, on_article=on_article)
        except Killed:
            continue

    def result(db):
        with Store(db, read_only=True) as store:
            con = store.connection
            return (
                sorted(con.execute("SELECT event_id FROM events").fetchall()),
                sorted(
                    con.execute("SELECT doc_id, original_doc_id FROM article_copies").fetchall()
                ),
            )

    events, copies = result(whole)
    assert len(copies) >= 8 and events
    assert result(resumed) == (events, copies)


def test_the_same_article_named_twice_in_a_run_is_coded_once(tmp_path):
    story = tmp_path / "story.md"
    story.write_text("# Talks\n\n" + STORY + "\n", encoding="utf-8")
    (tmp_path / "again").mkdir()
    twice = tmp_path / "again" / "story.md"
    twice.write_text(story.read_text(encoding="utf-8"), encoding="utf-8")
    for db in (tmp_path / "d.duckdb", None):
        seen: list[str] = []
        summary = code_inputs([str(story), str(twice)], db=db, on_article=seen.append)
        assert len(seen) == 1  # its events reach the caller once
        assert summary.articles == 2 and summary.duplicates == 1
        assert any("came earlier in this run" in p.message for p in summary.problems)
