"""Tests of the HTML (trafilatura) and JSONL readers of the ingest layer."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import shutil
from pathlib import Path

import pytest

from tidings.ingest import IngestProblem, iter_articles
from tidings.model import Article, Paragraph

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"
HTML_FIXTURE = FIXTURES / "ministers-meet.html"
JSONL_FIXTURE = FIXTURES / "corpus.jsonl"
BENCHMARK = REPO.parent / "shared" / "data" / "html" / "scrapinghub-article-extraction-benchmark"
WSJ_PAGE = "042bb7b5fedab6eac7db576522b89b93904c237d344bcbe14a6a5ab7f7335856.html.gz"


def read_all(*inputs: str) -> list[Article | IngestProblem]:
    return list(iter_articles(list(inputs)))


# --------------------------------------------------------------------- HTML


@pytest.fixture(scope="module")
def ministers() -> Article:
    (article,) = read_all(str(HTML_FIXTURE))
    assert isinstance(article, Article)
    return article


def test_html_metadata(ministers: Article) -> None:
    assert ministers.title == "Ministers meet in Moscow after envoy's killing"
    assert ministers.authors == ("Jane Doe",)
    assert ministers.date == dt.date(2016, 12, 20)
    assert ministers.url == "https://news.example.org/2016/12/20/ministers-meet-in-moscow"
    assert ministers.outlet == "Example News"
    assert ministers.language == "en"
    assert ministers.source == str(HTML_FIXTURE)
    assert ministers.doc_id.startswith("sha1:")


def test_html_body_without_boilerplate(ministers: Article) -> None:
    assert len(ministers.paragraphs) == 3
    assert all(p.kind == "body" for p in ministers.paragraphs)
    assert ministers.paragraphs[0].text.startswith(
        "The foreign ministers of Russia, Turkey and Iran"
    )
    assert ministers.paragraphs[2].text.endswith("a full and joint investigation.")
    for unwanted in ("Subscribe now", "Celebrity chef", "All rights reserved"):
        assert unwanted not in ministers.text
    # trafilatura repeats the <h1>; it is the title, not a paragraph
    assert ministers.title not in [p.text for p in ministers.paragraphs]


def test_htm_extension_and_content_id(ministers: Article, tmp_path: Path) -> None:
    copy = tmp_path / "copy.htm"
    shutil.copyfile(HTML_FIXTURE, copy)
    (article,) = read_all(str(copy))
    assert isinstance(article, Article)
    assert article.doc_id == ministers.doc_id
    assert article.paragraphs == ministers.paragraphs


def test_html_copyright_year_is_not_taken_as_the_date(tmp_path: Path) -> None:
    page = tmp_path / "undated.html"
    page.write_text(
        "<html><head><title>Talks</title></head><body><article>"
        "<p>The foreign ministers of Russia, Turkey and Iran met in Moscow to discuss Syria.</p>"
        "<p>They agreed to act as guarantors of a ceasefire between the parties.</p>"
        "</article><footer>© 2016 Example</footer></body></html>",
        encoding="utf-8",
    )
    (article,) = read_all(str(page))
    assert isinstance(article, Article)
    assert article.date is None
    assert article.url is None
    assert article.outlet is None
    assert len(article.paragraphs) == 2


def test_html_without_article_text_is_an_error(tmp_path: Path) -> None:
    page = tmp_path / "empty-body.html"
    page.write_text("<html><head><title>Nothing</title></head><body></body></html>", "utf-8")
    assert read_all(str(page)) == [
        IngestProblem(str(page), "no article text found in HTML", "error")
    ]


def test_real_page_from_the_benchmark(tmp_path: Path) -> None:
    source = BENCHMARK / "html" / WSJ_PAGE
    if not source.exists():
        pytest.skip("/work/shared benchmark pages are not available")
    page = tmp_path / "wsj.html"
    page.write_bytes(gzip.decompress(source.read_bytes()))
    results = read_all(str(page))
    assert len(results) == 1
    (article,) = results
    assert isinstance(article, Article)
    assert article.title.startswith("Google Stadia, Microsoft xCloud, Apple Arcade")
    assert article.authors == ("Sarah E Needleman",)
    assert article.date == dt.date(2019, 11, 19)
    assert article.url is not None
    assert article.url.startswith("https://www.wsj.com/articles/google-stadia")
    assert article.outlet == "Wall Street Journal"
    assert article.paragraphs
    assert all(p.text and "\n" not in p.text for p in article.paragraphs)
    assert article.paragraphs[0].text != article.title
    assert "Gaming used to be so simple." in article.text


# -------------------------------------------------------------------- JSONL


@pytest.fixture(scope="module")
def corpus() -> list[Article | IngestProblem]:
    return read_all(str(JSONL_FIXTURE))


def test_jsonl_good_lines(corpus: list[Article | IngestProblem]) -> None:
    good = [r for r in corpus if isinstance(r, Article)]
    assert [a.doc_id for a in good[:2]] == ["mt-001", "42"]
    first, second, third, dated_badly, last = good
    # a bad optional field costs that field only (with a warning)
    assert dated_badly.date is None
    assert dated_badly.paragraphs == (Paragraph("Dated badly."),)
    assert first.title == "Talks in Astana"
    assert first.date == dt.date(2016, 12, 27)
    assert first.url == "https://example.org/astana"
    assert first.outlet == "Example Wire"
    assert first.authors == ("Jane Doe", "John Roe")
    assert first.paragraphs == (
        Paragraph("Russia, Turkey and Iran met in Astana."),
        Paragraph("They pledged to guarantee the ceasefire."),
    )
    assert first.source == f"{JSONL_FIXTURE}:1"
    # no blank lines in the text: single newlines separate paragraphs
    assert [p.text for p in second.paragraphs] == [
        "Line one of a text without blank lines.",
        "Line two of it.",
    ]
    assert second.language == "ru"
    assert second.authors == ("Ivan Petrov", "Olga Smirnova")
    assert second.title == ""
    text = "An article without an id, title or date."
    assert third.doc_id == "sha1:" + hashlib.sha1(text.encode()).hexdigest()[:16]
    assert third.title == ""
    assert third.date is None
    assert third.language == "en"
    assert third.source == f"{JSONL_FIXTURE}:4"  # line 3 is blank and skipped
    assert last.doc_id == "mt-009"
    assert last.source == f"{JSONL_FIXTURE}:10"


def test_jsonl_bad_lines_are_reported_in_order(corpus: list[Article | IngestProblem]) -> None:
    assert [type(r).__name__ for r in corpus] == (
        ["Article"] * 3 + ["IngestProblem"] * 4 + ["Article"] + ["IngestProblem", "Article"]
    )
    bad = [r for r in corpus if isinstance(r, IngestProblem)]
    assert [p.source for p in bad] == [f"{JSONL_FIXTURE}:{n}" for n in (5, 6, 7, 8, 9)]
    assert [p.level for p in bad] == ["error"] * 3 + ["warning", "error"]
    assert [p.message.split(":")[0] for p in bad] == [f"line {n}" for n in (5, 6, 7, 8, 9)]
    assert 'missing "text"' in bad[0].message
    assert "invalid JSON" in bad[1].message
    assert "expected a JSON object" in bad[2].message
    assert "bad date '21/12/2016'" in bad[3].message and "field ignored" in bad[3].message
    assert 'empty "text"' in bad[4].message
    assert all("\n" not in p.message for p in bad)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"text": 5}', '"text" must be a string'),
        ('{"text": "x", "id": [1]}', '"id" must be a string or an integer'),
        ('{"text": "x", "id": true}', '"id" must be a string or an integer'),
        ('{"text": "x"', "invalid JSON"),
        ('{"text": "x", "n": ' + "1" * 5000 + "}", "invalid JSON"),
        ("null", "expected a JSON object, got NoneType"),
    ],
)
def test_jsonl_malformed_record(tmp_path: Path, line: str, reason: str) -> None:
    path = tmp_path / "one.jsonl"
    path.write_text(f'{{"text": "fine"}}\n{line}\n', encoding="utf-8")
    good, bad = read_all(str(path))
    assert isinstance(good, Article)
    assert isinstance(bad, IngestProblem)
    assert bad.source == f"{path}:2"
    assert bad.level == "error"
    assert bad.message.startswith("line 2: ")
    assert reason in bad.message


@pytest.mark.parametrize(
    ("line", "reason", "lost"),
    [
        ('{"text": "x", "date": 20161221}', "bad date", "date"),
        ('{"text": "x", "date": "12/20/16"}', "bad date '12/20/16'", "date"),
        ('{"text": "x", "date": "2016-02-30"}', "bad date", "date"),
        ('{"text": "x", "authors": [1, 2]}', '"authors" must be a string or a list', "authors"),
        ('{"text": "x", "title": {"a": 1}}', '"title" must be a string', "title"),
        ('{"text": "x", "title": 12345}', '"title" must be a string', "title"),
    ],
)
def test_jsonl_bad_optional_field_keeps_the_text(
    tmp_path: Path, line: str, reason: str, lost: str
) -> None:
    path = tmp_path / "one.jsonl"
    path.write_text(f"{line}\n", encoding="utf-8")
    warning, article = read_all(str(path))
    assert isinstance(article, Article)
    assert [p.text for p in article.paragraphs] == ["x"]
    assert getattr(article, lost) in (None, "", ())
    assert warning.level == "warning"
    assert warning.source == f"{path}:1"
    assert reason in warning.message and "field ignored" in warning.message


def test_jsonl_accepts_timestamps_crlf_and_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "crlf.jsonl"
    path.write_bytes(
        b'\xef\xbb\xbf{"text": "First.", "date": "2016-12-21T10:00:00Z"}\r\n'
        b'{"text": "Second.", "date": null}\r\n'
    )
    first, second = read_all(str(path))
    assert isinstance(first, Article)
    assert isinstance(second, Article)
    assert first.date == dt.date(2016, 12, 21)
    assert second.date is None


def test_jsonl_invalid_utf8_line_warns_and_is_read(tmp_path: Path) -> None:
    path = tmp_path / "latin.jsonl"
    path.write_bytes(b'{"text": "Caf\xe9 diplomacy."}\n')
    warning, article = read_all(str(path))
    assert warning == IngestProblem(
        f"{path}:1", "line 1: invalid UTF-8 at byte 13; decoded with replacement", "warning"
    )
    assert isinstance(article, Article)
    assert article.paragraphs == (Paragraph("Caf\ufffd diplomacy."),)


def test_jsonl_same_text_same_id(tmp_path: Path) -> None:
    path = tmp_path / "dupes.jsonl"
    path.write_text('{"text": "Same."}\n{"text": "Same."}\n{"text": "Other."}\n', "utf-8")
    ids = [r.doc_id for r in read_all(str(path)) if isinstance(r, Article)]
    assert ids[0] == ids[1] != ids[2]
