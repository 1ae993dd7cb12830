"""Russian processing with natasha, exposed as spaCy docs.

natasha (MIT) ships its models inside the wheel: the segmenter (razdel),
the navec news embedding and slovnet's morphology tagger, UD dependency
parser and NER tagger.  pymorphy3 gives the lemmas (natasha's own
lemmatiser is pymorphy2).  Nothing is downloaded.

Each paragraph comes back as a :class:`spacy.tokens.Doc` over a blank vocab
with ``lemma_``, ``pos_``, ``morph``, ``dep_``, heads, sentence starts and
entity spans (``PER``/``LOC``/``ORG``) set, so the rest of the pipeline reads
Russian paragraphs exactly as it reads English ones.  The models are loaded
the first time a Russian text is parsed, never for English-only runs.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterable, Iterator
from typing import ClassVar

from tidings.nlp._matmul import _one_thread

__all__ = ["RussianParser", "load_russian"]

_LOCK = threading.Lock()


class RussianParser:
    """natasha's models and pymorphy3, loaded once; ``pipe`` parses texts into spaCy docs."""

    lang = "ru"

    def __init__(self) -> None:
        from natasha import (
            NewsEmbedding,
            NewsMorphTagger,
            NewsNERTagger,
            NewsSyntaxParser,
            Segmenter,
        )
        from pymorphy3 import MorphAnalyzer
        from spacy.vocab import Vocab

        emb = NewsEmbedding()
        self.segmenter = Segmenter()
        self.morph = NewsMorphTagger(emb)
        self.syntax = NewsSyntaxParser(emb)
        self.ner = NewsNERTagger(emb)
        for model in (self.morph, self.syntax):  # slovnet records: batch size in two places
            model.batch_size = BATCH
            model.infer.encoder.batch_size = BATCH
        self.analyzer = MorphAnalyzer()
        self.vocab = Vocab()
        self._lemma = functools.lru_cache(maxsize=200_000)(self._lemma_uncached)
        self.forms = functools.lru_cache(maxsize=200_000)(self._forms_uncached)

    def _forms_uncached(self, word: str) -> frozenset[str]:
        """Every normal form pymorphy3 offers for a word, and the word itself (lower case).

        Dictionary names are matched on these sets, so a tagging slip never
        hides a name."""
        low = word.lower().replace("ё", "е")
        if not low[:1].isalpha():
            return frozenset({low})
        forms = {p.normal_form.replace("ё", "е") for p in self.analyzer.parse(low)}
        forms.add(low)
        return frozenset(forms)

    # -- lemmas ----------------------------------------------------------------

    _POS_OF: ClassVar[dict[str, set[str]]] = {
        "NOUN": {"NOUN"},
        "PROPN": {"NOUN"},
        "VERB": {"VERB", "INFN", "PRTF", "PRTS", "GRND"},
        "AUX": {"VERB", "INFN"},
        "ADJ": {"ADJF", "ADJS", "COMP", "PRTF", "PRTS"},
        "ADV": {"ADVB", "COMP"},
        "NUM": {"NUMR"},
        "PRON": {"NPRO", "ADJF"},
        "DET": {"ADJF", "NPRO"},
    }

    def _lemma_uncached(self, word: str, pos: str) -> str:
        """The pymorphy3 normal form of the analysis agreeing with natasha's tag.

        Verbs keep their infinitive (pymorphy's participles and gerunds are
        lemmatised to the verb by ``normal_form`` of the infinitive lexeme)."""
        low = word.lower().replace("ё", "е")
        if not low[:1].isalpha():
            return low
        parses = self.analyzer.parse(low)
        if not parses:
            return low
        wanted = self._POS_OF.get(pos)
        chosen = parses[0]
        if wanted:
            for p in parses:
                if p.tag.POS in wanted:
                    chosen = p
                    break
        if pos in {"VERB", "AUX"} and chosen.tag.POS in {"PRTF", "PRTS", "GRND"}:
            infinitive = chosen.inflect({"INFN"})
            if infinitive is not None:
                return infinitive.word.replace("ё", "е")
        return chosen.normal_form.replace("ё", "е")

    def lemma(self, word: str, pos: str = "") -> str:
        return self._lemma(word, pos)

    # -- parsing ---------------------------------------------------------------

    def pipe(self, texts: Iterable[str], batch_size: int = 64) -> Iterator:
        """Parse texts (paragraphs) into spaCy docs, in order.

        The texts are parsed together: slovnet pads every batch to its longest
        sentence, so the sentences of all texts go through the tagger and the
        parser sorted by length, in batches of :data:`BATCH` (three times
        faster than paragraph by paragraph in their own order), and come back
        in order.  Each word's analysis does not depend on its batch: the
        convolutions see only the word's own sentence and padding."""
        texts = list(texts)
        if not texts:
            return
        with _one_thread():
            docs = self._parse_many(texts)
        yield from docs

    def __call__(self, text: str):
        return self.parse(text)

    def parse(self, text: str):
        """One text as a spaCy doc.  slovnet's convolutions are small matrix
        products: numpy's BLAS threads only contend for them (ten times slower
        on a busy machine), so they run on one thread."""
        return next(self.pipe([text]))

    def _parse_many(self, texts: list[str]) -> list:
        sents_of = [
            [
                s
                for s in (
                    [
                        (tok.start + sent.start, tok.stop + sent.start, tok.text)
                        for tok in self.segmenter.tokenize(sent.text)
                    ]
                    for sent in self.segmenter.sentenize(text)
                )
                if s
            ]
            for text in texts
        ]
        flat = [[t[2] for t in s] for sents in sents_of for s in sents]
        morph_out = _by_length(self.morph, flat)
        syntax_out = _by_length(self.syntax, flat)
        with_text = [k for k, text in enumerate(texts) if text.strip()]
        markups = dict(
            zip(with_text, _by_length(self.ner, [texts[k] for k in with_text]), strict=True)
        )
        docs = []
        at = 0
        for k, sents in enumerate(sents_of):
            n = len(sents)
            docs.append(
                self._doc(sents, morph_out[at : at + n], syntax_out[at : at + n], markups.get(k))
            )
            at += n
        return docs

    def _doc(self, sents, morph_out, syntax_out, markup):
        from spacy.tokens import Doc

        token_lists = [[t[2] for t in s] for s in sents]
        words: list[str] = []
        spaces: list[bool] = []
        pos: list[str] = []
        morphs: list[str] = []
        lemmas: list[str] = []
        heads: list[int] = []
        deps: list[str] = []
        starts: list[bool] = []
        flat = [t for s in sents for t in s]
        for n, tok in enumerate(flat):
            nxt = flat[n + 1][0] if n + 1 < len(flat) else tok[1]
            spaces.append(nxt > tok[1])
        offset = 0
        for toks, m, s in zip(token_lists, morph_out, syntax_out, strict=True):
            root = next((k for k, st in enumerate(s.tokens) if st.head_id in (None, "0")), 0)
            for k, (mt, st) in enumerate(zip(m.tokens, s.tokens, strict=True)):
                words.append(mt.text)
                p = mt.pos if mt.pos else "X"
                pos.append(p)
                morphs.append("|".join(f"{a}={b}" for a, b in sorted(mt.feats.items())))
                lemmas.append(self._lemma(mt.text, p))
                head = int(st.head_id) - 1 if st.head_id not in (None, "0") else -1
                rel = st.rel or "dep"
                if not 0 <= head < len(toks):
                    # one root per sentence: a second root hangs on the first
                    head = root
                    if k != root:
                        rel = "parataxis"
                heads.append(offset + head)
                deps.append(rel)
                starts.append(k == 0)
            _break_cycles(heads, deps, offset, offset + len(toks), offset + root)
            offset += len(toks)
        doc = Doc(
            self.vocab,
            words=words,
            spaces=spaces,
            pos=pos,
            morphs=morphs,
            lemmas=lemmas,
            heads=heads,
            deps=deps,
            sent_starts=starts,
        )
        if markup is not None:
            ents = []
            for span in markup.spans:
                char_span = doc.char_span(
                    span.start, span.stop, label=span.type, alignment_mode="expand"
                )
                if char_span is not None:
                    ents.append(char_span)
            doc.ents = _non_overlapping(ents)
        return doc


