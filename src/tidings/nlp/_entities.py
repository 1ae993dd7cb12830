"""The entity recogniser's greedy decoding in numpy, with spaCy's results.

spaCy's entity recogniser scores one transition per token (Begin, In,
Last, Unit or Out an entity of some label) from a precomputed table of
feature vectors, in a C loop that asks every one of its 74 moves whether it
is valid for every state at every step.  On this machine that loop is two
thirds of the recogniser's time (a native profile of the installed build
puts most of it in mutex calls under the validity tests' token lookups) and
about a third of the whole pipeline's.  :class:`FastEntityRecognizer`
computes the same things -- the same token vectors and feature table (the
model's own layers), the same three context tokens per state, the same sums
in the same order, the same maxout and output layer (thinc's BLIS product,
as spaCy's loop calls it), the same validity rules and the same first-best
choice -- for all the docs of a batch at once, one step per token position, in array operations.

It only takes the cases it implements: a greedy BILUO recogniser whose
states read three context tokens, with no unseen classes, on docs without
preset entity annotations.  Anything else goes to the wrapped spaCy
component.  ``tests/test_nlp_speedups.py`` checks that the entities equal
spaCy's on real news text.
"""

from __future__ import annotations

import numpy

__all__ = ["FastEntityRecognizer", "UnsupportedRecognizer"]

# Move kinds, as spaCy's BILUO transition system names them.
_BEGIN, _IN, _LAST, _UNIT, _OUT, _NONE = range(6)
_KINDS = {"B": _BEGIN, "I": _IN, "L": _LAST, "U": _UNIT}


class UnsupportedRecognizer(ValueError):
    """The entity recogniser is not one :class:`FastEntityRecognizer` implements."""


