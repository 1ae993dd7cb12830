"""The filter options of the query commands, generated from the filter table.

``tidings events``, ``timeline``, ``dyads`` and ``export`` take the filters
of :data:`tidings.store.filters.FILTERS`, one option per filter
(``actor_country`` becomes ``--actor-country``), so a filter declared there
reaches the command line without code here.  Repeatable filters take the
option several times or comma-separated values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import click

from tidings.cli._options import ALL_MODALITIES, all_modalities_option
from tidings.store.filters import (
    FILTERS,
    FilterError,
    FilterSpec,
    make_filters,
    parse_filter_strings,
)


def _option(spec: FilterSpec) -> Callable[[Any], Any]:
    if spec.kind == "flag":
        return click.option(spec.option, spec.name, is_flag=True, default=False, help=spec.help)
    help_text = spec.help + (" Repeatable." if spec.multiple else "")
    return click.option(
        spec.option,
        spec.name,
        multiple=spec.multiple,
        default=None,
        metavar=spec.metavar,
        help=help_text,
    )


def filter_options(
    *, exclude: Iterable[str] = (), only: Iterable[str] | None = None
) -> Callable[[Any], Any]:
    """A decorator adding one option per declared filter (but ``exclude``; or just those
    in ``only``), and ``--all-modalities`` (the same as ``--modality all``) when the
    modality filter is among them."""
    skipped = set(exclude)
    if only is not None:
        skipped |= {spec.name for spec in FILTERS} - set(only)

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        options = [_option(spec) for spec in FILTERS if spec.name not in skipped]
        if "modality" not in skipped:
            options.append(all_modalities_option())
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


def take_filters(params: dict[str, Any]) -> dict[str, Any]:
    """Remove the filter options from a command's ``params``; return the API's filters.

    A bad value is a usage error naming the option.
    """
    every = params.pop(ALL_MODALITIES, False)
    raw = {spec.name: params.pop(spec.name) for spec in FILTERS if spec.name in params}
    if every:
        if raw.get("modality"):
            raise click.UsageError("give --modality or --all-modalities, not both")
        raw["modality"] = ("all",)
    try:
        filters = parse_filter_strings(raw)
        make_filters(**filters)  # check the values now, to name the option
        return filters
    except FilterError as exc:
        option = "--" + exc.name.replace("_", "-")
        raise click.BadParameter(exc.message, param_hint=option) from None
