"""The verb lexicon: dependency-pattern rules that map a trigger word to a CAMEO code.

Rules live in JSONL files, one rule per line::

    {"id": "MEET.7", "lemma": "meet", "pos": "VERB", "code": "036", "particle": null,
     "object": null, "prep": null, "words": ["leader", "with"], "passive": false,
     "src": "CAMEO.2.0.txt:5442", "pattern": "- * (WITH LEADERS) [036:036]"}

A rule applies to a token whose lemma is ``lemma`` (and POS ``pos``: ``VERB``,
``NOUN``, or ``ADJ`` for an adjective predicated of the clause's subject, "X was
critical of Y", whose ``prep`` names the target's preposition) when every
constraint holds:

* ``particle``: the token has a ``prt`` child with that text;
* ``object``: its direct object (``dobj``/``attr``/``oprd``) has one of these
  lemmas;
* ``prep``: a prepositional phrase with this preposition carries the target
  (``null``: the target is the direct object);
* ``words``: each entry appears (as lemma or lowercase text) in the token's
  subtree; an entry may list alternatives separated by ``|`` (from a
  PETRARCH synset), satisfied by any one of them (:meth:`VerbRule.words_satisfied`);
* ``extends``: (optional, default false) the rule adds to the rules of its
  lemma from earlier files instead of replacing them (see :func:`_load`);
* ``passive``: the grammatical subject is the target (passive clause; for the
  PETRARCH ``[:code]`` patterns also "X faces criticism"), the agent the source.

A ``mutual`` rule (PETRARCH's ``%``) applies only to a coordinated subject and
codes its members acting on each other, in both directions.

An optional ``reverse`` code (PETRARCH's ``[A:B]``, kept from a user's PETRARCH
file) adds a reverse-direction event for every dyad: the target acts on the source
with that code ("X left for Y": X 032 Y and Y 033 X).

Code ``"---"`` is the null code: the rule matches but yields no event, which
lets a specific pattern override a verb's default code.

The packaged files are ``data/verbs/cameo.jsonl`` (generated from
PETRARCH-2's CAMEO dictionary by ``scripts/build_verbs.py``) and
``data/verbs/core.jsonl`` (hand-curated), read in that order: a later rule with
the same lemma, POS and constraints replaces an earlier one.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Iterable, Set
from dataclasses import dataclass
from pathlib import Path

from tidings.errors import DictionaryError

__all__ = [
    "ALT_SEP",
    "VerbLexicon",
    "VerbRule",
    "default_verb_files",
    "load_verb_lexicon",
    "russian_verb_files",
]

#: Separator of alternatives inside one ``words`` entry.
ALT_SEP = "|"
POS_VALUES = frozenset({"VERB", "NOUN", "ADJ"})
_DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "verbs"


@dataclass(frozen=True, slots=True)
class VerbRule:
    """One rule of the verb lexicon (see the module docstring)."""

    id: str
    lemma: str
    pos: str
    code: str
    particle: str | None
    object: tuple[str, ...] | None
    prep: str | None
    words: tuple[str, ...]
    passive: bool
    src: str
    #: PETRARCH's ``[A:B]``: the code of the reverse-direction event (target ->
    #: source) that comes with each event of the rule; None for most rules.
    reverse: str | None = None
    #: PETRARCH's ``%`` before the verb: the rule needs a coordinated subject whose
    #: members act on each other ("X and Y have postponed": X->Y and Y->X).
    mutual: bool = False
    #: The rule adds to the rules of its lemma from earlier files instead of
    #: replacing them (see :func:`load_verb_lexicon`).
    extends: bool = False

    @property
    def specificity(self) -> int:
        """Number of constraints: particle, object, prep, each word, passive."""
        return (
            (self.particle is not None)
            + (self.object is not None)
            + (self.prep is not None)
            + len(self.words)
            + self.passive
            + self.mutual
        )

    @property
    def key(self) -> tuple:
        """Identity used for overlaying: lemma, POS and all constraints."""
        return (
            self.lemma,
            self.pos,
            self.particle,
            None if self.object is None else tuple(sorted(self.object)),
            self.prep,
            tuple(sorted(self.words)),
            self.passive,
            self.mutual,
        )

    @property
    def is_null(self) -> bool:
        """True for the null code ``---`` (matches, but codes no event)."""
        return self.code == "---"

    def words_satisfied(self, lemmas: Set[str]) -> bool:
        """Whether every ``words`` entry (or one of its ``|`` alternatives) is in ``lemmas``."""
        return all(any(alt in lemmas for alt in w.split(ALT_SEP)) for w in self.words)


class VerbLexicon:
    """Rules indexed by ``(lemma, pos)``; built by :func:`load_verb_lexicon`."""

    __slots__ = ("_by_lemma", "_lemmas", "_rules")

    def __init__(self, rules: Iterable[VerbRule]) -> None:
        by_key: dict[tuple, VerbRule] = {}
        for rule in rules:
            by_key[rule.key] = rule  # a later rule with the same key replaces the earlier
        self._rules: tuple[VerbRule, ...] = tuple(by_key.values())
        grouped: dict[tuple[str, str], list[VerbRule]] = {}
        for rule in self._rules:
            grouped.setdefault((rule.lemma, rule.pos), []).append(rule)
        self._by_lemma: dict[tuple[str, str], tuple[VerbRule, ...]] = {
            k: tuple(v) for k, v in grouped.items()
        }
        lemmas: dict[str, set[str]] = {}
        for lemma, pos in self._by_lemma:
            lemmas.setdefault(pos, set()).add(lemma)
        self._lemmas = {pos: frozenset(v) for pos, v in lemmas.items()}

    def rules_for(self, lemma: str, pos: str = "VERB") -> tuple[VerbRule, ...]:
        """The rules for a lemma (lowercase) and POS, in file order; empty if none."""
        return self._by_lemma.get((lemma, pos), ())

    def lemmas(self, pos: str = "VERB") -> frozenset[str]:
        """Every lemma with at least one rule for ``pos``."""
        return self._lemmas.get(pos, frozenset())

    @property
    def rules(self) -> tuple[VerbRule, ...]:
        return self._rules

    def __len__(self) -> int:
        return len(self._rules)

    def __iter__(self):
        return iter(self._rules)

    def __repr__(self) -> str:
        return f"VerbLexicon({len(self._rules)} rules, {len(self.lemmas('VERB'))} verb lemmas)"


# --------------------------------------------------------------------------- reading


# Generated files repeat the same object lists and word tuples across the verbs of
# a block: share one tuple per distinct value.
_TUPLES: dict[tuple[str, ...], tuple[str, ...]] = {}


def _str_list(value: object, field: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ValueError(f"{field!r} must be a list of non-empty strings")
    out = tuple(sys.intern(v.lower()) for v in value)
    return _TUPLES.setdefault(out, out)


def _opt_str(value: object, field: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise ValueError(f"{field!r} must be a non-empty string or null")
    return value.lower()


def _rule_from_record(record: object, default_src: str) -> VerbRule:
    if not isinstance(record, dict):
        raise ValueError("a rule must be a JSON object")
    for name in ("id", "lemma", "code"):
        if not isinstance(record.get(name), str) or not record[name]:
            raise ValueError(f"missing or empty {name!r}")
    pos = record.get("pos", "VERB")
    if pos not in POS_VALUES:
        raise ValueError(f"'pos' must be one of {sorted(POS_VALUES)}, not {pos!r}")
    obj = record.get("object")
    if obj is not None:
        obj = _str_list(obj, "object")
        if not obj:
            raise ValueError("'object' must be null or a non-empty list")
    passive = record.get("passive", False)
    if not isinstance(passive, bool):
        raise ValueError("'passive' must be true or false")
    extends = record.get("extends", False)
    if not isinstance(extends, bool):
        raise ValueError("'extends' must be true or false")
    src = record.get("src", default_src)
    if not isinstance(src, str):
        raise ValueError("'src' must be a string")
    return VerbRule(
        id=record["id"],
        lemma=sys.intern(record["lemma"].strip().lower()),
        pos=pos,
        code=sys.intern(record["code"].strip()),
        particle=_opt_str(record.get("particle"), "particle"),
        object=obj,
        prep=_opt_str(record.get("prep"), "prep"),
        words=_str_list(record.get("words", []), "words"),
        reverse=_opt_str(record.get("reverse"), "reverse"),
        mutual=record.get("mutual", False) is True,
        passive=passive,
        src=src,
        extends=extends,
    )


def read_verb_rules(path: Path) -> list[VerbRule]:
    """The rules of one JSONL file; blank lines are skipped.

    Raises :class:`DictionaryError` (``"file:line: message"``) on a malformed line.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DictionaryError(f"{path}: cannot read verb rules: {exc}") from exc
    rules: list[VerbRule] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DictionaryError(f"{path}:{lineno}: invalid JSON: {exc.msg}") from None
        try:
            rules.append(_rule_from_record(record, f"{path.name}:{lineno}"))
        except ValueError as exc:
            raise DictionaryError(f"{path}:{lineno}: {exc}") from None
    return rules


