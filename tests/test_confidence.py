"""The confidence stage: features, the packaged model, the default threshold."""

from __future__ import annotations

import dataclasses
import json

import pytest

from tidings.coding import ConfidenceModel, event_features, load_confidence_model, score_events
from tidings.coding._confidence import CONFIDENCE_MODEL_PATH
from tidings.model import DEFAULT_MIN_CONFIDENCE, Actor, Event, Evidence, Sentence


def make(k: int, target: Actor | None, *, rule: str = "core:accuse", sentence: int = 1) -> Event:
    return Event(
        event_id=f"e{k}",
        doc_id="d",
        sentence_index=sentence,
        sentence='Russia accused Turkey, "they lie", officials said.',
        source=Actor("RUSGOV", "Russia", "RUS", "GOV"),
        target=target,
        code="112",
        root_code="11",
        quad_class=3,
        goldstein=-2.0,
        evidence=Evidence(trigger="accused", rule=rule),
    )


SENTENCES = (
    Sentence("d", 0, -1, "Headline", "title"),
    Sentence("d", 1, 0, 'Russia accused Turkey, "they lie", officials said.', "body"),
)


def test_features_describe_the_event() -> None:
    both = event_features(make(1, Actor("TUR", "Turkey", "TUR")), "body", 2)
    assert both["both_actors"] == 1.0 and "source_only" not in both
    assert both["quote"] == 1.0 and both["verbal_conflict"] == 1.0
    assert both["core_rule"] == 1.0 and "relaxed" not in both
    alone = event_features(make(2, None, rule="SAY.0/relaxed"), "title", 1)
    assert alone["source_only"] == 1.0 and alone["no_target"] == 1.0
    assert alone["relaxed"] == 1.0 and alone["title"] == 1.0
    assert "log_events_in_sentence" not in alone  # log 1 = 0
    igo = event_features(make(3, Actor("IGOUNO", "the UN")), "body", 1)
    assert igo["both_actors"] == 1.0 and igo["kind_actor"] == 1.0
    unknown = event_features(make(4, Actor("---", "someone")), "body", 1)
    assert unknown["source_only"] == 1.0
    assert "in_quote" not in both  # a quote in the sentence is not the event inside one
    quoted = make(5, Actor("TUR", "Turkey", "TUR"))
    quoted = dataclasses.replace(quoted, evidence=Evidence("accused", "core:accuse", ("quote",)))
    assert event_features(quoted, "body", 1)["in_quote"] == 1.0


def test_features_name_the_root_and_how_deep_the_sentence_is() -> None:
    accusation = event_features(make(1, Actor("TUR", "Turkey", "TUR")), "body", 1)
    assert accusation["root_11"] == 1.0 and "root_01" not in accusation
    statement = dataclasses.replace(make(2, None), code="010", root_code="01", quad_class=1)
    assert event_features(statement, "body", 1)["root_01"] == 1.0
    headline = event_features(make(3, None, sentence=0), "title", 1)
    deep = event_features(make(4, None, sentence=30), "body", 1)
    assert "log_sentence_index" not in headline  # log1p(0) = 0
    assert (
        deep["log_sentence_index"] > event_features(make(5, None), "body", 1)["log_sentence_index"]
    )


def test_an_article_that_returns_to_a_dyad_supports_its_events() -> None:
    from tidings.coding import article_features

    turkey = Actor("TUR", "Turkey", "TUR")
    events = [make(1, turkey), make(2, turkey, sentence=0), make(3, Actor("IRN", "Iran", "IRN"))]
    feats = article_features(events, SENTENCES)
    assert feats[0]["log_dyad_support"] == feats[1]["log_dyad_support"] > 0
    assert "log_dyad_support" not in feats[2]  # Russia-Iran comes up once
    assert "log_dyad_support" not in article_features([make(4, None)], SENTENCES)[0]


def test_model_probability_is_a_logistic_function() -> None:
    model = ConfidenceModel("tidings.confidence.test", 0.0, {"a": 2.0}, 0.5)
    assert model.probability({}) == 0.5
    assert model.probability({"a": 1.0}) == pytest.approx(1 / (1 + 2.718281828**-2))
    assert model.probability({"a": -1000.0}) == pytest.approx(0.0)
    assert model.probability({"unknown": 5.0}) == 0.5
    with pytest.raises(ValueError, match="not a Tidings confidence model"):
        ConfidenceModel.from_dict({"name": "other", "bias": 0, "weights": {}, "threshold": 0})


def test_packaged_model_scores_events_and_its_threshold_is_the_default() -> None:
    model = load_confidence_model()
    assert model is not None
    data = json.loads(CONFIDENCE_MODEL_PATH.read_text(encoding="utf-8"))
    assert data["threshold"] == DEFAULT_MIN_CONFIDENCE == model.threshold
    assert data["fitted_on"]["split"] == "tune"
    events = [make(1, Actor("TUR", "Turkey", "TUR")), make(2, None, rule="SAY.0/relaxed")]
    scored = score_events(events, SENTENCES, model)
    assert [e.event_id for e in scored] == ["e1", "e2"]
    assert all(0.0 < e.confidence < 1.0 for e in scored)
    # An identified dyad from a strict frame is more credible than a bare relaxed statement.
    assert scored[0].confidence > scored[1].confidence
    assert scored[0].confidence == round(scored[0].confidence, 4)


@pytest.mark.slow
def test_pipeline_gives_every_event_a_confidence(seed_coded) -> None:
    confidences = [e.confidence for e in seed_coded.events]
    assert confidences and all(0.0 <= c <= 1.0 for c in confidences)
    assert len(set(confidences)) > 1


def test_a_language_with_its_own_file_is_scored_by_its_recalibrated_model() -> None:
    from tidings.coding import confidence_model_path

    assert confidence_model_path("en") == CONFIDENCE_MODEL_PATH
    assert confidence_model_path("xx") == CONFIDENCE_MODEL_PATH  # no file: English's
    ru_path = confidence_model_path("ru")
    assert ru_path.name == "confidence-ru.json"
    english, russian = load_confidence_model(), load_confidence_model(language="ru")
    data = json.loads(ru_path.read_text(encoding="utf-8"))
    assert data["fitted_on"]["split"] == "tune"
    # The same weights, one intercept shift, and the default view's one threshold.
    assert russian.weights == english.weights
    assert russian.threshold == DEFAULT_MIN_CONFIDENCE
    shift = data["fitted_on"]["intercept_shift"]
    assert russian.bias == pytest.approx(english.bias + shift, abs=1e-5)
    features = event_features(make(1, Actor("TUR", "Turkey", "TUR")), "body", 1)
    assert (russian.probability(features) > english.probability(features)) == (shift > 0)
