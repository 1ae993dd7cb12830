"""CAMEO event coding on dependency parses."""

from __future__ import annotations

from tidings.coding._coder import SYMMETRIC_LEMMAS, UNKNOWN_ACTOR, Coder
from tidings.coding._modality import modality_of

__all__ = ["SYMMETRIC_LEMMAS", "UNKNOWN_ACTOR", "Coder", "modality_of"]