#: Sentences per slovnet batch for the tagger and the parser (natasha's default is 8;
#: with sentences sorted by length, larger batches waste no padding).
BATCH = 32


def _by_length(model, items: list) -> list:
    """``model.map(items)`` run over the items sorted by length, returned in their order."""
    order = sorted(range(len(items)), key=lambda k: len(items[k]))
    out: list = [None] * len(items)
    for k, result in zip(order, model.map([items[k] for k in order]), strict=True):
        out[k] = result
    return out


def _break_cycles(heads: list[int], deps: list[str], start: int, end: int, root: int) -> None:
    """Make a sentence's heads a tree: slovnet picks each word's head on its own, so
    a few words can point at each other in a loop; such a word hangs on the root."""
    heads[root] = root
    deps[root] = "root"
    for i in range(start, end):
        seen = set()
        j = i
        while j != root and j not in seen:
            seen.add(j)
            if heads[j] == j:  # a second root was hung on the first above
                break
            j = heads[j]
        if j != root and j in seen:
            heads[j] = root
            deps[j] = "dep"


def _non_overlapping(spans: list) -> list:
    out, last = [], -1
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if span.start >= last:
            out.append(span)
            last = span.end
    return out


def load_russian() -> RussianParser:
    """The process's Russian parser, loaded on first use (thread-safe)."""
    with _LOCK:
        return _load()


@functools.lru_cache(maxsize=1)
def _load() -> RussianParser:
    return RussianParser()
