"""The component speed-ups change nothing but time: annotations equal spaCy's."""

from __future__ import annotations

import pytest

from tidings.nlp import DEFAULT_MODEL, load_pipeline, load_stock_pipeline
from tidings.nlp._speedups import FastAttributeRuler, UnsupportedPatterns, speed_up

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
    assert getattr(nlp.get_pipe("lemmatizer"), "_tidings_cached", False)


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
