"""Options several commands share, declared once."""

from __future__ import annotations

import click

from tidings.model import DEFAULT_MIN_CONFIDENCE

__all__ = ["ALL_MODALITIES", "all_modalities_option", "min_confidence_option"]

#: The parameter name ``--all-modalities`` gives a command.
ALL_MODALITIES = "all_modalities"


def min_confidence_option(what: str = "events"):
    """``--min-confidence X``: the confidence threshold of the default view (None: default)."""
    return click.option(
        "--min-confidence",
        type=click.FloatRange(0.0, 1.0),
        default=None,
        help=f"Leave out {what} whose calibrated confidence is below X (default "
        f"{DEFAULT_MIN_CONFIDENCE}, the default view; 0 shows every event).",
    )


def all_modalities_option(what: str = "Every modality."):
    """``--all-modalities``: events of every modality, not only the default view's
    (``DEFAULT_MODALITIES``)."""
    return click.option("--all-modalities", ALL_MODALITIES, is_flag=True, help=what)
