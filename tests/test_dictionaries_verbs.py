"""The verb lexicon: generated CAMEO rules, loader, overlay, regeneration."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tidings.dictionaries.verbs import (
    ALT_SEP,
    VerbLexicon,
    VerbRule,
    default_verb_files,
    load_verb_lexicon,
    read_verb_rules,
)
from tidings.errors import DictionaryError

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DATA_DIR = REPO / "src" / "tidings" / "data" / "verbs"
CAMEO = DATA_DIR / "cameo.jsonl"
SOURCE = SHARED / "data" / "dictionaries" / "phoenix" / "CAMEO.2.0.txt"
BUILD_SCRIPT = REPO / "scripts" / "build_verbs.py"
FIELDS = [
    "id",
    "lemma",
    "pos",
    "code",
    "particle",
    "object",
    "prep",
    "words",
    "passive",
    "src",
    "pattern",
]


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return [json.loads(line) for line in CAMEO.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def lex() -> VerbLexicon:
    return load_verb_lexicon([CAMEO])


def find(lex: VerbLexicon, lemma: str, **want) -> list[VerbRule]:
    """Rules of ``lemma`` whose fields equal ``want`` (unset constraints must be empty)."""
    want = {"particle": None, "object": None, "prep": None, "words": (), "passive": False} | want
    return [r for r in lex.rules_for(lemma) if all(getattr(r, k) == v for k, v in want.items())]


def rule(**kw) -> VerbRule:
    base = {
        "id": "t.0",
        "lemma": "meet",
        "pos": "VERB",
        "code": "040",
        "particle": None,
        "object": None,
        "prep": None,
        "words": (),
        "passive": False,
        "src": "test",
    }
    return VerbRule(**(base | kw))


def write_jsonl(path: Path, rows: list[dict | str]) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def record(**kw) -> dict:
    return {
        "id": "x",
        "lemma": "meet",
        "pos": "VERB",
        "code": "040",
        "particle": None,
        "object": None,
        "prep": None,
        "words": [],
        "passive": False,
        "src": "test",
    } | kw


# ----------------------------------------------------------------------------- the data


def test_counts_are_plausible(records: list[dict], lex: VerbLexicon) -> None:
    # ~1.8k verbs in ~400 blocks, each getting its block's ~4.7k patterns
    assert 40_000 <= len(records) <= 60_000
    assert len(lex) == len(records)  # no duplicate keys inside the generated file
    assert 1_500 <= len(lex.lemmas("VERB")) <= 1_900
    assert lex.lemmas("NOUN") == frozenset()  # the PETRARCH file lists verbs only
    bare = [r for r in records if not (r["particle"] or r["object"] or r["prep"] or r["words"])]
    assert len(bare) >= 1_400


def test_records_are_well_formed(records: list[dict]) -> None:
    ids = [r["id"] for r in records]
    assert len(set(ids)) == len(ids)
    for r in records[:: max(1, len(records) // 2000)] + records[-50:]:
        assert [f for f in r if f != "mutual"] == FIELDS  # "mutual" only on % rules
        assert r.get("mutual", True) is True
        assert re.fullmatch(r"---|\d{2,4}", r["code"]), r
        assert r["lemma"] == r["lemma"].lower() and r["pos"] == "VERB"
        assert r["src"].startswith("CAMEO.2.0.txt:")
        assert r["words"] == sorted(r["words"])
        assert r["object"] is None or (r["object"] and r["object"] == sorted(r["object"]))


def test_codes_are_cameo_codes(lex: VerbLexicon) -> None:
    from tidings.dictionaries.cameo import load_codebook

    book = load_codebook()
    unknown = {r.code for r in lex if not r.is_null and book.get(r.code) is None}
    assert unknown <= {"176"}  # HACK [176] (cyber attack) is newer than the codebook


def test_meet_and_meet_with(lex: VerbLexicon) -> None:
    (bare,) = find(lex, "meet")
    assert bare.code == "040" and bare.specificity == 0
    (with_,) = find(lex, "meet", prep="with")  # from +MEET_WITH
    assert with_.code == "040" and with_.specificity == 1
    (tel,) = find(lex, "meet", words=("by", "telephone"))  # - * (BY TELEPHONE) [041:041]
    assert tel.code == "041"


def test_praise_is_051(lex: VerbLexicon) -> None:
    (bare,) = find(lex, "praise")
    assert bare.code == "051"
    assert bare.src.startswith("CAMEO.2.0.txt:")


def test_null_code_overrides_the_default(lex: VerbLexicon) -> None:
    # ACCLAIM [051]: - * CHRISTMAS [---] # CELEBRATE
    (r,) = find(lex, "celebrate", object=("christmas",))
    assert r.code == "---" and r.is_null


def test_passive_rule_from_subject_target_code(lex: VerbLexicon) -> None:
    # MEET_PEOPLE [040]: - * TRIAL [:173] # FACE -- the subject is the target
    (r,) = find(lex, "face", object=("trial",), passive=True)
    assert r.code == "173"
    assert r.specificity == 2
    assert sum(r.passive for r in lex) > 100


def test_synset_in_object_position_is_a_lemma_list(lex: VerbLexicon) -> None:
    # ASK: - * &CURRENCY [0231]
    rules = [r for r in lex.rules_for("ask") if r.object and "dollar" in r.object]
    assert rules and all(r.code == "0231" for r in rules)
    assert {"euro", "yen", "money", "peso"} <= set(rules[0].object)


def test_synset_in_words_position_is_one_alternatives_entry(lex: VerbLexicon) -> None:
    # PHYSICAL_CONFLICT [190]: - * (WITH &WEAPON) [194]
    rules = [
        r
        for r in lex.rules_for("attack")
        if "with" in r.words and any(ALT_SEP in w and "gun" in w.split(ALT_SEP) for w in r.words)
    ]
    assert [r.code for r in rules] == ["194"]
    (r,) = rules
    assert r.words_satisfied({"with", "rifle"})
    assert not r.words_satisfied({"with", "stone"})
    assert not r.words_satisfied({"rifle"})


def test_compound_verbs_give_particles_and_prepositions(lex: VerbLexicon) -> None:
    assert find(lex, "shut", particle="down")  # +SHUT_DOWN
    (r,) = find(lex, "step", particle="up", object=("attack",))  # STEP_UP: - * ATTACK [138]
    assert r.code == "138"
    assert find(lex, "scoff", prep="at")  # +SCOFF_AT
    (r,) = find(lex, "elect", words=("re",))  # RE-ELECT: spaCy splits re - elect
    assert r.code == "---"


def test_structured_pattern_pieces(lex: VerbLexicon) -> None:
    # ASK: - * (FOR {FINANCIAL AID}) [0231]: a PP with a noun phrase is required words
    (r,) = find(lex, "ask", words=("aid", "financial", "for"))
    assert r.code == "0231"
    # ACCELERATE: - * (TO) [042:043]: a bare PP introduces the target; 043 is dropped
    (r,) = find(lex, "rush", prep="to")
    assert r.code == "042"
    # REVISE: - * CONSTITUTION [0344]
    (r,) = find(lex, "revise", object=("constitution",))
    assert r.code == "0344"


def test_verb_listed_again_keeps_a_real_code(lex: VerbLexicon) -> None:
    # ABANDON is under EVACUATE [---] first, then has its own ABANDON [080] block
    (r,) = find(lex, "abandon")
    assert r.code == "080"


# ----------------------------------------------------------------------------- the loader


def test_specificity_counts_constraints() -> None:
    assert rule().specificity == 0
    assert rule(prep="with").specificity == 1
    r = rule(particle="up", object=("aid",), prep="to", words=("military", "a|b"), passive=True)
    assert r.specificity == 6


def test_words_satisfied() -> None:
    r = rule(words=("with", "gun|rifle"))
    assert r.words_satisfied({"with", "gun"}) and r.words_satisfied({"rifle", "with", "x"})
    assert not r.words_satisfied({"gun"})
    assert rule().words_satisfied(set())


def test_lookup_is_by_lemma_and_pos(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "r.jsonl",
        [
            record(id="a"),
            record(id="b", prep="with"),
            record(id="c", lemma="attack", pos="NOUN", code="190"),
        ],
    )
    lex = load_verb_lexicon([path])
    assert [r.id for r in lex.rules_for("meet")] == ["a", "b"]
    assert lex.rules_for("attack") == ()
    assert [r.id for r in lex.rules_for("attack", "NOUN")] == ["c"]
    assert lex.rules_for("nonexistent") == ()
    assert lex.lemmas("VERB") == {"meet"} and lex.lemmas("NOUN") == {"attack"}
    assert len(lex) == 3


def test_later_file_overlays_same_key(tmp_path: Path) -> None:
    cameo = write_jsonl(
        tmp_path / "cameo.jsonl",
        [
            record(id="c1", object=["talks", "talk"], code="040"),
            record(id="c2", prep="with", code="040"),
        ],
    )
    core = write_jsonl(
        tmp_path / "core.jsonl",
        [record(id="k1", object=["talk", "talks"], code="046"), record(id="k2", code="041")],
    )
    lex = load_verb_lexicon([cameo, core])
    # A later file that has rules for a lemma replaces all earlier rules for it.
    assert [r.id for r in lex.rules_for("meet")] == ["k1", "k2"]
    assert lex.rules_for("meet")[0].code == "046"


def test_extends_rule_adds_to_the_earlier_rules_of_its_lemma(tmp_path: Path) -> None:
    cameo = write_jsonl(
        tmp_path / "cameo.jsonl",
        [
            record(id="c1", object=["talk"], code="046"),
            record(id="c2", code="040"),
            record(id="v1", lemma="visit", code="042"),
            record(id="v2", lemma="visit", prep="to", code="042"),
        ],
    )
    core = write_jsonl(
        tmp_path / "core.jsonl",
        [
            record(id="k1", code="041", extends=True),  # same key as c2: replaces it
            record(id="k2", prep="with", code="036", extends=True),
            record(id="w1", lemma="visit", object=["site"], code="043", extends=True),
            record(id="w2", lemma="visit", code="043"),  # no extends: visit is replaced
        ],
    )
    lex = load_verb_lexicon([cameo, core])
    assert [r.id for r in lex.rules_for("meet")] == ["c1", "k1", "k2"]
    assert [r.id for r in lex.rules_for("visit")] == ["w1", "w2"]
    assert lex.rules_for("meet")[1].extends and not lex.rules_for("meet")[0].extends


def test_extends_must_be_a_boolean(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "v.jsonl", [record(extends="yes")])
    with pytest.raises(DictionaryError, match="extends"):
        load_verb_lexicon([path])


def test_later_file_keeps_other_lemmas(tmp_path: Path) -> None:
    cameo = write_jsonl(tmp_path / "cameo.jsonl", [record(id="c1", lemma="visit", code="042")])
    core = write_jsonl(tmp_path / "core.jsonl", [record(id="k1", code="040")])
    lex = load_verb_lexicon([cameo, core])
    assert [r.id for r in lex.rules_for("visit")] == ["c1"]
    assert [r.id for r in lex.rules_for("meet")] == ["k1"]


def test_default_files_put_core_last() -> None:
    files = default_verb_files()
    assert files[0].name == "cameo.jsonl"
    if (DATA_DIR / "core.jsonl").is_file():
        assert files[-1].name == "core.jsonl"
    assert all(p.parent == DATA_DIR for p in files)


def test_default_lexicon_is_cached() -> None:
    first = load_verb_lexicon()
    assert load_verb_lexicon() is first
    assert len(first) >= 40_000


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ('{"id": "x", "lemma": "meet", "code": "040"', "invalid JSON"),
        ('["not", "an", "object"]', "JSON object"),
        (json.dumps(record(code="")), "'code'"),
        (json.dumps(record(pos="ADV")), "'pos'"),
        (json.dumps(record(passive="yes")), "'passive'"),
        (json.dumps(record(words="with")), "'words'"),
        (json.dumps(record(object=[])), "'object'"),
        (json.dumps(record(prep=3)), "'prep'"),
    ],
)
def test_malformed_line_names_file_and_line(tmp_path: Path, bad: str, message: str) -> None:
    path = write_jsonl(tmp_path / "bad.jsonl", [record(id="ok"), "", bad])
    with pytest.raises(DictionaryError, match=rf"bad\.jsonl:3: .*{re.escape(message)}"):
        read_verb_rules(path)
    with pytest.raises(DictionaryError, match=r"bad\.jsonl:3:"):
        load_verb_lexicon([path])


def test_missing_file_is_a_dictionary_error(tmp_path: Path) -> None:
    with pytest.raises(DictionaryError, match=r"missing\.jsonl"):
        load_verb_lexicon([tmp_path / "missing.jsonl"])


# ----------------------------------------------------------------------------- regeneration


def test_provenance_and_licence_are_packaged(records: list[dict]) -> None:
    prov = (DATA_DIR / "PROVENANCE.md").read_text(encoding="utf-8")
    assert f"rules written: {len(records)} " in prov
    assert "Pattern lines skipped, by reason" in prov
    assert "MIT" in (DATA_DIR / "LICENSE-petrarch2.txt").read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.skipif(not SOURCE.is_file(), reason="../shared is absent")
def test_regenerates_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "cameo.jsonl"
    proc = subprocess.run(
        [sys.executable, str(BUILD_SCRIPT), "--cameo", str(SOURCE), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "rules written:" in proc.stdout and "patterns skipped:" in proc.stdout
    for name in ("cameo.jsonl", "PROVENANCE.md", "LICENSE-petrarch2.txt"):
        assert (tmp_path / name).read_bytes() == (DATA_DIR / name).read_bytes(), (
            f"{name} is stale: run scripts/build_verbs.py"
        )


def test_final_bare_preposition_is_the_target_preposition(lex: VerbLexicon) -> None:
    # MOBILIZE: - * AGAINST [141] is "rallied against X", not any "against" of the subtree
    assert not [r for r in lex.rules_for("mobilize") if r.words == ("against",)]
    (r,) = find(lex, "rally", prep="against")
    assert r.code == "141"
    # OVERSEE_MANAGE: - * TO [030] no longer matches "ordered X to ..." as a word
    assert not [r for r in lex.rules_for("order") if r.code == "030" and "to" in r.words]


def test_split_spelling_of_a_synset_member_keeps_no_loose_head(lex: VerbLexicon) -> None:
    # &CEASEFIRE lists CEASEFIRE, CEASE-FIRE and CEASE_FIRE: "fire" alone is no ceasefire
    (r,) = [r for r in lex.rules_for("arrange") if r.object and "ceasefire" in r.object]
    assert "fire" not in r.object
    assert r.code == "0356"
    (r,) = [r for r in lex.rules_for("withdraw") if r.object and "peacekeeper" in r.object]
    assert "keeper" not in r.object  # PEACE-KEEPER next to PEACEKEEPER
