"""Two spaCy components with the same results in a fraction of their time.

The attribute ruler
-------------------

``en_core_web_sm``'s ``attribute_ruler`` maps fine-grained tags to parts of
speech and morphology (and fixes a few lemmas) with 179 token patterns run
through spaCy's general ``Matcher``: about a tenth of the whole pipeline's
time on CPU, for what is nearly a table lookup.  :class:`FastAttributeRuler`
reads the same patterns and applies them the same way -- every match in the
order of its pattern, later patterns overriding earlier ones -- but matches
one-token patterns through a table keyed by the token's
(tag, lower-case form, dependency, is-space) values, computed once per
distinct key from per-feature indexes (a dictionary lookup per feature value
for equality and ``IN`` constraints).  The keys are read, and the parts of
speech, morphology and lemmas written, as arrays (``Doc.to_array`` and
``from_array``); patterns of several tokens ("gon na") are tried only where
a token matches their first token, and tokens they match, or whose patterns
set a tag or dependency label, are set one by one with spaCy's own function.

Only pattern features this module understands are accepted (``TAG``,
``LOWER``, ``ORTH``, ``TEXT``, ``DEP``, ``POS``, ``IS_SPACE`` with a value,
``IN``, ``NOT_IN`` or ``REGEX``); a ruler using anything else raises
:class:`UnsupportedPatterns` and :func:`speed_up_attribute_ruler` leaves the
pipeline as it is.  ``tests/test_nlp_speedups.py`` checks that the
annotations are identical to spaCy's on real text.

The lemmatizer
--------------
spaCy's rule lemmatizer caches its answer per (word, part of speech,
morphology) only on one of its paths; base forms, the most frequent case, are
worked out again for every token, and the component visits every token as a
Python object.  :class:`FastLemmatizer` caches the whole function, keyed the
same way (the function reads nothing else), and reads the keys and writes the
lemmas as arrays.  It also turns the lemmatizer's word lists into sets: spaCy
tests candidate forms against lists of up to 57,528 words, which made a word
not seen before cost about 80 microseconds.

The models' matrix products go through numpy (:mod:`tidings.nlp._matmul`).
"""

from __future__ import annotations

import contextlib
import logging
import re
from operator import itemgetter

from tidings.nlp._entities import FastEntityRecognizer, UnsupportedRecognizer
from tidings.nlp._matmul import MatmulOps, blas_description, route_matmul

_log = logging.getLogger("tidings.nlp")
_reported: set[int] = set()  # pipelines whose speed-ups were logged (once each)

__all__ = [
    "FastAttributeRuler",
    "FastLemmatizer",
    "UnsupportedPatterns",
    "speed_up",
    "speed_up_attribute_ruler",
    "speed_up_lemmatizer",
]

COMPONENT = "attribute_ruler"
#: Entries of the attribute ruler's tables (one per token key or word form
#: seen) before they are emptied and refilled.  Each costs about a kilobyte,
#: and new names and numbers keep coming: at 500,000 the tables were the
#: memory that crept up by ~0.2 MB per article of a long run (issue 15).
#: Refilling is cheap; common words are back after a few articles.
_TABLE_LIMIT = 20_000
_TOKEN_ATTRS = {
    "TAG": "tag_",
    "LOWER": "lower_",
    "ORTH": "orth_",
    "TEXT": "text",
    "DEP": "dep_",
    "POS": "pos_",
    "IS_SPACE": "is_space",
}


def _write_columns() -> dict[int, int]:
    from spacy import attrs

    return {attrs.POS: 0, attrs.MORPH: 1, attrs.LEMMA: 2}


_WRITE_COLUMNS = _write_columns()  # attribute id -> column of _WRITE_ATTRS
_WRITE_ATTRS = list(_WRITE_COLUMNS)


class UnsupportedPatterns(ValueError):
    """The ruler uses a pattern feature :class:`FastAttributeRuler` does not implement."""


def _constraint(feature: str, value) -> tuple[frozenset | None, object]:
    """One pattern feature as (values it accepts, or None; else a predicate)."""
    if not isinstance(value, dict):
        return frozenset({value}), None
    if set(value) == {"IN"}:
        return frozenset(value["IN"]), None
    if set(value) == {"NOT_IN"}:
        banned = frozenset(value["NOT_IN"])
        return None, lambda v: v not in banned
    if set(value) == {"REGEX"}:
        regex = re.compile(value["REGEX"])
        return None, lambda v: regex.search(v) is not None
    raise UnsupportedPatterns(f"{feature}: {value!r}")


