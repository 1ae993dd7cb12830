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
:mod:`tidings.dictionaries._petrarch.verbs`), and :func:`check_dictionary`
validates any file, directory or profile and returns its problems by file and line
(``tidings dictionaries check``).

This module holds the loading and re-exports the rest:
:mod:`~tidings.dictionaries._profile_set` reads a directory or profile into a
:class:`DictionarySet`, and :mod:`~tidings.dictionaries._profile_check` checks
files, directories and profiles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from tidings.dictionaries._petrarch.verbs import (
    Lemmatize,
    RuleLemmatizer,
    SpacyLemmatizer,
    parse_verb_file,
)
from tidings.dictionaries._profile_check import check_dictionary
from tidings.dictionaries._profile_set import (
    KINDS,
    PROFILE_NAME,
    DictionarySet,
    classify,
    load_dictionary_set,
)
from tidings.dictionaries._profile_set import Kind as Kind
from tidings.dictionaries._profile_set import Mode as Mode
from tidings.dictionaries.actors import (
    ActorEntry,
    AgentEntry,
    DictionaryIssue,
    DiscardEntry,
    _is_jsonl,
    _overlay,
    load_actor_entries,
    load_agent_entries,
    load_discard_entries,
)
from tidings.dictionaries.verbs import (
    VerbLexicon,
    VerbRule,
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

IssueHandler = Callable[[DictionaryIssue], None]


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
    converted with :func:`~tidings.dictionaries._petrarch.verbs.parse_verb_file`
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
    discards: list[DiscardEntry]  # phrases with their scope (sentence or story)
    verbs: VerbLexicon
    issues: tuple[DictionaryIssue, ...]
    # The user gave PETRARCH/TABARI-format discard files: their phrases carry
    # PETRARCH's meaning (no events from a sentence or story that has one).
    petrarch_discards: bool = False

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
    discards = load_discard_entries(ds.discard_files(), on_issue=collect)
    verbs = load_verb_lexicon_any(ds.verb_files(), lemmatize, on_issue=collect)
    # The same format test the discard loader reads the files with.
    petrarch_discards = any(not _is_jsonl(p) for p in ds.user_files("discards"))
    return LoadedDictionaries(
        actors, agents, discards, verbs, tuple(issues), petrarch_discards=petrarch_discards
    )
