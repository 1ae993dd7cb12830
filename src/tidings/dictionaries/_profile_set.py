"""Reading ``--dictionaries PATH`` (directory, profile or one file) into a :class:`DictionarySet`.

Part of :mod:`tidings.dictionaries.profile`, whose docstring describes how a
directory is classified, the profile format and the two modes.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from tidings.dictionaries.actors import (
    DictionaryIssue,
    default_actor_files,
    default_agent_files,
    default_discard_files,
)
from tidings.dictionaries.verbs import default_verb_files
from tidings.errors import DictionaryError

Kind = Literal["actors", "agents", "discards", "verbs"]
Mode = Literal["overlay", "replace"]

#: The dictionary kinds a set holds, in the order they are listed.
KINDS: tuple[str, ...] = ("actors", "agents", "discards", "verbs")
#: A directory holding this file is read as the profile it contains.
PROFILE_NAME = "dictionaries.toml"

_DEFAULTS: dict[str, Callable[[], list[Path]]] = {
    "actors": default_actor_files,
    "agents": default_agent_files,
    "discards": default_discard_files,
    "verbs": default_verb_files,
}
# File suffixes read as dictionaries in a directory (besides a kind used as suffix).
_DICT_SUFFIXES = frozenset({".jsonl", ".json", ".ndjson", ".txt", ""})
_JSONL_SUFFIXES = frozenset({".jsonl", ".json", ".ndjson"})
_KIND_SUFFIXES = {
    ".actors": "actors",
    ".agents": "agents",
    ".discards": "discards",
    ".verbs": "verbs",
}


# --------------------------------------------------------------------------- the set


@dataclass(frozen=True)
class DictionarySet:
    """User dictionary files by kind, and how they combine with the packaged ones.

    ``given`` holds the kinds the profile listed (in ``replace`` mode only those
    are replaced).  ``notes`` are what reading the directory or profile noticed
    (ignored files); ``source`` is the directory or profile read.
    """

    actors: tuple[Path, ...] = ()
    agents: tuple[Path, ...] = ()
    discards: tuple[Path, ...] = ()
    verbs: tuple[Path, ...] = ()
    mode: Mode = "overlay"
    given: frozenset[str] = frozenset()
    source: Path | None = None
    notes: tuple[DictionaryIssue, ...] = field(default=(), compare=False)

    def user_files(self, kind: str) -> tuple[Path, ...]:
        if kind not in KINDS:
            raise ValueError(f"unknown dictionary kind {kind!r} (one of {', '.join(KINDS)})")
        return getattr(self, kind)

    def files(self, kind: str) -> list[Path]:
        """The files to load for ``kind``: packaged defaults and/or the user's, in order."""
        user = list(self.user_files(kind))
        if self.mode == "replace" and kind in self.given:
            return user
        return [*_DEFAULTS[kind](), *user]

    def actor_files(self) -> list[Path]:
        return self.files("actors")

    def agent_files(self) -> list[Path]:
        return self.files("agents")

    def discard_files(self) -> list[Path]:
        return self.files("discards")

    def verb_files(self) -> list[Path]:
        return self.files("verbs")

    def all_user_files(self) -> list[tuple[str, Path]]:
        return [(kind, p) for kind in KINDS for p in self.user_files(kind)]


def classify(path: Path) -> str | None:
    """The kind a file name suggests (``None`` when it suggests none)."""
    name = path.name.lower()
    if "discard" in name:
        return "discards"
    if "agent" in name:
        return "agents"
    if "verb" in name or name.startswith("cameo"):
        return "verbs"
    if "actor" in name:
        return "actors"
    return None


def _from_directory(directory: Path) -> tuple[DictionarySet, list[DictionaryIssue]]:
    found: dict[str, list[Path]] = {k: [] for k in KINDS}
    notes: list[DictionaryIssue] = []
    for path in sorted(directory.iterdir(), key=lambda p: p.name.lower()):
        if path.name.startswith(".") or not path.is_file():
            continue
        suffix = path.suffix.lower()
        kind = _KIND_SUFFIXES.get(suffix) or (classify(path) if suffix in _DICT_SUFFIXES else None)
        if kind is None and suffix in _JSONL_SUFFIXES and "issue" not in path.name.lower():
            # Tidings JSONL says what it is (countries.jsonl, tidings.jsonl...)
            kind = _sniff_kind(path)
            if kind is not None:
                notes.append(
                    DictionaryIssue(str(path), 0, f"read as {kind} (from its records)", "note")
                )
        if kind is None:
            why = (
                "issue dictionaries are not used by the pipeline"
                if "issue" in path.name.lower()
                else "its name matches no dictionary kind (actor, agent, discard, verb, CAMEO)"
            )
            notes.append(DictionaryIssue(str(path), 0, f"ignored: {why}", "note"))
            continue
        found[kind].append(path)
    if not any(found.values()):
        notes.append(DictionaryIssue(str(directory), 0, "no dictionary files found", "warning"))
    ds = DictionarySet(
        **{k: tuple(v) for k, v in found.items()},
        mode="overlay",
        given=frozenset(k for k, v in found.items() if v),
        source=directory,
        notes=tuple(notes),
    )
    return ds, notes