class _FeatureIndex:
    """Which token specs one attribute value satisfies, computed once per value.

    Specs that do not mention the feature always pass; equality and ``IN``
    constraints are a dictionary lookup; ``NOT_IN`` and ``REGEX`` are tested.
    """

    def __init__(self) -> None:
        self.free: set[int] = set()
        self.by_value: dict[object, set[int]] = {}
        self.tests: list[tuple[int, object]] = []
        self._cache: dict[object, frozenset[int]] = {}

    def add(self, spec_id: int, constraint: tuple[frozenset | None, object] | None) -> None:
        if constraint is None:
            self.free.add(spec_id)
            return
        values, test = constraint
        if values is not None:
            for v in values:
                self.by_value.setdefault(v, set()).add(spec_id)
        else:
            self.tests.append((spec_id, test))

    def passing(self, value) -> frozenset[int]:
        found = self._cache.get(value)
        if found is None:
            ids = self.free | self.by_value.get(value, set())
            ids.update(i for i, test in self.tests if test(value))
            if len(self._cache) >= _TABLE_LIMIT:  # one entry per word form ever seen
                self._cache.clear()
            found = self._cache[value] = frozenset(ids)
        return found


class FastAttributeRuler:
    """Drop-in replacement for a loaded ``AttributeRuler`` (see the module docs)."""

    def __init__(self, ruler) -> None:
        from spacy.tokens._retokenize import set_token_attrs

        self._set = set_token_attrs
        self._attrs = list(ruler.attrs)  # pattern id -> normalised attributes
        self._indices = list(ruler.indices)  # pattern id -> token of the match to change
        specs: list[dict] = []  # token specs: feature -> constraint
        spec_ids: dict[str, int] = {}
        self._single: list[tuple[int, int]] = []  # (pattern id, spec id)
        self._multi: list[tuple[int, tuple[int, ...]]] = []  # (pattern id, spec ids)
        for pattern_id, entry in enumerate(ruler.patterns):
            for alternative in entry["patterns"]:
                ids = []
                for token_spec in alternative:
                    unknown = set(token_spec) - set(_TOKEN_ATTRS)
                    if unknown:
                        raise UnsupportedPatterns(f"features {sorted(unknown)}")
                    key = repr(sorted(token_spec.items()))
                    if key not in spec_ids:
                        spec_ids[key] = len(specs)
                        specs.append({f: _constraint(f, v) for f, v in token_spec.items()})
                    ids.append(spec_ids[key])
                if len(ids) == 1:
                    self._single.append((pattern_id, ids[0]))
                else:
                    self._multi.append((pattern_id, tuple(ids)))
        features = sorted({f for spec in specs for f in spec}) or ["TAG"]
        self._indexes = [_FeatureIndex() for _ in features]
        for spec_id, spec in enumerate(specs):
            for feature, index in zip(features, self._indexes, strict=True):
                index.add(spec_id, spec.get(feature))
        self._by_spec: dict[int, list[int]] = {}
        for pattern_id, spec_id in self._single:
            self._by_spec.setdefault(spec_id, []).append(pattern_id)
        self._read, self._decode = _key_reader(features, ruler.vocab)
        self._by_ids: dict[tuple, tuple] = {}  # the table: token key (as ids) -> entry

    def _entry(self, key: tuple) -> tuple:
        """(matched spec ids, single-token pattern ids in order, their merged attributes)."""
        matched = frozenset.intersection(
            *(index.passing(value) for index, value in zip(self._indexes, key, strict=True))
        )
        patterns = tuple(sorted(p for s in matched for p in self._by_spec.get(s, ())))
        merged: dict = {}
        for p in patterns:  # later patterns override earlier ones, attribute by attribute
            merged.update(self._attrs[p])
        return matched, patterns, merged

    def _entry_for_ids(self, ids: tuple) -> tuple:
        """:meth:`_entry` for a key of attribute ids, plus the entry's writes as
        (column, value) pairs when it sets only part of speech, morphology and lemma
        (else None: the token is set through spaCy's own function)."""
        key = tuple(decode(v) for decode, v in zip(self._decode, ids, strict=True))
        matched, patterns, merged = self._entry(key)
        writes = None
        if set(merged) <= _WRITE_COLUMNS.keys():
            writes = tuple((_WRITE_COLUMNS[attr], value) for attr, value in merged.items())
        # The patterns of several tokens this token can start.
        starts = tuple(m for m, (_, specs) in enumerate(self._multi) if specs[0] in matched)
        if len(self._by_ids) >= _TABLE_LIMIT:
            self._by_ids.clear()
        entry = self._by_ids[ids] = (matched, patterns, merged, writes, starts)
        return entry

    def __call__(self, doc):
        if not len(doc):
            return doc
        by_ids = self._by_ids
        entries = [
            by_ids.get(k) or self._entry_for_ids(k)
            for k in map(tuple, doc.to_array(self._read).tolist())
        ]
        ordered: dict[int, list[tuple[int, int, dict]]] = {}
        n = len(entries)
        for start, entry in enumerate(entries):
            for m in entry[4]:
                pattern_id, ids = self._multi[m]
                width = len(ids)
                if start + width <= n and all(
                    ids[k] in entries[start + k][0] for k in range(1, width)
                ):
                    index = self._indices[pattern_id]
                    target = start + index if index >= 0 else start + width + index
                    ordered.setdefault(target, []).append(
                        (pattern_id, start, self._attrs[pattern_id])
                    )
        # Tokens whose patterns set only part of speech, morphology and lemma are
        # written as one array; the rest (several patterns across tokens, a tag or
        # a dependency label) token by token, after it.
        columns = None
        one_by_one = []
        for i, (_, patterns, merged, writes, _) in enumerate(entries):
            extra = ordered.get(i)
            if extra is None and writes is not None:
                if writes:
                    if columns is None:
                        columns = doc.to_array(_WRITE_ATTRS)
                    row = columns[i]
                    for column, value in writes:
                        row[column] = value
            elif extra is not None or merged:
                one_by_one.append((i, patterns, merged, extra))
        if columns is not None:
            doc.from_array(_WRITE_ATTRS, columns)
        for i, patterns, merged, extra in one_by_one:
            tok = doc[i]
            if extra is None:
                self._set(tok, merged)
                continue
            # spaCy's order: by pattern, then by match start
            steps = sorted([(p, i, self._attrs[p]) for p in patterns] + extra, key=itemgetter(0, 1))
            for _, _, attrs in steps:
                self._set(tok, attrs)
        return doc


