"""Tidings: news articles in, CAMEO-coded political event data out."""

from __future__ import annotations

from tidings.errors import DictionaryError, InputError, ModelError, StoreError, TidingsError
from tidings.model import Actor, Article, CodedArticle, Event, Evidence, Paragraph, Place, Sentence

__version__ = "0.1.0"

__all__ = [
    "Actor",
    "Article",
    "CodedArticle",
    "DictionaryError",
    "Event",
    "Evidence",
    "InputError",
    "ModelError",
    "Paragraph",
    "Place",
    "Sentence",
    "StoreError",
    "TidingsError",
    "__version__",
]
