"""The options of ``tidings aftermath``, ``forecast`` and ``backtest``, generated from the table.

Each command's options come from
:data:`tidings.analytics._study_options.STUDY_OPTIONS` (one option per
declared entry for that command, ``min_events`` becoming ``--min-events``),
and their values go through the same
:func:`~tidings.analytics._study_options.parse_option_strings` as the HTTP
parameters, so a study option is declared once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from tidings.analytics._study_options import (
    Command,
    StudyOption,
    options_for,
    parse_option_strings,
)

__all__ = ["study_options", "take_study_options"]


def _option(spec: StudyOption, command: Command) -> Callable[[Any], Any]:
    if spec.kind == "flag":
        if spec.default:  # switched off on the command line: --no-placebo
            return click.option(
                spec.option, spec.name, is_flag=True, flag_value=False, default=True,
                help=spec.help,
            )  # fmt: skip
        return click.option(spec.option, spec.name, is_flag=True, default=False, help=spec.help)
    common: dict[str, Any] = {"help": spec.help, "metavar": spec.metavar or spec.kind.upper()}
    if spec.kind == "pair":
        return click.option(
            spec.option, spec.name, nargs=2, default=None,
            required=command in spec.required, **common,
        )  # fmt: skip
    if spec.kind == "choice":
        kind: Any = click.Choice(spec.choices)
        common.pop("metavar")
    elif spec.kind == "int":
        kind = click.IntRange(spec.low, spec.high)
    else:
        kind = str
    show = spec.default is not None
    return click.option(
        spec.option, spec.name, type=kind, default=spec.default, show_default=show, **common
    )


def study_options(command: Command) -> Callable[[Any], Any]:
    """A decorator adding the declared command-line options of ``command``."""

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        for spec in reversed(options_for(command, "cli")):
            function = _option(spec, command)(function)
        return function

    return decorate


def take_study_options(command: Command, params: dict[str, Any]) -> dict[str, Any]:
    """Remove the study options from a command's ``params`` and return them checked.

    Presentation options (``format``, ``plot``) are returned too; the
    command takes them out before calling the API.
    """
    raw = {spec.name: params.pop(spec.name) for spec in options_for(command, "cli")}
    for spec in options_for(command, "cli"):
        if command in spec.required and not raw[spec.name]:
            raise click.UsageError(f"Missing option '{spec.option}' ({spec.help})")
    return {**parse_option_strings(command, raw), **{k: v for k, v in raw.items() if v is None}}