def _key_reader(features: list[str], vocab) -> tuple[list[int], list]:
    """The attribute ids to read a token key with ``Doc.to_array``, and per feature
    the function turning the array value back into what the token attribute gives
    (a string, a part-of-speech name, a bool), which the patterns are written in."""
    from spacy import attrs
    from spacy.parts_of_speech import NAMES

    strings = vocab.strings
    ids = {"TAG": attrs.TAG, "LOWER": attrs.LOWER, "ORTH": attrs.ORTH, "TEXT": attrs.ORTH}
    ids |= {"DEP": attrs.DEP, "POS": attrs.POS, "IS_SPACE": attrs.IS_SPACE}
    decoders = {"POS": lambda v: NAMES[v], "IS_SPACE": bool}
    return (
        [ids[f] for f in features],
        [decoders.get(f, strings.__getitem__) for f in features],
    )

    def pipe(self, docs, batch_size: int = 128):
        for doc in docs:
            yield self(doc)


def speed_up_attribute_ruler(nlp) -> bool:
    """Swap the pipeline's attribute ruler for :class:`FastAttributeRuler` if it can."""
    return _swap(nlp, COMPONENT, FastAttributeRuler, UnsupportedPatterns)


def _swap(nlp, name: str, fast_type: type, unsupported: type[Exception]) -> bool:
    """Put ``fast_type(component)`` in the place of component ``name``, unless the
    component is missing or the fast version refuses it (``unsupported``)."""
    if name not in nlp.pipe_names:
        return False
    component = nlp.get_pipe(name)
    if isinstance(component, fast_type):
        return True
    try:
        fast = fast_type(component)
    except unsupported as exc:
        # A fallback: same annotations, spaCy's own (slower) component.
        _log.warning("speed-up of %r not applied, spaCy's own component kept: %s", name, exc)
        return False
    _replace(nlp, name, fast)
    return True


#: Cached lemmas (one per word, part of speech and morphology seen) before the
#: cache is emptied and refilled.  The common vocabulary fits well within it;
#: past it come rare words seldom met again, and at 100,000 the cache was still
#: growing (about 2.5 MB per 1,000 articles) thousands of articles into a run.
_LEMMA_CACHE_LIMIT = 30_000  # about 6 MB; see _TABLE_LIMIT
LEMMATIZER = "lemmatizer"


