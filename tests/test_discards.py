"""PETRARCH discard semantics: a discard phrase stops its sentence, a "+" phrase its story."""

from __future__ import annotations

import pytest

from tidings.model import Article, Paragraph
from tidings.pipeline import Pipeline, PipelineConfig

DISCARDS = "MARATHON\n+CRICKET MATCH\n"


@pytest.fixture(scope="module")
def discarding(pipeline, tmp_path_factory):
    from tidings.actors import ActorResolver
    from tidings.dictionaries._petrarch import parse_discard_text

    entries, issues = parse_discard_text("x.discards.txt", DISCARDS)
    assert issues == []
    assert [(e.names, e.scope) for e in entries] == [
        (("marathon",), "sentence"),
        (("cricket match",), "story"),
    ]
    old = pipeline.resolver
    resolver = ActorResolver(old._entries, [], entries)

    def build(on: bool) -> Pipeline:
        return Pipeline(
            PipelineConfig(petrarch_discards=on), resolver=resolver, coder=pipeline.coder
        )

    return build(True), build(False)


def _codes(p: Pipeline, *paragraphs: str) -> list[str]:
    article = Article(doc_id="d", title="", paragraphs=tuple(Paragraph(t) for t in paragraphs))
    return [e.code for e in p.code_article(article).events]


ATTACK = "Russian troops attacked Ukrainian positions on Monday."


def test_without_discard_phrase_events_are_coded(discarding):
    on, _ = discarding
    assert _codes(on, ATTACK)


def test_sentence_discard_drops_only_its_sentence(discarding):
    on, off = discarding
    marathon = "Russian troops attacked Ukrainian runners during the marathon."
    assert _codes(off, marathon)
    assert _codes(on, marathon) == []
    assert _codes(on, marathon + " " + ATTACK) == _codes(on, ATTACK)


def test_story_discard_drops_the_whole_article(discarding):
    on, off = discarding
    cricket = "The cricket match ended in a draw."
    assert _codes(off, ATTACK, cricket)
    assert _codes(on, ATTACK, cricket) == []


def test_discard_words_match_case_insensitively_and_whole(discarding):
    on, _ = discarding
    assert _codes(on, ATTACK.replace("Monday", "the MARATHON day")) == []
    # "marathons" is another word: PETRARCH-2 matches whole words
    assert _codes(on, ATTACK.replace("on Monday", "near the marathons"))


def test_plain_string_discards_have_sentence_scope(pipeline):
    from tidings.actors import ActorResolver

    resolver = ActorResolver([], [], ["typhoon"])
    doc = pipeline.nlp("A Typhoon hit the coast.")
    assert resolver.discarded(list(doc)) == {"sentence"}
    assert resolver.discarded(list(pipeline.nlp("Rain hit the coast."))) == set()


def test_petrarch_discard_files_switch_the_semantics_on(tmp_path):
    """--dictionaries with a PETRARCH/TABARI discard file: PETRARCH's meaning applies;
    Tidings-format (JSONL) discard files keep the lenient default."""
    from tidings.dictionaries.profile import load_dictionaries, load_dictionary_set

    petrarch = tmp_path / "p"
    petrarch.mkdir()
    (petrarch / "my.discards.txt").write_text(DISCARDS, encoding="utf-8")
    jsonl = tmp_path / "j"
    jsonl.mkdir()
    (jsonl / "my.discards.jsonl").write_text('{"names": ["marathon"]}\n', encoding="utf-8")
    assert load_dictionaries(load_dictionary_set(petrarch)).petrarch_discards
    assert not load_dictionaries(load_dictionary_set(jsonl)).petrarch_discards
    # Recognised as Tidings records the way the loader reads them, whatever the suffix.
    json = tmp_path / "json"
    json.mkdir()
    (json / "my.discards.json").write_text('{"names": ["marathon"]}\n', encoding="utf-8")
    assert load_dictionary_set(json).user_files("discards")
    assert not load_dictionaries(load_dictionary_set(json)).petrarch_discards
    pipe = Pipeline.with_dictionaries(petrarch)
    assert pipe.config.petrarch_discards
    assert _codes(pipe, ATTACK)
    assert _codes(pipe, "During the marathon, " + ATTACK[0].lower() + ATTACK[1:]) == []
