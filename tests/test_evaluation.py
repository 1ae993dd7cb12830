"""Evaluation: metric helpers, gold readers, runners (on a fake pipeline), CLI errors.

Everything here is fast and needs neither spaCy nor the shared data, except the few tests
that read the real gold files (skipped when ../shared is absent).  The regression gate
itself is tests/test_evaluation_gate.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from tidings.cli import main
from tidings.dictionaries.cameo import load_codebook
from tidings.errors import InputError
from tidings.evaluation import (
    SETS,
    compare_to_baseline,
    default_gold_dir,
    evaluate_conflibert_class,
    evaluate_conflibert_spans,
    evaluate_plover,
    resolve_gold_path,
)
from tidings.evaluation._common import primary_code
from tidings.evaluation._metrics import (
    bio_spans,
    confusion_matrix,
    detokenize,
    match_spans,
    prf,
    ratio,
    spans_match,
    word_set,
)
from tidings.evaluation.conflibert import load_conll
from tidings.evaluation.plover_gsr import (
    gold_country,
    load_plover_records,
    plover_0_5_to_0_8,
    to_plover_0_8,
)
from tidings.model import Actor, Article, CodedArticle, Event

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO.parent / "shared" / "data" / "gold"
BASELINE = REPO / "tests" / "baselines" / "evaluation.json"

needs_gold = pytest.mark.skipif(not GOLD.is_dir(), reason="../shared/data/gold is absent")


# ----------------------------------------------------------------------------- detokenize


@pytest.mark.parametrize(
    ("tokens", "expected"),
    [
        (
            "Russia vetoed a resolution , officials said .",
            "Russia vetoed a resolution, officials said.",
        ),
        ("The EU ’ s diplomatic chief", "The EU’s diplomatic chief"),
        ("Afghanistan 's intelligence agency", "Afghanistan's intelligence agency"),
        ("They do n't agree", "They don't agree"),
        ("the rebel - held enclave", "the rebel-held enclave"),
        ("the Council ( NSC ) met", "the Council (NSC) met"),
        ("calling it “ dangerous ” and “ insulting ” .", "calling it “dangerous” and “insulting”."),
        ('he said " no " twice', 'he said "no" twice'),
        ("an appeal for $ 80 million", "an appeal for $80 million"),
        ("Around 2 , 000 workers", "Around 2,000 workers"),
        ("On April 24 , 2018 .", "On April 24, 2018."),
        ("On Nov . 2 , Mr . Sisi left", "On Nov. 2, Mr. Sisi left"),
        ("the T . P . L . F . said", "the T.P.L.F. said"),
        ("until 8 a . m . Monday", "until 8 a.m. Monday"),
        ("President Enrique Pe ñ a Nieto", "President Enrique Peña Nieto"),
        ("in K ı r ı kkale province", "in Kırıkkale province"),
        ("the insurgents ' presence", "the insurgents' presence"),
        (
            "Lebanon will not accept ‘ exceptional ’ cases",
            "Lebanon will not accept ‘exceptional’ cases",
        ),
        ("the United States - - something", "the United States -- something"),
        ("Uribe defended Colombia ´ s actions", "Uribe defended Colombia´s actions"),
        ("the U.S. - led coalition", "the U.S.-led coalition"),
        ("leave 5 . 3 million people", "leave 5.3 million people"),
        (
            "a ruling categorising them as ' extremists ' .",
            "a ruling categorising them as 'extremists'.",
        ),
        ('" We will not " , he said', '"We will not", he said'),
        ("' Never ' , he said", "'Never', he said"),
    ],
)
def test_detokenize(tokens: str, expected: str) -> None:
    assert detokenize(tokens.split(" ")) == expected


def test_detokenize_drops_invisible_format_characters_and_handles_empty() -> None:
    assert detokenize(["a", "\u202a", "b"]) == "a b"
    assert detokenize([]) == ""
    assert detokenize(["."]) == "."


# ----------------------------------------------------------------------------- spans


def test_bio_spans_reads_b_and_lenient_i() -> None:
    tags = ["B-S", "I-S", "O", "B-T", "B-T", "I-T", "I-R", "I-S", "O"]
    assert bio_spans(tags) == [("S", 0, 2), ("T", 3, 4), ("T", 4, 6), ("R", 6, 7), ("S", 7, 8)]
    assert bio_spans(["O", "O"]) == []
    assert bio_spans(["B-S"]) == [("S", 0, 1)]


def test_word_set_drops_possessives_and_function_words() -> None:
    assert word_set("the Croatian government ’ s request") == {"croatian", "government", "request"}
    assert word_set("Israel's army") == {"israel", "army"}
    assert word_set("the U.S. military") == {"u", "s", "military"}
    assert word_set("The") == {"the"}  # only function words: keep them
    assert word_set("") == frozenset()


def test_spans_match_needs_half_of_the_shorter_set() -> None:
    a = frozenset({"iraqi", "troops"})
    assert spans_match(a, frozenset({"iraqi", "government", "troops", "units"}))
    assert spans_match(a, frozenset({"troops", "x", "y", "z"}))  # 1 of shorter 2
    assert not spans_match(frozenset({"a", "b", "c"}), frozenset({"a", "d", "e"}))  # 1 of 3
    assert not spans_match(a, frozenset({"kurdish", "fighters"}))
    assert not spans_match(frozenset(), a)


def test_match_spans_is_one_to_one_and_prefers_the_best_overlap() -> None:
    gold = [word_set("Syrian government forces"), word_set("Russian warplanes")]
    predicted = [word_set("Syrian forces"), word_set("Syrian government forces")]
    # Both predictions fit gold 0; the exact one wins, the other stays unmatched.
    assert match_spans(predicted, gold) == [(1, 0)]
    # Two gold spans, two fitting predictions: both matched.
    gold2 = [word_set("Iraqi troops"), word_set("Iraqi police")]
    assert match_spans([word_set("Iraqi police"), word_set("Iraqi troops")], gold2) == [
        (0, 1),
        (1, 0),
    ]
    assert match_spans([], gold) == []
    assert match_spans(predicted, []) == []


# ----------------------------------------------------------------------------- arithmetic


def test_confusion_matrix_has_a_none_column() -> None:
    pairs = [(0, 0), (0, None), (1, 0), (1, 1), (1, 1), (2, None)]
    m = confusion_matrix(pairs, [0, 1, 2])
    assert m["columns"] == [0, 1, 2, "none"]
    assert m["rows"] == [[1, 0, 0, 1], [1, 2, 0, 0], [0, 0, 0, 1]]
    assert sum(map(sum, m["rows"])) == len(pairs)
    with pytest.raises(ValueError):
        confusion_matrix([(5, 0)], [0, 1])
    with pytest.raises(ValueError):
        confusion_matrix([(0, 7)], [0, 1])


def test_ratio_and_prf() -> None:
    assert ratio(1, 3) == 0.3333
    assert ratio(0, 0) == 0.0
    assert prf(2, 4, 8) == {"precision": 0.5, "recall": 0.25, "f1": 0.3333}
    assert prf(0, 0, 5) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_compare_to_baseline_tolerates_one_point() -> None:
    base = {"a": 0.5, "b": 0.5, "c": 0.5, "d": 0.5}
    now = {"a": 0.49, "b": 0.4899, "c": 0.9, "e": 0.1}  # a: -0.01 ok; b: too low; d: missing
    got = {(r.score, r.current) for r in compare_to_baseline("x", now, base)}
    assert got == {("b", 0.4899), ("d", None)}


# ----------------------------------------------------------------------------- PLOVER mapping


def test_plover_mapping_uses_0_8_names() -> None:
    assert to_plover_0_8("DEMAND") == "REQUEST"
    assert to_plover_0_8("disapprove") == "ACCUSE"
    assert to_plover_0_8("INVESTIGATE") == "ACCUSE"
    assert to_plover_0_8("FIGHT") == "ASSAULT"
    assert to_plover_0_8("AGREE") == "AGREE"
    assert to_plover_0_8("DOCUMENT") is None
    with pytest.raises(KeyError):
        to_plover_0_8("NOT_A_CATEGORY")


def test_plover_mapping_targets_are_exactly_the_codebook_categories() -> None:
    targets = {v for v in plover_0_5_to_0_8().values() if v}
    codebook_names = {c.plover for c in load_codebook().values() if c.plover}
    assert targets == codebook_names


def test_gold_country_and_primary_code() -> None:
    assert gold_country("JAP") == "JPN"
    assert gold_country("ITL") == "ITA"
    assert gold_country("usa") == "USA"
    assert gold_country("IGO") == "IGO"
    assert gold_country("") is None
    assert primary_code(Actor(code="RUSGOV", text="x", country="RUS", agent="GOV")) == "RUS"
    assert primary_code(Actor(code="IGOUNO", text="UN", country=None, agent="IGO")) == "IGO"
    assert primary_code(Actor(code="---", text="")) is None
    assert primary_code(None) is None


@needs_gold
def test_every_gold_plover_category_is_mapped() -> None:
    records, skipped = load_plover_records(GOLD / "plover-gsr" / "PLOVER_GSR_CAMEO.txt")
    assert len(records) == 322
    assert dict(skipped) == {"category DOCUMENT not evaluated": 1}
    assert all(r.sources or r.targets for r in records)
    codes = {c for r in records for c in (*r.sources, *r.targets)}
    assert not codes & {"JAP", "ITL", "VTN"}


@needs_gold
def test_real_conll_file_rebuilds_readable_sentences() -> None:
    sentences = load_conll(GOLD / "conflibert-cameo-train" / "cameo_ner" / "train.txt")
    assert len(sentences) == 1153
    texts = [s.text for s in sentences]
    assert not any(" ’ s " in t or " , " in t or t.endswith(" .") for t in texts)
    assert sum(len(s.spans("S")) for s in sentences) >= 1094


# ----------------------------------------------------------------------------- runners


def _actor(code: str, text: str) -> Actor:
    country = code[:3] if code[:3] not in {"IGO", "NGO"} else None
    return Actor(code=code, text=text, country=country, agent=code[3:6] or None)


def _event(code: str, source: Actor, target: Actor | None) -> Event:
    return Event(
        event_id="e",
        doc_id="d",
        sentence_index=0,
        sentence="",
        source=source,
        target=target,
        code=code,
        root_code=code[:2],
        quad_class=1,
        goldstein=0.0,
    )


class FakePipeline:
    """Codes each article from a text -> events table; records what it was given."""

    def __init__(self, table: dict[str, list[Event]]) -> None:
        self.table = table
        self.seen: list[Article] = []

    def run(self, articles: Iterable[Article]) -> Iterator[CodedArticle]:
        for article in articles:
            self.seen.append(article)
            text = article.paragraphs[0].text
            yield CodedArticle(article, (), tuple(self.table.get(text, [])))


USA = _actor("USAGOV", "American officials")
RUS = _actor("RUS", "Russia")
UN = _actor("IGOUNO", "the United Nations")


def test_conflibert_class_runner(tmp_path: Path) -> None:
    gold = tmp_path / "train.tsv"
    gold.write_text(
        "A attacked B.\t4\nA praised B.\t1\nA met B.\t1\nNothing happened.\t0\n",
        encoding="utf-8",
    )
    pipe = FakePipeline(
        {
            "A attacked B.": [_event("190", USA, RUS)],  # right
            "A praised B.": [_event("111", USA, RUS), _event("051", USA, RUS)],  # any only
            "A met B.": [_event("040", USA, RUS)],  # right
        }
    )
    result = evaluate_conflibert_class(pipe, gold)
    scores = result["scores"]
    assert {k: scores[k] for k in ("accuracy_first", "accuracy_any", "coverage")} == {
        "accuracy_first": 0.5,
        "accuracy_any": 0.75,
        "coverage": 0.75,
    }
    assert {"heldout_accuracy_first", "heldout_coverage"} <= set(scores)
    assert result["confusion"]["rows"][1] == [0, 1, 0, 1, 0, 0]
    assert result["confusion"]["rows"][0] == [0, 0, 0, 0, 0, 1]
    assert [e["sentence"] for e in result["errors"]] == ["A praised B.", "Nothing happened."]
    assert all(a.title == "" and a.date is None and len(a.paragraphs) == 1 for a in pipe.seen)
    json.dumps(result)
    assert evaluate_conflibert_class(pipe, gold, limit=1)["counts"]["sentences"] == 1


def test_conflibert_spans_runner(tmp_path: Path) -> None:
    gold = tmp_path / "train.txt"
    rows = [
        "American B-S", "officials I-S", "condemned O", "Russia B-T", "' I-T", "s I-T",
        "move I-T", ". O", "",
        "Putin B-R", "met O", "Trump B-R", ". O", "",
    ]  # fmt: skip
    gold.write_text("\n".join(rows) + "\n", encoding="utf-8")
    s1 = "American officials condemned Russia's move."
    pipe = FakePipeline(
        {
            s1: [
                _event("111", USA, RUS),
                _event("111", _actor("USA", "american officials"), UN),  # dup source; wrong tgt
            ],
            "Putin met Trump.": [_event("040", _actor("RUSGOV", "Putin"), None)],
        }
    )
    result = evaluate_conflibert_spans(pipe, gold)
    assert [a.paragraphs[0].text for a in pipe.seen] == [s1, "Putin met Trump."]
    c = result["counts"]
    assert (c["source_gold"], c["source_predicted"], c["source_matched"]) == (1, 1, 1)
    assert (c["target_gold"], c["target_predicted"], c["target_matched"]) == (1, 2, 1)
    assert c["source_excused"] == 1  # "Putin" matches the reciprocal span
    s = result["scores"]
    assert (s["source_precision"], s["source_recall"]) == (1.0, 1.0)
    assert (s["target_precision"], s["target_recall"], s["target_f1"]) == (0.5, 1.0, 0.6667)
    assert result["diagnostics"]["reciprocal_recall"] == 0.5
    assert len(result["errors"]) == 1


def test_plover_runner(tmp_path: Path, monkeypatch) -> None:
    records = [
        {"id": "doc", "event": "DOCUMENT", "eventText": "x"},
        {
            "id": "r1",
            "event": "DEMAND",
            "text": "The US demanded that Russia withdraw.",
            "source": [{"actorText": "US", "code": "USA"}],
            "target": [{"actorText": "Russia", "code": "RUS"}],
        },
        {
            "id": "r2",
            "event": "FIGHT",
            "text": "The US demanded that Russia withdraw.",  # same sentence, second event
            "source": [{"actorText": "US", "code": "USA"}],
            "target": "",
        },
        {
            "id": "r3",
            "event": "AGREE",
            "text": "The UN agreed to help Tokyo.",
            "source": [{"actorText": "UN", "code": "IGO"}],
            "target": [{"actorText": "Tokyo", "code": "JAP"}],
        },
        {"id": "r4", "event": "PROTEST", "text": "Nothing coded here.", "source": None},
    ]
    gold = tmp_path / "gsr.json"
    gold.write_text(json.dumps(records), encoding="utf-8")
    pipe = FakePipeline(
        {
            "The US demanded that Russia withdraw.": [
                _event("10", USA, RUS),  # REQUEST
                _event("190", USA, None),  # ASSAULT
            ],
            "The UN agreed to help Tokyo.": [_event("030", UN, _actor("JPN", "Tokyo"))],
        }
    )
    result = evaluate_plover(pipe, gold)
    assert len(pipe.seen) == 3  # the repeated sentence is coded once
    assert result["counts"]["records"] == 4
    assert result["counts"]["skipped"] == {"category DOCUMENT not evaluated": 1}
    assert result["scores"] == {
        "category_first": 0.5,  # r1, r3
        "category_any": 0.75,  # + r2 through its second event
        "source_first": 1.0,  # r1, r2, r3 have a gold source; r4 has none
        "source_any": 1.0,
        "target_first": 1.0,  # r1 RUS, r3 JAP -> JPN
        "target_any": 1.0,
        "coverage": 0.75,
        # none of these sentences falls in the hashed held-out split
        "heldout_category_first": 0.0,
        "heldout_source_first": 0.0,
        "heldout_target_first": 0.0,
    }
    assert result["diagnostics"]["heldout_records"] == 0
    assert {e["id"] for e in result["errors"]} == {"r2", "r4"}

    # The held-out scores count only held-out records: here r1 and r2 (one sentence).
    import tidings.evaluation.plover_gsr as plover_gsr

    monkeypatch.setattr(plover_gsr, "in_heldout_split", lambda text: "demanded" in text)
    result = evaluate_plover(pipe, gold)
    assert result["diagnostics"]["heldout_records"] == 2
    assert result["scores"]["heldout_category_first"] == 0.5  # r1 right, r2 wrong
    assert result["scores"]["heldout_source_first"] == 1.0
    assert result["scores"]["heldout_target_first"] == 1.0  # r2 has no gold target


def test_plover_runner_rejects_unknown_category(tmp_path: Path) -> None:
    gold = tmp_path / "gsr.json"
    gold.write_text(json.dumps([{"id": "x", "event": "GOSSIP", "text": "a"}]), encoding="utf-8")
    with pytest.raises(InputError, match="GOSSIP"):
        evaluate_plover(FakePipeline({}), gold)


def test_malformed_gold_files_are_input_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("no tab here\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.tsv:1"):
        evaluate_conflibert_class(FakePipeline({}), bad)
    bad.write_text("token\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.tsv:1"):
        evaluate_conflibert_spans(FakePipeline({}), bad)
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="not valid JSON"):
        evaluate_plover(FakePipeline({}), bad)
    with pytest.raises(InputError, match="not found"):
        evaluate_plover(FakePipeline({}), tmp_path / "missing.json")


# ----------------------------------------------------------------------------- paths, CLI


def test_default_gold_dir_is_beside_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TIDINGS_GOLD", raising=False)
    monkeypatch.chdir(REPO)
    assert default_gold_dir() == REPO.parent / "shared" / "data" / "gold"


def test_default_gold_dir_follows_the_working_directory_and_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a non-editable install the package is in site-packages: the working
    directory (a checkout beside ../shared) or $TIDINGS_GOLD must find the data."""
    monkeypatch.delenv("TIDINGS_GOLD", raising=False)
    gold = tmp_path / "shared" / "data" / "gold"
    gold.mkdir(parents=True)
    checkout = tmp_path / "checkout" / "sub"
    checkout.mkdir(parents=True)
    monkeypatch.chdir(checkout)
    assert default_gold_dir() == gold
    monkeypatch.setenv("TIDINGS_GOLD", str(tmp_path / "elsewhere"))
    assert default_gold_dir() == tmp_path / "elsewhere"
    with pytest.raises(InputError, match="TIDINGS_GOLD"):
        resolve_gold_path("plover-gsr")


