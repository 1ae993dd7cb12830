"""Actor, agent, discard and issue dictionaries: records and loaders.

The packaged dictionaries live in ``tidings/data/actors/`` as JSON Lines, one
record per line, converted from the Phoenix/PETRARCH-2 dictionaries by
``scripts/build_dictionaries.py`` (see ``PROVENANCE.md`` there) plus our own
supplement ``tidings.jsonl`` (built from ``scripts/dictionary_patches/``).
Every loader also accepts files in the PETRARCH/TABARI text format, which are
read by :mod:`tidings.dictionaries._petrarch`; the format is sniffed per file.

Layering: this module may import only :mod:`tidings.model`,
:mod:`tidings.errors`, the standard library and ``tidings.dictionaries.*``.

Overlay rule: files are read in order; an actor (or agent) entry whose ``id``
was already read from an *earlier file* replaces that earlier entry, in its
place.  ``tidings.jsonl`` comes last among the packaged files, so user files
given after it override both.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tidings.errors import DictionaryError

__all__ = [
    "ACTOR_TYPES",
    "ActorEntry",
    "AgentEntry",
    "DictionaryIssue",
    "DiscardEntry",
    "IssueEntry",
    "Role",
    "data_dir",
    "default_actor_files",
    "default_agent_files",
    "default_discard_files",
    "default_issue_files",
    "load_actor_entries",
    "load_agent_entries",
    "load_discard_entries",
    "load_discards",
    "load_issue_entries",
]

#: The values of :attr:`ActorEntry.type`.
ACTOR_TYPES: tuple[str, ...] = ("country", "city", "person", "org", "group")

#: Packaged actor files in load order: Phoenix first, our overlay last.
_ACTOR_FILES = (
    "countries.jsonl",
    "international.jsonl",
    "nonstate.jsonl",
    "tidings.jsonl",
    "curated.jsonl",  # hand-curated: leaders and bodies after the 2014 Phoenix snapshot
)


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class Role:
    """One code an actor holds, optionally limited to a date range.

    Both bounds are inclusive; a missing bound is open.  A role with neither
    bound is *undated*: it is the fallback when no dated role applies.
    """

    code: str
    start: _dt.date | None = None
    end: _dt.date | None = None
    note: str | None = None

    @property
    def dated(self) -> bool:
        return self.start is not None or self.end is not None

    def covers(self, when: _dt.date) -> bool:
        """True when ``when`` lies within ``[start, end]`` (open bounds allowed)."""
        if self.start is not None and when < self.start:
            return False
        return not (self.end is not None and when > self.end)


def _recency_key(role: Role) -> tuple[_dt.date, bool, _dt.date]:
    # latest start first; at equal start an open end wins, then the later end
    return (role.start or _dt.date.min, role.end is None, role.end or _dt.date.min)


@dataclass(frozen=True, slots=True)
class ActorEntry:
    """A named actor: a country, a place, a person, an organisation or a group."""

    id: str
    type: str
    names: tuple[str, ...]
    roles: tuple[Role, ...]
    src: str

    def role_on(self, when: _dt.date | None) -> Role | None:
        """The role that applies on ``when``, or ``None``.

        With a date: among the dated roles covering it, the one that started
        last (at equal start the narrower one); when none covers it, the first
        undated role; otherwise ``None`` -- a dated role never applies outside
        its dates.  (PETRARCH let an undated code win over a matching dated
        one; we prefer the dated one.)

        Without a date: the most recent dated role (latest start, an open end
        preferred), else the first undated role.
        """
        if when is not None:
            best: Role | None = None
            for role in self.roles:
                if (
                    role.dated
                    and role.covers(when)
                    and (best is None or _specific_key(role) > _specific_key(best))
                ):
                    best = role
            if best is not None:
                return best
            return next((r for r in self.roles if not r.dated), None)
        dated = [r for r in self.roles if r.dated]
        if dated:
            return max(dated, key=_recency_key)  # max() keeps the first of equals
        return next(iter(self.roles), None)


def _specific_key(role: Role) -> tuple[_dt.date, int]:
    # the later start wins; at equal start the earlier (narrower) end wins
    end = role.end.toordinal() if role.end is not None else _dt.date.max.toordinal() + 1
    return (role.start or _dt.date.min, -end)


@dataclass(frozen=True, slots=True)
class AgentEntry:
    """A generic agent noun (``foreign minister`` -> ``GOV``).

    ``prefix`` is True for PETRARCH's ``[CODE~]`` agents, whose code goes
    *before* the actor's country code (``IGO~``); it is False for the usual
    ``[~CODE]`` agents whose code is appended.
    """

    id: str
    names: tuple[str, ...]
    code: str
    src: str
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class DiscardEntry:
    """A phrase whose presence stops coding of the sentence or the whole story.

    ``stem`` is True when the source phrase did not end with ``_``: TABARI
    matched such a phrase as a word prefix, PETRARCH-2 as whole words.
    """

    names: tuple[str, ...]
    scope: str  # "sentence" or "story"
    stem: bool
    src: str


@dataclass(frozen=True, slots=True)
class IssueEntry:
    """An issue phrase (``n:genocide`` -> ``ID_ATROCITY``).

    ``code`` is None for an exclusion phrase, whose ``ignore`` is then
    ``"sentence"`` (``~``) or ``"story"`` (``~~``).
    """

    id: str
    names: tuple[str, ...]
    code: str | None
    category: str | None
    src: str
    ignore: str | None = None


@dataclass(frozen=True, slots=True)
class DictionaryIssue:
    """A problem found in a dictionary file, addressed by file and line.

    ``level`` is ``"error"`` when something was skipped, ``"warning"`` when it
    was read with a repair or an assumption.
    """

    file: str
    line: int
    message: str
    level: str = "error"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.level}: {self.message}"


# --------------------------------------------------------------------------- files


def data_dir() -> Path:
    """The directory of the packaged actor dictionaries."""
    return Path(__file__).resolve().parent.parent / "data" / "actors"


def default_actor_files() -> list[Path]:
    """Packaged actor files, Phoenix first, then ``tidings.jsonl`` and ``curated.jsonl``
    (the overlays), then the persons of :data:`PERSON_TABLE` no file before names."""
    return [data_dir() / name for name in (*_ACTOR_FILES, PERSON_TABLE)]


def default_agent_files() -> list[Path]:
    return [data_dir() / "agents.jsonl"]


def default_discard_files() -> list[Path]:
    return [data_dir() / "discards.jsonl"]


def default_issue_files() -> list[Path]:
    return [data_dir() / "issues.jsonl"]


def _is_jsonl(path: Path) -> bool:
    """Sniff the format: ``.jsonl``/``.json`` or a first record starting with ``{``."""
    if path.suffix.lower() in (".jsonl", ".json", ".ndjson"):
        return True
    try:
        with path.open("rb") as fh:
            for raw in fh:
                stripped = raw.strip()
                if stripped:
                    return stripped.startswith(b"{")
    except OSError as exc:
        raise DictionaryError(f"{path}: cannot read dictionary: {exc.strerror}") from exc
    return False


IssueHandler = Callable[[DictionaryIssue], None]


def _report(issues: Iterable[DictionaryIssue], on_issue: IssueHandler | None) -> None:
    """Pass issues to ``on_issue``; without one, the first error is raised."""
    for issue in issues:
        if on_issue is not None:
            on_issue(issue)
        elif issue.level == "error":
            raise DictionaryError(f"{issue.file}:{issue.line}: {issue.message}")


def _jsonl_records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise DictionaryError(f"{path}: dictionary file not found") from exc
    except UnicodeDecodeError as exc:
        raise DictionaryError(f"{path}: not UTF-8 ({exc.reason})") from exc
    except OSError as exc:
        raise DictionaryError(f"{path}: cannot read dictionary: {exc.strerror}") from exc
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DictionaryError(f"{path}:{number}: invalid JSON: {exc.msg}") from exc
        if not isinstance(record, dict):
            raise DictionaryError(f"{path}:{number}: expected a JSON object")
        yield number, record


class _Field:
    """Typed access to one JSONL record, raising ``file:line: message``."""

    __slots__ = ("number", "path", "record")

    def __init__(self, path: Path, number: int, record: dict[str, Any]) -> None:
        self.path, self.number, self.record = path, number, record

    def fail(self, message: str) -> DictionaryError:
        return DictionaryError(f"{self.path}:{self.number}: {message}")

    def text(self, key: str) -> str:
        value = self.record.get(key)
        if not isinstance(value, str) or not value:
            raise self.fail(f"{key!r} must be a non-empty string")
        return value

    def optional_text(self, key: str) -> str | None:
        value = self.record.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.fail(f"{key!r} must be a string or null")
        return value

    def src(self) -> str:
        return self.optional_text("src") or f"{self.path.name}:{self.number}"

    def flag(self, key: str) -> bool:
        value = self.record.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(f"{key!r} must be true or false")
        return value

    def names(self) -> tuple[str, ...]:
        value = self.record.get("names")
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(n, str) and n.strip() for n in value)
        ):
            raise self.fail("'names' must be a non-empty list of non-empty strings")
        return tuple(value)

    def date(self, value: Any, what: str) -> _dt.date | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.fail(f"{what} must be an ISO date or null")
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            raise self.fail(f"{what} {value!r} is not an ISO date (YYYY-MM-DD)") from None

    def roles(self) -> tuple[Role, ...]:
        """``codes``; an empty list is allowed (a blocker: matches, codes nothing)."""
        codes = self.record.get("codes")
        if not isinstance(codes, list):
            raise self.fail("'codes' must be a list")
        roles = []
        for i, item in enumerate(codes):
            if not isinstance(item, dict):
                raise self.fail(f"codes[{i}] must be an object")
            code = item.get("code")
            if not isinstance(code, str) or not code:
                raise self.fail(f"codes[{i}].code must be a non-empty string")
            start = self.date(item.get("start"), f"codes[{i}].start")
            end = self.date(item.get("end"), f"codes[{i}].end")
            if start is not None and end is not None and start > end:
                raise self.fail(f"codes[{i}]: start {start} is after end {end}")
            note = item.get("note")
            if note is not None and not isinstance(note, str):
                raise self.fail(f"codes[{i}].note must be a string or null")
            roles.append(Role(code, start, end, note))
        return tuple(roles)


def _actor_from_record(path: Path, number: int, record: dict[str, Any]) -> ActorEntry:
    f = _Field(path, number, record)
    entry_type = f.text("type")
    if entry_type not in ACTOR_TYPES:
        raise f.fail(f"'type' must be one of {', '.join(ACTOR_TYPES)}, not {entry_type!r}")
    return ActorEntry(f.text("id"), entry_type, f.names(), f.roles(), f.src())


def _overlay(batches: Iterable[list[Any]]) -> list[Any]:
    """Concatenate per-file entry lists; a later file's id replaces an earlier one."""
    out: list[Any] = []
    where: dict[str, int] = {}
    for batch in batches:
        seen_here: dict[str, int] = {}
        for entry in batch:
            if entry.id in where and entry.id not in seen_here:
                out[where[entry.id]] = entry
                seen_here[entry.id] = where[entry.id]
            else:
                where[entry.id] = seen_here[entry.id] = len(out)
                out.append(entry)
    return out


def _paths(paths: Iterable[Path | str] | None, default: Callable[[], list[Path]]) -> list[Path]:
    return default() if paths is None else [Path(p) for p in paths]


def load_actor_entries(
    paths: Iterable[Path | str] | None = None, *, on_issue: IssueHandler | None = None
) -> list[ActorEntry]:
    """Read actor dictionaries: ours (JSONL) or PETRARCH text, sniffed per file.

    ``paths`` defaults to :func:`default_actor_files`.  Malformed JSONL raises
    :class:`DictionaryError` (``file:line: message``).  Problems in a PETRARCH
    file are passed to ``on_issue``; without a handler the first error raises.
    """
    batches = []
    for path in _paths(paths, default_actor_files):
        if path.suffix.lower() == ".tsv":
            # the person table: only the persons no dictionary before it names
            known = {name for batch in batches for entry in batch for name in entry.names}
            batches.append([e for e in person_table_entries(path) if e.names[0] not in known])
        elif _is_jsonl(path):
            batches.append([_actor_from_record(path, n, r) for n, r in _jsonl_records(path)])
        else:
            from tidings.dictionaries import _petrarch

            entries, issues = _petrarch.parse_actor_file(path)
            _report(issues, on_issue)
            batches.append(entries)
    return _overlay(batches)


#: Heads of state and government, foreign and defence ministers of the G20 and of the
#: states around Russia, and the leaders of the UN, EU and NATO, 2000-2021, with their
#: dated roles: one table for every language (the Russian resolver reads its Russian
#: names, the English dictionaries its English ones).  See ``ru/PROVENANCE.md``.
PERSON_TABLE = "ru/persons.tsv"


@dataclass(frozen=True, slots=True)
class PersonRow:
    """One row of a person table: the English dictionary name, the names in the table's
    other language (full name first), and the person's dated role there."""

    english: str
    names: tuple[str, ...]
    role: Role
    src: str  # "persons.tsv:12"


def person_table_rows(path: Path | None = None) -> list[PersonRow]:
    """The rows of a person table (:data:`PERSON_TABLE`), read once for every language:
    the English dictionaries take the English names, the Russian resolver the Russian
    ones.  Rows without a code are skipped; a bad date is a ``file:line`` error."""
    path = path or data_dir() / PERSON_TABLE
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        english, names, code, start, end = ([*line.split("\t"), "", "", ""])[:5]
        if not code.strip():
            continue
        f = _Field(path, number, {})
        role = Role(code.strip(), f.date(start or None, "start"), f.date(end or None, "end"))
        others = tuple(n.strip() for n in names.split(";") if n.strip())
        out.append(PersonRow(english.strip(), others, role, f"{path.name}:{number}"))
    return out


def person_table_entries(path: Path | None = None) -> list[ActorEntry]:
    """The persons of a person table (:data:`PERSON_TABLE`) as English entries: the
    English name with the row's dated role."""
    return [
        ActorEntry(
            row.english.upper().replace(" ", "_") + "_PERSON_TABLE",
            "person",
            (row.english,),
            (row.role,),
            row.src,
        )
        for row in person_table_rows(path)
        if row.english
    ]


def load_agent_entries(
    paths: Iterable[Path | str] | None = None, *, on_issue: IssueHandler | None = None
) -> list[AgentEntry]:
    """Read agent dictionaries (JSONL or PETRARCH ``.agents`` text)."""
    batches = []
    for path in _paths(paths, default_agent_files):
        if _is_jsonl(path):
            batch = []
            for number, record in _jsonl_records(path):
                f = _Field(path, number, record)
                batch.append(
                    AgentEntry(f.text("id"), f.names(), f.text("code"), f.src(), f.flag("prefix"))
                )
            batches.append(batch)
        else:
            from tidings.dictionaries import _petrarch

            entries, issues = _petrarch.parse_agent_file(path)
            _report(issues, on_issue)
            batches.append(entries)
    return _overlay(batches)


def load_discard_entries(
    paths: Iterable[Path | str] | None = None, *, on_issue: IssueHandler | None = None
) -> list[DiscardEntry]:
    """Read discard lists (JSONL or PETRARCH ``.discards`` text)."""
    out: list[DiscardEntry] = []
    for path in _paths(paths, default_discard_files):
        if _is_jsonl(path):
            for number, record in _jsonl_records(path):
                f = _Field(path, number, record)
                scope = record.get("scope", "sentence")
                if scope not in ("sentence", "story"):
                    raise f.fail("'scope' must be 'sentence' or 'story'")
                out.append(DiscardEntry(f.names(), scope, f.flag("stem"), f.src()))
        else:
            from tidings.dictionaries import _petrarch

            entries, issues = _petrarch.parse_discard_file(path)
            _report(issues, on_issue)
            out.extend(entries)
    return out


def load_discards(
    paths: Iterable[Path | str] | None = None, *, on_issue: IssueHandler | None = None
) -> list[str]:
    """All discard phrases (lowercase), in file order, without duplicates."""
    seen: dict[str, None] = {}
    for entry in load_discard_entries(paths, on_issue=on_issue):
        for name in entry.names:
            seen.setdefault(name, None)
    return list(seen)


def load_issue_entries(
    paths: Iterable[Path | str] | None = None, *, on_issue: IssueHandler | None = None
) -> list[IssueEntry]:
    """Read issue dictionaries (JSONL or PETRARCH issues text)."""
    out: list[IssueEntry] = []
    for path in _paths(paths, default_issue_files):
        if _is_jsonl(path):
            for number, record in _jsonl_records(path):
                f = _Field(path, number, record)
                ignore = record.get("ignore")
                if ignore not in (None, "sentence", "story"):
                    raise f.fail("'ignore' must be 'sentence', 'story' or null")
                code = f.optional_text("code") if ignore else f.text("code")
                out.append(
                    IssueEntry(
                        f.text("id"), f.names(), code, f.optional_text("category"), f.src(), ignore
                    )
                )
        else:
            from tidings.dictionaries import _petrarch

            entries, issues = _petrarch.parse_issue_file(path)
            _report(issues, on_issue)
            out.extend(entries)
    return out
