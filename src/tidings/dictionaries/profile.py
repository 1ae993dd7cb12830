"""Bring your own dictionaries: a directory or a profile file, overlaying or replacing ours.

``--dictionaries PATH`` names either

* a **directory** of dictionary files, classified by file name (case-insensitive):
  ``*discard*`` -> discards, ``*agent*`` -> agents, ``*verb*`` or ``CAMEO*`` ->
  verbs, ``*actor*`` -> actors (checked in that order); a Tidings JSONL file whose
  name says nothing (``countries.jsonl``) is classified by its first record.  Files
  may be Tidings JSONL or PETRARCH/TABARI text (``.txt``, ``.actors``..., sniffed
  per file as the loaders do).  Other files (and issue dictionaries, which the
  pipeline does not use) are ignored with a note.  A directory is always an
  *overlay*; one that holds a ``dictionaries.toml`` is read as that profile
  instead; or
* a **profile** (TOML, any ``*.toml`` file)::

      mode = "overlay"            # or "replace"; default "overlay"
      actors = ["my.actors.txt", "more_actors.jsonl"]
      agents = ["my.agents.txt"]
      discards = []
      verbs = ["my.verbs.txt"]

  Paths are relative to the profile's directory.

Modes:

* ``overlay``: our packaged files first, the user's after them, so the user's
  entries win: an actor or agent with the same ``id`` replaces ours, and a verb
  file replaces *every* rule of each lemma it has rules for (see
  :func:`tidings.dictionaries.verbs.load_verb_lexicon`).
* ``replace``: for each kind the profile *lists*, only the user's files are used;
  a kind it does not list keeps our packaged files.  ``discards = []`` therefore
  means "no discards at all", while leaving ``discards`` out keeps ours.  (So a
  profile that only brings verbs replaces our verbs and keeps our actors.)

Then :func:`load_dictionaries` reads everything into entries and a verb lexicon
(PETRARCH verb files are converted at run time by
:mod:`tidings.dictionaries._petrarch_verbs`), and :func:`check_dictionary`
validates any file, directory or profile and returns its problems by file and line
(``tidings dictionaries check``).
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from tidings.dictionaries._petrarch_verbs import (
    Lemmatize,
    RuleLemmatizer,
    SpacyLemmatizer,
    parse_verb_file,
)
from tidings.dictionaries.actors import (
    ActorEntry,
    AgentEntry,
    DictionaryIssue,
    _actor_from_record,
    _Field,
    _is_jsonl,
    _overlay,
    default_actor_files,
    default_agent_files,
    default_discard_files,
    load_actor_entries,
    load_agent_entries,
    load_discards,
)
from tidings.dictionaries.verbs import (
    VerbLexicon,
    VerbRule,
    _rule_from_record,
    default_verb_files,
    read_verb_rules,
)
from tidings.errors import DictionaryError

__all__ = [
    "KINDS",
    "PROFILE_NAME",
    "DictionarySet",
    "LoadedDictionaries",
    "RuleLemmatizer",
    "SpacyLemmatizer",
    "check_dictionary",
    "classify",
    "load_dictionaries",
    "load_dictionary_set",
    "load_verb_lexicon_any",
]

Kind = Literal["actors", "agents", "discards", "verbs"]
Mode = Literal["overlay", "replace"]
IssueHandler = Callable[[DictionaryIssue], None]

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


# --------------------------------------------------------------------------- loading


def _report(issue: DictionaryIssue, on_issue: IssueHandler | None) -> None:
    if on_issue is not None:
        on_issue(issue)
    elif issue.level == "error":
        raise DictionaryError(f"{issue.file}:{issue.line}: {issue.message}")


def load_verb_lexicon_any(
    paths: Iterable[Path | str] | None = None,
    lemmatize: Lemmatize | SpacyLemmatizer | RuleLemmatizer | None = None,
    *,
    on_issue: IssueHandler | None = None,
) -> VerbLexicon:
    """Load verb files of either format, overlaid per lemma as ``load_verb_lexicon`` does.

    JSONL files are read with :func:`~tidings.dictionaries.verbs.read_verb_rules`
    (a malformed line raises :class:`DictionaryError`); PETRARCH/TABARI files are
    converted with :func:`~tidings.dictionaries._petrarch_verbs.parse_verb_file`
    using ``lemmatize`` (a :class:`SpacyLemmatizer` over the pipeline's model
    gives the lemmas the coder will see; the default is the rule-based
    fallback).  Their issues go to ``on_issue``; without a handler the first
    error raises, as with the actor loaders.  A later file replaces every earlier
    rule of each (lemma, POS) it has rules for.  ``paths=None`` loads the
    packaged files.
    """
    paths = default_verb_files() if paths is None else [Path(p) for p in paths]
    rules: list[VerbRule] = []
    for path in paths:
        path = Path(path)
        if not path.is_file():
            raise DictionaryError(f"{path}: verb dictionary not found")
        if _is_jsonl(path):
            layer = read_verb_rules(path)
        else:
            layer, issues = parse_verb_file(path, lemmatize)
            for issue in issues:
                _report(issue, on_issue)
        shadowed = {(r.lemma, r.pos) for r in layer}
        rules = [r for r in rules if (r.lemma, r.pos) not in shadowed]
        rules.extend(layer)
    return VerbLexicon(rules)


def _load_actors(paths: list[Path], on_issue: IssueHandler) -> list[ActorEntry]:
    """Actor entries of ``paths`` overlaid in order; PETRARCH place entries become countries.

    PETRARCH has no entry types: an entry whose every code is a bare three-letter
    code (``GONDOR [GON]``) is a country-level actor, so it is read as a
    ``country`` (the PETRARCH reader alone would guess ``city``), which lets the
    resolver combine it with agents ("Gondor's government" -> ``GONGOV``).
    """
    batches: list[list[ActorEntry]] = []
    for path in paths:
        entries = load_actor_entries([path], on_issue=on_issue)
        if not _is_jsonl(path):
            entries = [
                replace(e, type="country")
                if e.type == "city"
                and e.roles
                and all(len(r.code) == 3 and r.code.isalpha() for r in e.roles)
                else e
                for e in entries
            ]
        batches.append(entries)
    return _overlay(batches)


@dataclass(frozen=True)
class LoadedDictionaries:
    """Everything a pipeline needs from a :class:`DictionarySet`."""

    actors: list[ActorEntry]
    agents: list[AgentEntry]
    discards: list[str]
    verbs: VerbLexicon
    issues: tuple[DictionaryIssue, ...]

    @property
    def errors(self) -> list[DictionaryIssue]:
        return [i for i in self.issues if i.level == "error"]


def load_dictionaries(
    ds: DictionarySet,
    *,
    lemmatize: Lemmatize | SpacyLemmatizer | RuleLemmatizer | None = None,
    on_issue: IssueHandler | None = None,
) -> LoadedDictionaries:
    """Read every file of ``ds`` (packaged defaults included, as its mode says).

    Problems in PETRARCH-format files never raise here: the item is skipped and
    the issue is collected in :attr:`LoadedDictionaries.issues` (and passed to
    ``on_issue`` if given).  Malformed JSONL and missing files still raise
    :class:`DictionaryError`.
    """
    issues: list[DictionaryIssue] = list(ds.notes)

    def collect(issue: DictionaryIssue) -> None:
        issues.append(issue)
        if on_issue is not None:
            on_issue(issue)

    for note in ds.notes:
        if on_issue is not None:
            on_issue(note)
    actors = _load_actors(ds.actor_files(), collect)
    agents = load_agent_entries(ds.agent_files(), on_issue=collect)
    discards = load_discards(ds.discard_files(), on_issue=collect)
    verbs = load_verb_lexicon_any(ds.verb_files(), lemmatize, on_issue=collect)
    return LoadedDictionaries(actors, agents, discards, verbs, tuple(issues))


# --------------------------------------------------------------------------- checking


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


def _jsonl_issues(path: Path, kind: str) -> list[DictionaryIssue]:
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        return [DictionaryIssue(name, 0, f"cannot read file: {exc.strerror}")]
    except UnicodeDecodeError as exc:
        return [DictionaryIssue(name, 0, f"not UTF-8 ({exc.reason})")]
    issues: list[DictionaryIssue] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or (kind != "verbs" and line.lstrip().startswith("#")):
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            issues.append(DictionaryIssue(name, number, f"invalid JSON: {exc.msg}"))
            continue
        try:
            entry_id = _check_record(path, number, record, kind)
        except (DictionaryError, ValueError) as exc:
            message = str(exc).removeprefix(f"{path}:{number}: ")
            issues.append(DictionaryIssue(name, number, message))
            continue
        if entry_id is not None:
            if entry_id in seen:
                issues.append(
                    DictionaryIssue(
                        name,
                        number,
                        f"duplicate id {entry_id!r} (first on line {seen[entry_id]})",
                        "warning",
                    )
                )
            else:
                seen[entry_id] = number
    return issues


def _check_record(path: Path, number: int, record: Any, kind: str) -> str | None:
    """Validate one JSONL record as the loaders do; its id (``None`` for discards)."""
    if kind == "verbs":
        return _rule_from_record(record, f"{path.name}:{number}").id
    if not isinstance(record, dict):
        raise DictionaryError(f"{path}:{number}: expected a JSON object")
    if kind == "actors":
        return _actor_from_record(path, number, record).id
    f = _Field(path, number, record)
    if kind == "agents":
        entry = AgentEntry(f.text("id"), f.names(), f.text("code"), f.src(), f.flag("prefix"))
        return entry.id
    f.names()
    f.flag("stem")
    if record.get("scope", "sentence") not in ("sentence", "story"):
        raise f.fail("'scope' must be 'sentence' or 'story'")
    return None


def _petrarch_issues(
    path: Path, kind: str, lemmatize: Lemmatize | SpacyLemmatizer | RuleLemmatizer | None
) -> list[DictionaryIssue]:
    from tidings.dictionaries import _petrarch

    if kind == "verbs":
        _, issues = parse_verb_file(path, lemmatize)
    elif kind == "actors":
        _, issues = _petrarch.parse_actor_file(path)
    elif kind == "agents":
        _, issues = _petrarch.parse_agent_file(path)
    else:
        _, issues = _petrarch.parse_discard_file(path)
    return [DictionaryIssue(str(path), i.line, i.message, i.level) for i in issues]


def _file_issues(
    path: Path, kind: str, lemmatize: Lemmatize | SpacyLemmatizer | RuleLemmatizer | None
) -> list[DictionaryIssue]:
    try:
        jsonl = _is_jsonl(path)
    except DictionaryError as exc:
        return [DictionaryIssue(str(path), 0, str(exc).removeprefix(f"{path}: "))]
    if jsonl:
        return _jsonl_issues(path, kind)
    return _petrarch_issues(path, kind, lemmatize)


def check_dictionary(
    path: Path | str,
    *,
    kind: str | None = None,
    lemmatize: Lemmatize | SpacyLemmatizer | RuleLemmatizer | None = None,
) -> list[DictionaryIssue]:
    """Every problem of a dictionary file, directory or profile, by file and line.

    A file's kind comes from ``kind``, else its name, else its content; JSONL
    and PETRARCH text are both checked (JSONL line by line, so that all bad
    lines are reported, not only the first).  A directory or profile is checked
    as :func:`load_dictionary_set` reads it, then each of its files.  Levels:
    ``error`` (something would be skipped or the set cannot be read),
    ``warning`` (read with an assumption, or valid PETRARCH that Tidings cannot
    express), ``note`` (e.g. a file ignored in a directory).  Line ``0`` means
    the whole file.
    """
    path = Path(path)
    if path.is_file() and path.suffix.lower() != ".toml":
        kind = kind or _sniff_kind(path)
        if kind is None:
            return [DictionaryIssue(str(path), 0, "cannot tell which kind of dictionary")]
        if kind not in KINDS:
            raise ValueError(f"unknown dictionary kind {kind!r} (one of {', '.join(KINDS)})")
        return _file_issues(path, kind, lemmatize)
    ds, issues = _read_set(path)
    out = list(issues)
    if ds is not None:
        for file_kind, file_path in ds.all_user_files():
            out.extend(_file_issues(file_path, file_kind, lemmatize))
    return out
