"""The component speed-ups change nothing but time: annotations equal spaCy's."""

from __future__ import annotations

from pathlib import Path

import pytest

from tidings.nlp import DEFAULT_MODEL, load_pipeline, load_stock_pipeline
from tidings.nlp._entities import FastEntityRecognizer, UnsupportedRecognizer
from tidings.nlp._matmul import MatmulOps
from tidings.nlp._speedups import (
    FastAttributeRuler,
    FastLemmatizer,
    UnsupportedPatterns,
    speed_up,
)

# Sentences exercising the ruler's special patterns (multi-token lemmas,
# negation, auxiliaries, expletive "there", spaces) and ordinary news prose.
TEXTS = [
    "Y'all gon na love it, ain't it? Let's go. C'm on, I got ta leave. Nothin' gets done.",
    "There is a cat. There were protests in Ankara, and the police didn't intervene.",
    "Russia's foreign minister Sergei Lavrov met his Turkish counterpart in Moscow on Tuesday; "
    "they'd agreed to meet again  in Astana.",
    "He has been to Kyiv twice.   It isn't over, she said, because they're not done.",
    "The ministers, who have met before, will hold talks if the ceasefire holds.",
]


def _annotations(doc) -> list[tuple]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.ent_type_) for t in doc]


@pytest.fixture(scope="module")
def stock():
    return load_stock_pipeline(DEFAULT_MODEL)


def test_pipeline_uses_the_fast_components(stock) -> None:
    nlp = load_pipeline(DEFAULT_MODEL)
    assert isinstance(nlp.get_pipe("attribute_ruler"), FastAttributeRuler)
    assert not isinstance(stock.get_pipe("attribute_ruler"), FastAttributeRuler)
    assert nlp.pipe_names == stock.pipe_names
    assert isinstance(nlp.get_pipe("lemmatizer"), FastLemmatizer)
    assert isinstance(nlp.get_pipe("ner"), FastEntityRecognizer)
    assert isinstance(nlp.get_pipe("ner").model.ops, MatmulOps)
    assert isinstance(nlp.get_pipe("tok2vec").model.ops, MatmulOps)
    assert not isinstance(stock.get_pipe("ner").model.ops, MatmulOps)


def test_annotations_equal_spacy(stock, seed_coded) -> None:
    nlp = load_pipeline(DEFAULT_MODEL)
    texts = TEXTS + [s.text for s in seed_coded.sentences]
    for ours, theirs in zip(nlp.pipe(texts), stock.pipe(texts), strict=True):
        assert _annotations(ours) == _annotations(theirs)


def test_unsupported_pattern_features_leave_the_ruler_alone(stock) -> None:
    from types import SimpleNamespace

    ruler = SimpleNamespace(
        attrs=[{}],
        indices=[0],
        patterns=[{"patterns": [[{"SHAPE": "Xxxx"}]], "attrs": {"POS": "PROPN"}, "index": 0}],
    )
    with pytest.raises(UnsupportedPatterns):
        FastAttributeRuler(ruler)

    class Pipeline:
        pipe_names = ("attribute_ruler",)

        def get_pipe(self, name):
            return ruler

    assert speed_up(Pipeline()) == []


def _news_paragraphs(limit: int) -> list[str]:
    """Paragraphs of the first ``limit`` articles of the AllSides corpus (real news prose)."""
    import gzip
    import json

    shared = Path(__file__).resolve().parents[2] / "shared"
    corpus = shared / "data" / "corpora" / "allsides-international.jsonl.gz"
    if not corpus.exists():
        pytest.skip(f"corpus not found: {corpus}")
    paragraphs: list[str] = []
    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        for _, line in zip(range(limit), fh, strict=False):
            text = json.loads(line).get("content_original") or ""
            paragraphs += [" ".join(p.split()) for p in text.split("\n") if p.strip()]
    return paragraphs


