"""The parser pre-filter (issue 6): skip the expensive spaCy components for
sentences that cannot yield an event, without changing anything else."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tidings.model import Article, Paragraph
from tidings.nlp import surface_forms
from tidings.pipeline import Pipeline, PipelineConfig


def _article(*paragraphs: str) -> Article:
    return Article(
        doc_id="prefilter-test",
        title="",
        date=dt.date(2016, 12, 21),
        source="test",
        paragraphs=tuple(Paragraph(text=t) for t in paragraphs),
    )


def _key(coded):
    return sorted(
        (
            e.sentence_index,
            e.code,
            e.source and e.source.code,
            e.target and e.target.code,
            e.modality,
            e.date,
        )
        for e in coded.events
    )


@pytest.fixture(scope="module")
def filtered(pipeline):
    return Pipeline(
        PipelineConfig(prefilter=True), resolver=pipeline.resolver, coder=pipeline.coder
    )


@pytest.fixture(scope="module")
def attack_only(pipeline):
    """A pipeline whose dictionary has only the verb rules of 'attack'."""
    from tidings.dictionaries.verbs import VerbLexicon

    rules = [r for r in pipeline.coder.lexicon.rules if r.lemma == "attack" and r.pos == "VERB"]
    assert rules
    return Pipeline(
        PipelineConfig(prefilter=True), resolver=pipeline.resolver, lexicon=VerbLexicon(rules)
    )


def test_surface_forms_cover_inflections(pipeline):
    forms = surface_forms(
        pipeline.nlp, {"VERB": frozenset({"meet", "stop", "attack"}), "NOUN": frozenset({"talk"})}
    )
    for word in ("meet", "met", "meets", "meeting", "stopped", "stopping", "attacked", "talks"):
        assert word in forms, word
    assert "weather" not in forms


def test_seed_article_codes_the_same_with_the_filter(pipeline, filtered, seed_coded):
    from tests.conftest import SEED
    from tidings.ingest import iter_articles

    (article,) = list(iter_articles([str(SEED)]))
    coded = filtered.code_article(article)
    assert _key(coded) == _key(seed_coded)
    assert [s.text for s in coded.sentences] == [s.text for s in seed_coded.sentences]


def test_sentence_without_actor_or_trigger_is_not_parsed_but_kept(pipeline, filtered):
    article = _article(
        "The weather was cold and grey. Russia attacked Ukraine on Monday. "
        "Rain fell all day. Turkey met Iran in Moscow."
    )
    before = filtered.filter_stats.parsed_sentences, filtered.filter_stats.sentences
    coded = filtered.code_article(article)
    plain = pipeline.code_article(article)
    parsed = filtered.filter_stats.parsed_sentences - before[0]
    seen = filtered.filter_stats.sentences - before[1]
    assert seen == 4
    assert parsed == 2
    # Every sentence is still stored, in order, with the same numbering.
    assert [s.text for s in coded.sentences] == [s.text for s in plain.sentences]
    assert [s.index for s in coded.sentences] == [0, 1, 2, 3]
    assert _key(coded) == _key(plain)
    codes = {(e.source.code, e.code[:2], e.target.code) for e in coded.events}
    assert ("RUS", "19", "UKR") in codes or ("RUS", "18", "UKR") in codes
    assert any(e.code.startswith("03") or e.code.startswith("04") for e in coded.events)


def test_selective_dictionary_skips_sentences_without_its_verbs(attack_only):
    article = _article(
        "Turkey met Iran in Moscow. Russia attacked Ukraine on Monday. Germany praised France."
    )
    stats = attack_only.filter_stats
    before = stats.parsed_sentences, stats.sentences, stats.entity_tokens
    coded = attack_only.code_article(article)
    assert stats.sentences - before[1] == 3
    assert stats.parsed_sentences - before[0] == 1
    assert stats.entity_tokens > before[2]
    assert [(e.source.code, e.target.code, e.sentence_index) for e in coded.events] == [
        ("RUS", "UKR", 1)
    ]
    assert len(coded.sentences) == 3


def test_entities_only_where_a_trigger_survived_tagging(attack_only):
    # "attacks" as a plural noun passes the word-form test but is no verb
    # trigger after tagging, and "attack" has no noun rule here: no entities.
    article = _article("The attacks on Ukraine shocked Germany.")
    stats = attack_only.filter_stats
    before = stats.parsed_tokens, stats.entity_tokens
    attack_only.code_article(article)
    assert stats.parsed_tokens > before[0]
    assert stats.entity_tokens == before[1]


def test_cli_code_prefilter(tmp_path, seed_coded):
    from click.testing import CliRunner

    from tests.conftest import SEED
    from tidings.cli import cli

    result = CliRunner().invoke(
        cli,
        # every event, not only the default view: the same as the unfiltered pipeline's
        [
            "code",
            "--prefilter",
            "--no-store",
            "--format",
            "jsonl",
            "--min-confidence",
            "0",
            "--all-modalities",
            *[str(SEED)],
        ],
    )
    assert result.exit_code == 0, result.output
    events = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert len(events) == len(seed_coded.events)


def test_entities_only_for_names_no_dictionary_covers(attack_only):
    stats = attack_only.filter_stats
    before = stats.entity_tokens
    attack_only.code_article(_article("Russia attacked Ukraine."))
    assert stats.entity_tokens == before  # both names are dictionary actors
    attack_only.code_article(_article("Kowalczyk attacked Ukraine."))
    assert stats.entity_tokens > before  # an unknown name: is it a person?


def test_trigger_word_counts_only_when_its_rule_can_match(pipeline):
    """'be' codes only with its context words ("be determined"): "is" alone is no trigger."""
    from tidings.dictionaries.verbs import VerbLexicon

    rules = [r for r in pipeline.coder.lexicon.rules if r.lemma == "be"]
    assert rules and all(r.words or r.object or r.prep or r.particle for r in rules)
    only_be = Pipeline(
        PipelineConfig(prefilter=True), resolver=pipeline.resolver, lexicon=VerbLexicon(rules)
    )
    stats = only_be.filter_stats
    only_be.code_article(_article("Russia is a large country. Turkey was determined to act."))
    assert (stats.sentences, stats.parsed_sentences) == (2, 1)


def _sentences(text: str, starts: list[int]):
    """A tokenised doc split into sentences at the given token indices."""
    import spacy

    doc = spacy.blank("en")(text)
    for tok in doc:
        tok.is_sent_start = tok.i in starts
    return list(doc.sents)


def test_weak_segmenter_boundaries_keep_both_halves_together():
    from tidings.nlp._filtered import _across_weak_boundaries

    # "RELATED:" ends without final punctuation: the parser reads one sentence.
    sents = _sentences("RELATED: Obama signed a deal with Iran.", [0, 2])
    assert _across_weak_boundaries(sents, [False, True]) == [True, True]
    # A one-word sentence ("No.") is weak too.
    sents = _sentences("No. Barr told Congress that he agreed.", [0, 2])
    assert _across_weak_boundaries(sents, [False, True]) == [True, True]
    # A bracket opening the next sentence.
    sents = _sentences("He said that. [Iran] can not win.", [0, 4])
    assert _across_weak_boundaries(sents, [True, False]) == [True, True]
    # A firm boundary: final punctuation after two words, then a capital.
    sents = _sentences("Turkey met Iran. Germany praised France. It rained.", [0, 4, 8])
    assert _across_weak_boundaries(sents, [False, True, False]) == [False, True, False]


def test_first_word_surname_counts_as_a_name(pipeline, filtered):
    """'Johnson added ...': a capitalised first word that is no common word may be a
    surname the article introduced before, so the sentence is parsed."""
    stats = filtered.filter_stats
    before = stats.parsed_sentences
    filtered.code_article(_article("Kowalczyk added that the talks were useful."))
    assert stats.parsed_sentences == before + 1
    filtered.code_article(_article("Many added that the talks were useful."))
    assert stats.parsed_sentences == before + 1  # a common word, no name, no pronoun


def test_entities_only_on_the_sentences_that_need_them(pipeline):
    """Entities are recognised per run of needing sentences and written back at
    the right offsets; the other sentence of the piece gets none."""
    from tidings.nlp import parse_filtered

    class OnlyMoscow:
        def select(self, sentences):
            return [True] * len(sentences)

        def needs_entities(self, sentence):
            return "Moscow" in sentence.text

    text = "Angela Merkel spoke in Berlin. Sergei Lavrov arrived in Moscow on Tuesday."
    docs, stats = parse_filtered(pipeline.nlp, [text], OnlyMoscow(), batch_size=8)
    (doc,) = docs
    assert doc.text == text
    assert stats.entity_tokens == len(list(doc.sents)[1])
    found = {(e.text, e.label_) for e in doc.ents}
    assert ("Moscow", "GPE") in found
    assert all(e.start >= list(doc.sents)[1].start for e in doc.ents)
    full = pipeline.nlp(text)
    assert found <= {(e.text, e.label_) for e in full.ents}


def test_date_words_and_years_ask_for_entities():
    import spacy

    from tidings.time import may_mention_date

    nlp = spacy.blank("en")
    assert may_mention_date(nlp("They met in 2014."))
    assert may_mention_date(nlp("They met last week."))
    assert may_mention_date(nlp("The update came at 2:50 p.m."))
    assert not may_mention_date(nlp("They paid $151 billion for 38,000 tons."))


def test_filtered_paragraph_keeps_its_exact_text_and_sentences(pipeline):
    """Parsed pieces are written back into the paragraph's own doc: its text (odd
    spacing included) is unchanged, kept sentences carry the parse, skipped ones
    a flat placeholder tree."""
    from tidings.nlp import parse_filtered

    class KeepSecond:
        def select(self, sentences):
            return [i == 1 for i in range(len(sentences))]

        def needs_entities(self, sentence):
            return True

    text = "It rained all day.  Russia attacked Ukraine on Monday.  The end came [ later]."
    docs, stats = parse_filtered(pipeline.nlp, [text], KeepSecond(), batch_size=8)
    (doc,) = docs
    assert doc.text == text
    sents = [s for s in doc.sents if s.text.strip()]
    assert [s.text.strip() for s in sents][:2] == [
        "It rained all day.",
        "Russia attacked Ukraine on Monday.",
    ]
    kept = sents[1]
    assert kept.root.lemma_ == "attack" and kept.root.pos_ == "VERB"
    assert ("Ukraine", "GPE") in {(e.text, e.label_) for e in doc.ents}
    skipped = [t for s in (sents[0], sents[-1]) for t in s if t.i != s.start]
    assert skipped and all(t.dep_ == "dep" and t.pos_ == "" for t in skipped)
    assert stats.parsed_sentences == 1


def test_only_pronouns_the_actor_stage_resolves_count_as_actors(filtered):
    """'they' may stand for an actor named before; 'we' and 'I' never become actors."""
    stats = filtered.filter_stats
    before = stats.parsed_sentences
    filtered.code_article(_article("So we said nothing at all."))
    assert stats.parsed_sentences == before
    filtered.code_article(_article("So they said nothing."))
    assert stats.parsed_sentences == before + 1
