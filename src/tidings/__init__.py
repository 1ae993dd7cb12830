"""Tidings: news articles in, CAMEO-coded political event data out."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING

from tidings.errors import DictionaryError, InputError, ModelError, StoreError, TidingsError
from tidings.model import Actor, Article, CodedArticle, Event, Evidence, Paragraph, Place, Sentence

if TYPE_CHECKING:
    from tidings.analytics import EventStore

__version__ = "0.1.0"


def open(path: str | Path = "tidings.duckdb", *, read_only: bool = True) -> EventStore:
    """Open an event store for analysis: ``tidings.open("tidings.duckdb").events(...).df()``.

    Returns a :class:`tidings.analytics.EventStore` (read-only unless
    ``read_only=False``; a store written by an older Tidings is migrated
    first).  Use it as a context manager to release the file promptly.

    The analytics package is imported here, on first use, so ``import
    tidings`` stays cheap; and through importlib because every layer imports
    this package for ``__version__``: a static import would make the layer
    contract see them all depend on the analytics layer.  (The typing-only
    import above is excluded from the contract by
    ``exclude_type_checking_imports``.)
    """
    analytics = importlib.import_module("tidings.analytics")
    return analytics.EventStore(path, read_only=read_only)


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
# `open` is deliberately not in __all__: `from tidings import *` must not
# shadow the builtin open() in the importing module.
