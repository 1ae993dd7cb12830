"""The options of the studies (aftermath, forecast, backtest), declared once.

As :data:`tidings.store.filters.FILTERS` does for the event filters, one
table (:data:`STUDY_OPTIONS`: name, kind, help, default, which commands
take it and on which surfaces) drives the command-line options
(:mod:`tidings.cli._study`), the HTTP query parameters of ``/api/aftermath``
(:mod:`tidings.web._aftermath`), and is checked against the Python API's
keyword arguments (``store.aftermath``; a test compares signatures and
defaults).  Values given as strings (a command line, a URL) are read by
:func:`parse_option_strings`, so every surface goes through the same checks.

``surfaces`` says where an option exists: ``api`` (a keyword of the Python
API), ``cli``, ``http``.  ``--format`` and ``--plot`` are presentation and
live only on the command line; HTTP always answers JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from tidings.errors import InputError

Kind = Literal["date", "text", "code", "pair", "flag", "choice", "int", "window", "ints"]
Command = Literal["aftermath", "forecast", "backtest"]

ALL: tuple[Command, ...] = ("aftermath", "forecast", "backtest")
OUTPUTS = ("table", "csv", "json")


@dataclass(frozen=True, slots=True)
class StudyOption:
    """One option: its name everywhere, kind, help, default and where it applies.

    ``cli`` overrides the option's command-line spelling (``--no-placebo``
    for ``placebo``: an option whose default is true is switched off there);
    ``required`` lists the commands that need it.
    """

    name: str
    kind: Kind
    help: str
    default: Any = None
    commands: tuple[Command, ...] = ALL
    surfaces: tuple[str, ...] = ("api", "cli", "http")
    choices: tuple[str, ...] = ()
    low: int | None = None
    high: int | None = None
    metavar: str | None = None
    cli: str | None = None
    required: tuple[Command, ...] = ()

    @property
    def option(self) -> str:
        """The command-line option: ``--min-events`` for ``min_events``."""
        return self.cli or "--" + self.name.replace("_", "-")


#: Every study option, in documentation order.  The single definition.
STUDY_OPTIONS: tuple[StudyOption, ...] = (
    StudyOption("date", "date", "Trigger date (YYYY-MM-DD).", commands=("aftermath",),
                metavar="DATE"),
    StudyOption("event", "text", "Trigger event id from the store.", commands=("aftermath",),
                metavar="ID"),
    StudyOption("dyad", "pair", "The dyad, A -> B (HTTP: dyad=A,B).",
                commands=("aftermath", "forecast"), metavar="A B", required=("forecast",)),
    StudyOption("both_ways", "flag", "Count B -> A as well.", default=False,
                commands=("aftermath",)),
    StudyOption("actor", "code", "One actor against everyone (instead of a dyad).",
                commands=("aftermath",), metavar="CODE"),
    StudyOption("before", "window", "Window before the trigger: 26w, 180d, 6m or periods.",
                default="26w", commands=("aftermath",)),
    StudyOption("after", "window", "Window after the trigger.", default="8w",
                commands=("aftermath",)),
    StudyOption("by", "choice", "Period of the series.", default="week",
                choices=("day", "week", "month")),
    StudyOption("placebo", "flag", "Placebo test at other trigger dates (on unless switched off).",
                default=True, commands=("aftermath",), cli="--no-placebo"),
    StudyOption("merged", "flag", "Count merged events (see tidings merge).", default=False),
    StudyOption("level", "choice",
                "Group actors by country (ICEWS 'Police (Australia)' -> AUS) or keep codes.",
                default="country", choices=("country", "code"),
                commands=("forecast", "backtest")),
    StudyOption("min_events", "int",
                "Dyads with at least this many events train (and, in backtest, are scored).",
                default=52, low=1, commands=("forecast", "backtest")),
    StudyOption("horizon", "int", "Periods ahead to forecast.", default=4, low=1, high=52,
                commands=("forecast",)),
    StudyOption("level_pct", "int", "Width of the prediction intervals (percent).",
                default=90, low=50, high=99, commands=("forecast",)),
    StudyOption("origins", "int", "Forecast origins (the last periods of the data).",
                default=12, low=1, high=520, commands=("backtest",)),
    StudyOption("horizons", "ints", "Steps ahead to score, e.g. 1,2,3,4.", default="1,2,3,4",
                commands=("backtest",)),
    StudyOption("quad", "int", "Score counts of one QuadClass (0: all events).", default=0,
                low=0, high=4, commands=("backtest",)),
    StudyOption("format", "choice", "Output format.", default="table", choices=OUTPUTS,
                surfaces=("cli",)),
    StudyOption("plot", "text", "Write a chart (.png, .svg or .pdf).", commands=("aftermath",),
                surfaces=("cli",), metavar="FILE"),
)  # fmt: skip

_BY_NAME = {o.name: o for o in STUDY_OPTIONS}


def options_for(command: Command, surface: str) -> tuple[StudyOption, ...]:
    """The options ``command`` takes on ``surface`` (``api``, ``cli`` or ``http``)."""
    return tuple(o for o in STUDY_OPTIONS if command in o.commands and surface in o.surfaces)


def defaults(command: Command, surface: str = "api") -> dict[str, Any]:
    """Each option's default for ``command`` (what the Python API's signature must show)."""
    return {o.name: o.default for o in options_for(command, surface)}


def parse_option_strings(command: Command, raw: Mapping[str, Any]) -> dict[str, Any]:
    """The API's keyword values for options given as strings (a URL, a command line).

    Absent values are left out so that the API's defaults apply; a bad value
    is an InputError naming the option.
    """
    out: dict[str, Any] = {}
    for name, value in raw.items():
        spec = _BY_NAME.get(name)
        if spec is None or command not in spec.commands:
            raise InputError(f"{command} has no option {name!r}")
        if value is None or value == "" or value == ():
            continue
        out[name] = _read(spec, value)
    return out


def _read(spec: StudyOption, value: Any) -> Any:
    kind, name = spec.kind, spec.name
    if kind == "flag":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        raise InputError(f"{name}: expected true or false, got {value!r}")
    if kind == "pair":
        parts = (
            [p.strip() for p in value.split(",")]
            if isinstance(value, str)
            else [str(p).strip() for p in value]
        )
        if len(parts) != 2 or not all(parts):
            raise InputError(f"{name}: expected two actors A,B, got {value!r}")
        return (parts[0].upper(), parts[1].upper())
    if kind == "choice":
        if value not in spec.choices:
            raise InputError(f"{name}: expected one of {', '.join(spec.choices)}, got {value!r}")
        return value
    if kind == "int":
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise InputError(f"{name}: {value!r} is not a whole number") from None
        if (spec.low is not None and number < spec.low) or (
            spec.high is not None and number > spec.high
        ):
            raise InputError(f"{name}: {number} is outside {spec.low}..{spec.high}")
        return number
    if kind == "ints":
        return parse_steps(name, value)
    if kind == "code":
        return str(value).strip().upper()
    return str(value).strip()


def parse_steps(name: str, value: Any) -> tuple[int, ...]:
    """``"1,2,4"`` (or a sequence of ints) as sorted distinct positive steps."""
    items = value.split(",") if isinstance(value, str) else list(value)
    try:
        steps = tuple(sorted({int(str(h).strip()) for h in items if str(h).strip()}))
    except ValueError:
        raise InputError(f"{name}: {value!r} is not a list like 1,2,3,4") from None
    if not steps or min(steps) < 1:
        raise InputError(f"{name}: steps must be positive whole numbers")
    return steps


def study_options_markdown() -> str:
    """The documentation's table of study options, from :data:`STUDY_OPTIONS`."""
    lines = ["| option | commands | CLI | HTTP | default | meaning |", "|---|---|---|---|---|---|"]
    for o in STUDY_OPTIONS:
        http = f"`{o.name}`" if "http" in o.surfaces else "–"
        cli = f"`{o.option}`" if "cli" in o.surfaces else "–"
        default = "–" if o.default is None else f"`{o.default}`"
        commands = ", ".join(o.commands)
        lines.append(f"| `{o.name}` | {commands} | {cli} | {http} | {default} | {o.help} |")
    return "\n".join(lines) + "\n"
