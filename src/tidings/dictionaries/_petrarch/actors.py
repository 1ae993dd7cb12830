"""PETRARCH/TABARI actor dictionaries: entries, their codes and dates, and a guessed type.

Part of :mod:`tidings.dictionaries._petrarch`, whose docstring describes the
format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from tidings.dictionaries._petrarch.common import (
    _CODE_RE,
    _bad_chars,
    _unique,
    _wordset,
    make_id,
    normalize_phrase,
    parse_date,
    read_lines,
)
from tidings.dictionaries.actors import ActorEntry, DictionaryIssue, Role

#: Three-letter CAMEO agent/sector/religion codes that follow a country code
#: (``RUS`` + ``GOV``).  A code whose tail is made of these is an institution,
#: person or group *of* a country rather than the country (or a region) itself.
AGENT_CODES: frozenset[str] = _wordset(
    """
    AGR BUS CRM CVL DEV EDU ELI ENV GOV HLH HRI IGO IMG INS JUD LAB LEG MED MIL
    MNC MOD NGM NGO OPP PTY RAD REB REF SET SPY UAF COP REL SEP PRO DEF PPL
    CHR CTH ORT MOS BUD HIN JAN JEW MUS SHI SUN SFI ALE DRZ CON ATH ZRO SIK
    TAO BAH ITH KID
    """
)

#: Leading codes of actors that belong to no country (IGOs, NGOs, companies...).
INTERNATIONAL_PREFIXES = frozenset({"IGO", "NGO", "NGM", "MNC", "IMG", "UIS", "INT"})
_INTERNATIONAL_PREFIXES = INTERNATIONAL_PREFIXES

#: A compound actor code: one actor standing for several (``THE_SHIRE [FRO/BIL/SAM]``).
_COMPOUND_CODE_RE = re.compile(r"[A-Z0-9]+(?:/[A-Z0-9]+)+")
_BRACKET_RE = re.compile(r"\[([^\[\]]*)\]")


# --------------------------------------------------------------------------- codes


def _parse_code(
    body: str, note: str | None, name: str, number: int, issues: list[DictionaryIssue]
) -> Role | None:
    """One ``[...]`` body -> a Role; None (with an issue) when unusable or null."""
    parts = body.split()
    if not parts:
        issues.append(DictionaryIssue(name, number, "empty code '[]'"))
        return None
    code, rest = parts[0], "".join(parts[1:])  # "> 140608" is read as ">140608"
    valid = _CODE_RE.fullmatch(code) or _COMPOUND_CODE_RE.fullmatch(code)
    if not valid and _CODE_RE.fullmatch(code.upper()):
        issues.append(
            DictionaryIssue(
                name,
                number,
                f"code {code!r} is not upper case; read as {code.upper()!r}",
                "warning",
            )
        )
        code = code.upper()
    if not (_CODE_RE.fullmatch(code) or _COMPOUND_CODE_RE.fullmatch(code)):
        issues.append(DictionaryIssue(name, number, f"invalid code {code!r} in [{body}]"))
        return None
    start = end = None
    try:
        if not rest:
            pass
        elif rest[0] in "<>":
            when = parse_date(rest[1:])
            start, end = (when, None) if rest[0] == ">" else (None, when)
        elif "-" in rest:
            first, _, second = rest.partition("-")
            start, end = parse_date(first), parse_date(second)
            if start > end:
                issues.append(
                    DictionaryIssue(name, number, f"[{body}]: start {start} is after end {end}")
                )
                return None
        else:
            start = parse_date(rest)
            issues.append(
                DictionaryIssue(
                    name,
                    number,
                    f"[{body}]: a bare date has no '<', '>' or range; read as a start date",
                    "warning",
                )
            )
    except ValueError as exc:
        issues.append(DictionaryIssue(name, number, f"[{body}]: {exc}; code skipped"))
        return None
    if code == "---":  # the null code: "no code", which is what no role means
        return None
    return Role(code, start, end, note)


#: Comment fragments that are bookkeeping, not a description of the role.
_NOTE_NOISE = re.compile(
    r"""^(?:
        [\w./-]+\.txt                                   # source file tags
      | NGO_Actors | CountryInfo | IGOrulers
      | (?:converted|recoded)\ from\ SAE\ files
      | [A-Za-z]{1,5}\s+\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}  # editor stamps: MleH 23 Jul 2009
      | [A-Za-z]{1,5}\s+\d{1,2}/\d{1,2}/\d{2,4}          # jap 4/14/01
      | [A-Za-z]{1,5}\s+\d{2}\.\d{2}\.\d{2}              # PAS 14.01.27
    )$""",
    re.VERBOSE | re.IGNORECASE,
)


def _clean_note(comment: str | None) -> str | None:
    if not comment:
        return None
    kept = [p.strip() for p in comment.split("#") if p.strip()]
    kept = [p for p in kept if not _NOTE_NOISE.match(p)]
    return "; ".join(kept) or None


# --------------------------------------------------------------------------- actors


_ORG_WORDS = _wordset(
    """
    agency assembly association authority bank board bureau cabinet centre center
    chamber college command commission committee company congress corp corporation
    council court department directorate duma embassy federation force forces fund
    foundation government guard house inc institute kremlin league ministry navy
    office organisation organization palace parliament police presidency secretariat
    senate service services society tribunal union university
    """
)
_GROUP_WORDS = _wordset(
    """
    army brigade brigades battalion brotherhood cartel faction front fighters group
    insurgents jihad militia militias mujahideen movement network qaeda qaida rebels
    resistance state taliban tigers
    """
)
_GROUP_CODES = frozenset({"REB", "UAF", "INS", "IMG", "SEP", "RAD", "CRM"})


def guess_actor_type(names: tuple[str, ...], roles: tuple[Role, ...], hint: str = "") -> str:
    """Best-effort entry type from the codes, their dates and the primary name.

    * ``hint="country"`` -> ``"country"`` (the caller knows better);
    * every code is a place code (``RUS``, ``USAASM``, ``IRQOCC``; no agent
      part) -> ``"city"``, a place of that country (callers promote country
      entries themselves);
    * dated codes or an ``ELI`` (elite) code -> ``"person"``, unless the
      name ends in an organisation word (``kosovo assembly``) or is a
      group word with a rebel/insurgent code;
    * otherwise group words (army, brigade, front, ...) or rebel-type codes
      (``REB``, ``INS``, ``UAF``, ...) -> ``"group"``, organisation words ->
      ``"org"``; ``hint="nonstate"`` defaults to ``"group"``, anything else
      to ``"org"``.
    """
    if hint == "country":
        return "country"
    words = " ".join(names[:1]).replace("-", " ").split()
    word_set = set(words)
    codes = [r.code for r in roles]
    tails = {c[i : i + 3] for c in codes for i in range(3, len(c), 3)}
    tails |= {"IMG" for c in codes if c.startswith("IMG")}  # international militant groups
    group_like = bool(word_set & _GROUP_WORDS)
    org_like = bool(words) and (words[-1] in _ORG_WORDS or words[0] in _ORG_WORDS)
    if codes and all(is_place_code(c) for c in codes) and hint not in ("international", "nonstate"):
        return "city"
    if any(r.dated for r in roles) or "ELI" in tails or "ELI" in codes:
        if group_like and tails & _GROUP_CODES:
            return "group"
        return "org" if org_like else "person"
    if group_like:
        return "group"
    if org_like or word_set & _ORG_WORDS:
        return "org"
    if tails & _GROUP_CODES or hint == "nonstate":
        return "group"
    return "org"


def is_place_code(code: str) -> bool:
    """True for a country or region code without an agent part.

    ``RUS``, ``USAASM`` (American Samoa), ``IRQOCC`` (occupied Iraq) and
    ``ETHERIAUT`` are place codes; ``RUSGOV`` and ``USAASMELI`` are not.
    International codes (``IGO...``, ``NGO...``, ``MNC...``, ``IMG...``) are
    not place codes either.
    """
    if len(code) < 3 or len(code) % 3 or not code.isalpha():
        return False
    if code[:3] in _INTERNATIONAL_PREFIXES:
        return False
    return not any(code[i : i + 3] in AGENT_CODES for i in range(3, len(code), 3))


@dataclass
class _ActorDraft:
    number: int
    last: int  # number of the entry's last line
    names: list[str] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    line: int = 0  # number of the primary line (differs from number after a merge)
    null_code: bool = False  # an explicit [---] was read
    coded: bool = False  # some [...] was read, valid or not
    merged_from: list[int] = field(default_factory=list)


def _split_codes(text: str) -> tuple[str, list[str], str]:
    """``NAME [A] [B >x]  junk`` -> (``NAME``, [bodies], ``junk``)."""
    head, sep, _ = text.partition("[")
    if not sep:
        return text, [], ""
    rest = text[len(head) :]
    bodies = _BRACKET_RE.findall(rest)
    leftover = _BRACKET_RE.sub(" ", rest).strip()
    return head, bodies, leftover


def parse_actor_text(
    path: Path | str, text: str | None = None, *, hint: str = ""
) -> tuple[list[ActorEntry], list[DictionaryIssue]]:
    """Parse an actor dictionary given as ``text`` (or read from ``path``).

    Two repairs go beyond PETRARCH, each reported as a warning:

    * a primary line with no code of its own that is *directly* followed (no
      blank line) by another primary line is read as a synonym of the entry
      that follows -- the missing-``+`` slip (``BORIS_YELTSIN_`` /
      ``BORIS_N._YELTSIN`` / ... / ``[RUSGOV ...]``);
    * an entry whose only code is the null code ``[---]`` is kept with no
      roles: it still matches, so it blocks a shorter name inside it
      (``INDIAN_OCEAN [---]`` keeps "Indian" from coding ``IND``), but it
      codes nothing.  Entries with no code at all are skipped.
    """
    path = Path(path)
    name = path.name
    lines, issues = read_lines(path, text, semicolon_comments=True)
    drafts: list[_ActorDraft] = []
    current: _ActorDraft | None = None

    def add_name(draft: _ActorDraft, raw: str, number: int) -> None:
        phrase = normalize_phrase(raw)
        if not phrase:
            issues.append(DictionaryIssue(name, number, "empty phrase"))
            return
        problem = _bad_chars(phrase)
        if problem:
            issues.append(DictionaryIssue(name, number, f"phrase {phrase!r} {problem}; skipped"))
            return
        if phrase not in draft.names:
            draft.names.append(phrase)

    def add_codes(
        draft: _ActorDraft, bodies: list[str], comment: str | None, n: int, *, notes: bool = False
    ) -> None:
        # only a line holding a single code describes it; comments on name
        # lines are about the name or the record (sources, editor stamps)
        note = _clean_note(comment) if notes and len(bodies) == 1 else None
        draft.coded = draft.coded or bool(bodies)
        for body in bodies:
            role = _parse_code(body, note, name, n, issues)
            if role is None:
                draft.null_code = draft.null_code or body.split()[:1] == ["---"]
            elif role not in draft.roles:
                draft.roles.append(role)

    def leftover_warning(number: int, leftover: str) -> None:
        issues.append(
            DictionaryIssue(name, number, f"text after code ignored: {leftover!r}", "warning")
        )

    for line in lines:
        stripped = line.content.strip()
        if current is not None and stripped[:1] in ("[", "+"):
            current.last = line.number
        if stripped.startswith("["):
            if current is None:
                issues.append(DictionaryIssue(name, line.number, "code line before any actor"))
                continue
            current.coded = True
            _, bodies, leftover = _split_codes(stripped)
            if leftover:
                issues.append(
                    DictionaryIssue(
                        name, line.number, f"unreadable code line {stripped!r}; skipped"
                    )
                )
                continue
            add_codes(current, bodies, line.comment, line.number, notes=True)
        elif stripped.startswith("+"):
            if current is None:
                issues.append(DictionaryIssue(name, line.number, "synonym before any actor"))
                continue
            head, bodies, leftover = _split_codes(stripped[1:])
            if leftover:
                leftover_warning(line.number, leftover)
            add_name(current, head, line.number)
            add_codes(current, bodies, line.comment, line.number)
        else:
            previous = current
            current = _ActorDraft(number=line.number, last=line.number, line=line.number)
            if previous is not None and not previous.coded and previous.last + 1 == line.number:
                # missing '+': the codeless entry's names are synonyms of this one
                current.names.extend(previous.names)
                current.merged_from = [*previous.merged_from, previous.line]
                current.number = previous.number
                drafts.pop()
            drafts.append(current)
            head, bodies, leftover = _split_codes(stripped)
            if leftover:
                leftover_warning(line.number, leftover)
            add_name(current, head, line.number)
            add_codes(current, bodies, line.comment, line.number)

    entries: list[ActorEntry] = []
    used: dict[str, int] = {}
    for draft in drafts:
        if not draft.names:
            issues.append(DictionaryIssue(name, draft.number, "actor has no usable name; skipped"))
            continue
        if not draft.roles and not draft.null_code:
            issues.append(
                DictionaryIssue(
                    name, draft.number, f"actor {draft.names[0]!r} has no code; skipped"
                )
            )
            continue
        if draft.merged_from and draft.roles:
            issues.append(
                DictionaryIssue(
                    name,
                    draft.number,
                    f"lines {', '.join(map(str, draft.merged_from))} have no code and no '+': "
                    f"read as synonyms of the actor on line {draft.line}",
                    "warning",
                )
            )
        entry_id = _unique(make_id(draft.names[0]), used)
        names, roles = tuple(draft.names), tuple(draft.roles)
        entries.append(
            ActorEntry(
                id=entry_id,
                type=guess_actor_type(names, roles, hint),
                names=names,
                roles=roles,
                src=f"{name}:{draft.number}",
            )
        )
    return entries, issues


def parse_actor_file(path: Path | str) -> tuple[list[ActorEntry], list[DictionaryIssue]]:
    """Parse a PETRARCH/TABARI actor dictionary; never raises on bad content."""
    path = Path(path)
    lowered = path.name.lower()
    hint = "international" if "internat" in lowered else "nonstate" if "nonstate" in lowered else ""
    return parse_actor_text(path, hint=hint)