class FastLemmatizer:
    """spaCy's rule lemmatizer behind a cache, written to the doc with one array call.

    The lemma of a token depends only on its (word, part of speech,
    morphology), which is the key spaCy's own cache uses on one of its paths;
    this caches every answer under that key and reads the keys and writes the
    lemmas as arrays instead of through a Python ``Token`` per word.  A
    token that already has a lemma (from the attribute ruler) keeps it unless
    the lemmatizer is set to overwrite, as in spaCy.  Everything else -- the
    lookups, the configuration -- is the wrapped component's.
    """

    def __init__(self, lemmatizer) -> None:
        self._inner = lemmatizer
        self._strings = lemmatizer.vocab.strings
        self._cache: dict[tuple[int, int, int], int] = {}
        self._zone_ended = False
        lemmatizer._validate_tables()
        # spaCy keeps each part of speech's known words as a list and tests
        # candidate forms with ``in``: a scan of up to 57,528 strings per
        # candidate.  The same words as a set give the same answers.
        if lemmatizer.lookups.has_table("lemma_index"):
            index = lemmatizer.lookups.get_table("lemma_index")
            for pos, words in list(index.items()):
                if isinstance(words, list):
                    index[pos] = frozenset(words)

    def __getattr__(self, name: str):
        if name == "_inner":  # not set yet (a copy being built): no recursion
            raise AttributeError(name)
        return getattr(self._inner, name)

    @contextlib.contextmanager
    def memory_zone(self, mem=None):
        """Part of ``nlp.memory_zone()``: strings added inside it (rare words and
        their lemmas) are freed when it ends, so cached lemmas that name them
        are dropped before the next use (spaCy frees the strings after this
        component's zone ends, hence the check on the next call)."""
        try:
            yield mem
        finally:
            self._zone_ended = True

    def _drop_freed(self) -> None:
        strings = self._strings
        self._cache = {key: lemma for key, lemma in self._cache.items() if lemma in strings}
        self._zone_ended = False

    def __call__(self, doc):
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        if not len(doc):
            return doc
        if self._zone_ended:
            self._drop_freed()
        keys = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = keys[:, 3:].copy()
        overwrite = self._inner.overwrite
        cache = self._cache
        for i, (orth, pos, morph, lemma) in enumerate(keys.tolist()):
            if lemma and not overwrite:
                continue
            key = (orth, pos, morph)
            found = cache.get(key)
            if found is None:
                if len(cache) >= _LEMMA_CACHE_LIMIT:
                    cache.clear()
                found = cache[key] = self._strings.add(self._inner.lemmatize(doc[i])[0])
            lemmas[i, 0] = found
        doc.from_array([LEMMA], lemmas)
        return doc

    def pipe(self, docs, batch_size: int = 128):
        for doc in docs:
            yield self(doc)


def speed_up_lemmatizer(nlp) -> bool:
    """Swap a rule lemmatizer for :class:`FastLemmatizer` (see the module docs)."""
    if LEMMATIZER not in nlp.pipe_names:
        return False
    lemmatizer = nlp.get_pipe(LEMMATIZER)
    if isinstance(lemmatizer, FastLemmatizer):
        return True
    if getattr(lemmatizer, "mode", None) != "rule":
        _log.warning(
            "speed-up of 'lemmatizer' not applied: mode %r is not 'rule'",
            getattr(lemmatizer, "mode", None),
        )
        return False
    _replace(nlp, LEMMATIZER, FastLemmatizer(lemmatizer))
    return True


def _replace(nlp, name: str, component) -> None:
    """Put ``component`` in the place of the pipeline's component ``name``.

    The pipeline is only ever used in this process (never serialised), so
    the swap is done in spaCy's component list rather than through a
    registered factory.
    """
    components = nlp._components
    for i, (found, _) in enumerate(components):
        if found == name:
            components[i] = (name, component)


def speed_up(nlp) -> list[str]:
    """Apply every speed-up that fits the pipeline; the names of those applied."""
    applied = []
    if speed_up_attribute_ruler(nlp):
        applied.append(COMPONENT)
    if speed_up_lemmatizer(nlp):
        applied.append(LEMMATIZER)
    if speed_up_entity_recognizer(nlp):
        applied.append(RECOGNIZER)
    if route_matmul(nlp):
        applied.append("matmul")
    if id(nlp) not in _reported:
        _reported.add(id(nlp))
        status = speedup_status(nlp)
        _log.debug("speed-ups: %s", "; ".join(f"{k}: {v}" for k, v in status.items()))
    return applied


def speedup_status(nlp) -> dict[str, str]:
    """Which speed-ups a loaded pipeline runs ("active") and which it does not, and
    how its matrix products are done (for ``tidings doctor`` and the debug log)."""
    status: dict[str, str] = {}
    for name, fast in (
        (COMPONENT, FastAttributeRuler),
        (LEMMATIZER, FastLemmatizer),
        (RECOGNIZER, FastEntityRecognizer),
    ):
        if name not in nlp.pipe_names:
            status[name] = "not in the pipeline"
        else:
            active = isinstance(nlp.get_pipe(name), fast)
            status[name] = "active" if active else "spaCy's own (fallback)"
    routed = any(
        isinstance(node.ops, MatmulOps)
        for _, component in getattr(nlp, "pipeline", ())
        if hasattr(getattr(component, "model", None), "walk")
        for node in component.model.walk()
    )
    status["matmul"] = (
        f"numpy BLAS, one thread ({blas_description()})" if routed else "thinc's BLIS (fallback)"
    )
    return status


RECOGNIZER = "ner"


def speed_up_entity_recognizer(nlp) -> bool:
    """Swap the entity recogniser for :class:`FastEntityRecognizer` if it can."""
    return _swap(nlp, RECOGNIZER, FastEntityRecognizer, UnsupportedRecognizer)
