"""Tests of the ingest layer: the markdown/text format, sources and bad input.

HTML and JSONL specifics are in ``test_ingest_formats.py``.
"""

from __future__ import annotations

import ast
import datetime as dt
import hashlib
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tidings.errors import InputError
from tidings.ingest import (
    SUPPORTED_EXTENSIONS,
    IngestProblem,
    iter_articles,
    read_article_text,
)
from tidings.model import Article, Paragraph

REPO = Path(__file__).resolve().parents[1]
SEED_EXAMPLE = REPO / "examples" / "moscow-times-2016-12-21-aftermath.md"
SHARED_SEED = REPO.parent / "shared" / "data" / "seed" / "000_2c39ee907fbb3e8c.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"
SEED_URL = (
    "https://www.themoscowtimes.com/2016/12/21/"
    "the-aftermath-what-russia-will-do-after-the-assassination-of-its-envoy-a56596"
)


def articles(results: list[Article | IngestProblem]) -> list[Article]:
    return [r for r in results if isinstance(r, Article)]


def problems(results: list[Article | IngestProblem]) -> list[IngestProblem]:
    return [r for r in results if isinstance(r, IngestProblem)]


def only_problem(results: list[Article | IngestProblem]) -> IngestProblem:
    assert len(results) == 1, results
    assert isinstance(results[0], IngestProblem), results
    return results[0]


# ------------------------------------------------------------- seed article


@pytest.fixture(scope="module")
def seed() -> Article:
    return read_article_text(SEED_EXAMPLE.read_text(encoding="utf-8"), source=str(SEED_EXAMPLE))


def test_example_is_a_byte_copy_of_the_shared_seed() -> None:
    if not SHARED_SEED.exists():
        pytest.skip("/work/shared is not available")
    assert SEED_EXAMPLE.read_bytes() == SHARED_SEED.read_bytes()


def test_seed_metadata(seed: Article) -> None:
    assert seed.title == "The Aftermath: What Russia Will Do After the Assassination of Its Envoy"
    assert seed.authors == ("Vladimir Frolov",)
    assert seed.date == dt.date(2016, 12, 21)
    assert seed.url == SEED_URL
    assert seed.outlet == "themoscowtimes.com"
    assert seed.language == "en"
    assert seed.source == str(SEED_EXAMPLE)


def test_seed_caption(seed: Article) -> None:
    captions = [p for p in seed.paragraphs if p.kind == "caption"]
    assert len(captions) == 1
    assert seed.paragraphs[0] is captions[0]
    caption = captions[0].text
    assert caption.startswith("Turkey's Foreign Minister Mevlut Cavusoglu, foreground,")
    assert caption.endswith("in Moscow, Russia, Dec. 20, 2016.")
    assert "**" not in caption
    assert "Golovkin" not in caption  # the photo credit is not part of the caption


def test_seed_body(seed: Article) -> None:
    body = [p for p in seed.paragraphs if p.kind == "body"]
    assert len(body) == 22
    assert len(seed.paragraphs) == 23
    assert body[0].text.startswith("The gruesome assassination of Andrei Karlov")
    assert body[-1].text.startswith("Moscow's sense of urgency also reflects")
    assert body[-1].text.endswith("remains to be seen.")
    # the paragraph after the embed is ordinary prose again
    assert any(p.text.startswith("The key issue is whether Turkey") for p in body)
    assert "Turkey, for its part, has resisted Russian proposals to use armed guards" in seed.text
    assert "University of North Carolina notes, Ankara's “...dual strategy" in seed.text


def test_seed_markup_and_debris_removed(seed: Article) -> None:
    for paragraph in seed.paragraphs:
        assert "Read more" not in paragraph.text
        assert "](#)" not in paragraph.text
        assert "[" not in paragraph.text
        assert "**" not in paragraph.text
        assert "Embed" not in paragraph.text
        assert "Original url" not in paragraph.text
        assert "themoscowtimes.com" not in paragraph.text
        assert "\n" not in paragraph.text
    assert "By Vladimir Frolov" not in seed.text
    assert "December 21, 2016" not in seed.text


def test_seed_curly_quotes_kept(seed: Article) -> None:
    assert "the sad state of their “partnership” with the Turkish" in seed.text
    assert "Assad’s departure" in seed.text


def test_seed_embed(seed: Article) -> None:
    assert len(seed.embeds) == 1
    embed = seed.embeds[0]
    assert embed.kind == "embed"
    assert "Andrei Karlov, landed in Moscow" in embed.text
    assert embed.text.startswith("Вчера вечером в Москве")
    assert not any("landed in Moscow" in p.text for p in seed.paragraphs)
    assert "landed in Moscow" not in seed.text


def test_seed_through_iter_articles(seed: Article) -> None:
    results = list(iter_articles([str(SEED_EXAMPLE)]))
    assert results == [seed]


