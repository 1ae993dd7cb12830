#!/usr/bin/env python3
"""Regenerate ``src/tidings/data/cameo/codebook.tsv`` from the shared data.

Inputs (read-only, in ``<repo>/../shared/data``):

* ``cameo/CAMEO_codefile.txt`` -- CAMEO code -> label, with ICEWS variants (MIT,
  openeventdata/text_to_CAMEO @6d7b3ab); its licence ``cameo/CAMEO_codefile-LICENSE``;
* ``cameo/goldstein.tsv`` -- CAMEO code -> Goldstein value, GDELT's lookup table;
* ``gold/plover-gsr/CAMEO2PLOVER-2021.txt`` -- CAMEO -> PLOVER draft 0.8 (CC BY-SA 4.0, OEDA).

Outputs (in ``src/tidings/data/cameo/``): ``codebook.tsv`` and a verbatim copy of the
text_to_CAMEO licence, ``LICENSE-text_to_CAMEO.txt``.  The output is a pure function of the
inputs (no dates, no absolute paths), so running the script twice gives identical bytes;
``--check`` verifies the committed files without writing anything (exit 1 on a difference).

Uses the standard library only and does not import ``tidings``: the QuadClass / class5 rules
below are deliberately re-stated here, and the test suite checks that they agree with the
loader's ``quad_class_of_root`` / ``class5_of_root``.
"""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DATA = SHARED / "data"
CODEFILE = DATA / "cameo" / "CAMEO_codefile.txt"
CODEFILE_LICENSE = DATA / "cameo" / "CAMEO_codefile-LICENSE"
GOLDSTEIN = DATA / "cameo" / "goldstein.tsv"
PLOVER = DATA / "gold" / "plover-gsr" / "CAMEO2PLOVER-2021.txt"

OUT_DIR = REPO / "src" / "tidings" / "data" / "cameo"
OUT_TSV = OUT_DIR / "codebook.tsv"
OUT_LICENSE = OUT_DIR / "LICENSE-text_to_CAMEO.txt"

COLUMNS = (
    "code",
    "root",
    "label",
    "goldstein",
    "quad_class",
    "class5",
    "plover",
    "plover_mode",
    "plover_context",
)

#: Obvious misspellings in CAMEO_codefile.txt, corrected to the spelling of the CAMEO
#: manual (1.1b3).  Applied after duplicate resolution; each must match exactly.
LABEL_CORRECTIONS: dict[str, tuple[str, str]] = {
    "055": ("Apolgize", "Apologize"),
    "1051": (
        "Demand easing of adminstrative sanctions",
        "Demand easing of administrative sanctions",
    ),
    "1444": (
        "Ostruct passage to demand change in institutions, regime",
        "Obstruct passage to demand change in institutions, regime",
    ),
}

PLOVER_CATEGORIES = frozenset(
    {
        "AGREE",
        "CONSULT",
        "SUPPORT",
        "CONCEDE",
        "COOPERATE",
        "AID",
        "RETREAT",
        "REQUEST",
        "ACCUSE",
        "REJECT",
        "THREATEN",
        "PROTEST",
        "SANCTION",
        "MOBILIZE",
        "COERCE",
        "ASSAULT",
    }
)


class BuildError(Exception):
    """The inputs are not what this script expects; the message names file and line."""


def quad_class(root: str) -> int:
    """GDELT QuadClass of a root: 1 = 01-05, 2 = 06-09, 3 = 10-14, 4 = 15-20."""
    n = int(root)
    if 1 <= n <= 5:
        return 1
    if 6 <= n <= 9:
        return 2
    if 10 <= n <= 14:
        return 3
    if 15 <= n <= 20:
        return 4
    raise ValueError(root)


def class5(root: str) -> int:
    """ConfliBERT's five-way class: 0 = 01-02, 1 = 03-05, 2 = 06-08, 3 = 09-13, 4 = 14-20."""
    n = int(root)
    for upper, cls in ((2, 0), (5, 1), (8, 2), (13, 3), (20, 4)):
        if 1 <= n <= upper:
            return cls
    raise ValueError(root)


def parent_of(code: str) -> str | None:
    """The CAMEO parent: 4-digit -> 3-digit -> 2-digit root -> None."""
    return code[:-1] if len(code) > 2 else None


# --------------------------------------------------------------------------- CAMEO labels