def test_annotations_equal_spacy_on_news(stock) -> None:
    """Thousands of tokens of real news: the faster lemmatizer, attribute ruler and
    matrix products leave every tag, morphology, lemma, head, label and entity as
    stock spaCy's (floats summed in another order could in principle flip a
    decision; on this text none does)."""
    nlp = load_pipeline(DEFAULT_MODEL)
    texts = _news_paragraphs(25)
    tokens = 0
    for ours, theirs in zip(nlp.pipe(texts), stock.pipe(texts), strict=True):
        assert [(t.head.i, t.ent_iob_) for t in ours] == [(t.head.i, t.ent_iob_) for t in theirs]
        assert _annotations(ours) == _annotations(theirs), ours.text
        tokens += len(ours)
    assert tokens > 10_000


def test_matrix_products_use_one_thread_and_match_numpy(monkeypatch) -> None:
    import numpy
    from threadpoolctl import threadpool_info

    from tidings.nlp import _matmul

    threads: list[int] = []

    class CountingNumpy:
        @staticmethod
        def matmul(a, b, out=None):
            # numpy's own BLAS (scipy, loaded by statsmodels, may bring another one that
            # numpy.matmul never calls)
            blas = [
                lib
                for lib in threadpool_info()
                if lib["user_api"] == "blas" and "numpy" in lib["filepath"]
            ]
            threads.extend(lib["num_threads"] for lib in blas)
            return numpy.matmul(a, b, out=out)

    monkeypatch.setattr(_matmul, "numpy", CountingNumpy)

    rng = numpy.random.default_rng(7)
    x = rng.random((50, 30), dtype=numpy.float32)
    y = rng.random((40, 30), dtype=numpy.float32)
    ops = MatmulOps()
    numpy.testing.assert_allclose(ops.gemm(x, y, trans2=True), x @ y.T, rtol=1e-5)
    out = numpy.zeros((30, 30), dtype=numpy.float32)
    assert ops.gemm(x, x, out=out, trans1=True) is out
    numpy.testing.assert_allclose(out, x.T @ x, rtol=1e-5)
    assert threads and set(threads) == {1}


def test_entities_of_single_docs_and_odd_texts_equal_spacy(stock) -> None:
    """One doc at a time (``nlp(text)``), empty and whitespace-only texts, entities
    at the very end, long entities and sentence boundaries inside a doc."""
    nlp = load_pipeline(DEFAULT_MODEL)
    texts = [
        "",
        "   ",
        "Moscow",
        "He flew to New York City",
        "The United Nations Security Council met. Vladimir Putin spoke.\nSergei Lavrov",
        "Talks in Astana on Dec. 27, 2016 at 10:30 a.m. cost $2 million ,  said the U.N.",
    ]
    for text in texts:
        ours, theirs = nlp(text), stock(text)
        assert [(t.ent_iob_, t.ent_type_) for t in ours] == [
            (t.ent_iob_, t.ent_type_) for t in theirs
        ], text


def test_preset_entities_are_left_to_spacy(stock) -> None:
    """A doc that already has entity annotations goes to spaCy's own recogniser,
    which respects them."""
    from spacy.tokens import Span

    nlp = load_pipeline(DEFAULT_MODEL)
    docs = []
    for pipeline in (nlp, stock):
        doc = pipeline.make_doc("Karlov was shot in Ankara by a policeman.")
        doc.set_ents([Span(doc, 0, 1, label="ORG")], default="unmodified")
        with pipeline.select_pipes(enable=["ner"]):
            docs.append(pipeline(doc))
    ours, theirs = docs
    assert [(e.text, e.label_) for e in ours.ents] == [(e.text, e.label_) for e in theirs.ents]
    assert ("Karlov", "ORG") in [(e.text, e.label_) for e in ours.ents]


def test_unsupported_recognisers_are_refused(stock) -> None:
    from types import SimpleNamespace

    ner = stock.get_pipe("ner")
    beam = SimpleNamespace(moves=ner.moves, cfg={"beam_width": 4}, model=ner.model)
    with pytest.raises(UnsupportedRecognizer):
        FastEntityRecognizer(beam)
    other = SimpleNamespace(moves=object(), cfg={}, model=ner.model)
    with pytest.raises(UnsupportedRecognizer):
        FastEntityRecognizer(other)
