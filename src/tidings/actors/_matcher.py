"""A compiled phrase matcher over dictionary names.

Names are split into tokens the way spaCy's English tokenizer splits them in
running text (hyphens and possessive ``'s`` apart, abbreviations such as
``u.s.`` kept whole) and stored in a token trie.  Matching walks the trie from
every token of a doc, so its cost depends on the text, not on the number of
dictionary entries (tens of thousands).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_TOKEN_RE = re.compile(r"[\w.]*\w\.?|'s|[^\w\s]", re.UNICODE)
_LEADING_ARTICLES = ("the ",)
_END = ""  # trie key holding the payload; never a token


def name_tokens(name: str) -> tuple[str, ...]:
    """Tokenise a dictionary name like spaCy tokenises running text."""
    name = " ".join(name.lower().split())
    for article in _LEADING_ARTICLES:
        if name.startswith(article):
            name = name[len(article) :]
    name = name.replace("\u2019", "'")
    tokens: list[str] = []
    for raw in name.split(" "):
        if raw.endswith("'s") and len(raw) > 2:
            tokens.extend(_TOKEN_RE.findall(raw[:-2]))
            tokens.append("'s")
        else:
            tokens.extend(_TOKEN_RE.findall(raw))
    return tuple(t for t in tokens if t)


@dataclass(frozen=True, slots=True)
class Match:
    start: int  # token index in the doc
    end: int  # exclusive
    kind: str  # "actor", "agent" or "discard"
    payload: object  # the dictionary entry


class PhraseTrie:
    """Longest-match phrase lookup on token sequences."""

    def __init__(self) -> None:
        self._root: dict = {}
        self.size = 0

    def add(self, name: str, kind: str, payload: object) -> None:
        tokens = name_tokens(name)
        if not tokens:
            return
        node = self._root
        for tok in tokens:
            node = node.setdefault(tok, {})
        if _END not in node:  # first entry wins: overlays are loaded first
            node[_END] = (kind, payload)
            self.size += 1

    def add_all(self, names: Iterable[str], kind: str, payload: object) -> None:
        for name in names:
            self.add(name, kind, payload)

    def find(self, lowers: list[str], starts_ok: Sequence[bool]) -> list[Match]:
        """Greedy left-to-right longest, non-overlapping matches.

        ``starts_ok[i]`` says whether an actor name may start at token ``i``
        (proper names must be capitalised in running text; role words need
        not be, so agents and discards are exempt).
        """
        out: list[Match] = []
        i, n = 0, len(lowers)
        root = self._root
        while i < n:
            node = root.get(lowers[i])
            best: Match | None = None
            j = i
            while node is not None:
                hit = node.get(_END)
                if hit is not None and (hit[0] != "actor" or starts_ok[i]):
                    best = Match(i, j + 1, hit[0], hit[1])
                j += 1
                if j >= n:
                    break
                node = node.get(lowers[j])
            if best is not None:
                out.append(best)
                i = best.end
            else:
                i += 1
        return out


def lookup_exact(trie: PhraseTrie, name: str) -> list[tuple[str, object]]:
    """Every (kind, entry) stored under exactly ``name`` (no partial matches)."""
    node = trie._root
    for tok in name_tokens(name):
        node = node.get(tok)
        if node is None:
            return []
    hit = node.get(_END)
    return [hit] if hit is not None else []