def test_doc_id_is_a_content_hash_not_a_path(seed: Article, tmp_path: Path) -> None:
    copy = tmp_path / "elsewhere" / "renamed.txt"
    copy.parent.mkdir()
    shutil.copyfile(SEED_EXAMPLE, copy)
    (again,) = articles(list(iter_articles([str(copy)])))
    assert again.doc_id == seed.doc_id
    assert again.source == str(copy)
    assert seed.doc_id.startswith("sha1:")
    assert len(seed.doc_id) == len("sha1:") + 16
    expected = hashlib.sha1(SEED_EXAMPLE.read_text(encoding="utf-8").strip().encode()).hexdigest()
    assert seed.doc_id == "sha1:" + expected[:16]
    # CRLF line endings do not change the identity of the text
    crlf = read_article_text(SEED_EXAMPLE.read_text(encoding="utf-8").replace("\n", "\r\n"))
    assert crlf.doc_id == seed.doc_id
    assert read_article_text("Another article\n\nWith other text.").doc_id != seed.doc_id


# ------------------------------------------------------- markdown and text


def test_plain_text_article() -> None:
    text = (
        "Ministers meet in Moscow\n\nThe ministers met on Tuesday\nand talked.\n\n\nThey agreed.\n"
    )
    article = read_article_text(text, source="-")
    assert article.title == "Ministers meet in Moscow"
    assert article.paragraphs == (
        Paragraph("The ministers met on Tuesday and talked."),
        Paragraph("They agreed."),
    )
    assert article.authors == ()
    assert article.date is None
    assert article.url is None
    assert article.outlet is None
    assert article.source == "-"


def test_plain_text_title_block_continues_as_paragraph() -> None:
    article = read_article_text("Title line\nfirst paragraph\ncontinued\n\nsecond")
    assert article.title == "Title line"
    assert [p.text for p in article.paragraphs] == ["first paragraph continued", "second"]


def test_single_line_text() -> None:
    article = read_article_text("Putin met Erdogan in Moscow.\n")
    assert article.title == "Putin met Erdogan in Moscow."
    assert article.paragraphs == (Paragraph("Putin met Erdogan in Moscow."),)


def test_empty_text_raises_input_error() -> None:
    with pytest.raises(InputError):
        read_article_text(" \n\t\n")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("December 21, 2016", dt.date(2016, 12, 21)),
        ("Dec. 21, 2016", dt.date(2016, 12, 21)),
        ("Sept. 3, 2016", dt.date(2016, 9, 3)),
        ("2016-12-21", dt.date(2016, 12, 21)),
        ("21 December 2016", dt.date(2016, 12, 21)),
        ("Wednesday, December 21, 2016 10:30 AM", dt.date(2016, 12, 21)),
        ("Published: 2 Jan 2017", dt.date(2017, 1, 2)),
    ],
)
def test_date_line_formats(line: str, expected: dt.date) -> None:
    article = read_article_text(f"# Title\n\n{line}\n\nBody text.")
    assert article.date == expected
    assert [p.text for p in article.paragraphs] == ["Body text."]


def test_impossible_date_is_not_a_date() -> None:
    article = read_article_text("# Title\n\nFebruary 30, 2016\n\nBody text.")
    assert article.date is None
    assert [p.text for p in article.paragraphs] == ["February 30, 2016", "Body text."]


def test_byline_with_several_authors_and_links() -> None:
    text = "# Title\nBy [Jane Doe](https://x.org/jd), John Roe and Olga Smirnova\n\nBody."
    article = read_article_text(text)
    assert article.authors == ("Jane Doe", "John Roe", "Olga Smirnova")
    assert [p.text for p in article.paragraphs] == ["Body."]


def test_sentence_starting_with_by_is_not_a_byline() -> None:
    article = read_article_text("Withdrawal\n\nBy Tuesday, troops had left the city.\n\nMore.")
    assert article.authors == ()
    assert article.paragraphs[0].text == "By Tuesday, troops had left the city."


def test_inline_markup_is_reduced_to_text() -> None:
    text = (
        "# **Bold** title\n\n"
        "He **said** it *twice*, see [the report](https://a.org/r_(1)) and "
        "![a photo](https://a.org/p.jpg)<https://b.org>; snake_case and 2*3*4 stay, \\*escaped\\*."
    )
    article = read_article_text(text)
    assert article.title == "Bold title"
    assert article.paragraphs[0].text == (
        "He said it twice, see the report and https://b.org; snake_case and 2*3*4 stay, *escaped*."
    )


def test_unbalanced_bold_markers_are_dropped() -> None:
    article = read_article_text("# Title\n\nA stray ** marker and **an unclosed one.")
    assert article.paragraphs == (Paragraph("A stray marker and an unclosed one."),)


