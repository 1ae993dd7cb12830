"""Property-based fuzzing of ingest and ``Pipeline.code_article`` (issue 15).

Whatever bytes arrive in a JSONL, CSV, markdown or HTML file, ``iter_articles``
yields articles and one-line problems, never raises; whatever text (lone
surrogates, control characters, huge words, no words) an article holds,
``Pipeline.code_article`` codes it.  The seed is fixed (``derandomize``) and
the examples few, so the suite stays deterministic and takes seconds; run
with ``--hypothesis-seed`` and more examples locally for a longer campaign.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tidings.ingest import IngestOptions, IngestProblem, iter_articles
from tidings.model import Article, Paragraph

FUZZ = settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text with the characters that broke things: surrogates, controls, RTL marks, NULs.
nasty_text = st.text(
    alphabet=st.one_of(
        st.characters(),
        st.sampled_from(list("\x00\x1b\n\r\t\u2028\u200f\ufeff\ud800\udfff\"',;{}[]<>&")),
    ),
    max_size=300,
)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True)
    | nasty_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(nasty_text, inner, max_size=3),
    max_leaves=8,
)
records = st.dictionaries(
    st.sampled_from(["text", "id", "title", "date", "url", "source", "authors", "language"]),
    json_values,
)


def _check(results: list, path) -> None:
    for item in results:
        assert isinstance(item, Article | IngestProblem)
        if isinstance(item, IngestProblem):
            assert "\n" not in item.message and "\n" not in item.source
            assert item.level in ("warning", "error")
        else:
            item.text.encode("utf-8")  # repaired: always encodable


@FUZZ
@given(st.lists(records | json_values, max_size=4), st.binary(max_size=200))
def test_jsonl_of_anything(tmp_path_factory, rows, junk) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "f.jsonl"
    lines = [json.dumps(row, ensure_ascii=True).encode() for row in rows]
    path.write_bytes(b"\n".join([*lines, junk]))
    options = IngestOptions(detect_language=True, max_record_bytes=4096)
    _check(list(iter_articles([str(path)], options=options)), path)


@FUZZ
@given(st.binary(max_size=600), st.sampled_from([".csv", ".tsv", ".md", ".html", ".jsonl.gz"]))
def test_any_bytes_in_any_format(tmp_path_factory, data, extension) -> None:
    path = tmp_path_factory.mktemp("fuzz") / f"f{extension}"
    path.write_bytes(data)
    _check(list(iter_articles([str(path)])), path)


@settings(FUZZ, max_examples=25)
@given(nasty_text, st.lists(nasty_text, min_size=1, max_size=4))
def test_code_article_of_any_text(pipeline, title, paragraphs) -> None:
    article = Article(
        doc_id="fuzz",
        title=title,
        paragraphs=tuple(Paragraph(text) for text in paragraphs),
    )
    coded = pipeline.code_article(article)
    assert coded.article is article
    for sentence in coded.sentences:
        sentence.text.encode("utf-8")
    for event in coded.events:
        assert event.doc_id == "fuzz"