@dataclass
class CodefileResult:
    roots: dict[str, str]  # "01" -> "MAKE PUBLIC STATEMENT"
    labels: dict[str, str]  # "010" -> "Make statement"
    duplicates: list[tuple[str, str, str]]  # (code, dropped, kept)
    icews_lines: int  # LABELi / LABELI lines skipped
    icews_only_codes: list[str]  # numeric codes found only as LABELi (kept)
    variant_codes: list[tuple[str, str]]  # non-numeric codes skipped: (tag, code)


_ROOT_RE = re.compile(r"^//\s*(\d{2})\s*[:=]\s*(\S.*?)\s*$")
_LABEL_RE = re.compile(r"^(LABEL[iI]?):\s*(\S+?)\s*=\s*(.*?)\s*$")


def parse_codefile(path: Path) -> CodefileResult:
    roots: dict[str, str] = {}
    labels: dict[str, str] = {}
    icews: dict[str, str] = {}
    duplicates: list[tuple[str, str, str]] = []
    variants: list[tuple[str, str]] = []
    icews_lines = 0
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if m := _ROOT_RE.match(line):
            root, heading = m.groups()
            if root in roots:
                raise BuildError(f"{path}:{lineno}: root {root} twice")
            roots[root] = heading
            continue
        m = _LABEL_RE.match(line)
        if not m:
            continue
        tag, code, text = m.groups()
        if not text:
            raise BuildError(f"{path}:{lineno}: empty label for {code}")
        if not code.isdigit():
            variants.append((tag, code))
            continue
        if not 3 <= len(code) <= 4 or code[:2] not in roots:
            raise BuildError(f"{path}:{lineno}: unexpected code {code!r}")
        if tag != "LABEL":
            icews_lines += 1
            icews.setdefault(code, text)
            continue
        if code in labels and labels[code] != text:
            # The later LABEL line is the corrected one in every case of the 0.7b5 file
            # (018 "commment", 0354 missing "or", 175 short form): the last one wins.
            duplicates.append((code, labels[code], text))
        labels[code] = text
    icews_only = sorted(set(icews) - set(labels))
    for code in icews_only:
        # A code that the file has only in its ICEWS form is still a real CAMEO code
        # (numeric, under a known root): keep it with the ICEWS label.
        labels[code] = icews[code]
    for code, (wrong, right) in LABEL_CORRECTIONS.items():
        if labels.get(code) != wrong:
            raise BuildError(f"{path}: correction for {code} expects {wrong!r}")
        labels[code] = right
    return CodefileResult(roots, labels, duplicates, icews_lines, icews_only, variants)


# --------------------------------------------------------------------------- Goldstein


def parse_goldstein(path: Path) -> dict[str, float]:
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or lines[0].split("\t") != ["CAMEOEVENTCODE", "GOLDSTEINSCALE"]:
        raise BuildError(f"{path}:1: unexpected header")
    values: dict[str, float] = {}
    for lineno, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 2 or not fields[0].isdigit():
            raise BuildError(f"{path}:{lineno}: expected CODE<TAB>VALUE")
        code, raw = fields
        value = float(raw)
        if not -10.0 <= value <= 10.0 or f"{value:.1f}" != raw:
            raise BuildError(f"{path}:{lineno}: unexpected Goldstein value {raw!r}")
        if code in values:
            raise BuildError(f"{path}:{lineno}: {code} twice")
        values[code] = value
    return values


# --------------------------------------------------------------------------- PLOVER


@dataclass(frozen=True)
class PloverEntry:
    category: str
    mode: str
    context: str


@dataclass
class PloverResult:
    entries: dict[str, PloverEntry]  # per-code lines
    headers: dict[str, list[str]]  # "08" -> ["CONCEDE", "RETREAT"]


_PLOVER_HEADER_RE = re.compile(r"^(\d{2}):\s*([A-Z_]+)\s*$")
_PLOVER_LINE_RE = re.compile(r"^(\d{3,4}):(.*)$")


