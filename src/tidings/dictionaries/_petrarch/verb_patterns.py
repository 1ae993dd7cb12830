"""PETRARCH/TABARI pattern lines -> rule specs, one pattern for one verb entry.

Part of :mod:`tidings.dictionaries._petrarch.verbs`, whose docstring describes
the pattern syntax and the TABARI-style readings applied here.  A pattern that
cannot be expressed raises :class:`~tidings.dictionaries._petrarch.verb_source.Skip`
with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from tidings.dictionaries._petrarch.verb_source import (
    _CODE,
    Skip,
    Verb,
    _check_code,
    parse_code,
)
from tidings.dictionaries._petrarch.words import (
    CLOSED,
    DROPPED,
    HEAD_BREAKERS,
    NEGATIONS,
    PARTICLES,
    PREPOSITIONS,
    _wordset,
    _WordTools,
)
from tidings.dictionaries.verbs import ALT_SEP

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


_MARKERS = frozenset({"+", "$", "^", "%"})
# Words that never head a TABARI noun phrase: auxiliaries, modals, pronouns, adverbs.
_FUNCTION = _wordset(
    """
    be is are am was were been being have has had having will would shall should must may
    might can could do does did no now its his her their it they he she this that there then
    so again ever even also still only very really
    """
)


def _split_markers(side: list) -> list:
    """``SUGGESTED_+`` -> ``SUGGESTED``, ``+``; one-word ``_`` phrases become words."""
    out: list = []
    for el in side:
        if not isinstance(el, list):
            out.append(el)
            continue
        run: list[str] = []
        for w in [*el, None]:
            if w is None or w in _MARKERS:
                if run:
                    out.append(run if len(run) > 1 else run[0])
                    run = []
                if w is not None:
                    out.append(w)
            else:
                run.append(w)
    return out


def _is_content(el: object, is_prep: Callable[[object], bool]) -> bool:
    if isinstance(el, list):
        return True
    if not isinstance(el, str) or el in _MARKERS or is_prep(el):
        return False
    lw = el.lower()
    return not (lw in CLOSED or lw in _FUNCTION or lw in NEGATIONS or lw in DROPPED)


def _segment(post: list, is_prep: Callable[[object], bool]) -> list:
    """Group a TABARI post-verb side into noun phrases and prepositional phrases."""
    words: list = []
    for el in post:  # flatten "_" phrases: TABARI adjacency cannot be checked anyway
        if isinstance(el, list):
            words.extend(el)
        else:
            words.append(el)
    out: list = []
    run: list[str] = []

    def flush() -> None:
        if run:
            out.append(list(run) if len(run) > 1 else run[0])
            run.clear()

    i = 0
    while i < len(words):
        el = words[i]
        if isinstance(el, str) and el.lower() in DROPPED:
            i += 1
            continue
        if _is_content(el, is_prep):
            run.append(el)
            i += 1
            continue
        flush()
        if is_prep(el):
            j = i + 1
            inner: list[str] = []
            while j < len(words) and (
                _is_content(words[j], is_prep)
                or (isinstance(words[j], str) and words[j].lower() in DROPPED)
            ):
                if words[j].lower() not in DROPPED:
                    inner.append(words[j])
                j += 1
            if inner:
                out.append(PP(el, [inner]))
                i = j
                continue
        out.append(el)
        i += 1
    flush()
    return out


@dataclass(frozen=True)
class Spec:
    particle: str | None
    object: tuple[str, ...] | None
    prep: str | None
    words: tuple[str, ...]
    passive: bool
    mutual: bool = False  # "%" before the verb: coordinated subjects act on each other


def _is_phrase(member: str) -> bool:
    """A synset member of several words (``CEASE_FIRE``, ``CEASE-FIRE``)."""
    label = member.strip().rstrip("_")
    return any(sep in label for sep in ("_", "-", " "))


class PatternConverter:
    """Turns one pattern line, for one verb entry, into a rule ``Spec``."""

    def __init__(
        self, synsets: dict[str, list[str]], lem: _WordTools, *, tabari: bool = False
    ) -> None:
        self.lem = lem
        self.tabari = tabari
        self.synsets: dict[str, tuple[str, ...]] = {}
        # synsets of function words only (&PREPOSIT1: AGAINST, IN, ON...): no head
        # lemmas, but usable as alternatives among the required words
        self.closed_synsets: dict[str, tuple[str, ...]] = {}
        for name, members in synsets.items():
            heads: set[str] = set()
            expanded = self._expand(name, members, synsets, set())
            # "CEASE_FIRE", "CEASE-FIRE" next to "CEASEFIRE": spellings of a one-word
            # member, whose last piece alone ("fire") means something else.
            solid = {self._solid(m) for m in expanded if not _is_phrase(m)}
            for member in expanded:
                if _is_phrase(member) and self._solid(member) in solid:
                    continue
                head = self._member_head(member)
                if head is not None:
                    heads.add(head)
            self.synsets[name] = tuple(sorted(heads))
            words = {m.strip().rstrip("_").lower() for m in expanded}
            if not heads and words and all(w in CLOSED for w in words):
                self.closed_synsets[name] = tuple(sorted(words))

    def is_preposition(self, el: object) -> bool:
        """A preposition word, or a synset of prepositions (TABARI ``&PREPOSIT1``)."""
        if not isinstance(el, str):
            return False
        if el.startswith("&"):
            members = self.closed_synsets.get(el.rstrip("_"), ())
            return bool(members) and all(m in PREPOSITIONS for m in members)
        return el.lower() in PREPOSITIONS

    def _expand(
        self, name: str, members: list[str], synsets: dict[str, list[str]], seen: set[str]
    ) -> list[str]:
        """Members with embedded synsets (``+&TIETYPES``) replaced by their members."""
        out: list[str] = []
        for member in members:
            label = member.strip().rstrip("_")
            if label.startswith("&") and " " not in label and "_" not in label:
                if label in synsets and label not in seen and label != name:
                    out.extend(self._expand(label, synsets[label], synsets, seen | {name}))
                continue
            out.append(member)
        return out

    @staticmethod
    def _solid(member: str) -> str:
        """A member written as one word: ``CEASE_FIRE`` -> ``ceasefire``."""
        return "".join(c for c in member.strip().rstrip("_").lower() if c.isalnum())

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
        name = name.rstrip("_")
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
            closed = self.closed_synsets.get(word.rstrip("_"))
            return [ALT_SEP.join(closed if closed else self._syn(word))]
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
        if word.startswith("&") and word.rstrip("_") in self.closed_synsets:
            return None
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

    def _split_synset(self, el: object) -> object:
        """``&TIETYPES_MEMOS`` (no such synset) -> ``[&TIETYPES, MEMOS]``."""
        if (
            isinstance(el, str)
            and el.startswith("&")
            and "_" in el.rstrip("_")
            and el.rstrip("_") not in self.synsets
        ):
            return [w for w in el.split("_") if w]
        return el

    def _tabari(self, pre: list, post: list, passive: bool) -> tuple[list, list, bool, list[str]]:
        """TABARI-style sides: markers split out of ``_`` phrases, word runs grouped.

        After the verb, a run of content words is one noun phrase whose head is
        its last word (``IMPROVED &TIETYPES RELATIONS``: head RELATIONS), and a
        preposition followed by content words is a prepositional phrase
        (``OVER EFFORTS``).  ``- + * FROM $`` (target before the verb, source
        after it) becomes a subject-is-target rule; its source preposition is
        returned as a required word.
        """
        pre = _split_markers([self._split_synset(x) for x in pre])
        post = _split_markers([self._split_synset(x) for x in post])
        source_words: list[str] = []
        if "+" in pre and not passive and "+" not in post:
            flat = [x for x in post if x != "^"]
            if flat and flat[-1] == "$":
                passive = True
                last = len(post) - 1 - post[::-1].index("$")
                j = last - 1
                while j >= 0 and post[j] == "^":
                    j -= 1
                cut = {last}
                if j >= 0 and isinstance(post[j], str) and post[j].lower() in PREPOSITIONS:
                    source_words.append(post[j].lower())
                    cut.add(j)
                post = [x for i, x in enumerate(post) if i not in cut]
        return pre, _segment(post, self.is_preposition), passive, source_words

    def convert(self, text: str, verb: Verb) -> tuple[Spec, str, str | None]:
        """The spec for one pattern line, its code and its reverse-direction code."""
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
        if self.tabari:
            pre, post, passive, source_words = self._tabari(pre, post, passive)
            words.extend(source_words)
        obj: list[str] | None = None
        particle: str | None = None
        bare_preps: list[str] = []
        plus_prep: str | None = None

        # pre-verb: nouns and PPs are words of the subtree (the subject side)
        mutual = False
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
                if passive:
                    raise Skip("compound-actor marker %")
                mutual = True  # "- % HAVE * [191]": the members of a compound subject
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

        trailing_prep: str | None = None
        if plus_prep is None and post:
            # A final bare preposition takes the target: TABARI "- * FOR [096]",
            # "- *_ON [095]", PETRARCH "- * AGAINST [141]" ("rallied against X").
            # Kept as a word it would match any "to"/"against" of the subtree
            # ("ordered X to withdraw", "troops for a war against X").
            last = post[-1]
            if (
                isinstance(last, str)
                and last.lower() in PREPOSITIONS
                and last.lower() not in PARTICLES
            ):
                trailing_prep = last.lower()
                post = post[:-1]

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
                elif prep.startswith("&"):
                    words.extend(self._words(el.prep))  # a synset of prepositions
                else:
                    words.append(prep)
                for x in inner:
                    words.extend(self._phrase_words(x if isinstance(x, list) else [x]))
                continue
            phrase = el if isinstance(el, list) else [el]
            lw = phrase[-1].lower()
            if len(phrase) == 1 and lw in NEGATIONS:
                raise Skip("negation")
            if len(phrase) == 1 and lw in PARTICLES and particle is None and not self.tabari:
                particle = lw
                continue
            if len(phrase) == 1 and self.tabari and lw in _FUNCTION:
                words.extend(self._words(phrase[0]))  # TABARI "WOULD", "HAS", "NOW"
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
        if trailing_prep is not None:
            bare_preps.append(trailing_prep)

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
            mutual,
        )
        return spec, code, reverse
