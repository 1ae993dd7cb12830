"""Corpus field options, .html.gz pages, URL lists (issue 14); ingest only, no model."""

from __future__ import annotations

import gzip
import json

from click.testing import CliRunner

from tidings.api import open_store
from tidings.cli import cli

PAGE = """<!doctype html><html><head><title>Talks in Geneva</title></head><body>
<article><h1>Talks in Geneva</h1>
<p>Russian and Turkish diplomats met in Geneva on Monday to discuss a ceasefire in Syria,
officials from both countries said after the meeting.</p>
<p>The talks lasted four hours and will continue next week, according to a statement
released by the Turkish foreign ministry in Ankara on Tuesday morning.</p>
</article></body></html>"""


def _ingest(*args: str):
    return CliRunner().invoke(cli, ["ingest", *args])


def _articles(db):
    with open_store(db, read_only=True) as store:
        return store.articles()


def test_corpus_keeps_its_own_ID_by_default(tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"ID": 4711, "text": "Turkey praised Iran."}) + "\n")
    result = _ingest(str(corpus), "--db", str(tmp_path / "s.duckdb"))
    assert result.exit_code == 0, result.output
    assert [a.doc_id for a in _articles(tmp_path / "s.duckdb")] == ["4711"]


def test_field_options_name_the_corpus_fields(tmp_path):
    corpus = tmp_path / "c.jsonl"
    record = {"key": "a-1", "body_text": "Japan condemned North Korea.", "headline": "Condemned",
              "published": "2016-12-21", "text": "not this one"}  # fmt: skip
    corpus.write_text(json.dumps(record) + "\n")
    db = tmp_path / "s.duckdb"
    fields = ["--id-field", "key", "--text-field", "body_text", "--title-field", "headline"]
    result = _ingest(str(corpus), "--db", str(db), *fields, "--date-field", "published")
    assert result.exit_code == 0, result.output
    (article,) = _articles(db)
    assert (article.doc_id, article.title, str(article.date)) == ("a-1", "Condemned", "2016-12-21")
    assert "Japan condemned" in article.text and "not this one" not in article.text


def test_csv_field_options(tmp_path):
    corpus = tmp_path / "c.csv"
    corpus.write_text('ident,words\nx9,"China will host Pakistani officials."\n')
    db = tmp_path / "s.duckdb"
    result = _ingest(str(corpus), "--db", str(db), "--id-field", "ident", "--text-field", "words")
    assert result.exit_code == 0, result.output
    assert [a.doc_id for a in _articles(db)] == ["x9"]


def test_gzipped_html_page_is_read(tmp_path):
    page = tmp_path / "page.html.gz"
    page.write_bytes(gzip.compress(PAGE.encode()))
    db = tmp_path / "s.duckdb"
    result = _ingest(str(page), "--db", str(db))
    assert result.exit_code == 0, result.output
    (article,) = _articles(db)
    assert article.title == "Talks in Geneva" and "ceasefire" in article.text


def test_a_list_of_urls_is_not_stored_as_an_article(tmp_path):
    feeds = tmp_path / "feeds.txt"
    feeds.write_text("# my feeds\nhttps://example.org/rss\nhttps://example.com/atom.xml\n")
    db = tmp_path / "s.duckdb"
    result = _ingest(str(feeds), "--db", str(db))
    assert result.exit_code != 0
    assert "list of URLs" in result.output and "--urls" in result.output
    assert not db.exists() or _articles(db) == []


def test_urls_file_errors_name_the_line(tmp_path):
    urls = tmp_path / "urls.txt"
    urls.write_text("https://example.org/a\nnot a url\n")
    result = _ingest("--urls", str(urls), "--db", str(tmp_path / "s.duckdb"))
    assert result.exit_code != 0 and "urls.txt:2" in str(result.exception)
    result = _ingest("--db", str(tmp_path / "s.duckdb"))
    assert result.exit_code == 2 and "--urls" in result.output


def test_read_url_list_skips_comments_and_blanks(tmp_path):
    from tidings.ingest import read_url_list

    urls = tmp_path / "urls.txt"
    urls.write_text("# feeds\n\nhttps://example.org/rss\n  http://example.com/x  \n")
    assert read_url_list(str(urls)) == ["https://example.org/rss", "http://example.com/x"]