def parse_plover(path: Path) -> PloverResult:
    entries: dict[str, PloverEntry] = {}
    headers: dict[str, list[str]] = {}
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("~~~~~"):  # end-of-table marker, as in the TABARI-era files
            break
        if not line.strip() or line.startswith("#"):
            continue
        if m := _PLOVER_HEADER_RE.match(line):
            root, category = m.groups()
            if category not in PLOVER_CATEGORIES:
                raise BuildError(f"{path}:{lineno}: unknown PLOVER category {category!r}")
            headers.setdefault(root, []).append(category)
            continue
        m = _PLOVER_LINE_RE.match(line)
        if not m:
            raise BuildError(f"{path}:{lineno}: unparsed line")
        code, rest = m.groups()
        mapping = rest.split("#", 1)[0]
        fields = [f.strip() for f in mapping.split(",")]
        if len(fields) != 3:
            raise BuildError(f"{path}:{lineno}: expected CATEGORY, mode, context")
        category, mode, context = fields
        if category not in PLOVER_CATEGORIES:
            raise BuildError(f"{path}:{lineno}: unknown PLOVER category {category!r}")
        context = ";".join(c.strip() for c in context.split(";") if c.strip())
        entry = PloverEntry(category, mode, context)
        if code in entries and entries[code] != entry:
            raise BuildError(f"{path}:{lineno}: conflicting mappings for {code}")
        entries.setdefault(code, entry)
    return PloverResult(entries, headers)


# --------------------------------------------------------------------------- assembly


@dataclass(frozen=True)
class Row:
    code: str
    root: str
    label: str
    goldstein: float
    quad_class: int
    class5: int
    plover: PloverEntry | None

    def fields(self) -> tuple[str, ...]:
        p = self.plover
        return (
            self.code,
            self.root,
            self.label,
            f"{self.goldstein:.1f}",
            str(self.quad_class),
            str(self.class5),
            p.category if p else "",
            p.mode if p else "",
            p.context if p else "",
        )


@dataclass
class Build:
    rows: list[Row]
    codefile: CodefileResult
    goldstein_inherited: list[tuple[str, str]]  # (code, from)
    plover_inherited: list[tuple[str, str]]  # (code, from)
    plover_root_fallback: list[tuple[str, str]]  # (root, from) for ambiguous headers
    plover_ambiguous_headers: dict[str, list[str]]
    plover_none: list[str]
    plover_unused: list[str]  # mapping lines whose code is not in the codebook


def goldstein_source(code: str, gs: dict[str, float]) -> str:
    """Nearest code (itself, then parents) that has a Goldstein value."""
    anc: str | None = code
    while anc is not None:
        if anc in gs:
            return anc
        anc = parent_of(anc)
    raise BuildError(f"no Goldstein value for {code} or any parent")


def build() -> Build:
    cf = parse_codefile(CODEFILE)
    gs = parse_goldstein(GOLDSTEIN)
    pl = parse_plover(PLOVER)

    codes = sorted(set(cf.roots) | set(cf.labels))  # string order == CAMEO pre-order
    unknown = sorted(set(gs) - set(codes))
    if unknown:
        raise BuildError(f"{GOLDSTEIN}: codes not in the CAMEO codefile: {unknown}")

    g_inherited: list[tuple[str, str]] = []
    p_inherited: list[tuple[str, str]] = []
    p_fallback: list[tuple[str, str]] = []
    ambiguous = {r: cats for r, cats in pl.headers.items() if len(set(cats)) > 1}
    p_none: list[str] = []
    rows: list[Row] = []
    for code in codes:
        root = code[:2]

        g_from = goldstein_source(code, gs)
        if g_from != code:
            g_inherited.append((code, g_from))

        plover: PloverEntry | None = None
        if len(code) == 2:
            cats = pl.headers.get(code, [])
            if len(set(cats)) == 1:
                plover = PloverEntry(cats[0], "", "")
            elif cats and code + "0" in pl.entries:
                # Ambiguous section heading (08: CONCEDE and RETREAT): the root code means
                # the same as its generic "not specified below" code NN0.
                plover = pl.entries[code + "0"]
                p_fallback.append((code, code + "0"))
        else:
            anc: str | None = code
            while anc is not None and len(anc) > 2 and anc not in pl.entries:
                anc = parent_of(anc)
            if anc is not None and len(anc) > 2:
                plover = pl.entries[anc]
            elif anc is not None and len(set(pl.headers.get(anc, []))) == 1:
                plover = PloverEntry(pl.headers[anc][0], "", "")
            if plover is not None and anc != code:
                p_inherited.append((code, anc or ""))
        if plover is None:
            p_none.append(code)

        label = cf.roots[code] if len(code) == 2 else cf.labels[code]
        if "\t" in label or "\n" in label:
            raise BuildError(f"label of {code} contains a tab or newline")
        rows.append(Row(code, root, label, gs[g_from], quad_class(root), class5(root), plover))

    unused = sorted(set(pl.entries) - set(codes))
    return Build(rows, cf, g_inherited, p_inherited, p_fallback, ambiguous, p_none, unused)