def test_read_more_asides_are_dropped_but_ordinary_read_more_prose_stays() -> None:
    text = (
        "# Title\n\nFirst.\n\n*Read more: [Other story](#)*\n\n"
        "_Read more from Somewhere: [Another](https://x.org)_\n\n"
        "Read more about it in the report, he said.\n"
    )
    article = read_article_text(text)
    assert [p.text for p in article.paragraphs] == [
        "First.",
        "Read more about it in the report, he said.",
    ]


@pytest.mark.parametrize(
    "footer",
    [
        "Original url: https://example.org/a",
        "Original url:\n\n<https://example.org/a>",
        "Original URL:\n[link](https://example.org/a)",
    ],
)
def test_original_url_footer(footer: str) -> None:
    article = read_article_text(f"# Title\n\nBody.\n\n{footer}\n")
    assert article.url == "https://example.org/a"
    assert article.outlet == "example.org"
    assert [p.text for p in article.paragraphs] == ["Body."]


def test_footer_does_not_swallow_a_following_prose_line() -> None:
    article = read_article_text("# Title\n\nBody.\n\nOriginal url:\n\nSee https://x.org for more.")
    assert article.url is None
    assert [p.text for p in article.paragraphs] == ["Body.", "See https://x.org for more."]


def test_embed_block_and_its_signature_go_to_embeds() -> None:
    text = (
        "# Title\n\nBefore.\n\n**Embed:**\n\n\n\nTalks today #syria\n\n"
        "— Ministry (@mid_rf) December 20, 2016\n\nAfter the post.\n"
    )
    article = read_article_text(text)
    assert [e.text for e in article.embeds] == [
        "Talks today #syria",
        "— Ministry (@mid_rf) December 20, 2016",
    ]
    assert all(e.kind == "embed" for e in article.embeds)
    assert [p.text for p in article.paragraphs] == ["Before.", "After the post."]


def test_caption_later_in_the_body_needs_a_credit_like_ending() -> None:
    text = (
        "# Title\n\nLede.\n\nPeople at the rally. **Ivan Ivanov / TASS**\n\n"
        "He said it twice. **This matters.**\n"
    )
    article = read_article_text(text)
    assert article.paragraphs == (
        Paragraph("Lede."),
        Paragraph("People at the rally.", kind="caption"),
        Paragraph("He said it twice. This matters."),
    )


# ------------------------------------------------------------------- stdin


def test_stdin_text() -> None:
    results = list(iter_articles(["-"], stdin=io.StringIO("Title\n\nSome text.")))
    (article,) = results
    assert isinstance(article, Article)
    assert article.title == "Title"
    assert article.source == "-"


def test_stdin_bytes_with_invalid_utf8_warns_and_reads() -> None:
    results = list(iter_articles(["-"], stdin=io.BytesIO(b"Title\n\nCaf\xe9 talks.")))
    warning, article = results
    assert isinstance(warning, IngestProblem)
    assert warning.level == "warning"
    assert warning.source == "-"
    assert "UTF-8" in warning.message
    assert isinstance(article, Article)
    assert article.paragraphs[0].text == "Caf\ufffd talks."


def test_stdin_is_read_once() -> None:
    results = list(iter_articles(["-", "-"], stdin=io.StringIO("Title\n\nBody.")))
    assert isinstance(results[0], Article)
    assert results[1] == IngestProblem("-", "empty input", "error")


def test_stdin_html_is_detected(tmp_path: Path) -> None:
    html = (FIXTURES / "ministers-meet.html").read_text(encoding="utf-8")
    (article,) = list(iter_articles(["-"], stdin=io.StringIO(html)))
    assert isinstance(article, Article)
    assert article.title == "Ministers meet in Moscow after envoy's killing"
    assert article.source == "-"


# ------------------------------------------------------------- directories