class FastEntityRecognizer:
    """Drop-in replacement for a loaded ``EntityRecognizer`` (see the module docs)."""

    def __init__(self, ner) -> None:
        from thinc.api import NumpyOps

        model = ner.model
        if type(ner.moves).__name__ != "BiluoPushDown" or ner.cfg.get("beam_width", 1) != 1:
            raise UnsupportedRecognizer("not a greedy BILUO recogniser")
        if not model.attrs.get("has_upper") or model.attrs.get("unseen_classes"):
            raise UnsupportedRecognizer("no output layer, or unseen classes")
        lower = model.get_ref("lower")
        if lower.get_dim("nF") != 3:
            raise UnsupportedRecognizer("states read other than three tokens")
        self._inner = ner
        self._tok2vec = model.get_ref("tok2vec")
        self._lower = lower
        self._upper = model.get_ref("upper")
        self._blis = NumpyOps()  # spaCy's loop multiplies with BLIS; so does this
        labels: dict[str, int] = {}
        kinds, label_ids = [], []
        for i in range(ner.moves.n_moves):
            name = ner.moves.get_class_name(i)
            kind, _, label = name.partition("-")
            if name == "O":
                kinds.append(_OUT)
                label_ids.append(0)
            elif kind in _KINDS and label:
                kinds.append(_KINDS[kind])
                label_ids.append(labels.setdefault(label, len(labels) + 1))
            else:
                kinds.append(_NONE)  # missing or blocked: never valid without presets
                label_ids.append(0)
        self._kind = numpy.array(kinds)
        self._label = numpy.array(label_ids)
        self._label_names = {i: name for name, i in labels.items()}

    def __getattr__(self, name: str):
        if name == "_inner":  # not set yet (a copy being built): no recursion
            raise AttributeError(name)
        return getattr(self._inner, name)

    def __call__(self, doc):
        self._annotate([doc])
        return doc

    def pipe(self, docs, batch_size: int = 128):
        batch: list = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                self._annotate(batch)
                yield from batch
                batch = []
        if batch:
            self._annotate(batch)
            yield from batch

    def _annotate(self, docs: list) -> None:
        from spacy.attrs import ENT_IOB
        from spacy.tokens import Span

        todo = [d for d in docs if len(d)]
        if not todo:
            return
        if any(d.to_array(ENT_IOB).any() for d in todo):  # preset annotations: spaCy's way
            self._inner.set_annotations(todo, self._inner.predict(todo))
            return
        found = self._decode(todo)
        for doc, spans in zip(todo, found, strict=True):
            ents = [Span(doc, s, e, label=self._label_names[lab]) for s, e, lab in spans]
            doc.set_ents(ents, default="outside")

    def _decode(self, docs: list) -> list[list[tuple[int, int, int]]]:
        """Greedy BILUO decoding of a batch: per doc, its (start, end, label id)s."""
        from spacy.attrs import IS_SPACE, SENT_START

        tokvecs = self._tok2vec.predict(docs)
        table = self._lower.predict(tokvecs)  # (tokens + 1, 3, hidden, pieces); row 0 pads
        n_rows, n_feats, n_hidden, n_pieces = table.shape
        table = table.reshape((n_rows, n_feats, n_hidden * n_pieces))
        bias = self._lower.get_param("b").reshape((n_hidden * n_pieces,))
        weights = self._upper.get_param("W")
        out_bias = self._upper.get_param("b")
        lengths = numpy.array([len(d) for d in docs])
        offsets = numpy.concatenate(([0], numpy.cumsum(lengths)[:-1]))
        starts = numpy.concatenate([d.to_array(SENT_START) for d in docs]).astype(numpy.int64)
        spaces = numpy.concatenate([d.to_array(IS_SPACE) for d in docs]).astype(bool)
        # The token after the buffer head "starts a sentence" (1, not -1 or 0).
        next_starts = numpy.zeros(len(starts) + 1, dtype=bool)
        next_starts[: len(starts) - 1] = starts[1:] == 1
        kind, label = self._kind, self._label

        n_docs = len(docs)
        head = numpy.zeros(n_docs, dtype=numpy.int64)  # buffer head, relative to the doc
        opened = numpy.full(n_docs, -1, dtype=numpy.int64)  # open entity's start, or -1
        open_label = numpy.zeros(n_docs, dtype=numpy.int64)
        found: list[list[tuple[int, int, int]]] = [[] for _ in docs]
        active = numpy.arange(n_docs)
        while len(active):
            b = head[active]
            start = opened[active]
            is_open = start >= 0
            at = offsets[active] + b  # absolute index of the buffer head
            # The three context tokens (+1: row 0 of the table is the padding).
            rows0 = at + 1
            rows1 = numpy.where(is_open, offsets[active] + start + 1, 0)
            rows2 = numpy.where(is_open, at, 0)  # the token before the head, inside the entity
            unmaxed = table[rows0, 0] + table[rows1, 1]
            unmaxed += table[rows2, 2]
            unmaxed += bias
            hidden = unmaxed.reshape((len(active), n_hidden, n_pieces)).max(axis=2)
            scores = self._blis.gemm(hidden, weights, trans2=True)
            scores += out_bias

            room = (lengths[active] - b) >= 2  # at least one token after the head
            breaks = next_starts[at]
            space = spaces[at]
            same = open_label[active][:, None] == label[None, :]
            labelled = label[None, :] != 0
            closed = ~is_open[:, None]
            valid = (
                ((kind == _BEGIN) & closed & (room & ~breaks & ~space)[:, None] & labelled)
                | ((kind == _IN) & ~closed & (room & ~breaks)[:, None] & labelled & same)
                | ((kind == _LAST) & ~closed & labelled & same)
                | ((kind == _UNIT) & closed & ~space[:, None] & labelled)
                | ((kind == _OUT) & closed)
            )
            scores[~valid] = -numpy.inf
            guess = scores.argmax(axis=1)
            move = kind[guess]
            steps = zip(active.tolist(), move.tolist(), guess.tolist(), b.tolist(), strict=True)
            for d, m, g, pos in steps:
                if m == _BEGIN:
                    opened[d] = pos
                    open_label[d] = label[g]
                elif m == _LAST:
                    found[d].append((int(opened[d]), pos + 1, int(open_label[d])))
                    opened[d] = -1
                elif m == _UNIT:
                    found[d].append((pos, pos + 1, int(label[g])))
            head[active] += 1
            active = active[head[active] < lengths[active]]
        return found
