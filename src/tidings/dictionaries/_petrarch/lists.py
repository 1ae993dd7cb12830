"""PETRARCH discard and issue lists: phrases that discard a sentence or story, or code an issue.

Part of :mod:`tidings.dictionaries._petrarch`, whose docstring describes the
format.
"""

from __future__ import annotations

import re
from pathlib import Path

from tidings.dictionaries._petrarch.agents import _plural_word
from tidings.dictionaries._petrarch.common import (
    _bad_chars,
    _unique,
    make_id,
    normalize_phrase,
    read_lines,
)
from tidings.dictionaries.actors import DictionaryIssue, DiscardEntry, IssueEntry

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
