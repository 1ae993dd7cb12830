"""Reading a PETRARCH/TABARI verb file: synsets, verb blocks, codes and verb entries.

Part of :mod:`tidings.dictionaries._petrarch.verbs`, whose docstring describes
the file format.  :func:`read_verb_source` splits a file into synsets and verb
blocks; :func:`parse_code` and :func:`parse_verb` read a block's codes and verb
entries.  Problems become :class:`~tidings.dictionaries.actors.DictionaryIssue`
records, or raise :class:`Skip` for the converter to catch and report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from tidings.dictionaries._petrarch.words import PARTICLES, PREPOSITIONS, _WordTools
from tidings.dictionaries.actors import DictionaryIssue


class Skip(Exception):
    """A pattern or verb entry that cannot be expressed; the message is the reason."""


# --------------------------------------------------------------------------- reading


@dataclass
class VerbEntry:
    text: str
    line: int
    code: str | None


@dataclass
class Pattern:
    text: str
    line: int


@dataclass
class Block:
    name: str
    code: str
    line: int
    verbs: list[VerbEntry] = field(default_factory=list)
    patterns: list[Pattern] = field(default_factory=list)


@dataclass
class Source:
    synsets: dict[str, list[str]]
    blocks: list[Block]
    transformations: int
    synset_lines: dict[str, int] = field(default_factory=dict)


_HEADER = re.compile(r"^---\s*(.*?)\s*\[([^\]]*)\]")
_CODE = re.compile(r"\[([^\]]*)\]\s*$")
_MARKER = "####### VERB PATTERNS"


def _strip_comment(line: str) -> str:
    return line.split("#", 1)[0].split(";", 1)[0].strip()


def _synset_label(text: str) -> str:
    # "&PREPOSIT1_": a trailing "_" only disables plurals
    return text.split()[0].rstrip("_") if text.split() else text


def _decode(data: bytes, name: str, issues: list[DictionaryIssue]) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        issues.append(
            DictionaryIssue(name, line, "not UTF-8; undecodable bytes replaced", "warning")
        )
        return data.decode("utf-8", errors="replace")


def read_verb_source(
    path: Path | str, text: str | None = None
) -> tuple[Source, list[DictionaryIssue]]:
    """Read a verb dictionary (``text``, or the file at ``path``) into blocks and synsets."""
    path = Path(path)
    name = path.name
    issues: list[DictionaryIssue] = []
    if text is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            issues.append(DictionaryIssue(name, 0, f"cannot read file: {exc.strerror}"))
            return Source({}, [], 0), issues
        text = _decode(data, name, issues)
    if text.startswith("\ufeff"):
        text = text[1:]
    synsets: dict[str, list[str]] = {}
    synset_lines: dict[str, int] = {}
    blocks: list[Block] = []
    transformations = 0
    in_verbs = False
    current_set: str | None = None  # the synset whose "+" members may follow
    block: Block | None = None
    in_xml_comment = False
    for lineno, raw in enumerate(text.splitlines(), start=1):
        if in_xml_comment:
            if "-->" not in raw:
                continue
            raw = raw[raw.index("-->") + 3 :]
            in_xml_comment = False
        if raw.lstrip().startswith("<!"):
            in_xml_comment = raw.lstrip().startswith("<!--") and "-->" not in raw.lstrip()[4:]
            continue
        while "<!--" in raw:
            head, _, tail = raw.partition("<!--")
            if "-->" in tail:
                raw = head + tail[tail.index("-->") + 3 :]
            else:
                raw, in_xml_comment = head, True
        if raw.startswith(_MARKER):
            in_verbs = True
            current_set = None
            continue
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not in_verbs and not stripped.startswith("---"):
            text_ = _strip_comment(stripped)
            if text_.startswith("&"):
                current_set = _synset_label(text_)
                synsets[current_set] = []
                synset_lines[current_set] = lineno
            elif text_.startswith("+") and current_set is not None:
                synsets[current_set].append(text_[1:])
            elif text_:
                issues.append(
                    DictionaryIssue(
                        name, lineno, f"line before the first verb block ignored: {text_!r}"
                    )
                )
            continue
        in_verbs = True
        if stripped.startswith("---"):
            current_set = None
            m = _HEADER.match(stripped)
            if not m:
                issues.append(
                    DictionaryIssue(
                        name,
                        lineno,
                        "unreadable block header (expected '--- NAME [CODE] ---'); block skipped",
                    )
                )
                block = None
                continue
            block = Block(m.group(1), m.group(2), lineno)
            blocks.append(block)
        elif stripped.startswith("&"):
            # a synset defined between verb blocks (validation-suite files)
            current_set = _synset_label(_strip_comment(stripped))
            synsets[current_set] = []
            synset_lines[current_set] = lineno
            block = None
        elif stripped.startswith("+") and current_set is not None:
            synsets[current_set].append(_strip_comment(stripped)[1:])
        elif stripped.startswith("-"):
            if block is not None:
                block.patterns.append(Pattern(stripped.split("#", 1)[0].strip(), lineno))
            else:
                issues.append(DictionaryIssue(name, lineno, "pattern outside a verb block"))
        elif stripped.startswith("~"):
            transformations += 1
            issues.append(
                DictionaryIssue(
                    name, lineno, "transformation (~) not supported by Tidings; ignored", "warning"
                )
            )
        elif block is not None:
            text_ = _strip_comment(stripped)
            if not text_:
                continue
            code = None
            m = _CODE.search(text_)
            if m:
                code = m.group(1).strip()
                text_ = text_[: m.start()].strip()
            block.verbs.append(VerbEntry(text_, lineno, code))
        else:
            issues.append(
                DictionaryIssue(name, lineno, f"line outside a verb block ignored: {stripped!r}")
            )
    if in_xml_comment:
        issues.append(DictionaryIssue(name, len(text.splitlines()), "unclosed '<!--' comment"))
    return Source(synsets, blocks, transformations, synset_lines), issues


def is_tabari_style(source: Source) -> bool:
    """True when no pattern uses a PETRARCH-2 ``(PREP ...)`` phrase (TABARI-style file)."""
    return not any("(" in p.text for b in source.blocks for p in b.patterns)


# --------------------------------------------------------------------------- codes

_CODE_OK = re.compile(r"\d{2,4}")
_CODE_SUFFIXED = re.compile(r"\d{2,4}[A-Za-z]")


def parse_code(code: str) -> tuple[str, bool, str | None]:
    """``(code, passive, reverse)`` for a PETRARCH-2 code string.

    ``reverse`` is the reverse-direction code of ``[A:B]`` (``B``: the target acts
    on the source, "X left for Y" is also Y receiving X), None without one or when
    it is not a readable code.
    """
    code = code.strip().rstrip("!")
    if ":" in code:
        active, _, reverse = code.partition(":")
        active, reverse = active.strip(), reverse.strip()
        if not active:
            if not reverse:
                raise Skip("empty code")
            return reverse, True, None
        readable = reverse != "---" and _CODE_OK.fullmatch(reverse)
        return active, False, reverse if readable else None
    if not code:
        raise Skip("empty code")
    return code, False, None


def _check_code(code: str) -> str:
    if code != "---" and not _CODE_OK.fullmatch(code) and not _CODE_SUFFIXED.fullmatch(code):
        raise Skip(f"unreadable code [{code}]")
    return code


# --------------------------------------------------------------------------- verbs


@dataclass(frozen=True)
class Verb:
    base: str  # for rule ids, e.g. SHUT_DOWN
    lemma: str
    particle: str | None
    prep: str | None
    words: tuple[str, ...]
    inflected: tuple[str, ...] = ()  # written forms of the verb word (regular and {...})


def regular_forms(verb: str) -> list[str]:
    """The forms PETRARCH generates for a regular verb: -s, -ed, -ing."""
    v = verb.lower()
    consonant_y = v.endswith("y") and len(v) > 1 and v[-2] not in "aeiou"
    if v.endswith(("s", "x", "z", "ch", "sh")):
        third = v + "es"
    elif consonant_y:
        third = v[:-1] + "ies"
    else:
        third = v + "s"
    if v.endswith("e"):
        past = v + "d"
    elif consonant_y:
        past = v[:-1] + "ied"
    else:
        past = v + "ed"
    gerund = (v[:-1] if v.endswith("e") and not v.endswith("ee") else v) + "ing"
    return [third, past, gerund]


def _brace_forms(text: str) -> list[str]:
    """The verb words of ``{...}`` irregular forms (``{+CORDONED_OFF +CORDONS_OFF}``)."""
    if "{" not in text or "}" not in text:
        return []
    inside = text[text.index("{") + 1 : text.index("}")]
    out = []
    for item in inside.split():
        parts = item.split("_")
        marked = [p for p in parts if p.startswith("+")]
        word = (marked[0] if marked else parts[0]).lstrip("+").lower()
        if word.isalpha():
            out.append(word)
    return out


def parse_verb(entry: VerbEntry, lem: _WordTools, *, tabari: bool = False) -> Verb:
    text = entry.text
    if "{" in text:
        if "}" not in text:
            raise Skip("unbalanced braces in verb entry")
        text = text[: text.index("{")].strip()
    head = text.split()[0] if text.split() else ""
    if not head:
        raise Skip("empty verb entry")
    if " " in text.strip():
        words_ = text.split()
        if not (tabari and len(words_) == 2 and "_" not in text and "+" not in text):
            raise Skip("unreadable verb entry")
        head = f"+{words_[0]}_{words_[1]}"  # TABARI "LASH OUT": verb and particle
    parts = head.split("_")
    if len(parts) > 1:
        marked = [i for i, p in enumerate(parts) if p.startswith("+")]
        if len(marked) != 1:
            raise Skip("compound verb without a single + marker")
        vi = marked[0]
    else:
        vi = 0
    parts = [p.lstrip("+").lower() for p in parts]
    if any(p in {"and", "or"} for p in parts):
        raise Skip("coordinated verb entry (e.g. KILLED_AND)")
    if any(not p for p in parts):
        raise Skip("unreadable verb entry")
    verb_pieces = lem.pieces(parts[vi])
    lemma = lem.lemma(verb_pieces[-1], "verb")
    words: list[str] = [*verb_pieces[:-1]]
    form: str | None = None
    if tabari:
        written = verb_pieces[-1]
        if lem.has_index and not lem.in_index(lemma, "verb") and lem.in_index(lemma + "e", "verb"):
            lemma = lemma + "e"  # TABARI stem: EXCHANG -> exchange
        elif lemma != written:
            form = written  # an inflected form with rules of its own: LEFT, SAID
            words.append(form)
    for p in parts[:vi]:
        words.extend(lem.words(p))
    particle = prep = None
    back = parts[vi + 1 :]
    for i, p in enumerate(back):
        last = i == len(back) - 1
        nxt = back[i + 1] if not last else None
        if p in PARTICLES and particle is None and (last or nxt in PREPOSITIONS):
            if tabari:
                words.append(p)  # spaCy often reads it as a preposition: "cordoned off the"
            else:
                particle = p
        elif last and p in PREPOSITIONS and p != "in":
            prep = p
        else:
            words.extend(lem.words(p))
    base = "_".join([*verb_pieces[:-1], *parts[:vi], form or lemma, *back]).upper()
    inflected: tuple[str, ...] = ()
    if form is None and len(verb_pieces) == 1 and lemma.isalpha():
        inflected = tuple(dict.fromkeys([*regular_forms(lemma), *_brace_forms(entry.text)]))
    return Verb(base, lemma, particle, prep, tuple(dict.fromkeys(words)), inflected)
