"""The event-class model: deterministic split, training that learns, packaged weights."""

from __future__ import annotations

import numpy as np

from tidings.coding import EventClassModel, in_heldout_split, load_default_model
from tidings.coding._classifier import DEFAULT_MODEL_PATH, train


def test_heldout_split_is_deterministic_and_about_a_fifth():
    sentences = [f"Sentence number {i} about talks." for i in range(2000)]
    first = [in_heldout_split(s) for s in sentences]
    assert first == [in_heldout_split(s) for s in sentences]
    assert 0.15 < sum(first) / len(first) < 0.25
    # whitespace does not move a sentence between splits
    assert in_heldout_split("a  b c") == in_heldout_split("a b c")


def test_training_learns_a_separable_toy_problem(tmp_path):
    samples = [(["bias", f"w=word{c}", f"cand={c}"], c) for c in range(5) for _ in range(20)]
    model = train(samples, dim=1 << 10, epochs=10)
    for c in range(5):
        assert model.predict_proba(["bias", f"w=word{c}", f"cand={c}"]).argmax() == c
    path = tmp_path / "m.npz"
    model.save(path)
    again = EventClassModel.load(path)
    probs = again.predict_proba(["bias", "w=word3"])
    assert probs.shape == (5,) and abs(float(probs.sum()) - 1.0) < 1e-5
    assert probs.argmax() == 3


def test_packaged_model_is_small_and_loads():
    assert DEFAULT_MODEL_PATH.stat().st_size < 20 * 1024 * 1024
    model = load_default_model()
    assert model is not None
    assert model.meta["name"] == "tidings.event_class.v1"
    assert model.meta["heldout_sentences"] > 100
    probs = model.predict_proba(["bias", "w=attack", "w=kill", "cand=4", "cand0=4"])
    assert np.isclose(probs.sum(), 1.0, atol=1e-5)
    assert probs.argmax() == 4


def test_coder_orders_events_by_model_and_names_the_rule(code_text):
    events = code_text("Russia accused Ukraine of attacking Russian troops.")
    assert events and events[0].root_code == "11"
    assert all(e.evidence.rule for e in events)
