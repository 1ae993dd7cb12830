"""A read verb file -> rule records (the ``cameo.jsonl`` shape), counts and issues.

Part of :mod:`tidings.dictionaries._petrarch.verbs`.  :func:`convert_source`
applies every pattern of a block to every verb entry of it, merges entries
listed more than once, drops what cannot code an event, and reports each
skipped verb or pattern: a warning when it is valid PETRARCH that Tidings rules
cannot express (:data:`UNSUPPORTED`), an error otherwise.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from tidings.dictionaries._petrarch.verb_patterns import PatternConverter, Spec
from tidings.dictionaries._petrarch.verb_source import (
    _CODE_SUFFIXED,
    Block,
    Skip,
    Source,
    Verb,
    VerbEntry,
    _check_code,
    is_tabari_style,
    parse_code,
    parse_verb,
)
from tidings.dictionaries._petrarch.words import Lemmatize, _WordTools, word_tools
from tidings.dictionaries.actors import DictionaryIssue
from tidings.dictionaries.verbs import ALT_SEP

#: Pattern lines skipped for these reasons are valid PETRARCH that Tidings rules
#: cannot express: reported as warnings.  Every other skip reason is an error.
UNSUPPORTED = frozenset(
    {
        "disjunction (A/B)",
        "source marker $ after the verb",
        "target marker + before the verb",
        "negation",
        "compound-actor marker %",
        "several target markers",
        "actor marker in a pre-verb prepositional phrase",
        "coordinated verb entry (e.g. KILLED_AND)",
    }
)
_NO_VERB = "block has no usable verb"


# --------------------------------------------------------------------------- conversion


@dataclass
class Stats:
    blocks: int = 0
    verb_entries: int = 0
    patterns: int = 0
    synsets: int = 0
    transformations: int = 0
    patterns_used: int = 0
    rules: int = 0
    bare_rules: int = 0
    passive_rules: int = 0
    null_rules: int = 0
    reverse_dropped: int = 0
    superseded: int = 0
    merged_entries: int = 0
    merge_conflicts: int = 0
    null_pruned: int = 0
    cross_duplicates: int = 0
    skipped_patterns: Counter = field(default_factory=Counter)
    skipped_verbs: Counter = field(default_factory=Counter)


@dataclass
class Conversion:
    """The rules of one verb file as JSON-ready records, with counts and issues."""

    records: list[dict]
    stats: Stats
    issues: list[DictionaryIssue]
    tabari: bool


def rule_key(lemma: str, pos: str, spec: Spec) -> tuple:
    s = spec
    return (lemma, pos, s.particle, s.object, s.prep, s.words, s.passive, s.mutual)


def _entry_rules(
    block: Block,
    entry: VerbEntry,
    verb: Verb,
    conv: PatternConverter,
    stats: Stats,
    reasons: dict,
    source_name: str,
) -> dict[tuple, dict]:
    """The rules one verb entry gets from its block: bare rule, then the patterns."""
    code, passive, reverse = parse_code(entry.code or block.code)
    code = _check_code(code)
    bare = Spec(verb.particle, None, verb.prep, tuple(sorted(verb.words)), passive)
    local: dict[tuple, dict] = {
        rule_key(verb.lemma, "VERB", bare): {
            "spec": bare,
            "code": code,
            "src": f"{source_name}:{entry.line}",
            "pattern": " ".join(entry.text.split()) + (f" [{entry.code}]" if entry.code else ""),
            "kind": "bare",
            "reverse": reverse,
        }
    }
    for pat in block.patterns:
        try:
            spec, pcode, preverse = conv.convert(pat.text, verb)
        except Skip as exc:
            reasons.setdefault(pat.line, str(exc))
            continue
        reasons[pat.line] = None
        key = rule_key(verb.lemma, "VERB", spec)
        if key in local:
            stats.superseded += 1  # PETRARCH-2 overwrites: the later pattern wins
        local[key] = {
            "spec": spec,
            "code": pcode,
            "src": f"{source_name}:{pat.line}",
            "pattern": " ".join(pat.text.split()),
            "kind": "pattern",
            "reverse": preverse,
        }
        if conv.tabari and spec.object is not None:
            # A TABARI noun is a word somewhere after the verb, not necessarily its
            # object ("fired two artillery shells" for "- * ARTILLERY"): a second
            # rule asks for it among the words; the object rule, first, wins ties.
            loose = replace(
                spec,
                object=None,
                words=tuple(sorted({*spec.words, ALT_SEP.join(spec.object)})),
            )
            local.setdefault(rule_key(verb.lemma, "VERB", loose), local[key] | {"spec": loose})
    return local


def _reason_key(reason: str) -> str:
    # "unreadable code [xyz]" is counted as "unreadable code"
    return reason.split(" [", 1)[0] if reason.startswith("unreadable code") else reason


def convert_source(
    source: Source,
    lemmatize: Lemmatize | _WordTools | None = None,
    *,
    source_name: str,
    tabari: bool | None = None,
    inflections: bool | None = None,
) -> Conversion:
    """Convert a read verb dictionary into rule records (the ``cameo.jsonl`` shape).

    ``tabari``: apply the TABARI-style readings (see
    :mod:`tidings.dictionaries._petrarch.verbs`);
    ``None`` detects them with :func:`is_tabari_style`.  ``inflections``: also
    index a verb's rules under the lemmas the model gives its inflected forms in
    a sentence when they differ from the verb's own lemma (``cordoned`` ->
    ``cordone``; see :meth:`SpacyLemmatizer.inflection_lemmas`); ``None``: when the
    lemmatizer has a model.  The build script turns both off, so the packaged
    ``cameo.jsonl`` is the plain PETRARCH-2 reading.
    """
    lem = word_tools(lemmatize)
    if tabari is None:
        tabari = is_tabari_style(source)
    if inflections is None:
        inflections = lem.has_index
    issues: list[DictionaryIssue] = []
    stats = Stats(
        blocks=len(source.blocks),
        verb_entries=sum(len(b.verbs) for b in source.blocks),
        patterns=sum(len(b.patterns) for b in source.blocks),
        synsets=len(source.synsets),
        transformations=source.transformations,
    )
    conv = PatternConverter(source.synsets, lem, tabari=tabari)
    for name, heads in conv.synsets.items():
        if not heads and name not in conv.closed_synsets:
            issues.append(
                DictionaryIssue(
                    source_name,
                    source.synset_lines.get(name, 0),
                    f"synset {name} has no usable member",
                    "warning",
                )
            )
    reasons: dict[int, str | None] = {}  # pattern line -> skip reason, None once converted
    verbs: dict[str, tuple[Verb, dict[tuple, dict]]] = {}  # by base, first appearance first
    for block in source.blocks:
        if not block.verbs:
            issues.append(
                DictionaryIssue(source_name, block.line, f"verb block {block.name} has no verbs")
            )
        for entry in block.verbs:
            try:
                verb = parse_verb(entry, lem, tabari=tabari)
                local = _entry_rules(block, entry, verb, conv, stats, reasons, source_name)
            except Skip as exc:
                reason = str(exc)
                stats.skipped_verbs[_reason_key(reason)] += 1
                level = "warning" if reason in UNSUPPORTED else "error"
                issues.append(
                    DictionaryIssue(
                        source_name, entry.line, f"verb {entry.text!r} skipped: {reason}", level
                    )
                )
                continue
            if verb.base not in verbs:
                verbs[verb.base] = (verb, local)
                continue
            # listed again (same or later block): merge, the earlier definition wins,
            # except that a real code replaces a null bare code (ABANDON [---] -> [080])
            stats.merged_entries += 1
            rules = verbs[verb.base][1]
            for key, item in local.items():
                old = rules.get(key)
                if old is None or (
                    item["kind"] == "bare"
                    and old["kind"] == "bare"
                    and old["code"] == "---"
                    and item["code"] != "---"
                ):
                    rules[key] = item
                elif old["code"] != item["code"]:
                    stats.merge_conflicts += 1

    alternates: dict[str, list[str]] = {}  # verb base -> further lemmas of its forms
    if inflections:
        forms = sorted({f for verb, _ in verbs.values() for f in verb.inflected})
        lemma_of = lem.inflection_lemmas(forms)
        for verb, _ in verbs.values():
            alts = {lemma_of.get(f) for f in verb.inflected} - {None, "", verb.lemma}
            if alts:
                alternates[verb.base] = sorted(alts)

    rules_out: list[dict] = []
    global_keys: set[tuple] = set()
    for verb, local in verbs.values():
        if all(item["code"] == "---" for item in local.values()):
            # no rule of this verb codes an event: its null-code patterns change nothing
            for key in [k for k, item in local.items() if item["kind"] != "bare"]:
                del local[key]
                stats.null_pruned += 1
        n = 0
        entries = [(verb.lemma, key, item) for key, item in local.items()]
        for alt in alternates.get(verb.base, ()):
            entries += [(alt, (alt, *key[1:]), item) for key, item in local.items()]
        for lemma, key, item in entries:
            if key in global_keys:
                stats.cross_duplicates += 1
                continue
            global_keys.add(key)
            spec: Spec = item["spec"]
            rules_out.append(
                {
                    "id": f"{verb.base}.{n}",
                    "lemma": lemma,
                    "pos": "VERB",
                    "code": item["code"],
                    "particle": spec.particle,
                    "object": list(spec.object) if spec.object is not None else None,
                    "prep": spec.prep,
                    "words": list(spec.words),
                    "passive": spec.passive,
                    "src": item["src"],
                    "pattern": item["pattern"],
                }
            )
            if spec.mutual:
                rules_out[-1]["mutual"] = True
            if item["reverse"] and item["code"] != "---":
                rules_out[-1]["reverse"] = item["reverse"]
            n += 1
            stats.rules += 1
            stats.bare_rules += item["kind"] == "bare"
            stats.passive_rules += spec.passive
            stats.null_rules += item["code"] == "---"
            stats.reverse_dropped += bool(item["reverse"]) and item["reverse"] != item["code"]
    suffixed: set[tuple[int, str]] = set()
    for rule in rules_out:
        if _CODE_SUFFIXED.fullmatch(rule["code"]):
            suffixed.add((int(rule["src"].rsplit(":", 1)[1]), rule["code"]))
    for line, code in sorted(suffixed):
        issues.append(
            DictionaryIssue(
                source_name,
                line,
                f"code [{code}] is not a CAMEO code (letter suffix); kept as written",
                "warning",
            )
        )
    for block in source.blocks:
        for pat in block.patterns:
            if pat.line not in reasons:
                reason = _NO_VERB
            elif reasons[pat.line] is None:
                stats.patterns_used += 1
                continue
            else:
                reason = reasons[pat.line]
            stats.skipped_patterns[_reason_key(reason)] += 1
            if reason == _NO_VERB:
                message, level = f"pattern skipped: {reason}", "warning"
            elif reason in UNSUPPORTED:
                message, level = f"pattern skipped: {reason} (not supported by Tidings)", "warning"
            else:
                message, level = f"pattern skipped: {reason}", "error"
            issues.append(DictionaryIssue(source_name, pat.line, message, level))
    issues.sort(key=lambda i: i.line)
    return Conversion(rules_out, stats, issues, tabari)
