"""Tests of exact and near-duplicate detection (``tidings.ingest.Deduplicator``).

The AllSides evaluation builds edited copies of real articles (new headline,
byline, boilerplate, a few sentences changed, dropped or added) and pairs
of different articles on the same topic, and measures recall and the false
positive rate; it skips when the shared corpus is absent.
"""

from __future__ import annotations

import collections
import dataclasses
import gzip
import json
import random
import re
import time
from pathlib import Path

import pytest

from tidings.ingest import Deduplicator, DuplicateOf
from tidings.model import Article, Paragraph

REPO = Path(__file__).resolve().parents[1]
ALLSIDES = REPO.parent / "shared" / "data" / "corpora" / "allsides-international.jsonl.gz"

WIRE = [
    "MOSCOW (AP) — The foreign ministers of Russia, Turkey and Iran met in Moscow on Tuesday "
    "and agreed to act as guarantors of a future peace deal in Syria, a day after the Russian "
    "ambassador to Turkey was shot dead at an art exhibition in Ankara.",
    "Russian Foreign Minister Sergey Lavrov said the three countries were ready to help draft "
    "an agreement between the Syrian government and the armed opposition, and that the "
    "killing of Andrei Karlov would not derail the rapprochement between Moscow and Ankara.",
    "Turkish Foreign Minister Mevlut Cavusoglu condemned the attack and promised a full and "
    "joint investigation. A team of Russian investigators arrived in Ankara on Tuesday.",
    "The defence ministers of the three countries held separate talks in the Russian capital, "
    "the Russian Defence Ministry said, without giving details of what was discussed.",
    "The meeting came as the last rebel fighters and civilians were being evacuated from "
    "eastern Aleppo under a deal brokered by Russia and Turkey last week.",
    "Iranian Foreign Minister Mohammad Javad Zarif said the evacuation showed that the three "
    "countries could achieve results where the United Nations had failed.",
]
OTHER_STORY = [
    "ANKARA (Reuters) — Turkish police detained six people on Tuesday in connection with the "
    "assassination of the Russian ambassador, including the gunman's mother and sister.",
    "The gunman, a 22-year-old off-duty police officer, shouted about Aleppo and Syria as he "
    "opened fire at the opening of a photography exhibition in the Turkish capital.",
    "Turkish President Tayyip Erdogan and Russian President Vladimir Putin agreed in a phone "
    "call that the attack was a provocation aimed at damaging relations between the countries.",
    "Security around the Russian embassy in Ankara was tightened, and the street where the "
    "attack took place was closed to traffic for most of the day.",
]


def article(doc_id: str, title: str, paragraphs: list[str]) -> Article:
    return Article(doc_id=doc_id, title=title, paragraphs=tuple(Paragraph(p) for p in paragraphs))


ORIGINAL = article("ap-1", "Russia, Turkey and Iran meet in Moscow", WIRE)


def test_exact_copy_with_different_typography() -> None:
    dedup = Deduplicator()
    dedup.add(ORIGINAL)
    retyped = article(
        "site-2",
        "RUSSIA, TURKEY AND IRAN MEET IN MOSCOW",
        [p.replace("—", "-").replace(",", " ,").upper() for p in WIRE],
    )
    assert dedup.check(retyped) == DuplicateOf("ap-1", "exact", 1.0)


def test_wire_copy_with_new_headline_byline_boilerplate_and_edits() -> None:
    dedup = Deduplicator()
    dedup.add(ORIGINAL)
    edited = [p.replace("MOSCOW (AP) — ", "") for p in WIRE]
    edited[3] = "The defence ministers also met in Moscow, officials said."  # rewritten
    del edited[5]  # trimmed
    copy = article(
        "paper-7",
        "Moscow summit: Lavrov hosts Turkish, Iranian counterparts",
        ["By Jane Doe, Associated Press", *edited, "Sign up for our daily newsletter."],
    )
    verdict = dedup.check(copy)
    assert verdict is not None
    assert verdict.doc_id == "ap-1"
    assert verdict.kind == "near"
    assert 0.5 <= verdict.similarity < 1.0


