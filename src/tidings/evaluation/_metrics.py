"""Pure metric helpers: no spaCy, no files, no pipeline.  Unit-tested on tiny inputs.

* :func:`detokenize` rebuilds a sentence from CoNLL tokens so that spaCy parses it as
  running text ("Israel ’ s" -> "Israel’s", "rebel - held" -> "rebel-held").
* :func:`bio_spans` reads B-/I- tagged spans.
* :func:`word_set`, :func:`spans_match` and :func:`match_spans` implement the span-overlap
  rule of the conflibert-spans set.
* :func:`confusion_matrix`, :func:`ratio` and :func:`prf` are the arithmetic.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable, Iterable, Sequence

__all__ = [
    "SPAN_STOPWORDS",
    "bio_spans",
    "confusion_matrix",
    "detokenize",
    "match_spans",
    "prf",
    "ratio",
    "spans_match",
    "word_set",
]

# ----------------------------------------------------------------------------- detokenisation

# Tokens written without a space before them.
_CLOSERS = frozenset({".", ",", ":", ";", "!", "?", ")", "]", "}", "%", "...", "”", "''", "»"})
# Clitics split off by PTB-style tokenisers.
_CLITICS = frozenset({"'s", "n't", "'re", "'ve", "'ll", "'d", "'m"})
# Tokens written without a space after them.
_OPENERS = frozenset({"(", "[", "{", "“", "``", "«", "$", "€", "£", "#"})
# Apostrophe-like characters that tokenisers split off on their own ("Israel ’ s").
_APOSTROPHES = frozenset({"'", "’", "ʼ", "´", "`"})
_HYPHENS = frozenset({"-", "–", "/"})


def _is_word(token: str) -> bool:
    return bool(token) and token[0].isalnum() and token[-1].isalnum()


def _is_abbreviation(token: str) -> bool:
    """ "U.S.", "U.N.": letters with a final period."""
    return len(token) > 1 and token.endswith(".") and token[0].isalpha()


def _is_foreign_letter(token: str) -> bool:
    """A lone non-ASCII letter, as left by tokenisers that split "Peña" into "Pe ñ a"."""
    return len(token) == 1 and not token.isascii() and token.isalpha()


def _is_format_char(token: str) -> bool:
    """Invisible formatting characters (LRE, ZWJ...) that some sources leave as tokens."""
    return bool(token) and all(unicodedata.category(c) == "Cf" for c in token)


def detokenize(tokens: Sequence[str]) -> str:
    """Join tokens into running text: no space before punctuation and clitics, none after
    opening brackets, quotes and currency signs; glue hyphenated words, split possessives,
    digit groups ("100 , 000"), decimals ("5 . 3"), spelled-out initials ("T . P . L . F .")
    and lone non-ASCII letters ("Pe ñ a").  Invisible formatting characters are dropped.

    >>> detokenize(["The", "EU", "’", "s", "rebel", "-", "held", "(", "APEC", ")", "."])
    'The EU’s rebel-held (APEC).'
    """
    toks = [t for t in tokens if t and not _is_format_char(t)]
    n = len(toks)
    if not n:
        return ""
    # glue[i] is True when no space goes between toks[i - 1] and toks[i].
    glue = [False] * n
    open_double = False  # inside a straight "..." quote
    open_single = False  # inside a ‘...’ quote
    open_straight = False  # inside a straight '...' quote
    for i, tok in enumerate(toks):
        prev = toks[i - 1] if i else ""
        nxt = toks[i + 1] if i + 1 < n else ""
        if i == 0:
            if tok in {'"', "'"} and n > 1:
                glue[1] = True  # an opening quote
                open_double, open_straight = tok == '"', tok == "'"
            elif tok == "‘":
                open_single = True
            continue
        if tok in _CLOSERS or tok in _CLITICS or tok.lower() in _CLITICS:
            glue[i] = True
        if prev in _OPENERS or prev == "‘":
            glue[i] = True
        if tok == "‘":
            open_single = True
        elif tok in _APOSTROPHES:
            if nxt.lower() in {"s", "t", "re", "ve", "ll", "d", "m"} and _is_word(prev):
                glue[i] = True  # "Israel ’ s" -> "Israel’s"
                if i + 1 < n:
                    glue[i + 1] = True
            elif tok == "’" and open_single:
                glue[i] = True  # closing ‘...’
                open_single = False
            elif tok == "'" and open_straight:
                glue[i] = True  # closing '...'
                open_straight = False
            elif tok == "'" and _is_word(nxt) and "'" in toks[i + 1 :]:
                glue[i + 1] = True  # opening 'extremists'
                open_straight = True
            elif _is_word(prev) or prev in _CLOSERS:
                glue[i] = True  # "insurgents '" (plural possessive)
        elif tok == '"':
            if open_double:
                glue[i] = True
            elif i + 1 < n:
                glue[i + 1] = True
            open_double = not open_double
        elif tok in _HYPHENS and (_is_word(prev) or _is_abbreviation(prev)) and _is_word(nxt):
            glue[i] = True  # "rebel - held" -> "rebel-held", "U.S. - led" -> "U.S.-led"
            glue[i + 1] = True
        elif tok == "-" and prev == "-":
            glue[i] = True  # "- -" -> "--"
        elif tok == "," and prev.isdigit() and len(prev) <= 3 and len(nxt) == 3 and nxt.isdigit():
            glue[i + 1] = True  # "100 , 000" -> "100,000"
        elif tok == "." and len(prev) == 1 and prev.isalpha() and len(nxt) == 1 and nxt.isalpha():
            glue[i + 1] = True  # "T . P . L . F ." -> "T.P.L.F.", "a . m ." -> "a.m."
        elif tok == "." and prev.isdigit() and nxt.isdigit():
            glue[i + 1] = True  # "5 . 3 million" -> "5.3 million"
        elif _is_foreign_letter(tok):
            if prev.isalpha():
                glue[i] = True
            if nxt.isalpha() and i + 1 < n:
                glue[i + 1] = True
    out = [toks[0]]
    for i in range(1, n):
        if not glue[i]:
            out.append(" ")
        out.append(toks[i])
    return "".join(out)


# ----------------------------------------------------------------------------- spans


def bio_spans(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """``(label, start, end)`` token spans (end exclusive) of B-/I- tags.

    An ``I-X`` that does not continue an ``X`` span starts a new one (lenient CoNLL reading).

    >>> bio_spans(["O", "B-S", "I-S", "B-T", "I-T", "O", "I-S"])
    [('S', 1, 3), ('T', 3, 5), ('S', 6, 7)]
    """
    spans: list[tuple[str, int, int]] = []
    label: str | None = None
    start = 0
    for i, tag in enumerate(tags):
        kind, _, name = tag.partition("-")
        if kind == "I" and name == label:
            continue
        if label is not None:
            spans.append((label, start, i))
            label = None
        if kind in {"B", "I"} and name:
            label, start = name, i
    if label is not None:
        spans.append((label, start, len(tags)))
    return spans


#: Words ignored when comparing actor texts: they carry no identity and would let
#: "the government" match "the last ISIS group bastion in the country".
SPAN_STOPWORDS = frozenset({"the", "a", "an", "of"})

_POSSESSIVE = re.compile(r"\s*['’ʼ´]\s*s\b")
_WORD = re.compile(r"\w+")


def word_set(text: str) -> frozenset[str]:
    """Lowercased word tokens of ``text``, without possessive 's and :data:`SPAN_STOPWORDS`
    (unless nothing else is left).

    >>> sorted(word_set("the Croatian government ’ s request"))
    ['croatian', 'government', 'request']
    """
    words = _WORD.findall(_POSSESSIVE.sub(" ", text.lower()))
    content = frozenset(w for w in words if w not in SPAN_STOPWORDS)
    return content or frozenset(words)


def spans_match(a: frozenset[str], b: frozenset[str]) -> bool:
    """True when the word sets share at least half of the shorter one (and at least one word)."""
    if not a or not b:
        return False
    shared = len(a & b)
    return shared > 0 and 2 * shared >= min(len(a), len(b))


def match_spans(
    predicted: Sequence[frozenset[str]], gold: Sequence[frozenset[str]]
) -> list[tuple[int, int]]:
    """One-to-one matching of predicted to gold word sets under :func:`spans_match`.

    Greedy on the overlap ratio (shared words / shorter set), best first, ties broken by
    position, so each gold span and each prediction is used at most once.  Returns
    ``(predicted_index, gold_index)`` pairs.
    """
    candidates: list[tuple[float, int, int, int]] = []
    for p, ps in enumerate(predicted):
        for g, gs in enumerate(gold):
            if spans_match(ps, gs):
                shared = len(ps & gs)
                candidates.append((-shared / min(len(ps), len(gs)), -shared, p, g))
    candidates.sort()
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, _, p, g in candidates:
        if p in used_p or g in used_g:
            continue
        used_p.add(p)
        used_g.add(g)
        pairs.append((p, g))
    return sorted(pairs)


# ----------------------------------------------------------------------------- arithmetic


def ratio(numerator: int, denominator: int) -> float:
    """``numerator / denominator`` rounded to 4 places; 0.0 when there is nothing to count."""
    return round(numerator / denominator, 4) if denominator else 0.0


def prf(matched: int, predicted: int, gold: int) -> dict[str, float]:
    """Precision, recall and F1 (rounded to 4 places) from match counts."""
    p = matched / predicted if predicted else 0.0
    r = matched / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def confusion_matrix(
    pairs: Iterable[tuple[Hashable, Hashable | None]],
    labels: Sequence[Hashable],
    *,
    none_label: str = "none",
) -> dict[str, object]:
    """Rows = gold labels, columns = predicted labels plus ``none_label`` for "no prediction".

    ``pairs`` are ``(gold, predicted)``; a predicted ``None`` counts in the last column.
    Returns ``{"labels": [...], "columns": [...], "rows": [[...], ...]}`` (JSON-ready).
    Gold or predicted labels outside ``labels`` raise ``ValueError``.
    """
    index = {label: i for i, label in enumerate(labels)}
    rows = [[0] * (len(labels) + 1) for _ in labels]
    for gold, pred in pairs:
        if gold not in index:
            raise ValueError(f"gold label {gold!r} not in {list(labels)!r}")
        if pred is None:
            col = len(labels)
        elif pred in index:
            col = index[pred]
        else:
            raise ValueError(f"predicted label {pred!r} not in {list(labels)!r}")
        rows[index[gold]][col] += 1
    return {
        "labels": list(labels),
        "columns": [*labels, none_label],
        "rows": rows,
    }
