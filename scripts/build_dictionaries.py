#!/usr/bin/env python
"""Convert the Phoenix/PETRARCH-2 dictionaries into Tidings' JSONL dictionaries.

    python scripts/build_dictionaries.py [--phoenix DIR] [--out DIR] [--patches DIR]

Reads the Phoenix actor, agent, discard and issue dictionaries (MIT, Open
Event Data Alliance, openeventdata/petrarch2 @676801c) through
:mod:`tidings.dictionaries._petrarch` and writes, into ``--out`` (default
``src/tidings/data/actors``):

* ``countries.jsonl``, ``international.jsonl``, ``nonstate.jsonl`` -- actors,
  ``{"id", "type", "names", "codes": [{"code", "start", "end", "note"}], "src"}``
* ``tidings.jsonl`` -- our hand-curated supplement (``actors`` in
  ``dictionary_patches/supplement.toml``: edit it there, not in the output),
  loaded last as an overlay
* ``agents.jsonl``, ``discards.jsonl``, ``issues.jsonl``
* ``LICENSE-phoenix.txt`` (the Phoenix MIT licence) and ``PROVENANCE.md``

The output is deterministic: running the script twice gives identical bytes
(the test suite checks the committed files against a fresh build).

Our additions are data, not code: TOML tables in ``scripts/dictionary_patches/``
(``--patches``), read and checked by :mod:`_dictionary_patches`; each entry
carries its reason.  What the conversion does beyond parsing (all of it is
listed, with counts, in PROVENANCE.md):

1. Source fixes (``source_fixes.toml``): a few source lines are repaired
   before parsing (impossible dates, control characters, mojibake); each fix
   names its line and reason.
2. Entry types (``type``) are heuristic:

   * Countries file, entries whose codes are all place codes (``RUS``,
     ``USAASM``, ``IRQOCC``: no agent part): ``"country"``; their synonyms
     are split at the capital (``places.toml``: ``capitals``, overridden by
     ``place_span``) -- Phoenix lists a country's names and demonyms first,
     then its capital, cities, regions and landmarks, all coded with the
     country code.  Names before the capital stay on the country entry; the
     capital and everything after it become one ``"city"`` entry per name
     with the country's codes (``MOSCOW`` -> ``RUS``).  No capital found: no
     split.
     ``subnational`` entries (Gaza, Iraqi Kurdistan, ...) are ``"city"``.
   * Everything else: :func:`tidings.dictionaries._petrarch.guess_actor_type`
     (dated codes or ``ELI`` -> person; organisation words -> org; group
     words or rebel/insurgent codes -> group; the non-state file defaults to
     group, the international file to org).

3. Excluded names (``names.toml``): dropped wherever they occur because,
   lowercased, they are everyday words that would create false actors
   (``us``, ``male`` the Maldivian capital, ...).  An entry left with no name
   is dropped.
4. ASCII-folded variants are added after names with accents
   (``manfred wörner`` -> ``manfred worner``).
5. Ids are the primary name in upper case (``SERGEY_LAVROV``), made unique
   over all actor files with ``_2``, ``_3``... in file order.

Agents: the regular plural is generated on the last word (PETRARCH's rule,
with proper English endings) plus the head-noun plural of ``X of Y`` phrases;
``{...}`` gives explicit plurals, ``{}`` none; ``!MARKER!`` sets are expanded.
Our agents (``agent`` in ``supplement.toml``) are added for the names Phoenix
lacks.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from _dictionary_patches import (  # noqa: E402
    PATCH_DIR,
    Fix,
    PatchError,
    Patches,
    SupplementActor,
    load_patches,
)
from _dictionary_records import (  # noqa: E402
    actor_json,
    agent_json,
    discard_json,
    issue_json,
    write_jsonl,
)
from tidings.dictionaries import _petrarch  # noqa: E402
from tidings.dictionaries.actors import (  # noqa: E402
    ActorEntry,
    AgentEntry,
    DictionaryIssue,
    Role,
)

DEFAULT_PHOENIX = ROOT.parent / "shared" / "data" / "dictionaries" / "phoenix"
DEFAULT_OUT = ROOT / "src" / "tidings" / "data" / "actors"

SOURCE_REPO = "openeventdata/petrarch2"
SOURCE_COMMIT = "676801c"

#: (source file, output file, file kind for the type heuristic)
ACTOR_FILES = (
    ("Phoenix.Countries.actors.txt", "countries.jsonl", "countries"),
    ("Phoenix.International.actors.txt", "international.jsonl", "international"),
    ("Phoenix.MilNonState.actors.txt", "nonstate.jsonl", "nonstate"),
)
AGENT_FILE = "Phoenix.agents.txt"
DISCARD_FILE = "Phoenix.discards.txt"
ISSUE_FILE = "Phoenix.IssueCoding.txt"
SOURCE_FILES = (*(a for a, _, _ in ACTOR_FILES), AGENT_FILE, DISCARD_FILE, ISSUE_FILE)


# --------------------------------------------------------------------------- source fixes


def read_fixed(
    path: Path, fixes: dict[str, tuple[Fix, ...]], issues: list[DictionaryIssue]
) -> tuple[str, list[str]]:
    """The file's text with its ``fixes`` applied, and a log line per applied fix."""
    text = path.read_bytes().decode("utf-8", errors="replace")
    lines = text.split("\n")
    log = []
    for fix in fixes.get(path.name, ()):
        numbers = range(1, len(lines) + 1) if fix.line is None else [fix.line]
        hits = 0
        for number in numbers:
            if fix.old in lines[number - 1]:
                lines[number - 1] = lines[number - 1].replace(fix.old, fix.new)
                hits += 1
        if not hits:  # the source changed: say so rather than silently skip
            issues.append(
                DictionaryIssue(path.name, fix.line or 0, f"fix not applied: {fix.old!r}")
            )
            continue
        where = f"line {fix.line}" if fix.line else f"{hits} lines"
        log.append(f"`{path.name}` {where}: `{fix.old!r}` → `{fix.new!r}` ({fix.why})")
    return "\n".join(lines), log


