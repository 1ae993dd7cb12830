"""Reader for dictionaries in the PETRARCH/TABARI text format.

Used by the build script that converts the Phoenix dictionaries to our JSONL
files, by the loaders when a user passes a PETRARCH-format file, and by
``tidings dictionaries check``.  No parser here raises on bad input: every
problem is collected as a :class:`DictionaryIssue` (file, line, message) and
the offending item is skipped (``level="error"``) or read with a stated
assumption (``level="warning"``).

The format (``dictionaries-format.rst`` of PETRARCH-2) in brief:

* ``#`` starts a comment, to the end of the line; lines starting with ``<!``
  and ``<!-- ... -->`` spans are comments too.  In actor and agent files a
  ``;`` also starts a comment (TABARI's ``NAME_ ; CountryInfo.txt``).
* Phrases are words separated by blanks or ``_``; a trailing ``_`` stops
  matching at a word end.  We lowercase, turn ``_`` into a blank, collapse
  blanks and drop trailing ``_`` (see :func:`normalize_phrase`).
* Actors: a primary phrase line, optional ``+synonym`` lines, and code lines
  ``[CODE]``, ``[CODE >DATE]``, ``[CODE <DATE]`` or ``[CODE DATE-DATE]``
  (usually tab-indented; TABARI also put them on the primary line, several
  at once).  Dates are ``YYYYMMDD`` or ``YYMMDD`` with ``YY`` <= 30 read as
  20YY, otherwise 19YY (KEDS/TABARI/PETRARCH rule).  Bounds are inclusive.
  ``[---]`` is the null code.
* Agents: ``PHRASE {PLURAL} [~CODE]`` (or ``[CODE~]`` for a code that goes
  before the actor code); regular plurals are generated; ``{}`` stops them;
  ``!MARKER! = A, B, C`` defines a substitution set used as ``X!MARKER!``.
* Discards: one phrase per line; a leading ``+`` discards the whole story.
* Issues: ``phrase [CODE]`` inside ``<ISSUE CATEGORY="...">`` blocks, with
  ``n:`` (noun plural), ``v:`` (verb forms) and ``+`` (blank or hyphen)
  expansions; ``~phrase`` / ``~~phrase`` are sentence / story exclusions.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from tidings.dictionaries.actors import (
    ActorEntry,
    AgentEntry,
    DictionaryIssue,
    DiscardEntry,
    IssueEntry,
    Role,
)

__all__ = [
    "AGENT_CODES",
    "AGENT_STEMS",
    "Line",
    "agent_plurals",
    "guess_actor_type",
    "is_place_code",
    "make_id",
    "normalize_phrase",
    "parse_actor_file",
    "parse_actor_text",
    "parse_agent_file",
    "parse_agent_text",
    "parse_date",
    "parse_discard_file",
    "parse_discard_text",
    "parse_issue_file",
    "parse_issue_text",
    "read_lines",
]


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


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
_INTERNATIONAL_PREFIXES = frozenset({"IGO", "NGO", "NGM", "MNC", "IMG", "UIS", "INT"})

_DATE_RE = re.compile(r"\d{6}|\d{8}")
_CODE_RE = re.compile(r"[A-Z0-9]+|---")
#: A compound actor code: one actor standing for several (``THE_SHIRE [FRO/BIL/SAM]``).
_COMPOUND_CODE_RE = re.compile(r"[A-Z0-9]+(?:/[A-Z0-9]+)+")
_BRACKET_RE = re.compile(r"\[([^\[\]]*)\]")
_WS_RE = re.compile(r"\s+")


# --------------------------------------------------------------------------- lines


@dataclass(frozen=True, slots=True)
class Line:
    """A non-blank, non-comment source line: its number, content and comment."""

    number: int
    content: str  # comment removed, not stripped
    comment: str | None  # text after '#', stripped, or None


def _decode(raw: bytes, name: str, number: int, issues: list[DictionaryIssue]) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        issues.append(
            DictionaryIssue(name, number, "line is not valid UTF-8; read as Latin-1", "warning")
        )
        return raw.decode("latin-1")


def read_lines(
    path: Path | str, text: str | None = None, *, semicolon_comments: bool = False
) -> tuple[list[Line], list[DictionaryIssue]]:
    """Split a dictionary into content lines, dropping comments and blank lines.

    ``text`` (if given) is used instead of reading ``path``; ``path`` then only
    names the file in issues and ``src`` fields.
    """
    path = Path(path)
    name = path.name
    issues: list[DictionaryIssue] = []
    if text is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            return [], [DictionaryIssue(name, 0, f"cannot read file: {exc.strerror}")]
        raw_lines = [_decode(b, name, i, issues) for i, b in enumerate(data.split(b"\n"), 1)]
    else:
        raw_lines = text.split("\n")
    if raw_lines and raw_lines[0].startswith("\ufeff"):
        raw_lines[0] = raw_lines[0][1:]
    out: list[Line] = []
    in_xml_comment = False
    for number, raw in enumerate(raw_lines, 1):
        line = raw.rstrip("\r")
        if in_xml_comment:
            if "-->" not in line:
                continue
            line = line[line.index("-->") + 3 :]
            in_xml_comment = False
        if line.startswith("#"):
            continue
        if line.startswith("<!"):  # as PETRARCH: a line starting "<!" is a comment
            in_xml_comment = line.startswith("<!--") and "-->" not in line[4:]
            continue
        while "<!--" in line:
            head, _, tail = line.partition("<!--")
            if "-->" in tail:
                line = head + tail[tail.index("-->") + 3 :]
            else:
                line, in_xml_comment = head, True
        comment = None
        if "#" in line:
            line, _, comment = line.partition("#")
            comment = comment.strip()
        if semicolon_comments and ";" in line:
            line, _, more = line.partition(";")
            more = more.strip()
            comment = f"{more} # {comment}" if comment and more else (more or comment)
        if not line.strip():
            continue
        out.append(Line(number, line, comment or None))
    return out, issues


# --------------------------------------------------------------------------- phrases


def normalize_phrase(raw: str) -> str:
    """``SERGEY_V._LAVROV_`` -> ``sergey v. lavrov``: lowercase, ``_`` to blank."""
    return _WS_RE.sub(" ", raw.replace("_", " ")).strip().lower()


def make_id(raw: str) -> str:
    """An entry id from a source phrase: ``Sergey_Lavrov_`` -> ``SERGEY_LAVROV``."""
    return normalize_phrase(raw).upper().replace(" ", "_")


def _bad_chars(phrase: str) -> str | None:
    for ch in phrase:
        if ch == "\ufffd":
            return "contains U+FFFD (a character lost in an earlier re-encoding)"
        if unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs"):
            return f"contains control character U+{ord(ch):04X}"
        if ch in "[]{}":
            return f"contains {ch!r}"
    return None


def parse_date(text: str) -> _dt.date:
    """``YYYYMMDD`` or ``YYMMDD`` (YY <= 30 -> 20YY, else 19YY) to a date.

    Raises ``ValueError`` with a readable message for anything else.
    """
    if not _DATE_RE.fullmatch(text):
        raise ValueError(f"date {text!r} is not YYMMDD or YYYYMMDD")
    if len(text) == 6:
        yy = int(text[:2])
        year = 2000 + yy if yy <= 30 else 1900 + yy
        month, day = int(text[2:4]), int(text[4:6])
    else:
        year, month, day = int(text[:4]), int(text[4:6]), int(text[6:8])
    try:
        return _dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"date {text!r} is not a calendar date") from None


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


def _unique(base: str, used: dict[str, int]) -> str:
    count = used.get(base, 0) + 1
    used[base] = count
    return base if count == 1 else f"{base}_{count}"


def parse_actor_file(path: Path | str) -> tuple[list[ActorEntry], list[DictionaryIssue]]:
    """Parse a PETRARCH/TABARI actor dictionary; never raises on bad content."""
    path = Path(path)
    lowered = path.name.lower()
    hint = "international" if "internat" in lowered else "nonstate" if "nonstate" in lowered else ""
    return parse_actor_text(path, hint=hint)


# --------------------------------------------------------------------------- agents

_INVARIANT_PLURAL = frozenset({"human", "german", "roman", "shaman", "ottoman", "talisman"})
_HEAD_PREPOSITIONS = frozenset({"of", "for", "to", "in", "at", "on", "from", "with", "against"})


def _plural_word(word: str) -> str | None:
    """Regular English plural of one lowercase word; None if it looks plural."""
    if not word or not word[-1].isalpha():
        return None
    if word.endswith("man") and len(word) > 3 and word not in _INVARIANT_PLURAL:
        return word[:-3] + "men"
    if word.endswith("ss") or word.endswith(("sh", "ch", "x", "z")):
        return word + "es"
    if word.endswith("s"):
        return None  # already plural ("forces") or invariant
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def agent_plurals(phrase: str) -> list[str]:
    """Regular plurals of an agent phrase.

    Like PETRARCH, the last word is pluralised (``foreign minister`` ->
    ``foreign ministers``), with proper English endings (``attorneys`` not
    ``attornies``, ``bosses``, ``chairmen``).  For ``X of Y``-shaped phrases
    the head noun's plural is added too (``heads of state``).
    """
    words = phrase.split(" ")
    out: list[str] = []
    last = _plural_word(words[-1])
    if last:
        out.append(" ".join([*words[:-1], last]))
    for i, word in enumerate(words[1:-1], 1):
        if word in _HEAD_PREPOSITIONS:
            head = _plural_word(words[i - 1])
            if head:
                out.append(" ".join([*words[: i - 1], head, *words[i:]]))
            break
    return out


#: TABARI-style stems left in the Phoenix agents file (``DEFENSE_MINIST``):
#: PETRARCH-2 matches whole words only, so these never matched there.  We
#: spell out the words each stem stands for (``milita`` is a typo).
AGENT_STEMS: dict[str, tuple[str, ...]] = {
    "minist": ("minister", "ministers", "ministry", "ministries"),
    "authorit": ("authority", "authorities"),
    "compan": ("company", "companies"),
    "industr": ("industry", "industries"),
    "milita": ("militia", "militias"),
}

_MARKER_DEF_RE = re.compile(r"^\s*!([^!\s]+)!\s*=\s*(.*)$")
_MARKER_USE_RE = re.compile(r"!([^!\s]*)!")


def parse_agent_text(
    path: Path | str, text: str | None = None
) -> tuple[list[AgentEntry], list[DictionaryIssue]]:
    """Parse an agent dictionary given as ``text`` (or read from ``path``)."""
    path = Path(path)
    name = path.name
    lines, issues = read_lines(path, text, semicolon_comments=True)
    markers: dict[str, list[str]] = {}
    entries: list[AgentEntry] = []
    used: dict[str, int] = {}
    for line in lines:
        content = line.content.strip()
        definition = _MARKER_DEF_RE.match(content)
        if definition:
            items = [normalize_phrase(x) for x in definition.group(2).split(",")]
            items = [x for x in items if x]
            if not items:
                issues.append(DictionaryIssue(name, line.number, "empty substitution set"))
            markers[definition.group(1)] = items
            continue
        if "[" not in content or "]" not in content:
            issues.append(DictionaryIssue(name, line.number, "agent has no [code]; skipped"))
            continue
        phrase_part, _, code_part = content.partition("[")
        body, _, trailing = code_part.partition("]")
        body = body.strip()
        if trailing.strip():
            issues.append(
                DictionaryIssue(name, line.number, f"text after code ignored: {trailing.strip()!r}")
            )
        prefix = False
        if body.startswith("~"):
            code = body[1:]
        elif body.endswith("~"):
            code, prefix = body[:-1], True
        else:
            code = body
            issues.append(
                DictionaryIssue(
                    name,
                    line.number,
                    f"agent code [{body}] has no '~'; read as [~{body}]",
                    "warning",
                )
            )
        if not code or not _CODE_RE.fullmatch(code) or code == "---":
            issues.append(DictionaryIssue(name, line.number, f"invalid agent code [{body}]"))
            continue
        explicit: list[str] | None = None
        if "{" in phrase_part:
            if "}" not in phrase_part:
                issues.append(DictionaryIssue(name, line.number, "missing '}'; skipped"))
                continue
            before, _, braced = phrase_part.partition("{")
            inside, _, after = braced.partition("}")
            if after.strip():
                issues.append(
                    DictionaryIssue(
                        name, line.number, f"text after '}}' ignored: {after.strip()!r}"
                    )
                )
            phrase_part = before
            plural = normalize_phrase(inside)
            explicit = [plural] if plural else []
        # substitution markers: every item replaces the marker, no plurals made
        variants = [phrase_part]
        bad_marker = False
        while any("!" in v for v in variants):
            expanded = []
            for variant in variants:
                match = _MARKER_USE_RE.search(variant)
                if match is None:
                    issues.append(
                        DictionaryIssue(name, line.number, "unbalanced '!' marker; skipped")
                    )
                    bad_marker = True
                    break
                if match.group(1) not in markers:
                    issues.append(
                        DictionaryIssue(
                            name, line.number, f"undefined marker !{match.group(1)}!; skipped"
                        )
                    )
                    bad_marker = True
                    break
                for item in markers[match.group(1)]:
                    expanded.append(variant[: match.start()] + item + variant[match.end() :])
            if bad_marker:
                break
            variants = expanded
        if bad_marker:
            continue
        used_marker = len(variants) > 1 or "!" in phrase_part
        names: list[str] = []
        for variant in variants:
            phrase = normalize_phrase(variant)
            problem = _bad_chars(phrase) if phrase else "is empty"
            if problem:
                issues.append(
                    DictionaryIssue(name, line.number, f"phrase {phrase!r} {problem}; skipped")
                )
                continue
            head, _, last = phrase.rpartition(" ")
            if last in AGENT_STEMS:  # TABARI stem: spell out the words it stood for
                names.extend(f"{head} {form}".strip() for form in AGENT_STEMS[last])
                continue
            names.append(phrase)
            if used_marker:
                continue
            forms = explicit if explicit is not None else agent_plurals(phrase)
            names.extend(forms)
        if used_marker and explicit:
            names.extend(explicit)
        names = list(dict.fromkeys(names))
        if not names:
            continue
        entries.append(
            AgentEntry(
                id=_unique(make_id(names[0]), used),
                names=tuple(names),
                code=code,
                src=f"{name}:{line.number}",
                prefix=prefix,
            )
        )
    return entries, issues


def parse_agent_file(path: Path | str) -> tuple[list[AgentEntry], list[DictionaryIssue]]:
    """Parse a PETRARCH agent dictionary; never raises on bad content."""
    return parse_agent_text(path)


# --------------------------------------------------------------------------- discards


def parse_discard_text(
    path: Path | str, text: str | None = None
) -> tuple[list[DiscardEntry], list[DictionaryIssue]]:
    """Parse a discard list given as ``text`` (or read from ``path``)."""
    path = Path(path)
    name = path.name
    lines, issues = read_lines(path, text)
    entries: list[DiscardEntry] = []
    for line in lines:
        content = line.content.strip()
        scope = "sentence"
        if content.startswith("+"):
            scope, content = "story", content[1:].strip()
        stem = not content.endswith("_")
        phrase = normalize_phrase(content)
        problem = _bad_chars(phrase) if phrase else "is empty"
        if problem:
            issues.append(
                DictionaryIssue(name, line.number, f"discard phrase {phrase!r} {problem}; skipped")
            )
            continue
        entries.append(DiscardEntry((phrase,), scope, stem, f"{name}:{line.number}"))
    return entries, issues


def parse_discard_file(path: Path | str) -> tuple[list[DiscardEntry], list[DictionaryIssue]]:
    """Parse a PETRARCH discard list; never raises on bad content."""
    return parse_discard_text(path)


# --------------------------------------------------------------------------- issues

_CATEGORY_RE = re.compile(r"<\s*ISSUE\b[^>]*\bCATEGORY\s*=\s*\"([^\"]*)\"", re.IGNORECASE)


def _issue_forms(target: str) -> list[str]:
    """Expand ``n:``, ``v:`` and ``+`` as PETRARCH's ``read_issue_list`` does."""
    forms = [target]
    changed = True
    while changed:
        changed = False
        out: list[str] = []
        for form in forms:
            if "+" in form:
                out += [form.replace("+", " ", 1), form.replace("+", "-", 1)]
                changed = True
            elif "n:" in form:
                head, _, tail = form.partition("n:")
                word, sep, rest = tail.partition(" ")
                plural = _plural_word(word) or word
                out += [head + tail, head + plural + sep + rest]
                changed = True
            elif "v:" in form:
                head, _, tail = form.partition("v:")
                word, sep, rest = tail.partition(" ")
                if word.endswith("e"):
                    verb_forms = [word, word + "s", word + "d", word[:-1] + "ing"]
                else:
                    verb_forms = [word, word + "s", word + "ed", word + "ing"]
                out += [head + v + sep + rest for v in verb_forms]
                changed = True
            else:
                out.append(form)
        forms = out
    return list(dict.fromkeys(normalize_phrase(f) for f in forms if normalize_phrase(f)))