def _from_profile(profile: Path) -> tuple[DictionarySet | None, list[DictionaryIssue]]:
    name = str(profile)
    try:
        data = tomllib.loads(profile.read_text(encoding="utf-8"))
    except OSError as exc:
        return None, [DictionaryIssue(name, 0, f"cannot read profile: {exc.strerror}")]
    except UnicodeDecodeError as exc:
        return None, [DictionaryIssue(name, 0, f"profile is not UTF-8 ({exc.reason})")]
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or _toml_error_line(str(exc))
        return None, [DictionaryIssue(name, line, f"invalid TOML: {_toml_error_text(exc)}")]
    issues: list[DictionaryIssue] = []
    lines = _key_lines(profile)
    mode = data.get("mode", "overlay")
    if mode not in ("overlay", "replace"):
        issues.append(
            DictionaryIssue(
                name, lines.get("mode", 0), f"mode must be 'overlay' or 'replace', not {mode!r}"
            )
        )
        mode = "overlay"
    for key in data:
        if key not in KINDS and key != "mode":
            issues.append(
                DictionaryIssue(
                    name,
                    lines.get(key, 0),
                    f"unknown key {key!r} (expected mode, {', '.join(KINDS)}); ignored",
                    "warning",
                )
            )
    files: dict[str, list[Path]] = {k: [] for k in KINDS}
    given = set()
    for kind in KINDS:
        if kind not in data:
            continue
        value = data[kind]
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            issues.append(
                DictionaryIssue(
                    name, lines.get(kind, 0), f"{kind} must be a list of file paths (strings)"
                )
            )
            continue
        given.add(kind)
        for rel in value:
            path = (profile.parent / rel).resolve() if not Path(rel).is_absolute() else Path(rel)
            if not path.is_file():
                issues.append(
                    DictionaryIssue(name, lines.get(kind, 0), f"{kind}: file not found: {rel}")
                )
                continue
            files[kind].append(path)
    ds = DictionarySet(
        **{k: tuple(v) for k, v in files.items()},
        mode=mode,
        given=frozenset(given),
        source=profile,
        notes=tuple(i for i in issues if i.level != "error"),
    )
    return ds, issues


def _toml_error_line(message: str) -> int:
    import re

    m = re.search(r"line (\d+)", message)
    return int(m.group(1)) if m else 0


def _toml_error_text(exc: Exception) -> str:
    return str(exc).split(" (at line", 1)[0]


def _key_lines(profile: Path) -> dict[str, int]:
    """Line of each top-level ``key =`` in the profile, for issue messages."""
    out: dict[str, int] = {}
    try:
        text = profile.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return out
    for number, line in enumerate(text.splitlines(), 1):
        key, sep, _ = line.partition("=")
        key = key.strip()
        if sep and key and not key.startswith("#"):
            out.setdefault(key, number)
    return out


def _read_set(path: Path) -> tuple[DictionarySet | None, list[DictionaryIssue]]:
    path = Path(path)
    if path.is_dir():
        if (path / PROFILE_NAME).is_file():
            return _from_profile(path / PROFILE_NAME)
        return _from_directory(path)
    if path.is_file():
        if path.suffix.lower() == ".toml":
            return _from_profile(path)
        kind = _sniff_kind(path)
        if kind is None:
            return None, [DictionaryIssue(str(path), 0, "cannot tell which kind of dictionary")]
        ds = DictionarySet(**{kind: (path,)}, mode="overlay", given=frozenset({kind}), source=path)
        return ds, []
    return None, [DictionaryIssue(str(path), 0, "no such file or directory")]


def load_dictionary_set(path: Path | str) -> DictionarySet:
    """Read ``--dictionaries PATH``: a directory, a profile (``*.toml``) or one dictionary file.

    Raises :class:`DictionaryError` (``file:line: message``) when the profile is
    invalid or names a missing file; notes about ignored files are kept in
    :attr:`DictionarySet.notes`.
    """
    ds, issues = _read_set(Path(path))
    errors = [i for i in issues if i.level == "error"]
    if ds is None or errors:
        first = errors[0] if errors else issues[0]
        raise DictionaryError(f"{first.file}:{first.line}: {first.message}")
    return ds


def _sniff_kind(path: Path) -> str | None:
    """The kind of one file: from its name, else from its content."""
    kind = _KIND_SUFFIXES.get(path.suffix.lower()) or classify(path)
    if kind is not None:
        return kind
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    first = next((ln for ln in lines if not ln.startswith("#")), "")
    if first.startswith("{"):
        try:
            record = json.loads(first)
        except json.JSONDecodeError:
            return None
        if not isinstance(record, dict) or "category" in record or "ignore" in record:
            return None  # not a dictionary kind the pipeline reads (issues)
        if "lemma" in record:
            return "verbs"
        if "codes" in record or "type" in record:
            return "actors"
        if "scope" in record or "stem" in record:
            return "discards"
        if "code" in record and "names" in record:
            return "agents"
        return None
    if any(ln.startswith("---") and "[" in ln for ln in lines):
        return "verbs"
    if any("[~" in ln or "~]" in ln for ln in lines):
        return "agents"
    if any("[" in ln for ln in lines):
        return "actors"
    return "discards"
