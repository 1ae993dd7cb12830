"""Bring your own dictionaries: PETRARCH verb files at run time, profiles, checking."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tidings.cli.dictionaries_cmd import dictionaries
from tidings.dictionaries._petrarch.verbs import (
    RuleLemmatizer,
    is_tabari_style,
    parse_verb_file,
    parse_verb_text,
    read_verb_source,
)
from tidings.dictionaries.actors import (
    default_actor_files,
    default_agent_files,
    default_discard_files,
)
from tidings.dictionaries.profile import (
    DictionarySet,
    check_dictionary,
    classify,
    load_dictionaries,
    load_dictionary_set,
    load_verb_lexicon_any,
)
from tidings.dictionaries.verbs import default_verb_files
from tidings.errors import DictionaryError

REPO = Path(__file__).resolve().parents[1]
SUITE = REPO.parent / "shared" / "data" / "gold" / "petrarch-unit-tests"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def by_lemma(rules, lemma: str) -> list:
    return [r for r in rules if r.lemma == lemma]


# ----------------------------------------------------------------------------- verb files

PETRARCH2_VERBS = """\
# a PETRARCH-2 style file
&WEAPON
+GUN
+RIFLE_

####### VERB PATTERNS #######

--- PRAISE [051] ---
PRAISE
HAIL [052]
- * (FOR {FINANCIAL AID}) [051]
- * (WITH &WEAPON) [194]

--- MEET [040] ---
+MEET_WITH
- * (BY TELEPHONE) [041:041]
"""


def test_petrarch2_file_converts_like_the_packaged_rules(tmp_path: Path) -> None:
    path = write(tmp_path / "my.verbs.txt", PETRARCH2_VERBS)
    rules, issues = parse_verb_file(path)
    assert [i for i in issues if i.level == "error"] == []
    praise = by_lemma(rules, "praise")
    assert {r.code for r in praise} == {"051", "194"}
    (aid,) = [r for r in praise if "aid" in r.words]
    assert set(aid.words) == {"aid", "financial", "for"} and aid.prep is None
    (gun,) = [r for r in praise if r.code == "194"]
    assert "gun|rifle" in gun.words
    assert by_lemma(rules, "hail")[0].code == "052"  # the verb's own code
    (tel,) = [r for r in by_lemma(rules, "meet") if "telephone" in r.words]
    assert tel.code == "041" and tel.prep == "with"  # +MEET_WITH: prep of the entry
    assert all(r.src.startswith("my.verbs.txt:") for r in rules)
    source, _ = read_verb_source(path)
    assert not is_tabari_style(source)


def test_bad_verb_file_never_raises_and_names_lines(tmp_path: Path) -> None:
    text = (
        "--- ATTACK [190] ---\n"  # 1
        "ATTACK\n"  # 2
        "- * {UNBALANCED [191]\n"  # 3
        "- * BOMBS [19x9]\n"  # 4
        "--- BROKEN HEADER ---\n"  # 5
        "PRAISE\n"  # 6
        "- * WORDS [051]\n"  # 7
        "--- KILL [abc] ---\n"  # 8
        "KILL\n"  # 9
        "- * (WITH &NOSUCH) [194]\n"  # 10
        "- * &NOSUCH [194]\n"  # 11
        "<!-- never closed\n"  # 12
    )
    path = write(tmp_path / "bad.verbs.txt", text)
    rules, issues = parse_verb_file(path)
    errors = {(i.line, i.level) for i in issues}
    messages = {i.line: i.message for i in issues}
    assert all(i.file == "bad.verbs.txt" for i in issues)
    assert (3, "error") in errors and "unbalanced" in messages[3]
    assert (4, "error") in errors and "unreadable code [19x9]" in messages[4]
    assert (5, "error") in errors and "block header" in messages[5]
    assert (9, "error") in errors and "[abc]" in messages[9]
    assert (12, "error") in errors and "<!--" in messages[12]
    assert "praise" not in {r.lemma for r in rules}  # its block was skipped
    assert [r.code for r in by_lemma(rules, "attack")] == ["190"]


def test_unreadable_file_is_an_issue_not_a_crash(tmp_path: Path) -> None:
    rules, issues = parse_verb_file(tmp_path / "missing.verbs.txt")
    assert rules == [] and issues[0].line == 0 and "cannot read" in issues[0].message
    path = tmp_path / "latin1.verbs.txt"
    path.write_bytes(b"--- CAF\xe9 [040] ---\nMEET\n")
    rules, issues = parse_verb_file(path)
    assert [r.code for r in rules] == ["040"]
    assert issues[0].level == "warning" and issues[0].line == 1


VALIDATE_STYLE = """\
<!-- PETRARCH VALIDATION SUITE VERBS DICTIONARY -->
<!-- a comment
     over two lines -->