def default_verb_files() -> list[Path]:
    """The packaged rule files: ``cameo.jsonl`` first, ``core.jsonl`` last (it overlays)."""
    return [p for p in (_DATA_DIR / "cameo.jsonl", _DATA_DIR / "core.jsonl") if p.is_file()]


def russian_verb_files() -> list[Path]:
    """The packaged Russian verb rules (Russian lemmas; ``prep`` is the target's preposition)."""
    return [_DATA_DIR / "ru" / "verbs.jsonl"]


@functools.lru_cache(maxsize=1)
def _default_lexicon() -> VerbLexicon:
    return _load(default_verb_files())


def _load(paths: Iterable[Path]) -> VerbLexicon:
    """Overlay files per lemma: a later file that has rules for a (lemma, pos)
    replaces every earlier rule for it.

    Why per lemma and not per rule: the curated ``core.jsonl`` (and a user's
    own verb file) states the complete behaviour of a verb.  Mixing its rules
    with PETRARCH's block-wide patterns would let an unrelated, more specific
    block pattern ("meet ... for talks" → 036) silently win over it.

    A rule marked ``"extends": true`` does not replace anything by itself: it
    is added to the earlier rules of its lemma (a same-key rule is still
    replaced), for a file that only fills a gap in a verb's patterns.  The
    lemma's earlier rules are dropped as soon as the file has one rule for it
    without ``extends``.
    """
    rules: list[VerbRule] = []
    for path in paths:
        layer = read_verb_rules(Path(path))
        shadowed = {(r.lemma, r.pos) for r in layer if not r.extends}
        rules = [r for r in rules if (r.lemma, r.pos) not in shadowed]
        rules.extend(layer)
    return VerbLexicon(rules)


def load_verb_lexicon(paths: Iterable[Path] | None = None) -> VerbLexicon:
    """Load rule files in order (a later file replaces the rules of the lemmas it has,
    except through rules marked ``extends``, which add to them).

    Without ``paths`` the packaged files are loaded once and cached.
    """
    if paths is None:
        return _default_lexicon()
    return _load(paths)
