"""The realnews scorer: sentence alignment, actor keys, one-to-one matching, the default
view, error classes and the fixed split -- on small hand-made records (no spaCy), plus one
slow run on the shared dev set (skipped when ../shared is absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tidings.errors import InputError
from tidings.evaluation._realnews_match import (
    actor_key,
    align_sentences,
    coder_actor_agent,
    coder_actor_key,
    normalize_sentence,
)
from tidings.evaluation.realnews import (
    RealnewsArticle,
    RealnewsResult,
    load_realnews,
    realnews_split,
    score_articles,
)
from tidings.model import (
    DEFAULT_MIN_CONFIDENCE,
    Actor,
    Article,
    CodedArticle,
    Event,
    Evidence,
    Sentence,
)

REPO = Path(__file__).resolve().parents[1]
DEV = REPO.parent / "shared" / "data" / "gold" / "realnews" / "realnews-dev.jsonl"


def actor(code: str, country: str | None = None, agent: str | None = None) -> Actor:
    return Actor(code=code, text=code, country=country, agent=agent)


def event(
    k: int,
    sentence: int,
    root: str,
    source: Actor,
    target: Actor | None,
    *,
    modality: str = "asserted",
    code: str | None = None,
    rule: str = "r",
    trigger: str = "",
    confidence: float | None = None,
) -> Event:
    fields = {}
    if confidence is not None:
        fields["confidence"] = confidence
    return Event(
        event_id=f"e{k}",
        doc_id="a",
        sentence_index=sentence,
        sentence="",
        source=source,
        target=target,
        code=code or root + "0",
        root_code=root,
        quad_class=1,
        goldstein=0.0,
        modality=modality,
        evidence=Evidence(trigger=trigger, rule=rule),
        **fields,
    )


def gold_event(root: str, source: dict, target: dict | None, **extra) -> dict:
    return {
        "source": {"text": "x", "agent": None, "kind": None, **source},
        "target": None if target is None else {"text": "y", "agent": None, "kind": None, **target},
        "root": root,
        "code": extra.pop("code", root + "0"),
        "symmetric": extra.pop("symmetric", False),
        "modality": extra.pop("modality", "asserted"),
        "trigger": "",
        "date": None,
        "place": None,
        **extra,
    }


RUS = {"country": "RUS"}
USA = {"country": "USA"}
TUR = {"country": "TUR"}
UN = {"country": None, "kind": "IGO"}


def gold_article(sentences: list[tuple[str, list[dict]]], doc: str = "a") -> RealnewsArticle:
    return RealnewsArticle.from_record(
        {
            "id": doc,
            "row": 0,
            "title": sentences[0][0],
            "sentences": [
                {"i": i, "text": text, "events": events}
                for i, (text, events) in enumerate(sentences)
            ],
        }
    )


def coded_article(texts: list[str], events: list[Event], *, title: bool = True) -> CodedArticle:
    sentences = tuple(
        Sentence(
            "a", i, -1 if (title and i == 0) else 0, t, "title" if title and i == 0 else "body"
        )
        for i, t in enumerate(texts)
    )
    events = [
        Event(
            **{
                **{f: getattr(e, f) for f in e.__dataclass_fields__},
                "sentence": texts[e.sentence_index],
            }
        )
        for e in events
    ]
    return CodedArticle(Article("a", texts[0], ()), sentences, tuple(events))


def run(gold: RealnewsArticle, coded: CodedArticle, min_confidence: float = 0.0) -> dict:
    scores = score_articles([gold], [coded], min_confidence=min_confidence)
    return RealnewsResult([gold], [coded], "all", scores, min_confidence).summary()


# ------------------------------------------------------------------------------ keys


def test_actor_keys_are_country_else_kind() -> None:
    assert actor_key({"country": "RUS", "kind": None}) == "RUS"
    assert actor_key({"country": None, "kind": "IGO"}) == "IGO"
    assert actor_key({"country": None, "kind": None}) is None
    assert actor_key(None) is None
    assert coder_actor_key(actor("RUSGOV", "RUS", "GOV")) == "RUS"
    assert coder_actor_key(actor("IGOUNO")) == "IGO"
    assert coder_actor_key(actor("NGOAMN")) == "NGO"
    assert coder_actor_key(actor("IMGMUSISI")) == "IMG"
    assert coder_actor_key(actor("MNCUSA")) == "MNC"
    assert coder_actor_key(actor("---")) is None
    assert coder_actor_key(actor("GOV", None, "GOV")) is None
    assert coder_actor_key(None) is None


# ------------------------------------------------------------------------------ alignment


def test_normalisation_ignores_quotes_dashes_case_and_spacing() -> None:
    assert normalize_sentence("“Hello”  —  it’s\nME") == normalize_sentence('"hello" - it\'s me')


def test_alignment_exact_finer_coarser_overlap_and_missing() -> None:
    gold = ["Headline here today", "Russia met Turkey. Then more.", "A b c d e f.", "Other one."]
    coded = [
        "Headline here today",  # exact
        "Russia met Turkey.",  # finer split: contained in gold 1
        "Then more.",  # contained too
        "A b c d e f. Other one.",  # coarser split: contains gold 2 and 3
        "Entirely different words nowhere",  # not in gold
    ]
    assert align_sentences(gold, coded) == [(0,), (1,), (1,), (2, 3), ()]


def test_alignment_of_repeated_sentences_keeps_order_and_headline_goes_to_zero() -> None:
    gold = ["Big news", "Big news", "Advertisement", "Text.", "Advertisement"]
    coded = ["Big news", "Big news", "Advertisement", "Text.", "Advertisement"]
    assert align_sentences(gold, coded) == [(0,), (1,), (2,), (3,), (4,)]
    # The headline split in two by the parser still belongs to the headline.
    gold = ["Tillerson says X. In Korea", "Tillerson says X.", "In Korea"]
    coded = ["Tillerson says X.", "In Korea", "Tillerson says X.", "In Korea"]
    titles = [True, True, False, False]
    assert align_sentences(gold, coded, titles) == [(0,), (0,), (1,), (2,)]


def test_event_of_a_coarser_sentence_goes_where_its_trigger_is() -> None:
    gold = gold_article(
        [
            ("Title", []),
            ("Russia attacked Turkey.", [gold_event("19", RUS, TUR)]),
            ("The US praised Turkey.", [gold_event("05", USA, TUR)]),
        ]
    )
    texts = ["Title", "Russia attacked Turkey. The US praised Turkey."]
    coded = coded_article(
        texts,
        [
            event(1, 1, "05", actor("USA", "USA"), actor("TUR", "TUR"), trigger="praised"),
            event(2, 1, "19", actor("RUS", "RUS"), actor("TUR", "TUR"), trigger="attacked"),
        ],
    )
    result = run(gold, coded)
    assert result["counts"]["matched"] == 2
    assert result["scores"]["precision"] == 1.0


# ------------------------------------------------------------------------------ matching


def test_symmetric_gold_matches_either_order_and_only_once() -> None:
    gold = gold_article([("Putin met Erdogan", [gold_event("04", RUS, TUR, symmetric=True)])])
    coded = coded_article(
        ["Putin met Erdogan"],
        [
            event(1, 0, "04", actor("TURGOV", "TUR", "GOV"), actor("RUSGOV", "RUS", "GOV")),
            event(2, 0, "04", actor("RUSGOV", "RUS", "GOV"), actor("TURGOV", "TUR", "GOV")),
        ],
    )
    result = run(gold, coded)
    assert result["counts"]["matched"] == 1  # one-to-one: the second is a duplicate
    assert result["scores"]["precision"] == 0.5
    assert result["scores"]["recall"] == 1.0
    assert result["false_positives"] == {"duplicate": 1}


def test_non_symmetric_gold_needs_the_same_order() -> None:
    gold = gold_article([("Russia accused the US", [gold_event("11", RUS, USA)])])
    coded = coded_article(
        ["Russia accused the US"],
        [event(1, 0, "11", actor("USA", "USA"), actor("RUS", "RUS"))],
    )
    result = run(gold, coded)
    assert result["counts"]["matched"] == 0
    assert result["false_positives"] == {"wrong actors": 1}


def test_kind_keys_match_and_agent_is_not_part_of_the_key() -> None:
    gold = gold_article(
        [("The UN criticised Russia", [gold_event("11", UN, {**RUS, "agent": "GOV"})])]
    )
    coded = coded_article(
        ["The UN criticised Russia"],
        [event(1, 0, "11", actor("IGOUNO"), actor("RUSMIL", "RUS", "MIL"), code="111")],
    )
    result = run(gold, coded)
    assert result["counts"]["matched"] == 1
    # source agent None == None, target GOV != MIL
    assert result["accuracy_on_matched"]["agent"] == 0.5
    assert result["accuracy_on_matched"]["code"] == 0.0
    assert result["accuracy_on_matched"]["code_compatible"] == 1.0
    assert result["precision_by_rule"] == {"strict": 1.0, "relaxed": 0.0}


def test_no_target_matches_no_target_only() -> None:
    gold = gold_article(
        [("Protesters marched", [gold_event("14", RUS, None)]), ("X", [gold_event("14", RUS, USA)])]
    )
    coded = coded_article(
        ["Protesters marched", "X"],
        [
            event(1, 0, "14", actor("RUSCVL", "RUS", "CVL"), None),
            event(2, 1, "14", actor("RUSCVL", "RUS", "CVL"), None),
        ],
        title=False,
    )
    result = run(gold, coded)
    assert result["counts"]["matched"] == 1
    assert result["false_positives"] == {"missing target": 1}
    assert result["false_negatives"] == {"missing target": 1}
    assert result["scores"]["precision_both_actors"] == 0.0  # no event had both keys


def test_one_to_one_matching_is_maximal() -> None:
    # Coded 1 fits gold 0 or 1 (symmetric), coded 2 fits gold 0 only: both must match.
    gold = gold_article(
        [
            (
                "Talks",
                [
                    gold_event("04", RUS, TUR),
                    gold_event("04", TUR, RUS, symmetric=True),
                ],
            )
        ]
    )
    coded = coded_article(
        ["Talks"],
        [
            event(1, 0, "04", actor("RUS", "RUS"), actor("TUR", "TUR")),
            event(2, 0, "04", actor("RUS", "RUS"), actor("TUR", "TUR")),
        ],
    )
    result = run(gold, coded)
    assert result["counts"]["matched"] == 2


def test_default_view_leaves_out_other_modalities_and_low_confidence() -> None:
    gold = gold_article(
        [
            (
                "Russia will withdraw",
                [
                    gold_event("16", RUS, USA, modality="future"),
                    gold_event("11", RUS, USA, modality="reported"),
                ],
            ),
            ("Russia did not meet the US", [gold_event("04", RUS, USA)]),
        ]
    )
    coded = coded_article(
        ["Russia will withdraw", "Russia did not meet the US"],
        [
            event(1, 0, "16", actor("RUS", "RUS"), actor("USA", "USA")),  # gold is future
            event(2, 0, "11", actor("RUS", "RUS"), actor("USA", "USA"), modality="reported"),
            event(3, 1, "04", actor("RUS", "RUS"), actor("USA", "USA"), modality="negated"),
        ],
    )
    result = run(gold, coded)
    assert result["counts"]["gold_events"] == 2  # the future event is out of the view
    assert result["counts"]["coded_events"] == 2  # the negated one is out
    assert result["counts"]["matched"] == 1
    assert result["false_positives"] == {"gold event outside view": 1}
    assert result["false_negatives"] == {"coded event outside view": 1}
    assert result["accuracy_on_matched"]["modality"] == 1.0


def test_min_confidence_filters_coded_events() -> None:
    gold = gold_article([("Russia accused the US", [gold_event("11", RUS, USA)])])
    coded = coded_article(
        ["Russia accused the US"],
        [event(1, 0, "11", actor("RUS", "RUS"), actor("USA", "USA"))],
    )
    coded = CodedArticle(
        coded.article,
        coded.sentences,
        tuple(
            Event(**{**{f: getattr(e, f) for f in e.__dataclass_fields__}, "confidence": 0.3})
            for e in coded.events
        ),
    )
    assert run(gold, coded)["counts"]["matched"] == 1
    low = run(gold, coded, min_confidence=0.5)
    assert low["counts"]["coded_events"] == 0
    assert low["false_negatives"] == {"coded event outside view": 1}


def test_error_classes_root_source_sentence() -> None:
    gold = gold_article(
        [
            ("Russia accused the US", [gold_event("11", RUS, USA)]),
            ("Turkey praised the US", [gold_event("05", TUR, USA)]),
            ("Nothing happened here", []),
            ("The UN met Russia", [gold_event("04", UN, RUS)]),
        ]
    )
    coded = coded_article(
        ["Russia accused the US", "Turkey praised the US", "Nothing happened here", "Other"],
        [
            event(1, 0, "12", actor("RUS", "RUS"), actor("USA", "USA")),  # wrong root
            event(2, 1, "05", actor("RUS", "RUS"), actor("USA", "USA")),  # wrong source
            event(3, 2, "05", actor("RUS", "RUS"), actor("USA", "USA")),  # no gold event
        ],
        title=False,
    )
    result = run(gold, coded)
    assert result["false_positives"] == {
        "no gold event in sentence": 1,
        "wrong source": 1,
        "wrong root": 1,
    }
    assert result["false_negatives"] == {
        "sentence not in output": 1,
        "wrong source": 1,
        "wrong root": 1,
    }
    assert result["per_root"]["05"] == {"tp": 0, "fp": 2, "fn": 1}
    assert result["per_root"]["04"] == {"tp": 0, "fp": 0, "fn": 1}


def test_dump_rows_cover_every_event_with_its_partner() -> None:
    gold = gold_article([("Putin met Erdogan", [gold_event("04", RUS, TUR, symmetric=True)])])
    coded = coded_article(
        ["Putin met Erdogan"],
        [
            event(1, 0, "04", actor("RUS", "RUS"), actor("TUR", "TUR")),
            event(2, 0, "04", actor("RUS", "RUS"), actor("TUR", "TUR"), modality="future"),
        ],
    )
    scores = score_articles([gold], [coded])
    rows = list(RealnewsResult([gold], [coded], "all", scores).dump_rows())
    by_side = {(r["side"], r["status"]) for r in rows}
    assert by_side == {("coded", "tp"), ("coded", "outside view"), ("gold", "tp")}
    tp_coded = next(r for r in rows if r["side"] == "coded" and r["status"] == "tp")
    assert tp_coded["match"] == "a:0:0"
    json.dumps(rows)  # JSON-ready


# ------------------------------------------------------------------------------ split, files


def test_split_is_a_fixed_hash_of_the_id() -> None:
    assert realnews_split("03S9R4R5qx2c83dY") in {"tune", "test"}
    ids = [f"id{k}" for k in range(1000)]
    tune = sum(realnews_split(i) == "tune" for i in ids)
    assert 540 < tune < 660  # 3 of 5 buckets
    assert [realnews_split(i) for i in ids] == [realnews_split(i) for i in ids]


def test_load_rejects_bad_lines_and_skips_records_without_row(tmp_path: Path) -> None:
    good = {"id": "x", "row": 3, "sentences": [{"i": 0, "text": "T", "events": []}]}
    path = tmp_path / "g.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps({"id": "ru", "sentences": []}) + "\n")
    (article,) = load_realnews(path)
    assert article.row == 3 and article.sentences == ("T",)
    path.write_text("{not json\n")
    with pytest.raises(InputError, match=r"g\.jsonl:1"):
        load_realnews(path)
    with pytest.raises(InputError, match="unknown split"):
        load_realnews(path, "dev")  # type: ignore[arg-type]


@pytest.mark.slow
@pytest.mark.skipif(not DEV.is_file(), reason="../shared realnews gold is absent")
def test_dev_split_sizes_and_a_scored_run(pipeline, tmp_path: Path) -> None:
    from tidings.evaluation.realnews import score_realnews

    tune, test = load_realnews(DEV, "tune"), load_realnews(DEV, "test")
    assert (len(tune), len(test)) == (25, 25)
    assert sum(g.in_view for a in tune for g in a.events) == 388
    assert sum(g.in_view for a in test for g in a.events) == 488
    result = score_realnews(pipeline, DEV, split="test", limit=3)
    assert result.min_confidence == DEFAULT_MIN_CONFIDENCE
    assert all(0.0 <= e.confidence <= 1.0 for c in result.coded for e in c.events)
    summary = result.summary()
    assert summary["counts"]["articles"] == 3
    assert summary["counts"]["gold_events"] > 0
    # Nearly every coded sentence finds its gold sentence.
    stray = summary["false_positives"].get("unaligned sentence", 0)
    assert stray <= 0.05 * max(1, summary["counts"]["coded_events"])
    pytest.importorskip("matplotlib")
    from tidings.evaluation._realnews_curve import plot_curve

    plot_curve(result, tmp_path / "curve.png", threshold=result.min_confidence)
    assert (tmp_path / "curve.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# ------------------------------------------------------------------------------ confidence


def test_calibration_and_curve_on_hand_made_confidences() -> None:
    from tidings.evaluation._realnews_curve import calibration, threshold_curve

    gold = gold_article(
        [
            ("Russia accused the US", [gold_event("11", RUS, USA)]),
            ("Turkey praised the US", [gold_event("05", TUR, USA)]),
        ]
    )
    coded = coded_article(
        ["Russia accused the US", "Turkey praised the US"],
        [
            event(1, 0, "11", actor("RUS", "RUS"), actor("USA", "USA"), confidence=0.95),
            event(2, 1, "05", actor("TUR", "TUR"), actor("USA", "USA"), confidence=0.15),
            event(3, 1, "12", actor("TUR", "TUR"), actor("USA", "USA"), confidence=0.12),
        ],
        title=False,
    )
    result = RealnewsResult([gold], [coded], "all", score_articles([gold], [coded]))
    calib = calibration(result)
    assert calib["events"] == 3
    # bins: [0.1, 0.2) holds 0.15 (right) and 0.12 (wrong); [0.9, 1.0] holds 0.95 (right)
    assert [(b["events"], b["share_correct"]) for b in calib["bins"]] == [(2, 0.5), (1, 1.0)]
    expected = 2 / 3 * abs(0.135 - 0.5) + 1 / 3 * abs(0.95 - 1.0)
    assert calib["ece"] == pytest.approx(expected, abs=1e-4)
    curve = {p["threshold"]: p for p in threshold_curve(result)}
    assert curve[0.0]["precision"] == pytest.approx(2 / 3, abs=1e-4)
    assert curve[0.15]["precision"] == 1.0 and curve[0.15]["recall"] == 1.0
    assert curve[0.95]["recall"] == 0.5
    assert result.rescore(0.5).summary()["false_negatives"] == {"coded event outside view": 1}


def test_cli_missing_corpus_is_a_one_line_error(tmp_path: Path, capsys) -> None:
    from tidings.cli import main

    gold = tmp_path / "gold" / "realnews" / "realnews-dev.jsonl"
    gold.parent.mkdir(parents=True)
    gold.write_text(json.dumps({"id": "x", "row": 0, "sentences": []}) + "\n")
    with pytest.raises(SystemExit) as exit_:
        main(["evaluate", "realnews", str(gold)])
    err = capsys.readouterr().err
    assert exit_.value.code == 1
    assert "corpus of the realnews set not found" in err and "Traceback" not in err
    with pytest.raises(SystemExit) as exit_:
        main(["evaluate", "plover-gsr", "--split", "test"])
    assert exit_.value.code == 2 and "apply to the realnews set" in capsys.readouterr().err


def test_a_non_state_actors_kind_is_no_sector() -> None:
    # the resolver gives IGOUNO the "agent" IGO, its kind (its key), not a sector: the
    # guidelines annotate the UN with agent null
    gold = gold_article([("The UN criticised Russia", [gold_event("11", UN, RUS)])])
    coded = coded_article(
        ["The UN criticised Russia"],
        [event(1, 0, "11", actor("IGOUNO", None, "IGO"), actor("RUS", "RUS"), code="111")],
    )
    assert run(gold, coded)["accuracy_on_matched"]["agent"] == 1.0
    assert coder_actor_agent(actor("MNC", None, "MNC")) is None
    assert coder_actor_agent(actor("RUSGOV", "RUS", "GOV")) == "GOV"
    assert coder_actor_agent(actor("GOV", None, "GOV")) == "GOV"
    assert coder_actor_agent(None) is None
