"""The JSON Lines records that ``scripts/build_dictionaries.py`` writes.

One function per output file kind, kept apart from the conversion so that the
record layout (which :mod:`tidings.dictionaries.actors` reads back) is in one
place: keys in a fixed order, ``ensure_ascii=False`` so names stay readable,
and Unix line ends whatever the platform, for byte-identical rebuilds.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from tidings.dictionaries.actors import ActorEntry, AgentEntry, DiscardEntry, IssueEntry, Role


def role_json(role: Role) -> dict[str, str | None]:
    return {
        "code": role.code,
        "start": role.start.isoformat() if role.start else None,
        "end": role.end.isoformat() if role.end else None,
        "note": role.note,
    }


def actor_json(entry: ActorEntry) -> str:
    record = {
        "id": entry.id,
        "type": entry.type,
        "names": list(entry.names),
        "codes": [role_json(r) for r in entry.roles],
        "src": entry.src,
    }
    return json.dumps(record, ensure_ascii=False)


def agent_json(entry: AgentEntry) -> str:
    record: dict[str, object] = {
        "id": entry.id,
        "names": list(entry.names),
        "code": entry.code,
        "src": entry.src,
    }
    if entry.prefix:
        record["prefix"] = True
    return json.dumps(record, ensure_ascii=False)


def discard_json(entry: DiscardEntry) -> str:
    return json.dumps(
        {"names": list(entry.names), "scope": entry.scope, "stem": entry.stem, "src": entry.src},
        ensure_ascii=False,
    )


def issue_json(entry: IssueEntry) -> str:
    record: dict[str, object] = {
        "id": entry.id,
        "names": list(entry.names),
        "code": entry.code,
        "category": entry.category,
        "src": entry.src,
    }
    if entry.ignore:
        record["ignore"] = entry.ignore
    return json.dumps(record, ensure_ascii=False)


def write_jsonl(path: Path, lines: Iterable[str]) -> int:
    lines = list(lines)
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8", newline="\n")
    return len(lines)
