"""What every export says about itself, and the ids GDELT and ICEWS rows need.

An exported file outlives the store it came from, so it carries a *stamp*:
the Tidings version, the coder and a hash of the dictionaries.  Formats with
a place for metadata hold it inside (GEXF ``<meta>`` and a comment, the
GeoJSON ``"tidings"`` member, Parquet key-value metadata); the line formats
that other tools read strictly (GDELT and ICEWS TSV, CSV, JSONL: a comment
line would be read as a data row) get a sidecar ``FILE.meta.json`` instead.

GDELT's GLOBALEVENTID and ICEWS' Event ID are integers, while Tidings ids are
16 hex digits (64 bits) and GLOBALEVENTID is a signed 64-bit column: the
exported integer is the id's low 63 bits, and the sidecar maps every integer
back to the full id so an import restores it.  Events that came from GDELT
or ICEWS in the first place (``gdelt:N``) get their original integer back and
need no mapping.
"""

from __future__ import annotations

import datetime as _dt
import functools
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from tidings.errors import InputError

_MASK63 = (1 << 63) - 1
_HEX16 = re.compile(r"^[0-9a-f]{16}$")
#: Packaged dictionaries whose content the stamp's hash covers.
_DICTIONARY_DIRS = ("actors", "verbs", "cameo")
SIDECAR_SUFFIX = ".meta.json"


def tidings_version() -> str:
    """The installed Tidings version (imported lazily: ``tidings`` imports nothing of ours)."""
    from tidings import __version__

    return __version__


@functools.lru_cache(maxsize=1)
def dictionaries_hash() -> str:
    """A short SHA-256 over the packaged dictionary files (paths and bytes).

    Two installations with the same hash code with the same actors, agents,
    verb rules and CAMEO codebook.  Computed once per process (~20 MB read).
    """
    digest = hashlib.sha256()
    root = resources.files("tidings").joinpath("data")
    for folder in _DICTIONARY_DIRS:
        base = root.joinpath(folder)
        if not base.is_dir():
            continue
        for path in sorted(_walk(base), key=lambda item: item[0]):
            name, entry = path
            digest.update(f"{folder}/{name}\0".encode())
            digest.update(entry.read_bytes())
    return digest.hexdigest()[:12]


def _walk(base: Any, prefix: str = "") -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for entry in base.iterdir():
        name = f"{prefix}{entry.name}"
        if entry.is_dir():
            found.extend(_walk(entry, f"{name}/"))
        elif not entry.name.startswith("."):
            found.append((name, entry))
    return found


@dataclass
class Stamp:
    """Provenance of one export."""

    format: str
    coder: str
    events: int = 0
    filters: dict[str, Any] = field(default_factory=dict)
    store: str | None = None
    tidings: str = field(default_factory=tidings_version)
    dictionaries: str = field(default_factory=dictionaries_hash)
    exported_at: str = field(
        default_factory=lambda: _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    )

    def line(self) -> str:
        """The one-line form: ``tidings 0.1.0 coder C dictionaries H format F``."""
        return (
            f"tidings {self.tidings} coder {self.coder} dictionaries {self.dictionaries} "
            f"format {self.format}"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "tidings": self.tidings,
            "coder": self.coder,
            "dictionaries": self.dictionaries,
            "format": self.format,
            "exported_at": self.exported_at,
            "store": self.store,
            "filters": self.filters,
            "events": self.events,
            "stamp": self.line(),
        }


# ------------------------------------------------------------------ sidecars


def sidecar_path(path: str | Path) -> Path:
    """``FILE.meta.json`` next to ``FILE``."""
    path = Path(path)
    return path.with_name(path.name + SIDECAR_SUFFIX)


def write_sidecar(path: str | Path, stamp: Stamp, extra: Mapping[str, Any] | None = None) -> Path:
    """Write the stamp (and e.g. the id map) beside an exported file; return its path."""
    target = sidecar_path(path)
    data = stamp.as_dict()
    if extra:
        data.update(extra)
    try:
        target.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{target}: cannot write ({exc.strerror})") from None
    return target


def read_sidecar(path: str | Path) -> dict[str, Any] | None:
    """The sidecar of an exported file when present and written by Tidings, else None.

    A sidecar that exists but cannot be read is an error: silently ignoring
    it would import Tidings' own events under the wrong ids.
    """
    target = sidecar_path(path)
    if not target.is_file():
        return None
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{target}: unreadable export metadata ({exc})") from None
    if not isinstance(data, dict) or "tidings" not in data:
        return None
    return data


# ---------------------------------------------------------------- integer ids


class IdMap:
    """Integers for the event ids of one GDELT or ICEWS export, reversible via the sidecar."""

    def __init__(self, prefix: str) -> None:
        self._prefix = prefix + ":"
        self._taken: dict[int, str] = {}
        self.mapping: dict[str, str] = {}  # str(int) -> event_id, for ids not "prefix:N"

    def number(self, event_id: str) -> int:
        """The integer written for ``event_id`` (stable for the same id)."""
        if event_id.startswith(self._prefix):
            digits = event_id[len(self._prefix) :]
            if digits.isascii() and digits.isdigit() and int(digits) <= _MASK63:
                number = int(digits)
                self._taken.setdefault(number, event_id)
                return number
        if _HEX16.match(event_id):
            number = int(event_id, 16) & _MASK63
        else:
            number = int(hashlib.sha1(event_id.encode("utf-8")).hexdigest()[:16], 16) & _MASK63
        # Two ids of one export sharing 63 bits is vanishingly rare, but the
        # mapping must stay a function: take the next free integer.
        while self._taken.get(number, event_id) != event_id:
            number = (number + 1) & _MASK63
        self._taken[number] = event_id
        self.mapping[str(number)] = event_id
        return number


def id_mapping(sidecar: Mapping[str, Any] | None) -> dict[str, str]:
    """The integer -> event_id map of a sidecar (empty when there is none)."""
    if not sidecar:
        return {}
    mapping = sidecar.get("event_ids") or {}
    if not isinstance(mapping, dict):
        raise InputError("export metadata: 'event_ids' is not an object")
    return {str(key): str(value) for key, value in mapping.items()}
