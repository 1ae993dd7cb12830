"""CAMEO event coding on dependency parses."""

from __future__ import annotations

from tidings.coding._classifier import EventClassModel, in_heldout_split, load_default_model
from tidings.coding._coder import Coder
from tidings.coding._confidence import (
    ConfidenceModel,
    article_features,
    confidence_model_path,
    event_features,
    load_confidence_model,
    score_events,
)
from tidings.coding._conventions import SYMMETRIC_LEMMAS
from tidings.coding._frames import UNKNOWN_ACTOR
from tidings.coding._modality import modality_of
from tidings.coding._russian import RussianCoder
from tidings.coding._russian_modality import russian_modality

__all__ = [
    "SYMMETRIC_LEMMAS",
    "UNKNOWN_ACTOR",
    "Coder",
    "ConfidenceModel",
    "EventClassModel",
    "RussianCoder",
    "article_features",
    "confidence_model_path",
    "event_features",
    "in_heldout_split",
    "load_confidence_model",
    "load_default_model",
    "modality_of",
    "russian_modality",
    "score_events",
]