def parse_issue_text(
    path: Path | str, text: str | None = None
) -> tuple[list[IssueEntry], list[DictionaryIssue]]:
    """Parse an issues dictionary given as ``text`` (or read from ``path``)."""
    path = Path(path)
    name = path.name
    lines, issues = read_lines(path, text)
    entries: list[IssueEntry] = []
    used: dict[str, int] = {}
    category: str | None = None
    records = [(line.number, line.content.strip()) for line in lines]
    while records:
        number, content = records.pop(0)
        if content.startswith("<"):
            match = _CATEGORY_RE.match(content)
            if match:
                category = match.group(1).strip() or None
            elif re.match(r"</\s*ISSUE\s*>", content, re.IGNORECASE):
                category = None
            else:
                issues.append(DictionaryIssue(name, number, f"unknown tag {content!r}"))
            continue
        ignore = None
        code: str | None = None
        if content.startswith("~"):
            ignore = "story" if content.startswith("~~") else "sentence"
            target = content.lstrip("~").partition("[")[0]
        else:
            target, sep, rest = content.partition("[")
            if not sep or "]" not in rest:
                issues.append(DictionaryIssue(name, number, "issue phrase has no [code]; skipped"))
                continue
            code, _, trailing = rest.partition("]")
            code = code.strip()
            trailing = trailing.strip()
            if "[" in trailing and "]" in trailing and trailing.partition("[")[0].strip():
                # two records run together on one line: read the second one too
                issues.append(
                    DictionaryIssue(name, number, "two phrases on one line; both read", "warning")
                )
                records.insert(0, (number, trailing))
            elif trailing and trailing != f"[{code}]":
                issues.append(
                    DictionaryIssue(
                        name, number, f"text after code ignored: {trailing!r}", "warning"
                    )
                )
            if not re.fullmatch(r"[A-Z0-9_-]+", code):
                issues.append(DictionaryIssue(name, number, f"invalid issue code [{code}]"))
                continue
        names = _issue_forms(target.strip().lower())
        bad = [n for n in names if _bad_chars(n)]
        if not names or bad:
            why = f"phrase {bad[0]!r} {_bad_chars(bad[0])}" if bad else "empty phrase"
            issues.append(DictionaryIssue(name, number, f"{why}; skipped"))
            continue
        base = make_id(names[0])
        entries.append(
            IssueEntry(
                id=_unique(("IGNORE:" if ignore else "") + base, used),
                names=tuple(names),
                code=code,
                category=category,
                src=f"{name}:{number}",
                ignore=ignore,
            )
        )
    return entries, issues


def parse_issue_file(path: Path | str) -> tuple[list[IssueEntry], list[DictionaryIssue]]:
    """Parse a PETRARCH issues dictionary; never raises on bad content."""
    return parse_issue_text(path)
