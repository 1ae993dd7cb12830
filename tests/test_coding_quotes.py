"""Quotes (issue #13): the first person of a quote is its speaker, a quote that runs
over several sentences or paragraphs keeps its speaker, and what a quote reports is
``reported``.  Made-up paragraphs, one behaviour per test."""

from __future__ import annotations

import datetime as dt

import pytest

from tidings.model import Article, Paragraph


@pytest.fixture(scope="module")
def code_paragraphs(pipeline):
    def run(*paragraphs: str):
        article = Article(
            doc_id="q",
            title="",
            paragraphs=tuple(Paragraph(p) for p in paragraphs),
            date=dt.date(2016, 12, 21),
        )
        return list(pipeline.code_article(article).events)

    return run


def _dyads(events, root):
    return {
        (e.source.country, e.target.country if e.target else None)
        for e in events
        if e.root_code == root
    }


def test_we_in_a_quote_is_the_speaker(code_paragraphs):
    events = code_paragraphs('"We condemn the violence in Cairo," Obama said on Friday.')
    assert ("USA", "EGY") in _dyads(events, "11")


def test_we_before_an_attribution_with_a_pronoun_speaker(code_paragraphs):
    events = code_paragraphs(
        "Egyptian Foreign Minister Sameh Shoukry spoke on Friday.",
        '"We reject American interference in our affairs," he told reporters.',
    )
    assert ("EGY", "USA") in _dyads(events, "12")


def test_a_later_quote_of_the_paragraph_keeps_the_speaker(code_paragraphs):
    events = code_paragraphs(
        '"We condemn the violence," Obama said. "We urge the Egyptian government to talk.'
    )
    assert ("USA", "EGY") in _dyads(events, "02")


def test_a_quote_continued_in_the_next_paragraph_keeps_the_speaker(code_paragraphs):
    events = code_paragraphs(
        '"This has gone on too long," Obama said on Friday.',
        '"We urge the Egyptian government to talk to the opposition."',
    )
    assert ("USA", "EGY") in _dyads(events, "02")


def test_a_paragraph_after_an_unquoted_one_does_not_inherit_a_speaker(code_paragraphs):
    events = code_paragraphs(
        "Obama spoke on Friday about the region.",
        "The speech was long.",
        '"We urge the Egyptian government to talk to the opposition."',
    )
    assert ("USA", "EGY") not in _dyads(events, "02")


def test_what_a_continued_quote_reports_is_reported(code_paragraphs):
    events = code_paragraphs(
        '"The situation is serious," the Turkish minister said. '
        '"Syrian troops attacked Turkish soldiers near the border."'
    )
    attacks = [e for e in events if e.evidence.trigger == "attacked"]
    assert attacks and all(e.modality == "reported" for e in attacks)


def test_the_same_sentence_outside_a_quote_is_asserted(code_paragraphs):
    events = code_paragraphs("Syrian troops attacked Turkish soldiers near the border.")
    attacks = [e for e in events if e.evidence.trigger == "attacked"]
    assert attacks and all(e.modality == "asserted" for e in attacks)


def test_what_an_appeal_asks_for_has_not_happened(code_paragraphs):
    events = code_paragraphs("Trump urged China to pressure North Korea.")
    assert any(e.root_code == "02" for e in events)
    pressure = [e for e in events if e.evidence.trigger == "pressure"]
    assert all(e.modality == "hypothetical" for e in pressure)