def test_directory_walk_is_recursive_sorted_and_filtered(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("B z\n\ntext", encoding="utf-8")
    (tmp_path / "b" / "a.MD").write_text("B a\n\ntext", encoding="utf-8")
    (tmp_path / "a.md").write_text("A\n\ntext", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text('{"id": "c1", "text": "jsonl"}\n', encoding="utf-8")
    (tmp_path / "notes.rst").write_text("ignored", encoding="utf-8")
    (tmp_path / ".hidden.md").write_text("Hidden\n\ntext", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.md").write_text("Git\n\ntext", encoding="utf-8")
    results = list(iter_articles([str(tmp_path)]))
    assert problems(results) == []
    assert [a.source for a in articles(results)] == [
        str(tmp_path / "a.md"),
        str(tmp_path / "b" / "a.MD"),
        str(tmp_path / "b" / "z.txt"),
        str(tmp_path / "c.jsonl") + ":1",
    ]
    assert list(iter_articles([str(tmp_path)])) == results


def test_directory_without_supported_files(tmp_path: Path) -> None:
    (tmp_path / "readme.rst").write_text("nothing", encoding="utf-8")
    problem = only_problem(list(iter_articles([str(tmp_path)])))
    assert problem == IngestProblem(
        str(tmp_path),
        f"no supported files (.md, .txt, .html, .htm, .jsonl) in {tmp_path}",
        "error",
    )


def test_directory_of_corpus_files_says_a_glob_reads_them(tmp_path: Path) -> None:
    (tmp_path / "corpus.csv").write_text("id,text\na,Russia criticized Turkey.\n", "utf-8")
    problem = only_problem(list(iter_articles([str(tmp_path)])))
    assert "its .csv files are read when globbed" in problem.message
    assert [a.doc_id for a in iter_articles([str(tmp_path / "*")])] == ["a"]


# --------------------------------------------------------------- bad input


def test_missing_path(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.md")
    problem = only_problem(list(iter_articles([missing])))
    assert problem == IngestProblem(missing, "no such file or directory", "error")


@pytest.mark.parametrize("content", [b"", b"  \n\n\t \n", b"\xef\xbb\xbf\n"])
@pytest.mark.parametrize("name", ["empty.md", "empty.txt", "empty.html", "empty.jsonl"])
def test_empty_file(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert only_problem(list(iter_articles([str(path)]))) == IngestProblem(
        str(path), "empty file", "error"
    )


@pytest.mark.parametrize("name", ["photo.md", "page.html", "data.jsonl"])
def test_binary_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert only_problem(list(iter_articles([str(path)]))) == IngestProblem(
        str(path), "binary file", "error"
    )


@pytest.mark.parametrize(("name", "shown"), [("paper.pdf", "'.pdf'"), ("README", "no extension")])
def test_unsupported_extension_given_explicitly(tmp_path: Path, name: str, shown: str) -> None:
    path = tmp_path / name
    path.write_text("Title\n\nBody", encoding="utf-8")
    problem = only_problem(list(iter_articles([str(path)])))
    assert problem.level == "error"
    assert problem.source == str(path)
    assert shown in problem.message
    assert "unsupported" in problem.message


def test_invalid_utf8_is_a_warning_and_the_article_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Moscow talks\n\nLavrov met Çavuşoğlu.".encode("latin-1", "replace"))
    warning, article = list(iter_articles([str(path)]))
    assert isinstance(warning, IngestProblem)
    assert warning.level == "warning"
    assert warning.source == str(path)
    assert "invalid UTF-8" in warning.message
    assert isinstance(article, Article)
    assert article.title == "Moscow talks"
    assert "\ufffd" in article.paragraphs[0].text


def test_utf16_with_bom_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "utf16.txt"
    path.write_bytes("Title\n\nЛавров встретился.".encode("utf-16"))
    (article,) = list(iter_articles([str(path)]))
    assert isinstance(article, Article)
    assert article.paragraphs == (Paragraph("Лавров встретился."),)


def test_bad_inputs_never_raise_and_good_ones_survive(tmp_path: Path) -> None:
    good = tmp_path / "good.md"
    good.write_text("# Good\n\nText.", encoding="utf-8")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01")
    (tmp_path / "empty.md").write_text("", encoding="utf-8")
    inputs = [
        str(tmp_path / "missing.md"),
        str(tmp_path / "bin.txt"),
        str(good),
        str(tmp_path / "empty.md"),
        str(good) + "/below",
        "-",
    ]
    results = list(iter_articles(inputs, stdin=io.StringIO("")))
    assert [a.title for a in articles(results)] == ["Good"]
    assert len(problems(results)) == 5
    assert all(p.level == "error" for p in problems(results))
    assert all("\n" not in p.message and p.message for p in problems(results))


def test_a_lone_path_string_is_one_input(tmp_path: Path) -> None:
    path = tmp_path / "one.md"
    path.write_text("# One\n\nText.", encoding="utf-8")
    (article,) = list(iter_articles(str(path)))  # type: ignore[arg-type]
    assert isinstance(article, Article)
    assert article.title == "One"


# --------------------------------------------------------------- the layer


def test_supported_extensions() -> None:
    assert SUPPORTED_EXTENSIONS == (".md", ".txt", ".html", ".htm", ".jsonl")


def test_ingest_imports_only_model_and_errors_from_tidings() -> None:
    allowed = {"tidings.model", "tidings.errors"}
    package = REPO / "src" / "tidings" / "ingest"
    for module in package.glob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                if name == "tidings" or name.startswith("tidings."):
                    assert name in allowed, f"{module.name} imports {name}"


def test_importing_ingest_does_not_import_trafilatura() -> None:
    code = "import sys, tidings.ingest; print('trafilatura' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
