"""The exception tree.

Every error Tidings raises on purpose derives from :class:`TidingsError`, so
the CLI can turn any of them into a one-line message and a non-zero exit
while letting genuine bugs surface with a traceback.
"""

from __future__ import annotations


class TidingsError(Exception):
    """Base class of all expected Tidings errors."""


class InputError(TidingsError):
    """An input could not be read or parsed (missing, empty, binary...)."""


class DictionaryError(TidingsError):
    """A dictionary file is malformed; the message names file and line."""


class ModelError(TidingsError):
    """The spaCy pipeline asked for is not installed or cannot be loaded."""


class StoreError(TidingsError):
    """The event store cannot be opened, migrated or written."""