def test_resolve_gold_path_accepts_file_set_dir_and_root(tmp_path: Path) -> None:
    f = tmp_path / "gold" / "conflibert-cameo-train" / "cameo_ner" / "train.txt"
    f.parent.mkdir(parents=True)
    f.write_text("a O\n", encoding="utf-8")
    for p in (f, f.parent, f.parent.parent, tmp_path / "gold"):
        assert resolve_gold_path("conflibert-spans", p) == f
    with pytest.raises(InputError, match="conflibert-class"):
        resolve_gold_path("conflibert-class", tmp_path / "gold")
    with pytest.raises(InputError, match="unknown gold set"):
        resolve_gold_path("nope", tmp_path)


def test_cli_missing_gold_data_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["evaluate", "all", str(tmp_path / "nowhere")])
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not found" in err


def test_baseline_file_covers_every_set() -> None:
    data = json.loads(BASELINE.read_text(encoding="utf-8"))
    assert data["limit"] is None, "the baseline must come from a full run (no --limit)"
    assert set(data["sets"]) == set(SETS), (
        "regenerate: tidings evaluate all --no-samples --json tests/baselines/evaluation.json"
    )
    for name, result in data["sets"].items():
        assert result["scores"], name
        assert "errors" not in result, f"{name}: the baseline must not quote gold sentences"
        assert all(0.0 <= v <= 1.0 for v in result["scores"].values()), name