# --------------------------------------------------------------------------- rendering


def render(b: Build) -> str:
    cf = b.codefile
    n_roots = sum(1 for r in b.rows if len(r.code) == 2)
    n3 = sum(1 for r in b.rows if len(r.code) == 3)
    n4 = sum(1 for r in b.rows if len(r.code) == 4)
    g_inh = ", ".join(f"{c}<-{a}" for c, a in b.goldstein_inherited) or "none"
    p_inh = ", ".join(f"{c}<-{a}" for c, a in b.plover_inherited) or "none"
    p_fb = ", ".join(f"{r}<-{a}" for r, a in b.plover_root_fallback) or "none"
    amb = "; ".join(f"{r}: {' and '.join(c)}" for r, c in b.plover_ambiguous_headers.items())
    dups = "; ".join(f'{c} "{old}" -> "{new}"' for c, old, new in cf.duplicates) or "none"
    fixes = "; ".join(f'{c} "{w}" -> "{r}"' for c, (w, r) in LABEL_CORRECTIONS.items())
    variants = ", ".join(f"{c} ({t})" for t, c in cf.variant_codes) or "none"
    icews_only = ", ".join(cf.icews_only_codes) or "none"
    no_plover_roots = sorted({c[:2] for c in b.plover_none})
    no_plover = (
        f"{len(b.plover_none)} codes, all under roots {', '.join(no_plover_roots)}"
        if b.plover_none
        else "none"
    )
    unused = ", ".join(b.plover_unused) or "none"

    header = f"""\
# Tidings CAMEO codebook: one row per CAMEO event code.
# {len(b.rows)} codes: {n_roots} roots (2 digits), {n3} with 3 digits, {n4} with 4 digits.
# GENERATED by scripts/build_codebook.py from ../shared/data; do not edit by hand.
# Lines starting with '#' are comments; then one header row; UTF-8, tab-separated, LF.
#
# Columns
#   code            CAMEO event code (string; keep the leading zero).
#   root            first two digits of code (GDELT EventRootCode).
#   label           CAMEO label [1]; root rows carry the CAMEO root heading in upper case.
#   goldstein       Goldstein conflict-cooperation value, -10.0 .. +10.0 [2].
#   quad_class      GDELT QuadClass [4]: 1 Verbal Cooperation = roots 01-05, 2 Material
#                   Cooperation = 06-09, 3 Verbal Conflict = 10-14, 4 Material Conflict = 15-20.
#   class5          ConfliBERT five-way class [5]: 0 = roots 01-02, 1 = 03-05, 2 = 06-08,
#                   3 = 09-13, 4 = 14-20.
#   plover          PLOVER event category, draft 0.8 names [3]; empty if the mapping has none.
#   plover_mode     PLOVER mode from the same mapping line [3]; often empty.
#   plover_context  PLOVER context(s) from the same mapping line [3], ';'-separated; often empty.
#
# Sources
#   [1] CAMEO_codefile.txt, "CAMEO Codelist Version: 0.7b5 (Aug 6, 2007)", with ICEWS variants
#       (LABELi, ca. June 2014). openeventdata/text_to_CAMEO @6d7b3ab,
#       https://github.com/openeventdata/text_to_CAMEO . MIT License, Copyright (c) 2014
#       Philip Schrodt; full text in LICENSE-text_to_CAMEO.txt beside this file.
#   [2] goldstein.tsv: GDELT's CAMEO Goldstein lookup (CAMEOEVENTCODE, GOLDSTEINSCALE;
#       https://www.gdeltproject.org/data/lookups/CAMEO.goldsteinscale.txt). Scale after
#       J. S. Goldstein (1992), "A Conflict-Cooperation Scale for WEIS Events Data",
#       Journal of Conflict Resolution 36(2): 369-385.
#   [3] CAMEO2PLOVER-2021.txt, "CAMEO to PLOVER conversion table", PLOVER manual Draft 0.8,
#       17-September-2021, edited by Philip Schrodt. openeventdata/PLOVER @5e0c24f,
#       https://github.com/openeventdata/PLOVER . (c) Open Event Data Alliance, licensed
#       CC BY-SA 4.0, https://creativecommons.org/licenses/by-sa/4.0/ .
#   [4] "THE GDELT EVENT DATABASE DATA FORMAT CODEBOOK V2.0", 2/19/2015, field QuadClass,
#       http://data.gdeltproject.org/documentation/GDELT-Event_Codebook-V2.0.pdf : the CAMEO
#       taxonomy is organised under four primary classifications, numbered 1=Verbal
#       Cooperation, 2=Material Cooperation, 3=Verbal Conflict, 4=Material Conflict. That
#       paragraph names and numbers the classes but does not list the root codes of each;
#       the root ranges above are the conventional GDELT assignment.
#   [5] ConfliBERT CAMEO classification data, eventdata/ConfliBERT @0b63001
#       (https://github.com/eventdata/ConfliBERT): classes 0 statement/appeal, 1 verbal
#       cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.
#
# Licence of this file
#   The plover* columns are adapted from [3] (CC BY-SA 4.0), so this file as a whole is
#   distributed under CC BY-SA 4.0 (ShareAlike); the labels remain available under the MIT
#   licence of [1]. Changes: see the decisions below. Details in PROVENANCE.md.
#
# Decisions
"""
    decisions = [
        f"labels: only numeric LABEL lines are used; {cf.icews_lines} ICEWS-variant lines"
        f" (LABELi/LABELI) are skipped. Numeric codes present only as ICEWS variants (kept"
        f" with their ICEWS label): {icews_only}. Non-numeric variant codes skipped: {variants}.",
        f"labels: a code with two different LABEL lines keeps the later one (the corrected"
        f" form): {dups}.",
        f"labels: misspellings corrected to the CAMEO manual's spelling: {fixes}.",
        "labels: root headings are kept as written in [1] (0.7b5); later CAMEO versions and"
        ' GDELT\'s lookup call root 15 "EXHIBIT FORCE POSTURE" and root 20 "USE UNCONVENTIONAL'
        ' MASS VIOLENCE".',
        f"goldstein: codes missing from [2] take the value of their nearest parent (3-digit,"
        f" then root): {g_inh}.",
        f"plover: the most specific mapping line is used: the code itself, else its 3-digit"
        f" parent, else the root's section heading; mode and context come with the line used."
        f" Inherited from a parent: {p_inh}.",
        f'plover: a section heading ("NN: CATEGORY") is used only when it is unambiguous.'
        f" Ambiguous headings: {amb}; such a root row takes the mapping of its generic code"
        f" NN0: {p_fb}.",
        "plover: a mapping line's own category wins over the section it is listed under"
        " (e.g. 163 COERCE under 16 SANCTION; 191, 192 under 17). Identical duplicate lines"
        " (175) are merged. Context lists are normalised to ';' without spaces.",
        f"plover: no mapping for {no_plover}: [3] does not map CAMEO 01 (make public"
        f" statement) or 02 (appeal). Mapping lines for codes not in [1]: {unused}.",
    ]
    for text in decisions:
        header += textwrap.fill(
            text,
            width=96,
            initial_indent="#   ",
            subsequent_indent="#     ",
            break_long_words=False,
            break_on_hyphens=False,
        )
        header += "\n"
    body = ["\t".join(COLUMNS)]
    body.extend("\t".join(row.fields()) for row in b.rows)
    return header + "\n".join(body) + "\n"


# --------------------------------------------------------------------------- main


def outputs() -> dict[Path, bytes]:
    return {
        OUT_TSV: render(build()).encode("utf-8"),
        OUT_LICENSE: CODEFILE_LICENSE.read_bytes(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 if a committed output differs from a fresh build",
    )
    args = parser.parse_args(argv)
    missing = [p for p in (CODEFILE, CODEFILE_LICENSE, GOLDSTEIN, PLOVER) if not p.is_file()]
    if missing:
        print(f"error: missing input {missing[0]}", file=sys.stderr)
        return 2
    try:
        wanted = outputs()
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    stale = [p for p, data in wanted.items() if not p.is_file() or p.read_bytes() != data]
    if args.check:
        for p in stale:
            print(f"stale: {p.relative_to(REPO)}", file=sys.stderr)
        return 1 if stale else 0
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for p in stale:
        p.write_bytes(wanted[p])
        print(f"wrote {p.relative_to(REPO)}")
    if not stale:
        print("up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