&TIETYPES
+MILITARY
+ECONOMIC

--- ABANDON  [345]  ---
ABANDON    # pas 15 Jul 2003
- * NEW_&TIETYPES_RELATIONS [903] #  -PAS 12.01.12
- * DIPLOMATIC TIES [901]

&PREPOSIT1_
+AGAINST
+ON

&ACCORDSYN  # embedded synsets
+&TIETYPES
+CLOSER

--- ACT [100] ---
ACT
- * &PREPOSIT1 RESOLUTION  [102]
- INCHING &ACCORDSYN *  [083]

--- CALLED  [010] ---
CALLED
- *_UPON  [097]
- * FOR  [096]

--- LEAVE  [012] ---
LEAVE

--- LEFT  [032:033]  ---
LEFT

--- BARGAIN  [031]  ---
BARGAIN
- * ASYLUM  [174L]

--- EXTRADITE  [174]  ---
EXTRADITE
- + WAS_ * TO_ ^ FROM $  [174]
- % * [030:030]
"""


def test_validation_suite_syntax(tmp_path: Path) -> None:
    path = write(tmp_path / "PETR.Validate.verbs.txt", VALIDATE_STYLE)
    source, read_issues = read_verb_source(path)
    assert read_issues == []
    assert set(source.synsets) == {"&TIETYPES", "&PREPOSIT1", "&ACCORDSYN"}
    assert is_tabari_style(source)
    rules, issues = parse_verb_file(path)
    assert [i for i in issues if i.level == "error"] == []
    abandon = {r.code: r for r in by_lemma(rules, "abandon") if r.object}  # object rules
    assert "economic|military" in abandon["903"].words and "new" in abandon["903"].words
    assert abandon["903"].object == ("relation", "relations")
    assert abandon["901"].object == ("tie", "ties") and abandon["901"].words == ("diplomatic",)
    # each TABARI object rule is followed by one asking for the noun among the words
    loose = [r for r in by_lemma(rules, "abandon") if r.code == "901"]
    assert [(r.object, r.words) for r in loose] == [
        (("tie", "ties"), ("diplomatic",)),
        (None, ("diplomatic", "tie|ties")),
    ]
    act = {r.code: r for r in by_lemma(rules, "act")}
    assert "against|on" in act["102"].words and "resolution" in act["102"].words
    assert any("economic" in w.split("|") for w in act["083"].words)  # +&TIETYPES expanded
    called = {r.code: r for r in by_lemma(rules, "call")}
    assert called["097"].prep == "upon" and called["096"].prep == "for"
    assert all("called" in r.words for r in called.values())  # the form CALLED only
    leave = {r.code: r for r in by_lemma(rules, "leave")}
    assert leave["012"].words == () and leave["032"].words == ("left",)
    assert by_lemma(rules, "bargain")[-1].code == "174L"
    (extradite,) = [r for r in by_lemma(rules, "extradite") if r.passive]
    assert "from" in extradite.words
    levels = {i.line: i.level for i in issues}
    assert len(VALIDATE_STYLE.splitlines()) not in levels  # the % pattern is read
    (mutual,) = [r for r in by_lemma(rules, "extradite") if r.mutual]
    assert (mutual.code, mutual.reverse) == ("030", "030")
    assert any("174L" in i.message and i.level == "warning" for i in issues)


def test_lemmatize_callable_and_fallback(tmp_path: Path) -> None:
    path = write(tmp_path / "x.verbs.txt", "--- ARRIVE [032] ---\nARRIVED\nSTOPPED [190]\n")
    rules, _ = parse_verb_file(path)
    assert {r.lemma for r in rules} == {"arrive", "stop"}
    seen: list[tuple[str, str]] = []

    def upper_lemma(word: str, pos: str) -> str:
        seen.append((word, pos))
        return "zz" + word

    rules, _ = parse_verb_file(path, upper_lemma)
    assert {r.lemma for r in rules} == {"zzarrived", "zzstopped"}
    assert ("arrived", "verb") in seen


@pytest.mark.parametrize(
    ("word", "pos", "lemma"),
    [
        ("left", "verb", "leave"),
        ("said", "verb", "say"),
        ("arrived", "verb", "arrive"),
        ("stopped", "verb", "stop"),
        ("denies", "verb", "deny"),
        ("meet", "verb", "meet"),
        ("ties", "noun", "tie"),
        ("relations", "noun", "relation"),
        ("policies", "noun", "policy"),
        ("women", "noun", "woman"),
        ("news", "noun", "news"),
    ],
)
def test_rule_lemmatizer(word: str, pos: str, lemma: str) -> None:
    assert RuleLemmatizer().lemma(word, pos) == lemma


def test_rule_lemmatizer_nouns_and_pieces() -> None:
    lem = RuleLemmatizer()
    assert lem.in_index("ties", "noun") and not lem.in_index("diplomatic", "noun")
    assert not lem.in_index("quickly", "noun") and not lem.in_index("with", "noun")
    assert lem.pieces("RE-ELECT") == ("re", "elect")
    assert lem.pieces("DON'T") == ("do", "n't")


# ----------------------------------------------------------------------------- sets


def make_dir(tmp_path: Path) -> Path:
    d = tmp_path / "dicts"
    write(d / "my.actors.txt", "GONDOR [GON]\n+MINAS_TIRITH\n")
    write(d / "My.Agents.txt", "STEWARD [~GOV]\n")
    write(d / "discards.jsonl", json.dumps({"names": ["hobbit day"], "scope": "story"}) + "\n")
    write(d / "CAMEO.fiction.txt", "--- HAIL [051] ---\nHAIL\n")
    write(d / "README.md", "not a dictionary\n")
    write(d / "issues.txt", "SOMETHING [X]\n")
    return d


def test_directory_is_classified_by_name_in_overlay_mode(tmp_path: Path) -> None:
    d = make_dir(tmp_path)
    ds = load_dictionary_set(d)
    assert ds.mode == "overlay"
    assert [p.name for p in ds.actors] == ["my.actors.txt"]
    assert [p.name for p in ds.agents] == ["My.Agents.txt"]
    assert [p.name for p in ds.discards] == ["discards.jsonl"]
    assert [p.name for p in ds.verbs] == ["CAMEO.fiction.txt"]
    assert {Path(n.file).name for n in ds.notes} == {"README.md", "issues.txt"}
    assert all(n.level == "note" for n in ds.notes)
    # overlay: packaged files first, the user's last (so they win)
    assert ds.actor_files() == [*default_actor_files(), d / "my.actors.txt"]
    assert ds.verb_files() == [*default_verb_files(), d / "CAMEO.fiction.txt"]
    # a JSONL file whose name says nothing is classified by its records
    record = {"id": "ROHAN", "type": "country", "names": ["rohan"], "codes": [{"code": "ROH"}]}
    write(d / "countries.jsonl", json.dumps(record) + "\n")
    write(d / "topics.jsonl", json.dumps({"id": "x", "names": ["y"], "category": "z"}) + "\n")
    ds = load_dictionary_set(d)
    assert [p.name for p in ds.actors] == ["countries.jsonl", "my.actors.txt"]
    assert "topics.jsonl" in {Path(n.file).name for n in ds.notes}


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Phoenix.Countries.actors.txt", "actors"),
        ("Phoenix.agents.txt", "agents"),
        ("PETR.Validate.discards.txt", "discards"),
        ("CAMEO.2.0.txt", "verbs"),
        ("my_verbs.jsonl", "verbs"),
        ("notes.txt", None),
    ],
)
def test_classify(name: str, kind: str | None) -> None:
    assert classify(Path(name)) == kind


def test_profile_replace_mode_replaces_only_the_kinds_it_lists(tmp_path: Path) -> None:
    d = make_dir(tmp_path)
    profile = write(
        tmp_path / "suite.toml",
        'mode = "replace"\nactors = ["dicts/my.actors.txt"]\nverbs = ["dicts/CAMEO.fiction.txt"]\n'
        "discards = []\n",
    )
    ds = load_dictionary_set(profile)
    assert ds.mode == "replace" and ds.given == {"actors", "verbs", "discards"}
    assert ds.actor_files() == [(d / "my.actors.txt").resolve()]
    assert ds.verb_files() == [(d / "CAMEO.fiction.txt").resolve()]
    assert ds.discard_files() == []  # listed empty: no discards at all
    assert ds.agent_files() == default_agent_files()  # not listed: ours
    overlay = DictionarySet(discards=(d / "discards.jsonl",), mode="overlay")
    assert overlay.discard_files() == [*default_discard_files(), d / "discards.jsonl"]


def test_directory_with_a_profile_reads_the_profile(tmp_path: Path) -> None:
    d = make_dir(tmp_path)
    write(d / "dictionaries.toml", 'mode = "replace"\nverbs = ["CAMEO.fiction.txt"]\n')
    ds = load_dictionary_set(d)
    assert ds.mode == "replace" and ds.verb_files() == [(d / "CAMEO.fiction.txt").resolve()]
    assert ds.actor_files() == default_actor_files()


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('mode = "replace"\nactors = ["nope.txt"]\n', 2, "file not found: nope.txt"),
        ('mode = "sideways"\n', 1, "mode must be"),
        ('actors = "a.txt\n', 1, "invalid TOML"),
        ("verbs = [1, 2]\n", 1, "list of file paths"),
    ],
)
def test_bad_profile_is_a_dictionary_error_with_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    profile = write(tmp_path / "p.toml", text)
    with pytest.raises(DictionaryError, match=rf"p\.toml:{line}: .*{message}"):
        load_dictionary_set(profile)
    issues = check_dictionary(profile)
    assert any(i.line == line and message in i.message and i.level == "error" for i in issues)


def test_unknown_profile_key_is_a_warning(tmp_path: Path) -> None:
    write(tmp_path / "v.verbs.txt", "--- HAIL [051] ---\nHAIL\n")
    profile = write(tmp_path / "p.toml", 'verbs = ["v.verbs.txt"]\nactor = ["x"]\n')
    ds = load_dictionary_set(profile)
    assert [(n.line, n.level) for n in ds.notes] == [(2, "warning")]


# ----------------------------------------------------------------------------- loading


def test_verb_lexicon_any_mixes_formats_and_overlays_per_lemma(tmp_path: Path) -> None:
    jsonl = write(
        tmp_path / "core.jsonl",
        "\n".join(
            json.dumps({"id": i, "lemma": lemma, "code": code})
            for i, lemma, code in (("m", "meet", "040"), ("p", "praise", "051"))
        )
        + "\n",
    )
    petrarch = write(tmp_path / "mine.verbs.txt", "--- MEET [036] ---\nMEET\n- * TALKS [046]\n")
    lex = load_verb_lexicon_any([jsonl, petrarch])
    assert {r.code for r in lex.rules_for("meet")} == {"036", "046"}  # ours replaced
    assert [r.code for r in lex.rules_for("praise")] == ["051"]  # kept
    lex = load_verb_lexicon_any([petrarch, jsonl])
    assert [r.code for r in lex.rules_for("meet")] == ["040"]


def test_verb_lexicon_any_reports_or_raises(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.verbs.txt", "--- MEET [036] ---\nMEET\n- * {TALKS [046]\n")
    with pytest.raises(DictionaryError, match=r"bad\.verbs\.txt:3: .*unbalanced"):
        load_verb_lexicon_any([bad])
    seen = []
    lex = load_verb_lexicon_any([bad], on_issue=seen.append)
    assert [r.code for r in lex.rules_for("meet")] == ["036"]
    assert [(i.line, i.level) for i in seen] == [(3, "error")]
    with pytest.raises(DictionaryError, match="not found"):
        load_verb_lexicon_any([tmp_path / "missing.verbs.txt"])


def test_load_dictionaries_collects_issues_and_promotes_countries(tmp_path: Path) -> None:
    d = tmp_path / "d"
    write(d / "fiction.actors.txt", "GONDOR [GON]\nISILDUR [+++]\n")
    write(d / "fiction.agents.txt", "STEWARD [~GOV]\n")
    write(d / "fiction.verbs.txt", "--- HAIL [051] ---\nHAIL\n")
    write(
        d / "p.toml",
        'mode = "replace"\nactors = ["fiction.actors.txt"]\n'
        'agents = ["fiction.agents.txt"]\nverbs = ["fiction.verbs.txt"]\ndiscards = []\n',
    )
    loaded = load_dictionaries(load_dictionary_set(d / "p.toml"))
    (gondor,) = loaded.actors
    assert gondor.type == "country" and gondor.roles[0].code == "GON"
    assert [a.code for a in loaded.agents] == ["GOV"]
    assert loaded.discards == []
    assert [r.code for r in loaded.verbs.rules_for("hail")] == ["051"]
    assert len(loaded.verbs) == 1
    assert [(Path(i.file).name, i.line) for i in loaded.errors][:1] == [("fiction.actors.txt", 2)]


# ----------------------------------------------------------------------------- checking


def test_check_jsonl_reports_every_bad_line(tmp_path: Path) -> None:
    good = {"id": "GONDOR", "type": "country", "names": ["gondor"], "codes": [{"code": "GON"}]}
    lines = [
        json.dumps(good),
        "{not json",
        json.dumps(good | {"type": "planet"}),
        "",
        json.dumps(good | {"codes": [{"code": "GON", "start": "1995-13-01"}]}),
        json.dumps(good),
    ]
    path = write(tmp_path / "fiction.actors.jsonl", "\n".join(lines) + "\n")
    issues = check_dictionary(path)
    assert [(i.line, i.level) for i in issues] == [
        (2, "error"),
        (3, "error"),
        (5, "error"),
        (6, "warning"),
    ]
    assert "invalid JSON" in issues[0].message and "'type'" in issues[1].message
    assert "ISO date" in issues[2].message and "duplicate id 'GONDOR'" in issues[3].message
    assert all(i.file == str(path) for i in issues)


def test_check_petrarch_files_and_sniffing(tmp_path: Path) -> None:
    agents = write(tmp_path / "a.txt", "STEWARD [~GOV]\nKING\nQUEEN [~GOV]\n")
    issues = check_dictionary(agents)  # no kind in the name: sniffed from "[~"
    assert [(i.line, i.level) for i in issues] == [(2, "error")]
    assert issues[0].file == str(agents)
    verbs = write(tmp_path / "b.txt", "--- HAIL [051] ---\nHAIL\n- * {X [052]\n")
    assert [(i.line, i.level) for i in check_dictionary(verbs)] == [(3, "error")]
    rules = write(tmp_path / "c.jsonl", json.dumps({"id": "x", "lemma": "hail", "code": ""}) + "\n")
    (issue,) = check_dictionary(rules)
    assert issue.line == 1 and "'code'" in issue.message


def test_check_directory_and_missing_path(tmp_path: Path) -> None:
    d = make_dir(tmp_path)
    write(d / "broken.verbs.txt", "--- HAIL [051] ---\nHAIL\n- * {X [052]\n")
    issues = check_dictionary(d)
    assert any(Path(i.file).name == "broken.verbs.txt" and i.line == 3 for i in issues)
    assert any(Path(i.file).name == "README.md" and i.level == "note" for i in issues)
    (missing,) = check_dictionary(tmp_path / "nope")
    assert missing.level == "error" and "no such file" in missing.message


def test_cli_check_exit_codes_and_lines(tmp_path: Path) -> None:
    runner = CliRunner()
    bad = write(tmp_path / "bad.agents.txt", "STEWARD [~GOV]\nKING\n")
    result = runner.invoke(dictionaries, ["check", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:2: error: agent has no [code]; skipped" in result.output
    assert "FAILED: 1 error, 0 warnings in 1 file" in result.output
    ok = write(tmp_path / "ok.agents.txt", "STEWARD [GOV]\n")  # warning only: no '~'
    result = runner.invoke(dictionaries, ["check", str(ok)])
    assert result.exit_code == 0, result.output
    assert f"{ok}:1: warning:" in result.output and "OK: 0 errors, 1 warning" in result.output
    result = runner.invoke(dictionaries, ["check", "-q", str(ok)])
    assert result.exit_code == 0 and f"{ok}:1: warning:" not in result.output


def test_cli_files_lists_load_order(tmp_path: Path) -> None:
    d = make_dir(tmp_path)
    result = CliRunner().invoke(dictionaries, ["files", str(d)])
    assert result.exit_code == 0, result.output
    assert "mode: overlay" in result.output
    assert f"{d / 'my.actors.txt'}  (yours)" in result.output


# ----------------------------------------------------------------------------- shared data


@pytest.mark.skipif(not SUITE.is_dir(), reason="../shared is absent")
def test_petrarch_validation_verbs_are_read_without_crashing() -> None:
    rules, issues = parse_verb_file(SUITE / "PETR.Validate.verbs.txt")
    assert len(rules) > 500
    errors = {i.line for i in issues if i.level == "error"}
    # the suite's deliberately broken codes: [def], [abc], [+++], [025?], [xxy], [###]
    assert {155, 156, 234, 976, 989, 992, 993, 1052} <= errors
    codes = {r.code for r in rules}
    assert {"1717", "174K", "903", "064"} <= codes


def test_parse_verb_text_matches_parse_verb_file(tmp_path: Path) -> None:
    path = write(tmp_path / "v.verbs.txt", PETRARCH2_VERBS)
    assert parse_verb_text(path, PETRARCH2_VERBS) == parse_verb_file(path)


@pytest.mark.slow
def test_rules_are_indexed_under_the_models_lemmas_of_inflections(tmp_path: Path, pipeline) -> None:
    from tidings.dictionaries._petrarch.verbs import SpacyLemmatizer

    path = write(tmp_path / "x.verbs.txt", "--- EXCLUDE [1721] ---\n+CORDON_OFF {+CORDONED_OFF}\n")
    lem = SpacyLemmatizer(pipeline.nlp)
    in_context = pipeline.nlp("They cordoned it.")[1].lemma_.lower()
    rules, _ = parse_verb_file(path, lem)
    assert {"cordon", in_context} <= {r.lemma for r in rules}
    assert all(r.code == "1721" for r in rules)
    plain, _ = parse_verb_file(path, lem, inflections=False)
    assert {r.lemma for r in plain} == {"cordon"}


def test_reverse_direction_code_is_kept_on_the_rule(tmp_path: Path) -> None:
    text = "--- VISIT [042:043] ---\nVISIT\n- * (BY TRAIN) [032:033]\n- * BRIEFLY [042]\n"
    rules, issues = parse_verb_file(write(tmp_path / "v.verbs.txt", text))
    assert [i for i in issues if i.level == "error"] == []
    reverse = {(r.code, r.reverse) for r in by_lemma(rules, "visit")}
    assert reverse == {("042", "043"), ("032", "033"), ("042", None)}


def test_compound_subject_marker_gives_a_mutual_rule(tmp_path: Path) -> None:
    text = "--- DELAY [120] ---\nDELAY\n- % HAVE * [191]\n- * % [191]\n"
    rules, issues = parse_verb_file(write(tmp_path / "v.verbs.txt", text))
    mutual = [r for r in by_lemma(rules, "delay") if r.mutual]
    assert [(r.code, r.words) for r in mutual] == [("191", ("have",))]
    assert {r.code for r in by_lemma(rules, "delay") if not r.mutual} == {"120"}
    assert [i.line for i in issues if "%" in i.message] == [4]  # % after the verb: skipped
