"""Parsing with a pre-filter: the expensive components only where events can be.

A bare spaCy pass tags, parses and runs the entity recogniser on every
sentence, but a CAMEO event needs an actor and a trigger word.  This module
splits each paragraph into sentences with spaCy's small ``senter`` component
(a few percent of the full pass), asks a :class:`SentenceFilter` which
sentences can yield an event (from their words alone), runs the tagger,
parser, attribute ruler and lemmatizer on those sentences only, then the
entity recogniser only on the sentences the filter says need entities, and
writes the annotations back into the paragraph's own
:class:`~spacy.tokens.Doc` (same tokens, same text) so that everything
downstream (pronoun salience, places context, sentence numbering) is
unchanged.

Skipped sentences keep their text and their place in the paragraph, with a
flat placeholder parse (every token attached to the sentence's first token,
dependency label ``dep``, no part of speech), which no coder rule matches.

The filter is an interface, not a policy: the pipeline, which knows the
dictionaries and the coder, decides what "can yield an event" means.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Protocol

__all__ = ["FilterStats", "SentenceFilter", "parse_filtered", "surface_forms"]

PLACEHOLDER_DEP = "dep"
ENTITY_COMPONENT = "ner"
SEGMENTER = "senter"


class SentenceFilter(Protocol):
    def select(self, sentences: list) -> list[bool]:
        """Which sentences of a paragraph (tokenised, unparsed spans) to parse."""

    def needs_entities(self, sentence) -> bool:
        """Whether a tagged and parsed sentence (a span) needs named entities."""


def parse_filtered(nlp, texts: list[str], sentence_filter: SentenceFilter, batch_size: int):
    """One spaCy doc per text, parsed only where ``sentence_filter`` allows.

    Consecutive kept sentences are parsed together as one piece of text (a
    paragraph whose sentences are all kept is parsed exactly as without the
    filter); entities are recognised on the runs of sentences that need them.
    Returns the docs in input order and a :class:`FilterStats`.
    """
    senter = nlp.get_pipe(SEGMENTER)
    raw = list(senter.pipe((nlp.make_doc(t) for t in texts), batch_size=batch_size))
    # per text: its segmented doc, its parsed pieces (token range and piece) and
    # whether any sentence with words was skipped
    plan: list[tuple] = []
    kept_docs = []
    stats = FilterStats()
    for doc in raw:
        pieces: list[tuple[int, int, object]] = []
        run: list = []  # kept sentences not yet flushed into a piece
        sentences = [sent for sent in doc.sents if sent.text.strip()]
        keeps = _across_weak_boundaries(sentences, sentence_filter.select(sentences))
        for sent, keep in zip(sentences, keeps, strict=True):
            stats.sentences += 1
            stats.tokens += len(sent)
            if keep:
                stats.parsed_sentences += 1
                stats.parsed_tokens += len(sent)
                run.append(sent)
                continue
            if run:
                pieces.append(_piece(nlp, doc, run, kept_docs))
                run = []
        if run:
            pieces.append(_piece(nlp, doc, run, kept_docs))
        plan.append((doc, pieces, not all(keeps), bool(sentences)))

    skip = [ENTITY_COMPONENT] if ENTITY_COMPONENT in nlp.pipe_names else []
    with nlp.select_pipes(disable=skip):  # the docs are annotated in place
        for _ in nlp.pipe(kept_docs, batch_size=batch_size):
            pass
    if ENTITY_COMPONENT in nlp.pipe_names:
        _recognise_entities(nlp, kept_docs, sentence_filter, batch_size, stats)

    docs = []
    for text, (doc, pieces, skipped, has_words) in zip(texts, plan, strict=True):
        if not has_words:
            docs.append(nlp.make_doc(text))
        elif len(pieces) == 1 and not skipped:
            docs.append(pieces[0][2])  # every sentence kept: parsed as without the filter
        else:
            docs.append(_assemble(doc, pieces))
    return docs, stats


# The annotations a parsed piece lends its paragraph.
_ANNOTATIONS = ("TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE")


def _assemble(doc, pieces: list[tuple[int, int, object]]):
    """Write the parsed pieces' annotations into the segmented paragraph ``doc``.

    Sentences outside the pieces get a flat placeholder tree (every token
    attached to the sentence's first token, label ``dep``) so that they stay
    sentences of their own, with no part of speech for any coder rule to
    match.  One array write keeps the paragraph's own tokens and text.
    """
    import numpy

    head, dep = _ANNOTATIONS.index("HEAD"), _ANNOTATIONS.index("DEP")
    values = numpy.zeros((len(doc), len(_ANNOTATIONS)), dtype=numpy.uint64)
    placeholder = doc.vocab.strings.add(PLACEHOLDER_DEP)
    root = doc.vocab.strings.add("ROOT")
    for sent in doc.sents:
        positions = numpy.arange(sent.start, sent.end, dtype=numpy.int64)
        values[sent.start : sent.end, head] = (sent.start - positions).view(numpy.uint64)
        values[sent.start : sent.end, dep] = placeholder
        values[sent.start, dep] = root
    for start, end, piece in pieces:
        values[start:end] = piece.to_array(list(_ANNOTATIONS))
    doc.from_array(list(_ANNOTATIONS), values)
    return doc


_FINAL = frozenset({".", "!", "?", "…", "...", "?!"})
_CLOSING = frozenset({'"', "'", "”", "’", ")", "]", "»", "''"})


def _across_weak_boundaries(sentences: list, keeps: list[bool]) -> list[bool]:
    """Keep or skip sentences together where ``senter``'s boundary is weak.

    ``senter`` splits some text the parser reads as one sentence: after a
    colon ("RELATED: ..."), around square brackets ("[R]estrictions"),
    after a one-word sentence ("No. Barr told ...").  Parsing one half
    without the other would give the parser a different sentence, so a kept
    sentence takes its neighbours across such boundaries with it.
    """
    keeps = list(keeps)
    weak = [not _firm_boundary(a, b) for a, b in pairwise(sentences)]
    for i in range(1, len(keeps)):  # forwards, then backwards
        keeps[i] = keeps[i] or (weak[i - 1] and keeps[i - 1])
    for i in range(len(keeps) - 2, -1, -1):
        keeps[i] = keeps[i] or (weak[i] and keeps[i + 1])
    return keeps


def _firm_boundary(before, after) -> bool:
    """A sentence end the parser will very likely keep: final punctuation (before
    closing quotes or brackets) after at least two words, then a capital letter."""
    tokens = [t for t in before if not t.is_space]
    while tokens and tokens[-1].text in _CLOSING:
        tokens.pop()
    if not tokens or tokens[-1].text not in _FINAL:
        return False
    if sum(1 for t in tokens if t.is_alpha) < 2:
        return False
    first = next((t for t in after if not t.is_space), None)
    if first is None or first.text.startswith("["):
        return False
    word = next((t for t in after if t.is_alpha), None)
    return word is not None and word.text[:1].isupper()


def _recognise_entities(nlp, pieces: list, sentence_filter, batch_size: int, stats) -> None:
    """Run the entity recogniser on the runs of sentences that need entities.

    A piece whose every sentence needs them is annotated in place; otherwise
    each run of consecutive needing sentences is copied out, annotated and
    its entities are written back (the other tokens keep no entity
    annotation, as where the recogniser does not run at all).
    """
    from spacy.tokens import Span

    jobs: list[tuple] = []  # (doc to annotate, piece it belongs to or None, offset)
    for piece in pieces:
        runs = _runs([sentence_filter.needs_entities(s) for s in piece.sents], piece)
        if runs == [(0, len(piece))]:
            jobs.append((piece, None, 0))
        else:
            jobs.extend((piece[start:end].as_doc(), piece, start) for start, end in runs)
    stats.entity_tokens += sum(len(doc) for doc, _, _ in jobs)
    recogniser = nlp.get_pipe(ENTITY_COMPONENT)
    for _ in recogniser.pipe((doc for doc, _, _ in jobs), batch_size=batch_size):
        pass
    for doc, piece, offset in jobs:
        if piece is not None and doc.ents:
            found = [Span(piece, offset + e.start, offset + e.end, e.label) for e in doc.ents]
            piece.set_ents(found, default="unmodified")


def _runs(flags: list[bool], doc) -> list[tuple[int, int]]:
    """Token ranges of the runs of consecutive sentences of ``doc`` whose flag is set."""
    runs: list[tuple[int, int]] = []
    for sent, flag in zip(doc.sents, flags, strict=True):
        if not flag:
            continue
        if runs and runs[-1][1] == sent.start:
            runs[-1] = (runs[-1][0], sent.end)
        else:
            runs.append((sent.start, sent.end))
    return runs


def _piece(nlp, doc, run: list, kept_docs: list) -> tuple[int, int, object]:
    """A doc for consecutive kept sentences, queued for the components, with the
    token range it stands for in ``doc``."""
    start, end = run[0].start, run[-1].end
    piece = _copy(nlp, doc[start:end])
    kept_docs.append(piece)
    return start, end, piece


def _copy(nlp, span):
    """A new unannotated doc of the span's tokens, as the tokenizer made them.

    No second tokenisation: the words and their norms (which tokenizer
    exceptions set, "n’t" -> "not", and the models read) are copied; like the
    span's text, the copy ends without whitespace.
    """
    from spacy.attrs import NORM
    from spacy.tokens import Doc

    spaces = [bool(t.whitespace_) for t in span]
    spaces[-1] = False
    copy = Doc(nlp.vocab, words=[t.text for t in span], spaces=spaces)
    copy.from_array([NORM], span.doc.to_array([NORM])[span.start : span.end])
    return copy


class FilterStats:
    """How much of the text the expensive components saw."""

    __slots__ = ("entity_tokens", "parsed_sentences", "parsed_tokens", "sentences", "tokens")

    def __init__(self) -> None:
        self.sentences = self.tokens = 0
        self.parsed_sentences = self.parsed_tokens = self.entity_tokens = 0

    def add(self, other: FilterStats) -> None:
        for name in self.__slots__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def surface_forms(nlp, lemmas_by_pos: dict[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    """Every lowercase word form the lemmatizer could map to one of the lemmas,
    with the lemmas it may stand for.

    The pre-filter sees words before tagging, so it needs the inflected forms
    of the trigger lemmas ("met", "meets", "meeting" for "meet").  They are
    generated by running the lemmatizer's own suffix rules backwards, plus its
    irregular-form table and doubled final consonants ("stopped"); generating
    too many forms only lets a few more sentences through, never fewer.  A
    lemma of several words ("take part") is represented by its first word.
    """
    lookups = nlp.get_pipe("lemmatizer").lookups
    rules = lookups.get_table("lemma_rules") if lookups.has_table("lemma_rules") else {}
    exceptions = lookups.get_table("lemma_exc") if lookups.has_table("lemma_exc") else {}
    forms: dict[str, set[str]] = {}
    for pos, lemmas in lemmas_by_pos.items():
        key = pos.lower()
        pos_rules = rules.get(key, []) if key in rules else []
        for lemma in lemmas:
            word = lemma.split()[0] if " " in lemma else lemma
            found = {word}
            for old, new in pos_rules:
                if word.endswith(new):
                    found.add(word[: len(word) - len(new)] + old)
            if len(word) > 2 and word[-1] not in "aeiouwxy" and word[-2] in "aeiou":
                found.update({word + word[-1] + "ed", word + word[-1] + "ing"})
            for form in found:
                forms.setdefault(form, set()).add(lemma)
        if key in exceptions:
            for form, targets in exceptions[key].items():
                for target in targets:
                    if target in lemmas:
                        forms.setdefault(form, set()).add(target)
    return {form: frozenset(found) for form, found in forms.items()}
