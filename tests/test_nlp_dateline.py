"""Wire datelines are dropped before parsing: they name where a story was filed."""

import pytest

from tidings.nlp import strip_dateline


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("MOSCOW (Reuters) - Russia criticized Turkey.", "Russia criticized Turkey."),
        ("WASHINGTON\u2014The US said.", "The US said."),
        ("GAZA CITY, Gaza Strip (AP) \u2014 Israel struck.", "Israel struck."),
        ("Washington (CNN) Mexican officials said.", "Mexican officials said."),
        ("DOUGLAS, Ariz.\u2014Trump said.", "Trump said."),
        ("WASHINGTON -- Obama said.", "Obama said."),
    ],
)
def test_a_dateline_is_dropped(text, rest):
    assert strip_dateline(text) == rest


@pytest.mark.parametrize(
    "text",
    [
        "U.S.-China trade talks resumed.",
        "NATO - the alliance said.",
        "EU \u2014 The bloc said.",
        "The US - China talks went on.",
        "Trump (R) said it.",
    ],
)
def test_text_that_only_looks_like_one_is_kept(text):
    assert strip_dateline(text) == text


def test_the_story_under_a_dateline_keeps_its_subject(code_text):
    events = code_text("MOSCOW (Reuters) - Russia criticized Turkey on Monday.")
    assert ("RUS", "111", "TUR") in {
        (e.source.country, e.code, e.target.country if e.target else None) for e in events
    }
