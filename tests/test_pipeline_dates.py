"""Dates flow from the time stage into events through the pipeline."""

from __future__ import annotations


def test_relative_date_resolves_against_publication(code_text):
    (event,) = code_text("Japan condemned North Korea on Monday.", date="2016-12-21")
    assert (event.date, event.date_precision, event.evidence.date_text) == (
        "2016-12-19",
        "day",
        "on Monday",
    )


def test_undated_article_never_uses_today(code_text):
    (event,) = code_text("Japan condemned North Korea on Monday.", date=None)
    assert event.date is None and event.date_precision is None


def test_undated_article_uses_absolute_dates_in_text(code_text):
    (event,) = code_text("Japan condemned North Korea on Dec. 5, 2015.", date=None)
    assert (event.date, event.date_precision) == ("2015-12-05", "day")


def test_no_expression_falls_back_to_publication(code_text):
    (event,) = code_text("Japan condemned North Korea.", date="2016-12-21")
    assert (event.date, event.date_precision, event.evidence.date_text) == (
        "2016-12-21",
        "publication",
        None,
    )