def test_different_story_on_the_same_topic_is_not_a_duplicate() -> None:
    dedup = Deduplicator()
    dedup.add(ORIGINAL)
    other = article("reuters-1", "Turkey detains six over envoy's killing", OTHER_STORY)
    assert dedup.check(other) is None


def test_verdict_names_the_first_seen_copy_of_the_cluster() -> None:
    dedup = Deduplicator()
    dedup.add(ORIGINAL)
    second = article("copy-2", "Ministers meet", [*WIRE[:5], "Read more on our website."])
    assert dedup.add_and_check(second) == DuplicateOf("ap-1", "near", pytest.approx(0.8, abs=0.2))
    # Closer to the second copy than to the original, still reported as the original's copy.
    third = article("copy-3", "Ministers meet", [*WIRE[:4], "Read more on our website."])
    verdict = dedup.check(third)
    assert verdict is not None
    assert verdict.doc_id == "ap-1"


def test_add_is_idempotent_and_check_of_added_articles_is_stable() -> None:
    dedup = Deduplicator()
    dedup.add(ORIGINAL)
    dedup.add(ORIGINAL)
    assert len(dedup) == 1
    assert "ap-1" in dedup
    assert dedup.check(ORIGINAL) is None  # the original is nobody's copy
    copy = dataclasses.replace(ORIGINAL, doc_id="copy")
    first = dedup.add_and_check(copy)
    assert first == DuplicateOf("ap-1", "exact", 1.0)
    assert dedup.check(copy) == first


def test_short_and_empty_texts() -> None:
    dedup = Deduplicator()
    dedup.add(article("a", "", ["Talks end."]))
    assert dedup.check(article("b", "", ["Talks END!"])) == DuplicateOf("a", "exact", 1.0)
    assert dedup.check(article("c", "", ["Talks begin."])) is None
    dedup.add(article("empty", "", []))
    assert dedup.check(article("empty-2", "", ["..."])) == DuplicateOf("empty", "exact", 1.0)


def test_state_round_trips_through_bytes() -> None:
    dedup = Deduplicator()
    dedup.add(ORIGINAL)
    dedup.add(article("copy", "Other headline", WIRE[:5]))
    dedup.add(article("other", "Detentions", OTHER_STORY))
    dedup.add(article("empty", "", []))
    restored = Deduplicator.from_bytes(dedup.to_bytes())
    assert len(restored) == 4
    assert restored.to_bytes() == dedup.to_bytes()
    assert restored.check(article("copy", "x", [])) == dedup.check(article("copy", "x", []))
    probe = article("probe", "Moscow talks", WIRE[1:])
    assert restored.check(probe) == dedup.check(probe)
    assert restored.check(probe) is not None
    restored.add(probe)  # a restored state keeps growing
    assert len(restored) == 5


def test_state_saved_before_any_article_still_grows() -> None:
    """A run that read nothing saves an empty state; the next run adds to it."""
    restored = Deduplicator.from_bytes(Deduplicator().to_bytes())
    assert len(restored) == 0
    restored.add(ORIGINAL)
    assert len(restored) == 1
    assert restored.check(article("copy", "Other headline", WIRE[:5])) is not None


@pytest.mark.parametrize(
    "data", [b"", b"garbage", b"TIDINGS-DEDUP\n\x00\x00\x00\x05{bad}", b"TIDINGS-DEDUP\n\x00"]
)
def test_malformed_state_is_a_value_error(data: bytes) -> None:
    with pytest.raises(ValueError):
        Deduplicator.from_bytes(data)


def test_truncated_signatures_are_a_value_error() -> None:
    dedup = Deduplicator()
    dedup.add(ORIGINAL)
    with pytest.raises(ValueError, match="inconsistent sizes"):
        Deduplicator.from_bytes(dedup.to_bytes()[:-10])