# --------------------------------------------------------------------------- helpers


def ascii_fold(name: str) -> str:
    """``manfred wörner`` -> ``manfred worner`` (drops combining marks only)."""
    decomposed = unicodedata.normalize("NFKD", name.replace("ı", "i"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def with_folded(names: Iterable[str]) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for name in names:
        out.setdefault(name, None)
        if not name.isascii():
            folded = ascii_fold(name)
            if folded != name and folded.strip():
                out.setdefault(folded, None)
    return tuple(out)


def synonym_lines(text: str, entry_line: int) -> dict[str, int]:
    """Line numbers of an entry's names, scanning from its primary line."""
    lines = text.split("\n")
    found: dict[str, int] = {}
    number = entry_line
    while number <= len(lines):
        raw = lines[number - 1]
        body = raw.split("#", 1)[0].split(";", 1)[0]
        stripped = body.strip()
        if number > entry_line and stripped and not stripped.startswith(("+", "[")):
            break  # the next entry
        if stripped and not stripped.startswith("["):
            name = _petrarch.normalize_phrase(stripped.lstrip("+").split("[", 1)[0])
            found.setdefault(name, number)
        number += 1
    return found


@dataclass
class Report:
    """What each source file gave: read, converted, skipped (with reasons)."""

    read: Counter[str]
    converted: Counter[str]
    skipped: dict[str, list[str]]
    warnings: dict[str, list[str]]
    notes: list[str]
    reasons: dict[str, Counter[str]]

    def skip(self, key: str, what: str, reason: str) -> None:
        self.skipped.setdefault(key, []).append(what)
        self.reasons.setdefault(key, Counter())[reason] += 1


# --------------------------------------------------------------------------- actors


def place_spans(entry: ActorEntry, patches: Patches) -> list[tuple[int, int]]:
    """Index ranges [a, b) of an entry's names that are places."""
    names = entry.names
    index = {n: i for i, n in reversed(list(enumerate(names)))}
    if entry.id in patches.place_spans:
        spans = []
        for first, last in patches.place_spans[entry.id]:
            a = index[first]
            b = index[last] + 1 if last is not None else len(names)
            spans.append((a, b))
        return spans
    candidates = []
    for role in entry.roles:
        for capital in patches.capitals.get(role.code, ()):
            if capital in index and capital != names[0]:
                candidates.append(index[capital])
    if not candidates:
        return []
    return [(min(candidates), len(names))]


def convert_countries(
    entries: list[ActorEntry], text: str, report: Report, patches: Patches
) -> list[ActorEntry]:
    out: list[ActorEntry] = []
    file = ACTOR_FILES[0][0]
    for entry in entries:
        place_level = bool(entry.roles) and all(
            _petrarch.is_place_code(r.code) for r in entry.roles
        )
        if not place_level:
            out.append(entry)
            continue
        lines = synonym_lines(text, int(entry.src.rsplit(":", 1)[1]))

        def city(
            name: str, _entry: ActorEntry = entry, _lines: dict[str, int] = lines
        ) -> ActorEntry:
            line = _lines.get(name, int(_entry.src.rsplit(":", 1)[1]))
            return ActorEntry(make_id(name), "city", (name,), _entry.roles, f"{file}:{line}")

        if entry.id in patches.subnational:
            if entry.id in patches.split_every_name:
                out.extend(city(n) for n in entry.names)
            else:
                out.append(replace(entry, type="city"))
            continue
        spans = place_spans(entry, patches)
        places = {i for a, b in spans for i in range(a, b)}
        keep = tuple(n for i, n in enumerate(entry.names) if i not in places)
        if not keep:  # the country's own name was listed as a place: keep it
            keep, places = entry.names[:1], places - {0}
        out.append(replace(entry, type="country", names=keep))
        out.extend(city(entry.names[i]) for i in sorted(places))
        if not spans:
            report.notes.append(f"no capital found among the names of {entry.id}: not split")
    return out


def make_id(name: str) -> str:
    return _petrarch.make_id(name)


def apply_exclusions(
    entries: list[ActorEntry], report: Report, key: str, excluded: dict[str, str]
) -> list[ActorEntry]:
    """Drop the ``excluded`` names; add ASCII-folded variants of accented names."""
    out = []
    for entry in entries:
        dropped = [n for n in entry.names if n in excluded]
        names = with_folded(n for n in entry.names if n not in excluded)
        for name in dropped:
            what = "entry" if not names else "name"
            report.skip(
                key,
                f"{what} {name!r} of {entry.id} ({entry.src}): excluded, {excluded[name]}",
                "excluded name (names.toml)",
            )
        if names:
            out.append(replace(entry, names=names))
    return out


def unique_ids(batches: list[list[ActorEntry]]) -> list[list[ActorEntry]]:
    """Make ids unique over all files: a repeated id gets ``_2``, ``_3``..."""
    used: set[str] = set()
    out = []
    for batch in batches:
        fixed = []
        for entry in batch:
            new_id, n = entry.id, 1
            while new_id in used:
                n += 1
                new_id = f"{entry.id}_{n}"
            used.add(new_id)
            fixed.append(replace(entry, id=new_id) if new_id != entry.id else entry)
        out.append(fixed)
    return out


def supplement_entries(
    existing: set[str], ids: set[str], report: Report, supplement: Iterable[SupplementActor]
) -> list[ActorEntry]:
    """Our ``supplement`` actors, keeping only names Phoenix lacks.

    An id already used by Phoenix gets ``_TIDINGS`` appended: the loader's
    overlay replaces entries of equal id, which is not meant here.
    """
    out = []
    for actor in supplement:
        entry_id = actor.id
        new = []
        for name in actor.names:
            bare = name.removeprefix("the ")
            if name in existing or (bare != name and bare in existing):
                report.notes.append(f"supplement name {name!r} ({entry_id}) already in Phoenix")
                continue
            new.append(name)
        if not new:
            continue
        if entry_id in ids:
            entry_id = f"{entry_id}_TIDINGS"
        role = Role(actor.code, None, None, actor.note)
        out.append(ActorEntry(entry_id, actor.type, with_folded(new), (role,), "tidings"))
    return out


# --------------------------------------------------------------------------- agents


def agent_supplement(
    entries: list[AgentEntry],
    extra: Iterable[tuple[tuple[str, ...], str]],
    report: Report,
) -> list[AgentEntry]:
    """Our ``extra`` agents (names, code), keeping only names Phoenix lacks."""
    known = {name for entry in entries for name in entry.names}
    ids = {entry.id for entry in entries}
    out = []
    for names, code in extra:
        new = tuple(n for n in names if n not in known)
        for name in names:
            if name in known:
                report.notes.append(f"agent supplement name {name!r} already in Phoenix")
        if new:
            entry_id = make_id(new[0])
            if entry_id in ids:
                entry_id += "_TIDINGS"
            out.append(AgentEntry(entry_id, new, code, "tidings"))
    return out


# --------------------------------------------------------------------------- main


def record_issues(report: Report, key: str, issues: Iterable[DictionaryIssue]) -> None:
    for issue in issues:
        text = f"line {issue.line}: {issue.message}"
        if issue.level == "error":
            report.skip(key, text, _reason(issue.message))
        else:
            report.warnings.setdefault(key, []).append(text)


def build(phoenix: Path, out: Path, patches: Patches) -> Report:
    """Convert the Phoenix files in ``phoenix`` into ``out``, with our ``patches``."""
    report = Report(Counter(), Counter(), {}, {}, [], {})
    out.mkdir(parents=True, exist_ok=True)
    fix_log: list[str] = []
    batches: list[list[ActorEntry]] = []
    for source, target, kind in ACTOR_FILES:
        issues: list[DictionaryIssue] = []
        text, log = read_fixed(phoenix / source, patches.fixes, issues)
        fix_log += log
        entries, parse_issues = _petrarch.parse_actor_text(phoenix / source, text, hint=kind)
        issues += parse_issues
        record_issues(report, target, issues)
        # entries read = entries parsed + entries the parser skipped
        report.read[target] = len(entries) + sum(
            1 for i in parse_issues if i.level == "error" and i.message.startswith("actor ")
        )
        if kind == "countries":
            entries = convert_countries(entries, text, report, patches)
        batches.append(apply_exclusions(entries, report, target, patches.excluded_names))
    batches = unique_ids(batches)
    existing = {name for batch in batches for entry in batch for name in entry.names}
    ids = {entry.id for batch in batches for entry in batch}
    supplement = supplement_entries(existing, ids, report, patches.supplement)
    for (_, target, _), batch in zip(ACTOR_FILES, batches, strict=True):
        report.converted[target] = write_jsonl(out / target, map(actor_json, batch))
    report.read["tidings.jsonl"] = len(patches.supplement)
    report.converted["tidings.jsonl"] = write_jsonl(
        out / "tidings.jsonl", map(actor_json, supplement)
    )

    # agents, discards, issues
    for source, target, parse, dump in (
        (AGENT_FILE, "agents.jsonl", _petrarch.parse_agent_text, agent_json),
        (DISCARD_FILE, "discards.jsonl", _petrarch.parse_discard_text, discard_json),
        (ISSUE_FILE, "issues.jsonl", _petrarch.parse_issue_text, issue_json),
    ):
        issues = []
        text, log = read_fixed(phoenix / source, patches.fixes, issues)
        fix_log += log
        entries, parse_issues = parse(phoenix / source, text)
        record_issues(report, target, issues + parse_issues)
        report.read[target] = len(entries) + sum(1 for i in parse_issues if i.level == "error")
        if target == "agents.jsonl":
            entries = entries + agent_supplement(entries, patches.agent_supplement, report)
        report.converted[target] = write_jsonl(out / target, map(dump, entries))

    (out / "LICENSE-phoenix.txt").write_bytes((phoenix / "LICENSE").read_bytes())
    write_provenance(out / "PROVENANCE.md", report, fix_log, batches, supplement, patches)
    return report


def write_provenance(
    path: Path,
    report: Report,
    fix_log: list[str],
    batches: list[list[ActorEntry]],
    supplement: list[ActorEntry],
    patches: Patches,
) -> None:
    types = Counter(e.type for batch in batches for e in batch)
    types_sup = Counter(e.type for e in supplement)
    out = [
        "# Provenance of the actor dictionaries",
        "",
        "Generated by `scripts/build_dictionaries.py` from the Phoenix files below and our tables",
        "in `scripts/dictionary_patches/`; do not edit by hand (edit those tables and rerun it).",
        "",
        "## Source",
        "",
        f"- Repository: `{SOURCE_REPO}` (GitHub), commit `{SOURCE_COMMIT}`,",
        "  `petrarch2/data/dictionaries/`.",
        "- Licence: MIT, Copyright (c) 2014 Open Event Data Alliance; see `LICENSE-phoenix.txt`.",
        "- Files: " + ", ".join(f"`{f}`" for f in SOURCE_FILES) + ".",
        "- `tidings.jsonl` is ours (`actors` in `scripts/dictionary_patches/supplement.toml`),",
        '  `src: "tidings"`.',
        "",
        "## What the conversion does",
        "",
        "- Parses the PETRARCH/TABARI format with `tidings.dictionaries._petrarch` (comments,",
        "  `+` synonyms, `[CODE]`, `[CODE >DATE]`, `[CODE <DATE]`, `[CODE DATE-DATE]`; several",
        "  codes on a primary line as in TABARI; 6-digit dates `YYMMDD` with `YY` <= 30 read as",
        "  20YY, else 19YY, as in KEDS/TABARI/PETRARCH; bounds inclusive).",
        "- Names: lowercase, `_` to a blank, blanks collapsed, trailing `_` dropped, punctuation",
        "  kept; duplicates removed in source order, primary first; ASCII-folded variants added",
        "  after accented names.",
        "- Notes: the comment of a code line becomes the role's `note` (editor stamps and file",
        "  tags such as `CountryInfo.txt` or `MleH 23 Jul 2009` are dropped).",
        "- `[---]` (null code): dropped when the entry has other codes (outside its dates a role",
        "  never applies anyway); an entry whose only code is `[---]` is kept with `codes: []`:",
        "  it still matches, so it keeps a shorter name inside it from coding (`indian ocean`",
        "  must not code `IND` through `indian`), but it codes nothing.",
        "- A primary line with no code directly followed by another primary line (no `+`) is",
        "  read as a synonym of the entry that follows (PETRARCH would code it as nothing).",
        "- Types are heuristic (see the script's docstring): country entries are split at their",
        "  capital into the country (names, demonyms) and one `city` entry per place.",
        "- Ids: the primary name upper-cased (`SERGEY_LAVROV`), unique over the actor files",
        "  (`_2`, `_3`... in file order).",
        "- Agents: `[~CODE]` -> `code` (`prefix: true` for `[CODE~]`); plurals: the last word",
        "  (`s`, `es` after s/sh/ch/x/z, consonant+`y` -> `ies`, `-man` -> `-men`; words already",
        "  ending in `s` get none), plus the head noun of `X of Y` phrases (`heads of state`);",
        "  `{...}` replaces them, `{}` suppresses them; `!MARKER!` sets expanded without plurals.",
        "- Discards: one record per line; `scope` is `story` for a leading `+`, else `sentence`;",
        "  `stem` is true when the phrase does not end in `_` (TABARI matched those as prefixes).",
        "- Issues: one record per phrase line, `n:`/`v:`/`+` expanded as PETRARCH does; `~` and",
        "  `~~` exclusion phrases have `code: null` and `ignore: sentence|story`.",
        "",
        "## Counts",
        "",
        "| file | entries read | converted (lines written) | skipped or dropped | warnings |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for key in report.converted:
        out.append(
            f"| `{key}` | {report.read[key]} | {report.converted[key]} | "
            f"{len(report.skipped.get(key, []))} | {len(report.warnings.get(key, []))} |"
        )
    out += [
        "",
        "Actor files hold more lines than entries read because country entries are split into",
        "a country and its places.",
        "",
        "Actor types (Phoenix files): "
        + ", ".join(f"{t} {types[t]}" for t in sorted(types))
        + "; `tidings.jsonl`: "
        + ", ".join(f"{t} {types_sup[t]}" for t in sorted(types_sup))
        + ".",
        "",
        "## Source fixes applied before parsing",
        "",
        *(f"- {line}" for line in fix_log),
        "",
        "## Excluded names",
        "",
        *(f"- `{name}`: {why}" for name, why in patches.excluded_names.items()),
        "",
        "## Ambiguous names kept",
        "",
        *(f"- `{name}`: {why}" for name, why in patches.kept_ambiguous.items()),
        "",
        "## Not converted (errors: skipped entries, names, codes or lines)",
        "",
    ]
    for key, items in report.skipped.items():
        out.append(f"### `{key}`")
        out.append("")
        out += [f"- {item}" for item in items]
        out.append("")
    out += ["## Read with a repair or assumption (warnings)", ""]
    for key, items in report.warnings.items():
        out.append(f"### `{key}`")
        out.append("")
        out += [f"- {item}" for item in items]
        out.append("")
    if report.notes:
        out += ["## Notes", ""]
        out += [f"- {note}" for note in report.notes]
        out.append("")
    path.write_text("\n".join(out).rstrip("\n") + "\n", encoding="utf-8", newline="\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument(
        "--phoenix",
        type=Path,
        default=DEFAULT_PHOENIX,
        help=f"Phoenix dictionary directory (default: {DEFAULT_PHOENIX})",
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"output directory (default: {DEFAULT_OUT})"
    )
    parser.add_argument(
        "--patches",
        type=Path,
        default=PATCH_DIR,
        help=f"our tables: source fixes, places, names, supplement (default: {PATCH_DIR})",
    )
    args = parser.parse_args(argv)
    try:  # before anything is written: a bad table must not leave a half-built output
        patches = load_patches(args.patches, SOURCE_FILES)
    except PatchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not (args.phoenix / "Phoenix.Countries.actors.txt").is_file():
        print(f"error: no Phoenix dictionaries in {args.phoenix}", file=sys.stderr)
        return 2
    report = build(args.phoenix, args.out, patches)
    width = max(len(k) for k in report.converted)
    for key in report.converted:
        skipped = report.skipped.get(key, [])
        print(
            f"{key:<{width}}  read {report.read[key]:>6}  converted {report.converted[key]:>6}  "
            f"skipped {len(skipped):>4}  warnings {len(report.warnings.get(key, [])):>4}"
        )
        for reason, count in sorted(report.reasons.get(key, Counter()).items()):
            print(f"{'':<{width}}    {count:>4} x {reason}")
    print(f"wrote {args.out} (details in PROVENANCE.md)")
    return 0


def _reason(message: str) -> str:
    """A short reason for a parser error, for grouping in the summary."""
    for marker, reason in (
        ("has no code", "actor without code"),
        ("no usable name", "actor without usable name"),
        ("contains", "bad characters in phrase"),
        ("is not", "invalid date"),
        ("no [code]", "line without [code]"),
        ("after end", "start after end"),
        ("fix not applied", "source changed: fix not applied"),
    ):
        if marker in message:
            return reason
    return message.split(";")[0][:60]


if __name__ == "__main__":
    sys.exit(main())
