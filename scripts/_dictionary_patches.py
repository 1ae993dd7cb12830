"""Read and check the hand-written tables of ``scripts/dictionary_patches/``.

``scripts/build_dictionaries.py`` converts the Phoenix dictionaries; what it
adds of ours (source fixes, capitals, place spans, excluded names, the
supplement) is data, so it lives in TOML files beside the script rather than
in its code.  This module turns those files into the plain tuples and dicts
the build uses, and stops with a :class:`PatchError` naming the file, the entry
and the field when a table is malformed: a typo in a hand-edited file must not
quietly change the dictionaries.
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection, Container
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PATCH_DIR = Path(__file__).resolve().parent / "dictionary_patches"

#: The files, in the order the build reads them.
PATCH_FILES = ("source_fixes.toml", "places.toml", "names.toml", "supplement.toml")


class PatchError(ValueError):
    """A dictionary patch file that cannot be read or has the wrong shape."""


@dataclass(frozen=True)
class Fix:
    """Replace ``old`` by ``new`` on ``line`` of a source file (``None``: on every line)."""

    line: int | None
    old: str
    new: str
    why: str


@dataclass(frozen=True)
class SupplementActor:
    """One of our actors (src ``tidings``), with a single undated code."""

    id: str
    type: str
    names: tuple[str, ...]
    code: str
    note: str | None


@dataclass(frozen=True)
class Patches:
    """Every table the build reads; see the comments in each TOML file."""

    fixes: dict[str, tuple[Fix, ...]]  # source file name -> its fixes, in order
    capitals: dict[str, tuple[str, ...]]  # country-level code -> capital spellings
    place_spans: dict[str, tuple[tuple[str, str | None], ...]]  # entry id -> (first, last)
    subnational: dict[str, str]  # entry id -> why
    split_every_name: frozenset[str]
    excluded_names: dict[str, str]  # name -> why
    kept_ambiguous: dict[str, str]  # name -> why
    supplement: tuple[SupplementActor, ...]
    agent_supplement: tuple[tuple[tuple[str, ...], str], ...]  # (names, code)


def load_patches(directory: Path = PATCH_DIR, sources: Collection[str] = ()) -> Patches:
    """Read and check the patch tables in ``directory``.

    ``sources`` are the source file names fixes may name (empty: any); a
    misspelt one would otherwise leave its fixes silently unapplied.
    """
    fixes_doc, places, names, supplement = (
        _Table(directory / name, _read_toml(directory / name)) for name in PATCH_FILES
    )
    fixes_doc.only("fix")
    places.only("capitals", "place_span", "subnational")
    names.only("excluded", "kept_ambiguous")
    supplement.only("actors", "agent")

    fixes: dict[str, list[Fix]] = {}
    for item in fixes_doc.entries("fix", "file", "line", "old", "new", "why"):
        line = item.get("line", int, optional=True)
        if line is not None and line < 1:
            raise item.error("line", "must be a line number (1 or more)")
        file = item.text("file")
        if sources and file not in sources:
            raise item.error("file", f"{file!r} is not a source file ({', '.join(sources)})")
        fix = Fix(line, item.text("old"), item.get("new", str), item.text("why"))
        fixes.setdefault(file, []).append(fix)

    capitals = {
        code: _strings(places, f"capitals.{code}", spellings)
        for code, spellings in places.mapping("capitals", list).items()
    }
    place_spans: dict[str, tuple[tuple[str, str | None], ...]] = {}
    for item in places.entries("place_span", "entry", "spans", "why"):
        spans = []
        for i, span in enumerate(item.get("spans", list)):
            bounds = _Table(places.path, span, f"{item.where}.spans[{i}]").only("first", "last")
            spans.append((bounds.text("first"), bounds.get("last", str, optional=True)))
        if not spans:
            raise item.error("spans", "must list at least one span")
        item.text("why")
        place_spans[item.unique_id(place_spans)] = tuple(spans)
    subnational: dict[str, str] = {}
    split_every_name = set()
    for item in places.entries("subnational", "entry", "why", "split_every_name"):
        entry = item.unique_id(subnational)
        subnational[entry] = item.text("why")
        if item.get("split_every_name", bool, optional=True):
            split_every_name.add(entry)

    actors: list[SupplementActor] = []
    for item in supplement.entries("actors", "id", "type", "names", "code", "note", "why"):
        item.get("why", str, optional=True)
        actors.append(
            SupplementActor(
                item.unique_id({a.id for a in actors}, key="id"),
                item.text("type"),
                _strings(supplement, f"{item.where}.names", item.get("names", list)),
                item.text("code"),
                item.get("note", str, optional=True),
            )
        )
    agents = []
    for item in supplement.entries("agent", "names", "code", "why"):
        item.get("why", str, optional=True)
        agent_names = _strings(supplement, f"{item.where}.names", item.get("names", list))
        agents.append((agent_names, item.text("code")))

    return Patches(
        fixes={file: tuple(items) for file, items in fixes.items()},
        capitals=capitals,
        place_spans=place_spans,
        subnational=subnational,
        split_every_name=frozenset(split_every_name),
        excluded_names=names.mapping("excluded", str),
        kept_ambiguous=names.mapping("kept_ambiguous", str),
        supplement=tuple(actors),
        agent_supplement=tuple(agents),
    )


# --------------------------------------------------------------------------- checking


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise PatchError(f"{path}: missing (the build reads {', '.join(PATCH_FILES)})") from None
    except tomllib.TOMLDecodeError as exc:
        raise PatchError(f"{path}: not valid TOML: {exc}") from None


def _strings(table: _Table, where: str, values: list[Any]) -> tuple[str, ...]:
    """A non-empty list of non-empty strings, as a tuple."""
    if not values or not all(isinstance(v, str) and v for v in values):
        raise PatchError(f"{table.path}: {where}: must be a non-empty list of non-empty strings")
    return tuple(values)


class _Table:
    """A TOML table being checked; errors name the file and the field's path."""

    def __init__(self, path: Path, data: Any, where: str = "") -> None:
        if not isinstance(data, dict):
            raise PatchError(f"{path}: {where or 'top level'}: must be a table")
        self.path, self.data, self.where = path, data, where

    def error(self, key: str, problem: str) -> PatchError:
        place = f"{self.where}.{key}" if self.where else key
        return PatchError(f"{self.path}: {place}: {problem}")

    def only(self, *fields: str) -> _Table:
        """Reject fields other than ``fields``: a misspelt key is an error, not a no-op."""
        for key in self.data:
            if key not in fields:
                raise self.error(key, f"unknown field (known: {', '.join(fields)})")
        return self

    def get(self, key: str, kind: type, *, optional: bool = False) -> Any:
        if key not in self.data:
            if optional:
                return None
            raise self.error(key, "missing")
        value = self.data[key]
        # bool is an int in Python, but `line = true` is a typo, not line 1
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.error(key, f"must be {_KIND_NAMES[kind]}, not {value!r}")
        return value

    def text(self, key: str) -> str:
        """A required non-empty string."""
        value = self.get(key, str)
        if not value:
            raise self.error(key, "must not be empty")
        return value

    def entries(self, key: str, *fields: str) -> list[_Table]:
        """An array of tables (``[[key]]`` or ``key = [{...}, ...]``) with only ``fields``."""
        items = enumerate(self.get(key, list))
        return [_Table(self.path, item, f"{key}[{i}]").only(*fields) for i, item in items]

    def mapping(self, key: str, kind: type) -> dict[str, Any]:
        """A table of ``name = value``, every value of ``kind``."""
        table = _Table(self.path, self.get(key, dict), key)
        return {name: table.get(name, kind) for name in table.data}

    def unique_id(self, known: Container[str], key: str = "entry") -> str:
        """A required string ``key`` not already in ``known``."""
        value = self.text(key)
        if value in known:
            raise self.error(key, f"{value!r} is listed twice")
        return value


_KIND_NAMES = {
    str: "a string",
    int: "an integer",
    bool: "true or false",
    list: "a list",
    dict: "a table",
}
