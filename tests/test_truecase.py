"""Headlines in headline case are parsed in the case their words have in the body."""

from __future__ import annotations

import datetime as dt

from tidings.nlp._truecase import body_casing, is_headline_case, sentence_case

BODY = [
    "Secretary of State Mike Pompeo said on Thursday that Iran was responsible for the "
    "attacks. The US does not want war, he said, and NATO agreed."
]


def test_headline_case_is_recognised():
    assert is_headline_case("Obama Opposes Turkey's Anti-Islamist Coup")
    assert is_headline_case("POMPEO BLAMES IRAN FOR TANKER ATTACKS")
    assert not is_headline_case("Obama opposes the coup in Turkey")
    assert not is_headline_case("Brexit")


def test_words_take_the_bodys_case_and_acronyms_stay():
    casing = body_casing(BODY)
    assert sentence_case("Pompeo Blames Iran for the Attacks, NATO Says", casing) == (
        "Pompeo blames Iran for the attacks, NATO says"
    )
    assert sentence_case("POMPEO BLAMES IRAN FOR THE ATTACKS", casing) == (
        "Pompeo blames Iran for the attacks"
    )


def test_the_first_word_of_a_sentence_is_no_evidence_of_a_name():
    casing = body_casing(["The talks ended. Talks resume on Monday."])
    assert casing["talks"] == "talks"


def test_ordinary_titles_are_left_alone():
    assert sentence_case("Iran blamed for the attacks", body_casing(BODY)) is None


def test_a_headline_in_capitals_is_coded_and_keeps_its_spelling(pipeline):
    from tidings.model import Article, Paragraph

    article = Article(
        doc_id="t",
        title="POMPEO BLAMES IRAN FOR TANKER ATTACKS",
        paragraphs=tuple(Paragraph(text) for text in BODY),
        date=dt.date(2019, 6, 13),
    )
    coded = pipeline.code_article(article)
    assert coded.sentences[0].text == "POMPEO BLAMES IRAN FOR TANKER ATTACKS"
    (event,) = [e for e in coded.events if e.sentence_index == 0]
    assert (event.code[:2], event.source.country, event.target.country) == ("11", "USA", "IRN")
    assert event.evidence.trigger == "BLAMES"