def test_bad_parameters() -> None:
    with pytest.raises(ValueError):
        Deduplicator(threshold=0)
    with pytest.raises(ValueError):
        Deduplicator(bands=200)


# ------------------------------------------------------------ AllSides corpus

_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")
_BOILERPLATE = [
    "Copyright 2019 The Associated Press. All rights reserved. This material may not be "
    "published, broadcast, rewritten or redistributed.",
    "Sign up for our newsletter to get the latest news delivered to your inbox every morning.",
    "Follow us on Twitter and Facebook for more updates on this developing story.",
    "Advertisement",
]


def _load_allsides() -> list[dict[str, str]]:
    with gzip.open(ALLSIDES, "rt", encoding="utf-8") as stream:
        records = [json.loads(line) for line in stream]
    return [r for r in records if (r.get("content_original") or "").strip()]


def _as_article(record: dict[str, str]) -> Article:
    paragraphs = [p for p in record["content_original"].split("\n") if p.strip()]
    return article(record["ID"], record["title"], paragraphs)


def _sentences(record: dict[str, str]) -> list[str]:
    text = record["content_original"]
    return [s for p in text.split("\n") for s in _SENTENCE_RE.split(p.strip()) if s]


def _edited_copy(record: dict[str, str], pool: list[dict[str, str]], rng: random.Random) -> Article:
    """What an outlet does to wire copy: new headline and byline, boilerplate, edits."""
    sentences = _sentences(record)
    foreign = _sentences(rng.choice(pool))
    for _ in range(4):
        operation = rng.choice(["reword", "drop", "insert"])
        i = rng.randrange(len(sentences))
        if operation == "reword":
            words = sentences[i].split()
            for _ in range(max(1, len(words) // 6)):
                words[rng.randrange(len(words))] = rng.choice(["officials", "reportedly", "new"])
            sentences[i] = " ".join(words)
        elif operation == "drop" and len(sentences) > 4:
            del sentences[i]
        elif foreign:
            sentences.insert(i, rng.choice(foreign))
    body = [" ".join(sentences[k : k + 3]) for k in range(0, len(sentences), 3)]
    headline = rng.choice(pool)["title"] if rng.random() < 0.5 else record["title"].upper()
    byline = f"By {rng.choice(['Staff Writer', 'Jane Doe', 'Wire Services'])}"
    return article(record["ID"] + "-copy", headline, [byline, *body, *rng.sample(_BOILERPLATE, 2)])


def _shared_sentences(a: dict[str, str], b: dict[str, str]) -> int:
    first = {s for s in _sentences(a) if len(s.split()) >= 8}
    return len(first & {s for s in _sentences(b) if len(s.split()) >= 8})


@pytest.fixture(scope="module")
def allsides() -> list[dict[str, str]]:
    if not ALLSIDES.exists():
        pytest.skip("shared AllSides corpus absent")
    return _load_allsides()


@pytest.mark.slow
def test_allsides_near_duplicate_recall_and_false_positives(
    allsides: list[dict[str, str]],
) -> None:
    rng = random.Random(20161221)
    positives = rng.sample(allsides, 200)
    # Negatives: different articles on the same topic, most from the same day
    # (the hardest case: the same event told by different outlets).  Pairs that
    # share two or more long sentences are real copies in the corpus, not
    # negatives, and are left out.
    by_day: dict[tuple[str, str], list[dict[str, str]]] = collections.defaultdict(list)
    by_topic: dict[str, list[dict[str, str]]] = collections.defaultdict(list)
    for record in allsides:
        by_topic[record["topic"]].append(record)
        if record.get("date"):
            by_day[(record["topic"], record["date"])].append(record)
    days = sorted(k for k, v in by_day.items() if len(v) >= 2)
    topics = sorted(by_topic)
    negatives: list[tuple[dict[str, str], dict[str, str]]] = []
    while len(negatives) < 200:
        group = by_day[rng.choice(days)] if rng.random() < 0.7 else by_topic[rng.choice(topics)]
        a, b = rng.sample(group, 2)
        if a["title"].strip().lower() == b["title"].strip().lower() or _shared_sentences(a, b) >= 2:
            continue
        negatives.append((a, b))

    found = 0
    for record in positives:
        dedup = Deduplicator()
        dedup.add(_as_article(record))
        copy = _edited_copy(record, allsides, random.Random(record["ID"]))
        verdict = dedup.check(copy)
        found += verdict is not None and verdict.doc_id == record["ID"]
    false_positives = 0
    for a, b in negatives:
        dedup = Deduplicator()
        dedup.add(_as_article(a))
        false_positives += dedup.check(_as_article(b)) is not None
    recall = found / len(positives)
    false_positive_rate = false_positives / len(negatives)
    print(f"near-duplicate recall {recall:.3f}, false positive rate {false_positive_rate:.3f}")
    assert recall >= 0.9
    assert false_positive_rate <= 0.02


@pytest.mark.slow
def test_allsides_check_and_add_whole_corpus(allsides: list[dict[str, str]]) -> None:
    corpus = [_as_article(r) for r in allsides]
    dedup = Deduplicator()
    started = time.perf_counter()
    verdicts = [dedup.add_and_check(a) for a in corpus]
    elapsed = time.perf_counter() - started
    kinds = collections.Counter(v.kind if v else "new" for v in verdicts)
    print(f"check+add of {len(corpus)} articles: {elapsed:.2f} s, {dict(kinds)}")
    assert kinds["new"] >= 0.99 * len(corpus)  # the corpus holds few real copies
    # Edited copies are still found among all 7,203 articles, as copies of the right one.
    rng = random.Random(7)
    probes = rng.sample(allsides, 100)
    roots = {
        r["ID"]: (dedup.check(_as_article(r)) or DuplicateOf(r["ID"], "exact", 1)).doc_id
        for r in probes
    }
    hits = 0
    for record in probes:
        verdict = dedup.check(_edited_copy(record, allsides, random.Random(record["ID"])))
        hits += verdict is not None and verdict.doc_id == roots[record["ID"]]
    assert hits >= 95
    restored = Deduplicator.from_bytes(dedup.to_bytes())
    assert len(restored) == len(corpus)


def test_index_finds_copies_on_both_sides_of_a_merge_and_stays_small() -> None:
    """The LSH index is sorted arrays plus a recent tail: copies of articles in either
    part are found, a restored state finds them too, and the index costs about a
    kilobyte and a half per article (the dict-of-lists index cost about eight)."""
    import gc
    import tracemalloc

    rng = random.Random(15)
    words = [f"w{n}" for n in range(5000)]

    def article(doc_id: str, text: str) -> Article:
        return Article(doc_id=doc_id, title="", paragraphs=(Paragraph(text),))

    texts = [" ".join(rng.choices(words, k=80)) for _ in range(2600)]
    dedup = Deduplicator()
    dedup.add(article("warm-up", "one two three four five six"))
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for n, text in enumerate(texts):
        assert dedup.check(article(f"a{n}", text)) is None
        dedup.add(article(f"a{n}", text))
    gc.collect()
    per_article = (tracemalloc.get_traced_memory()[0] - before) / len(texts)
    tracemalloc.stop()
    assert per_article < 2_000, per_article
    assert 0 < dedup._merged < len(dedup)  # some rows sorted, the latest in the tail
    restored = Deduplicator.from_bytes(dedup.to_bytes())
    for n in (3, dedup._merged - 1, dedup._merged, len(texts) - 1):  # both sides of the merge
        edited = texts[n].split()
        edited[40] = "changed"
        copy = article(f"copy-{n}", " ".join(edited))
        for index in (dedup, restored):
            verdict = index.check(copy)
            assert verdict is not None and verdict.doc_id == f"a{n}" and verdict.kind == "near"
