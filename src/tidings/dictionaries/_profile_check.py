"""Checking dictionaries: every problem of a file, directory or profile, by file and line.

Part of :mod:`tidings.dictionaries.profile`; this is ``tidings dictionaries
check``.  JSONL records are validated as the loaders read them, PETRARCH text
with the PETRARCH readers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tidings.dictionaries._petrarch.verbs import (
    Lemmatize,
    RuleLemmatizer,
    SpacyLemmatizer,
    parse_verb_file,
)
from tidings.dictionaries._profile_set import KINDS, _read_set, _sniff_kind
from tidings.dictionaries.actors import (
    AgentEntry,
    DictionaryIssue,
    _actor_from_record,
    _Field,
    _is_jsonl,
)
from tidings.dictionaries.verbs import _rule_from_record
from tidings.errors import DictionaryError

# --------------------------------------------------------------------------- checking


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
