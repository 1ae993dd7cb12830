"""The PETRARCH unit-test suite itself: its records, its dictionaries, its triples.

Part of :mod:`tidings.evaluation.petrarch_tests`: reading ``records.jsonl``,
building a pipeline with only the suite's validation dictionaries, and writing
Tidings' events as the ``(source, target, code)`` triples PETRARCH writes.
"""

from __future__ import annotations

import datetime as _dt
import html
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tidings.errors import InputError
from tidings.evaluation._common import read_gold_text
from tidings.model import Actor, Event

if TYPE_CHECKING:
    from tidings.coding import Coder
    from tidings.dictionaries.actors import DictionaryIssue
    from tidings.dictionaries.profile import DictionarySet
    from tidings.pipeline import Pipeline

#: The validation dictionaries of the suite, by kind.
SUITE_FILES: dict[str, str] = {
    "actors": "PETR.Validate.actors.txt",
    "agents": "PETR.Validate.agents.txt",
    "discards": "PETR.Validate.discards.txt",
    "verbs": "PETR.Validate.verbs.txt",
}


@dataclass(frozen=True, slots=True)
class Triple:
    source: str
    target: str
    code: str

    def __str__(self) -> str:
        return f"{self.source}>{self.target}:{self.code}"


@dataclass(frozen=True, slots=True)
class UnitTestRecord:
    id: str
    date: _dt.date | None
    category: str
    text: str
    expected: frozenset[Triple]
    noevents: bool
    error: tuple[str, ...]


# ----------------------------------------------------------------------------- reading


def _date(value: object, where: str) -> _dt.date | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    try:
        return _dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise InputError(f"{where}: date {text!r} is not YYYYMMDD") from None


def load_unit_test_records(path: Path) -> list[UnitTestRecord]:
    """The records of ``records.jsonl`` (an :class:`InputError` names a bad line)."""
    path = Path(path)
    records: list[UnitTestRecord] = []
    for number, line in enumerate(read_gold_text(path).splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}: not valid JSON ({exc.msg})") from None
        if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
            raise InputError(f"{where}: expected an object with a 'text'")
        events = rec.get("events") or []
        if not isinstance(events, list):
            raise InputError(f"{where}: 'events' must be a list")
        expected = set()
        for ev in events:
            if not isinstance(ev, dict):
                raise InputError(f"{where}: every event must be an object")
            expected.add(
                Triple(
                    str(ev.get("source") or "---"),
                    str(ev.get("target") or "---"),
                    str(ev.get("code") or ""),
                )
            )
        error = rec.get("error") or []
        records.append(
            UnitTestRecord(
                id=str(rec.get("id", number)),
                date=_date(rec.get("date"), where),
                category=str(rec.get("category") or "?"),
                text=" ".join(html.unescape(rec["text"]).split()),
                expected=frozenset(expected),
                noevents=bool(rec.get("noevents")),
                error=tuple(str(e) for e in (error if isinstance(error, list) else [error])),
            )
        )
    if not records:
        raise InputError(f"{path}: no unit-test records")
    return records


def suite_dictionary_set(directory: Path) -> DictionarySet:
    """The suite's four validation dictionaries, replacing all of ours."""
    from tidings.dictionaries.profile import KINDS, DictionarySet

    directory = Path(directory)
    files: dict[str, tuple[Path, ...]] = {}
    for kind in KINDS:
        path = directory / SUITE_FILES[kind]
        if not path.is_file():
            raise InputError(f"{path}: validation dictionary of the PETRARCH suite not found")
        files[kind] = (path,)
    return DictionarySet(**files, mode="replace", given=frozenset(KINDS), source=directory)


def build_suite_pipeline(
    directory: Path,
    *,
    model: str | None = None,
    on_issue: Callable[[DictionaryIssue], None] | None = None,
) -> tuple[Pipeline, list[DictionaryIssue], frozenset[str]]:
    """A pipeline using only the suite's dictionaries (and our CAMEO codebook).

    Returns the pipeline, the dictionary issues found while reading the suite's
    files, and the agent entry ids (to write agent-only actors as ``---AGENT``).
    """
    from tidings.actors import ActorResolver
    from tidings.dictionaries.profile import SpacyLemmatizer, load_dictionaries
    from tidings.nlp import DEFAULT_MODEL, load_pipeline
    from tidings.pipeline import Pipeline, PipelineConfig

    model = model or DEFAULT_MODEL
    nlp = load_pipeline(model)  # cached: the pipeline below reuses it
    loaded = load_dictionaries(
        suite_dictionary_set(directory), lemmatize=SpacyLemmatizer(nlp), on_issue=on_issue
    )
    # PETRARCH-format discard files bring PETRARCH's discard semantics, as for
    # any user's dictionaries (Pipeline.with_dictionaries).
    config = PipelineConfig(model=model, petrarch_discards=loaded.petrarch_discards)
    pipeline = Pipeline(
        config,
        resolver=ActorResolver(loaded.actors, loaded.agents, loaded.discards),
        coder=_coder_for(config, loaded.verbs),
    )
    return pipeline, list(loaded.issues), frozenset(a.id for a in loaded.agents)


def _coder_for(config, lexicon) -> Coder:
    """A coder over ``lexicon`` built as :class:`~tidings.pipeline.Pipeline` builds its
    own (same ``relaxed`` pass, same event-class model when the coder takes them)."""
    import inspect

    from tidings import coding
    from tidings.dictionaries.cameo import load_codebook

    params = inspect.signature(coding.Coder).parameters
    kwargs: dict[str, object] = {}
    if "relaxed" in params:
        kwargs["relaxed"] = getattr(config, "relaxed", True)
    if "model" in params and hasattr(coding, "load_default_model"):
        kwargs["model"] = coding.load_default_model()
    return coding.Coder(lexicon, load_codebook(), **kwargs)


def _actor_code(actor: Actor | None, agent_ids: frozenset[str]) -> str:
    if actor is None or not actor.code:
        return "---"
    if actor.country is None and actor.entry in agent_ids and not actor.code.startswith("---"):
        return "---" + actor.code  # an agent with no country: PETRARCH's ---GOV
    return actor.code


def triples_of(events: Iterable[Event], agent_ids: frozenset[str] = frozenset()) -> set[Triple]:
    """The ``(source, target, code)`` triples of events, written as PETRARCH writes them."""
    return {
        Triple(_actor_code(e.source, agent_ids), _actor_code(e.target, agent_ids), e.code)
        for e in events
    }
