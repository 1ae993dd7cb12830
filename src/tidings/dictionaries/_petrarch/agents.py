"""PETRARCH agent dictionaries: ``PHRASE {PLURAL} [~CODE]`` lines, plurals and markers.

Part of :mod:`tidings.dictionaries._petrarch`, whose docstring describes the
format.
"""

from __future__ import annotations

import re
from pathlib import Path

from tidings.dictionaries._petrarch.common import (
    _CODE_RE,
    _bad_chars,
    _unique,
    make_id,
    normalize_phrase,
    read_lines,
)
from tidings.dictionaries.actors import AgentEntry, DictionaryIssue

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
