"""The ``petrarch-unit-tests`` set: PETRARCH's own unit-test records, coded by Tidings.

PETRARCH-2 ships 284 unit-test records (``PETR.UnitTest.records.xml``, converted to
``records.jsonl``: ``id``, ``date`` YYYYMMDD, ``category``, ``text``, ``events``
``[{source, target, code}]``, ``noevents``, ``error``...) together with the
validation dictionaries they are written for (``PETR.Validate.{actors, agents,
discards, verbs}.txt``: fictional actors such as ``ARN`` Arnor and ``GON`` Gondor).

This runner builds a pipeline with **only** those four dictionaries (``replace`` mode,
see :mod:`tidings.dictionaries.profile`; the PETRARCH verb file is converted at run
time with the model's own lemmas), keeps Tidings' CAMEO codebook, and codes every
record's text as a one-paragraph article dated with the record's date (so that dated
actor roles apply), parsing it with Tidings' spaCy pipeline -- not with the Penn
Treebank parse stored in the record.

What counts (per record), with codes compared as exact strings:

* the set of ``(source, target, code)`` triples Tidings emits (events of every
  modality; an event without a target has target ``---``; an actor made of an agent
  only, with no country, is written ``---AGENT`` as PETRARCH does, e.g. ``---GOV``);
* ``exact``: the set equals the expected set (all expected triples, nothing extra;
  for a record that expects no event, no event at all);
* ``recalled``: expected triples found; ``extra``: triples emitted but not expected.

Scores (higher is better, rounded to 4 places): ``exact`` (records reproduced exactly /
records), ``recall`` (recalled / expected triples) and ``precision`` (recalled /
emitted triples).  The result also has a per-category table, a breakdown of failure
causes (see :func:`failure_causes`) and up to :data:`MAX_ERRORS` failed records.

For comparison, PETRARCH-2 itself (run on the same records with their Penn Treebank
parses) reproduces 91 records exactly (32%) and recalls 119 of the 359 expected
triples (33%), emitting 100 extra; see :data:`PETRARCH2_REFERENCE`.
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tidings.errors import InputError
from tidings.evaluation._common import MAX_ERRORS, read_gold_text
from tidings.evaluation._metrics import ratio
from tidings.model import Actor, Article, Event, Paragraph

if TYPE_CHECKING:
    from tidings.coding import Coder
    from tidings.dictionaries.actors import DictionaryIssue
    from tidings.dictionaries.profile import DictionarySet
    from tidings.pipeline import Pipeline

__all__ = [
    "PETRARCH2_REFERENCE",
    "RECORDS_FILE",
    "SET_NAME",
    "SUITE_FILES",
    "Triple",
    "UnitTestRecord",
    "build_suite_pipeline",
    "evaluate_petrarch_unit_tests",
    "failure_causes",
    "load_unit_test_records",
    "run_petrarch_unit_tests",
    "suite_dictionary_set",
    "triples_of",
]

SET_NAME = "petrarch-unit-tests"
RECORDS_FILE = "records.jsonl"
#: The validation dictionaries of the suite, by kind.
SUITE_FILES: dict[str, str] = {
    "actors": "PETR.Validate.actors.txt",
    "agents": "PETR.Validate.agents.txt",
    "discards": "PETR.Validate.discards.txt",
    "verbs": "PETR.Validate.verbs.txt",
}
#: PETRARCH-2 on the same records (with their Penn Treebank parses), for comparison.
PETRARCH2_REFERENCE: dict[str, object] = {
    "records": 284,
    "exact": 91,
    "exact_share": 0.3204,
    "expected_triples": 359,
    "recalled": 119,
    "recall": 0.3315,
    "extra": 100,
    "crashed_records": 36,
}
#: Target of the issue that introduced the set: at least this much.
TARGET = {"exact": 0.50, "recall": 0.60}

#: Categories of the records, in the suite's order (others are listed after them).
_CATEGORY_ORDER = (
    "DEMO",
    "AGENT",
    "AGENTS",
    "COMPOUND",
    "COMPOUNDx",
    "DATE",
    "MODIFY",
    "PARSING",
    "ERROR",
    "ACTOR",
    "VERB",
    "PATTERN",
    "SYNSET",
)


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

    config = PipelineConfig(model=model or DEFAULT_MODEL)
    nlp = load_pipeline(config.model)  # cached: the pipeline below reuses it
    loaded = load_dictionaries(
        suite_dictionary_set(directory), lemmatize=SpacyLemmatizer(nlp), on_issue=on_issue
    )
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


# ----------------------------------------------------------------------------- scoring


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


def _is_petrarch_only(triple: Triple) -> bool:
    """PETRARCH-specific expectations: new-actor text codes (``"INJURY TOLL"``)."""
    return triple.source.startswith('"') or triple.target.startswith('"')


def failure_causes(
    record: UnitTestRecord,
    got: set[Triple],
    *,
    actors_found: set[str],
    explain: Callable[[Triple], str] | None = None,
    compound_codes: frozenset[str] = frozenset(),
) -> list[tuple[str, str]]:
    """``(cause, triple)`` for every missing and extra triple of a record.

    Causes of a missing triple, the first that applies:

    * ``petrarch-only expectation``: a new-actor text code (``"INJURY TOLL"``) or a
      record marked ``bad_input_parse`` (its expectation depends on a broken parse);
    * ``compound actor code (A/B/C)``: an actor whose dictionary code lists several
      codes at once (``THE_SHIRE [FRO/BIL/SAM]``), one event expected per code;
    * ``reverse-direction event ([A:B] code)``: the expected set has the opposite
      dyad too (``left for X``: 032 one way, 033 back) and we did not code this one;
    * ``actor not found``: source or target is not among the sentence's resolved actors;
    * ``no target``: PETRARCH codes the event without a target (``---``);
    * then ``explain(triple)`` when given (see :func:`_explainer`: no rule with the
      code, rule constraints not met, another rule won, source or target not linked
      by the dependency frame...), else ``dyad not in the frame``.

    Causes of an extra triple: ``discard not applied`` (records the suite discards),
    ``wrong code`` (the dyad is expected with another code), ``wrong dyad`` (the code
    is expected with other actors), else ``extra event``.
    """
    out: list[tuple[str, str]] = []
    missing = record.expected - got
    extra = got - record.expected
    for t in sorted(missing, key=str):
        if _is_petrarch_only(t) or "bad_input_parse" in record.error:
            cause = "petrarch-only expectation"
        elif t.source in compound_codes or t.target in compound_codes:
            cause = "compound actor code (A/B/C)"
        elif any(
            e.source == t.target and e.target == t.source for e in record.expected
        ) and not any(g.source == t.source and g.target == t.target for g in got):
            cause = "reverse-direction event ([A:B] code)"
        elif (t.source != "---" and t.source not in actors_found) or (
            t.target != "---" and t.target not in actors_found
        ):
            cause = "actor not found"
        elif t.target == "---":
            cause = "no target (PETRARCH codes events without one)"
        elif explain is not None:
            cause = explain(t)
        else:
            cause = "dyad not in the frame"
        out.append((cause, str(t)))
    for t in sorted(extra, key=str):
        if any(e in ("storydiscard", "sentencediscard") for e in record.error):
            cause = "discard not applied"
        elif any(e.source == t.source and e.target == t.target for e in record.expected):
            cause = "wrong code"
        elif any(e.code == t.code for e in record.expected):
            cause = "wrong dyad"
        else:
            cause = "extra event"
        out.append((cause, str(t)))
    return out


_OBJECT_DEPS = frozenset({"dobj", "attr", "oprd", "dative"})


def _satisfies(tok, rule) -> bool:
    """Whether a token's parse meets a rule's constraints, as documented in
    :mod:`tidings.dictionaries.verbs` (diagnostics only; the coder decides)."""
    children = list(tok.children)
    objects = [c for c in children if c.dep_ in _OBJECT_DEPS]
    if rule.particle and not any(c.dep_ == "prt" and c.lower_ == rule.particle for c in children):
        return False
    if rule.object is not None:
        words = {o.lemma_.lower() for o in objects} | {o.lower_ for o in objects}
        if not words.intersection(rule.object):
            return False
    if rule.prep:
        preps = {
            c.lower_
            for holder in (tok, *objects)
            for c in holder.children
            if c.dep_ in {"prep", "agent", "dative"}
        }
        if rule.prep not in preps:
            return False
    if rule.words:
        subtree = {t.lemma_.lower() for t in tok.subtree} | {t.lower_ for t in tok.subtree}
        if not rule.words_satisfied(subtree):
            return False
    return True


def _explainer(
    pipeline: Pipeline,
    doc,
    resolved,
    agent_ids: frozenset[str],
    paths: Counter[str] | None = None,
) -> Callable[[Triple], str]:
    """Why the coder did not produce a triple whose actors were found.

    Replays the coder's rule selection and frames on the parsed sentence (its
    internal methods, for diagnostics only; an unexpected coder raises nothing and
    gives ``dyad not in the frame``).  For a source or target the frame missed,
    the dependency path from the trigger to the actor is counted in ``paths``
    (see :func:`_dep_path`).
    """
    coder = pipeline.coder
    lexicon = coder.lexicon

    def explain(t: Triple) -> str:
        try:
            coder.codebook.nearest(t.code)
        except KeyError:
            return "code unknown to the codebook (the coder drops it)"
        candidates = []
        for tok in doc:
            for pos in ("VERB", "NOUN"):
                rules = lexicon.rules_for(tok.lemma_.lower(), pos)
                if any(r.code == t.code for r in rules):
                    candidates.append((tok, pos, rules))
        if not candidates:
            return "no rule with the code (verb lemma or pattern not converted)"
        tagged = [
            c
            for c in candidates
            if c[0].pos_ in ({"VERB", "AUX"} if c[1] == "VERB" else {"NOUN", "PROPN"})
        ]
        if not tagged:
            return "trigger not tagged as a verb/noun by spaCy"
        satisfied = [
            (tok, pos)
            for tok, pos, rules in tagged
            if any(r.code == t.code and _satisfies(tok, r) for r in rules)
        ]
        if not satisfied:
            return "rule constraints not met (object, preposition, particle or words)"
        winners = []
        for tok, pos in satisfied:
            rule = coder._rule_for(tok, pos)
            if rule is not None and rule.code == t.code:
                winners.append((tok, pos, rule))
        if not winners:
            return "another rule won (more specific or earlier)"
        source_ok = target_ok = False
        for tok, pos, rule in winners:
            frame = coder._noun_frame(tok) if pos == "NOUN" else coder._verb_frame(tok, rule)
            if frame is None:
                continue
            sources, targets = coder.frame_actors(frame, resolved)
            source_ok |= t.source in {_actor_code(a, agent_ids) for a in sources}
            target_ok |= t.target in {_actor_code(a, agent_ids) for a in targets}
        trigger = winners[0][0]
        if not source_ok and paths is not None:
            paths[f"source {_actor_path(trigger, t.source, resolved, agent_ids)}"] += 1
        if not target_ok and paths is not None:
            paths[f"target {_actor_path(trigger, t.target, resolved, agent_ids)}"] += 1
        if not source_ok and not target_ok:
            return "frame: neither source nor target linked"
        if not source_ok:
            return "frame: source not linked"
        if not target_ok:
            return "frame: target not linked"
        return "frame: linked but no event (pairing)"

    def safe(t: Triple) -> str:
        try:
            return explain(t)
        except (AttributeError, TypeError, KeyError, ValueError):
            return "dyad not in the frame"

    return safe


def _dep_path(start, end) -> str:
    """The dependency path between two tokens: ``^`` steps up from ``start`` (by
    the relation of the token left), then steps down to ``end``; prepositions are
    written ``prep:with``.  ``restore`` -> ``Arnor`` in "Arnor is about to restore":
    ``^xcomp^acomp/nsubj``."""

    def label(tok) -> str:
        return f"{tok.dep_}:{tok.lower_}" if tok.dep_ in {"prep", "agent"} else tok.dep_

    up = [start, *start.ancestors]
    down = [end, *end.ancestors]
    common = next((t for t in up if t in down), None)
    if common is None:
        return "(other sentence)"
    ups = "".join(f"^{label(t)}" for t in up[: up.index(common)])
    downs = "/".join(label(t) for t in reversed(down[: down.index(common)]))
    return (ups + ("/" if ups and downs else "") + downs) or "(trigger)"


def _actor_path(trigger, code: str, resolved, agent_ids: frozenset[str]) -> str:
    doc = trigger.doc
    hits = [
        doc[i]
        for i, group in resolved.items()
        if any(_actor_code(a, agent_ids) == code for a in group)
    ]
    if not hits:
        return "(actor not resolved)"
    return min(
        (_dep_path(trigger, h) for h in hits), key=lambda p: (p.count("/") + p.count("^"), p)
    )


def _sentence_facts(
    pipeline: Pipeline,
    record: UnitTestRecord,
    agent_ids: frozenset[str],
    paths: Counter[str] | None = None,
) -> tuple[set[str], Callable[[Triple], str]]:
    """Actor codes the resolver finds in the record's text, and an explainer of
    missing triples (for the failure breakdown only)."""
    doc = pipeline.nlp(record.text)
    resolved = pipeline.resolver.resolve(doc, when=record.date)
    actors = {_actor_code(a, agent_ids) for group in resolved.values() for a in group}
    return actors, _explainer(pipeline, doc, resolved, agent_ids, paths)


def _compound_codes(issues: Iterable[DictionaryIssue]) -> frozenset[str]:
    import re

    codes: set[str] = set()
    for issue in issues:
        m = re.search(r"invalid code '([A-Z0-9]+(?:/[A-Z0-9]+)+)'", issue.message)
        if m:
            codes.update(m.group(1).split("/"))
    return frozenset(codes)


def _order(categories: Iterable[str]) -> list[str]:
    known = {c: i for i, c in enumerate(_CATEGORY_ORDER)}
    return sorted(categories, key=lambda c: (known.get(c, len(known)), c))


def evaluate_petrarch_unit_tests(
    path: Path | None = None,
    *,
    limit: int | None = None,
    model: str | None = None,
) -> dict:
    """Run the PETRARCH unit-test suite and score it (see the module docstring).

    ``path`` is ``records.jsonl`` or the directory holding it and the validation
    dictionaries; by default ``<gold>/petrarch-unit-tests``
    (:func:`tidings.evaluation.default_gold_dir`).  ``limit`` codes only the first
    records; ``model`` names the spaCy pipeline (default: Tidings' own).  The result is
    JSON-serialisable.
    """
    started = time.perf_counter()
    records_path = _records_path(path)
    directory = records_path.parent
    records = load_unit_test_records(records_path)
    if limit is not None:
        records = records[:limit]
    pipeline, issues, agent_ids = build_suite_pipeline(directory, model=model)
    built = time.perf_counter()

    articles = [
        Article(
            doc_id=f"{SET_NAME}-{i:04d}",
            title="",
            paragraphs=(Paragraph(r.text),),
            date=r.date,
        )
        for i, r in enumerate(records)
    ]
    coded = [c.events for c in pipeline.run(articles)]
    if len(coded) != len(records):  # pragma: no cover - a pipeline bug
        raise RuntimeError(f"pipeline returned {len(coded)} results for {len(records)} records")
    coded_at = time.perf_counter()

    compound = _compound_codes(issues)
    totals: Counter[str] = Counter()
    by_category: dict[str, Counter[str]] = {}
    causes: Counter[str] = Counter()
    frame_paths: Counter[str] = Counter()
    cause_examples: dict[str, list[str]] = {}
    failures: list[dict[str, object]] = []
    for record, events in zip(records, coded, strict=True):
        got = triples_of(events, agent_ids)
        recalled = len(record.expected & got)
        extra = len(got - record.expected)
        exact = got == record.expected
        row = by_category.setdefault(record.category, Counter())
        for counter in (totals, row):
            counter["records"] += 1
            counter["exact"] += exact
            counter["expected"] += len(record.expected)
            counter["recalled"] += recalled
            counter["extra"] += extra
            counter["emitted"] += len(got)
        if exact:
            continue
        actors_found, explain = _sentence_facts(pipeline, record, agent_ids, frame_paths)
        why = failure_causes(
            record, got, actors_found=actors_found, explain=explain, compound_codes=compound
        )
        for cause, triple in why:
            kind = (
                "missing: " if triple in {str(t) for t in record.expected} else "extra: "
            ) + cause
            causes[kind] += 1
            examples = cause_examples.setdefault(kind, [])
            if len(examples) < 3:
                examples.append(f"{record.id}: {triple}")
        if len(failures) < MAX_ERRORS:
            failures.append(
                {
                    "id": record.id,
                    "category": record.category,
                    "date": record.date.isoformat() if record.date else None,
                    "text": record.text,
                    "expected": sorted(str(t) for t in record.expected),
                    "got": sorted(str(t) for t in got),
                    "causes": [f"{c}: {t}" for c, t in why],
                    "events": [
                        {
                            "triple": str(next(iter(triples_of([e], agent_ids)))),
                            "trigger": e.evidence.trigger,
                            "rule": e.evidence.rule,
                            "source_text": e.source.text,
                            "target_text": e.target.text if e.target else None,
                        }
                        for e in events
                    ],
                }
            )

    n = totals["records"]
    issue_levels = Counter(i.level for i in issues)
    return {
        "set": SET_NAME,
        "gold_file": "/".join(records_path.parts[-2:]),
        "counts": {
            "records": n,
            "exact": totals["exact"],
            "expected_triples": totals["expected"],
            "recalled": totals["recalled"],
            "extra": totals["extra"],
            "emitted": totals["emitted"],
        },
        "scores": {
            "exact": ratio(totals["exact"], n),
            "recall": ratio(totals["recalled"], totals["expected"]),
            "precision": ratio(totals["recalled"], totals["emitted"]),
        },
        "by_category": {
            cat: {
                "records": c["records"],
                "exact": c["exact"],
                "expected": c["expected"],
                "recalled": c["recalled"],
                "extra": c["extra"],
            }
            for cat, c in ((cat, by_category[cat]) for cat in _order(by_category))
        },
        "failure_causes": {
            cause: {"count": count, "examples": cause_examples[cause]}
            for cause, count in sorted(causes.items(), key=lambda kv: (-kv[1], kv[0]))
        },
        "errors": failures,
        "diagnostics": {
            "missed_frame_paths": dict(
                sorted(frame_paths.items(), key=lambda kv: (-kv[1], kv[0]))[:25]
            ),
            "dictionary_issues": dict(sorted(issue_levels.items())),
            "compound_codes_skipped": sorted(compound),
            "seconds": {
                "build": round(built - started, 2),
                "code": round(coded_at - built, 2),
                "total": round(time.perf_counter() - started, 2),
            },
            "petrarch2": dict(PETRARCH2_REFERENCE),
            "target": dict(TARGET),
        },
    }


def _records_path(path: Path | None) -> Path:
    if path is None:
        from tidings.evaluation import default_gold_dir

        path = default_gold_dir() / SET_NAME
    path = Path(path)
    if path.is_dir():
        path = path / RECORDS_FILE
    if not path.is_file():
        raise InputError(f"gold data for {SET_NAME} not found: {path}")
    return path


def run_petrarch_unit_tests(
    pipeline: Pipeline | None, path: Path, *, limit: int | None = None
) -> dict:
    """The runner for :data:`tidings.evaluation.SETS` (``runner(pipeline, path, *, limit)``).

    The suite needs its own dictionaries, so ``pipeline`` only lends its spaCy model
    name; everything else is built by :func:`evaluate_petrarch_unit_tests`.
    """
    model = pipeline.config.model if pipeline is not None else None
    return evaluate_petrarch_unit_tests(path, limit=limit, model=model)
