"""Outlet boilerplate is dropped at ingest in every format that yields paragraphs,
and real prose that merely resembles it is kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tidings.ingest import iter_articles
from tidings.ingest._boilerplate import clean_paragraph, drop_boilerplate
from tidings.model import Article, Paragraph

BOILERPLATE = [
    "JUST WATCHED Ministers argue over the border Replay More Videos ... MUST WATCH 03:12",
    "Image copyright Getty Images",
    "Media playback is unsupported on your device",
    "READ MORE: Ministers argue over the border",
    "SEE ALSO: Ministers argue over the border",
    "More: Ministers argue over the border",
    "Story Continued Below",
    "Advertisement",
    "ADVERTISEMENT",
    "Advertisement Continue reading the main story",
    "Sign up for Daily Newsletters Manage Newsletters",
    "Get our weekly newsletter delivered to your inbox every Friday.",
    "CLICK HERE TO GET THE NEWS APP",
    "SHARE THIS ARTICLE Share Tweet Post Email",
    "Follow Jane on Twitter",
    "Photo: EPA",
    "Enlarge this image toggle caption Jane Roe/EPA Jane Roe/EPA",
    "The ministry did not respond to a request for comment.",
    "A spokesman for the embassy did not immediately respond to requests for comment on Friday.",
    "Putin meets with Rex Tillerson in Russia amid escalating tensions over Syria Read more",
    "White House urged to give full account of Trump's private talks with Putin READ MORE",
]

PROSE = [
    "Advertisement spending by the ministry rose sharply, the auditors said.",
    "More than 200 soldiers crossed the border on Monday.",
    "Read the statement the minister gave to parliament, the opposition demanded.",
    "Sign language interpreters joined the talks in Geneva.",
    "The minister did not respond to the accusations. Instead she met the envoy on Friday.",
    "The ministry, which did not respond to a request for comment, expelled two diplomats.",
    "Protesters followed the convoy to the capital.",
    "The EPA said the river was polluted.",
    "[Turkey's] president met the envoy.",
    "The minister urged students to read more.",
    "Read more about the talks in our explainer, the editors wrote.",
]


@pytest.mark.parametrize("text", BOILERPLATE)
def test_boilerplate_paragraph_is_dropped(text: str) -> None:
    assert clean_paragraph(text) is None


@pytest.mark.parametrize("text", PROSE)
def test_prose_that_resembles_boilerplate_is_kept(text: str) -> None:
    assert clean_paragraph(text) == text


def test_a_read_more_label_after_prose_is_cut_and_the_prose_kept() -> None:
    text = "The envoy met the minister. Talks resumed on Friday in Geneva Read more"
    assert clean_paragraph(text) == "The envoy met the minister. Talks resumed on Friday in Geneva"


def test_caption_widgets_keep_their_caption() -> None:
    assert (
        clean_paragraph("Image copyright Reuters Image caption Mr Lamb met the envoy in Rome")
        == "Mr Lamb met the envoy in Rome"
    )
    assert (
        clean_paragraph(
            "Media playback is unsupported on your device Media caption Ms Drake warns the council"
        )
        == "Ms Drake warns the council"
    )
    (paragraph,) = drop_boilerplate([Paragraph("Image caption The envoy arrives in Rome")])
    assert paragraph == Paragraph("The envoy arrives in Rome", kind="caption")


@pytest.mark.parametrize(
    "text",
    [
        "The envoy arrived in Rome on May 22. (Photo: Jane Roe, EPA-EFE)",
        "The envoy arrived in Rome on May 22. Photograph: Jane Roe/EPA",
        "The envoy arrived in Rome on May 22. [Jane Roe/EPA]",
    ],
)
def test_photo_credits_inside_a_paragraph_are_cut(text: str) -> None:
    assert clean_paragraph(text) == "The envoy arrived in Rome on May 22."
    (paragraph,) = drop_boilerplate([Paragraph(text)])
    assert paragraph.kind == "body"


def test_capital_link_headlines_go_unless_the_article_is_in_capitals() -> None:
    mixed = [
        Paragraph("The minister met the envoy on Friday."),
        Paragraph("MINISTER ACCUSES NEIGHBOUR OF BORDER RAIDS"),
        Paragraph("The talks lasted three hours."),
    ]
    assert [p.text for p in drop_boilerplate(mixed)] == [
        "The minister met the envoy on Friday.",
        "The talks lasted three hours.",
    ]
    shouting = [
        Paragraph("THE MINISTER MET THE ENVOY ON FRIDAY."),
        Paragraph("THE TALKS LASTED THREE HOURS."),
    ]
    assert drop_boilerplate(shouting) == tuple(shouting)


def test_embeds_are_left_to_their_reader() -> None:
    embed = Paragraph("Follow @ministry for updates", kind="embed")
    assert drop_boilerplate([Paragraph("The envoy left."), embed])[-1] == embed


BODY = [
    "The foreign minister met the envoy in Rome on Friday.",
    "JUST WATCHED Envoy arrives in Rome Replay More Videos ... MUST WATCH 02:10",
    "READ MORE: Envoy arrives in Rome",
    "Image copyright Getty Images Image caption The envoy arrives in Rome",
    "Sign up for Daily Newsletters Manage Newsletters",
    "The ministry did not respond to a request for comment.",
    "The two sides agreed to meet again next month.",
]
EXPECTED = [
    "The foreign minister met the envoy in Rome on Friday.",
    "The envoy arrives in Rome",
    "The two sides agreed to meet again next month.",
]


def _read(path: Path) -> Article:
    (article,) = list(iter_articles([str(path)]))
    assert isinstance(article, Article), article
    return article


def test_jsonl_bodies_lose_boilerplate(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    record = {"id": "a1", "title": "Envoy in Rome", "content_original": "\n".join(BODY)}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert [p.text for p in _read(path).paragraphs] == EXPECTED


def test_csv_bodies_lose_boilerplate(tmp_path: Path) -> None:
    import csv

    path = tmp_path / "corpus.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "title", "text"])
        writer.writerow(["a1", "Envoy in Rome", "\n\n".join(BODY)])
    assert [p.text for p in _read(path).paragraphs] == EXPECTED


def test_markdown_bodies_lose_boilerplate(tmp_path: Path) -> None:
    path = tmp_path / "article.md"
    path.write_text("# Envoy in Rome\n\n" + "\n\n".join(BODY) + "\n", encoding="utf-8")
    assert [p.text for p in _read(path).paragraphs] == EXPECTED


def test_html_bodies_lose_boilerplate(tmp_path: Path) -> None:
    paragraphs = "".join(f"<p>{line}</p>" for line in BODY)
    page = (
        "<html><head><title>Envoy in Rome</title></head><body><article>"
        f"<h1>Envoy in Rome</h1>{paragraphs}</article></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    texts = [p.text for p in _read(path).paragraphs]
    assert "The foreign minister met the envoy in Rome on Friday." in texts
    assert "The two sides agreed to meet again next month." in texts
    assert not any(
        t.startswith(("JUST WATCHED", "READ MORE", "Sign up", "Image copyright")) for t in texts
    )
    assert "The ministry did not respond to a request for comment." not in texts


def test_inline_related_links_after_a_name_are_cut() -> None:
    text = (
        "President Trump Donald John TrumpKamala Harris calls for Twitter to suspend Trump "
        "account John Dean: 'There is enough evidence' to impeach Trump MORE on Monday "
        "doubled down on his remarks."
    )
    assert (
        clean_paragraph(text)
        == "President Trump Donald John Trump on Monday doubled down on his remarks."
    )
    possessive = (
        "concerned over President Trump Donald John TrumpGOP senators balk at lengthy"
        " impeachment trial MORE\u2019s reluctance to listen."
    )
    assert clean_paragraph(possessive) == (
        "concerned over President Trump Donald John Trump\u2019s reluctance to listen."
    )
    prose = "Mitch McConnell said the DeSantis plan had MORE support than expected."
    assert clean_paragraph(prose) == prose


def test_a_scraped_photo_gallery_becomes_its_captions():
    gallery = (
        "Photos: Jeb Bush's life Jeb Bush as a boy in 1960. Hide Caption 1 of 3 Photos: Jeb"
        " Bush's life Jeb Bush and George W. Bush at a rally. Hide Caption 2 of 3 Photos:"
        " Jeb Bush's life Jeb Bush speaks in Miami. Hide Caption 3 of 3"
    )
    out = drop_boilerplate((Paragraph("Bush spoke on Monday."), Paragraph(gallery)))
    assert [(p.kind, p.text) for p in out] == [
        ("body", "Bush spoke on Monday."),
        ("caption", "Jeb Bush's life Jeb Bush as a boy in 1960."),
        ("caption", "Jeb Bush's life Jeb Bush and George W. Bush at a rally."),
        ("caption", "Jeb Bush's life Jeb Bush speaks in Miami."),
    ]
    prose = "He said the photos were shown in 2016."
    assert [p.text for p in drop_boilerplate((Paragraph(prose),))] == [prose]
