"""Quotes and their speakers.

News quotes its actors at length: '"We condemn the violence," Obama said.
"We urge the government to release the protesters."'  The first person of a
quote is its speaker ("we" is Obama's government), and a quote that runs over
several sentences -- or paragraphs, which news opens with a new quotation mark
and leaves unclosed -- keeps its speaker (the real-news guidelines, section 6).
What a quote reports is attributed speech: its events are ``reported``.

This module finds the quotations of a paragraph (:func:`quote_spans`), the
speaker of each (the subject of the speech verb next to it, in the sentence
where the quote opens or closes, else the speaker of the quote the paragraph
before ended with), and gives first-person pronouns inside a quote that
speaker (:func:`resolve_first_person`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from tidings.model import Actor

__all__ = ["QuoteSpan", "quote_spans", "resolve_first_person"]

_OPENING = frozenset({"\u201c", "``"})
_CLOSING = frozenset({"\u201d", "''"})
_STRAIGHT = '"'
# Verbs that introduce a quote ("he said", "she told reporters", "he tweeted").
QUOTE_VERBS = frozenset(
    {
        "say",
        "tell",
        "add",
        "write",
        "tweet",
        "state",
        "warn",
        "insist",
        "note",
        "explain",
        "declare",
        "stress",
        "continue",
        "argue",
        "claim",
        "reply",
        "respond",
        "ask",
        "conclude",
        "announce",
        "recall",
        "acknowledge",
        "emphasize",
        "emphasise",
    }
)
_FIRST_PERSON = frozenset(
    {"i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves"}
)
# A quotation shorter than this with no verb is a scare quote ("called it 'absurd'").
_MIN_QUOTE_TOKENS = 4


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """Tokens ``start``..``end`` (exclusive) of a paragraph inside one quotation."""

    start: int
    end: int
    opened: bool  # the paragraph opens with this quote (it may continue an earlier one)
    closed: bool  # the closing mark is in this paragraph

    def __contains__(self, i: int) -> bool:
        return self.start <= i < self.end


_CACHE_KEY = "tidings.quote_spans"


def quote_spans(doc) -> list[QuoteSpan]:
    """The quotations of a paragraph, scare quotes left out.  A quotation left open
    at the paragraph's end runs to it (the next paragraph reopens it).  Found once per
    paragraph: the actors stage reads the speakers, the pipeline the reported spans."""
    cached = doc.user_data.get(_CACHE_KEY)
    if cached is None:
        cached = doc.user_data[_CACHE_KEY] = _find_spans(doc)
    return cached


def _find_spans(doc) -> list[QuoteSpan]:
    spans: list[QuoteSpan] = []
    open_at: int | None = None
    for tok in doc:
        text = tok.text
        if open_at is None and (text in _OPENING or text == _STRAIGHT):
            open_at = tok.i
        elif open_at is not None and (text in _CLOSING or text == _STRAIGHT):
            spans.append(_span(doc, open_at, tok.i, closed=True))
            open_at = None
    if open_at is not None:
        spans.append(_span(doc, open_at, len(doc), closed=False))
    return [s for s in spans if _substantial(doc, s)]


def _span(doc, mark: int, end: int, *, closed: bool) -> QuoteSpan:
    opened = all(not t.is_alpha for t in doc[:mark])
    return QuoteSpan(mark + 1, end, opened=opened, closed=closed)


def _substantial(doc, span: QuoteSpan) -> bool:
    tokens = doc[span.start : span.end]
    return len(tokens) >= _MIN_QUOTE_TOKENS and any(t.pos_ in {"VERB", "AUX"} for t in tokens)


def _speech_verb(doc, span: QuoteSpan):
    """The speech verb outside ``span`` that introduces it: one whose clause holds the
    quote, else the nearest in the sentences where the quote opens and closes."""
    edges = [doc[span.start].sent]
    if span.closed:
        edges.append(doc[span.end].sent)
    candidates = [
        tok
        for sent in edges
        for tok in sent
        if tok.lemma_.lower() in QUOTE_VERBS and tok.pos_ == "VERB" and tok.i not in span
    ]
    for verb in candidates:
        if any(child.i in span for child in verb.children if child.dep_ in {"ccomp", "parataxis"}):
            return verb
    if not candidates:
        return None
    return min(candidates, key=lambda v: min(abs(v.i - span.start), abs(v.i - span.end)))


def _speaker(verb, resolved: Mapping[int, tuple[Actor, ...]]) -> tuple[Actor, ...]:
    for child in verb.children:
        if child.dep_ not in {"nsubj", "nsubjpass"}:
            continue
        if child.i in resolved:
            return resolved[child.i]
        for tok in child.subtree:  # "Pentagon spokesman Col. Steve Warren"
            if tok.i in resolved:
                return resolved[tok.i]
    return ()


def resolve_first_person(
    doc,
    resolved: dict[int, tuple[Actor, ...]],
    carried: tuple[Actor, ...] = (),
) -> tuple[Actor, ...]:
    """Give the first-person pronouns of each quote of ``doc`` its speaker, in place.

    ``carried`` is the speaker of the quote the previous paragraph ended with; a quote
    that opens this paragraph with no speech verb of its own continues it, and a later
    quote with none continues the one before it ('"A," he said. "B."').  Returns the
    speaker to carry into the next paragraph (none unless this one ends in a quote)."""
    speaker: tuple[Actor, ...] = ()
    spans = quote_spans(doc)
    for n, span in enumerate(spans):
        verb = _speech_verb(doc, span)
        if verb is not None:
            speaker = _speaker(verb, resolved)
        elif n == 0:
            # A paragraph that opens with a quote of no speech verb continues the last
            # paragraph's; a later unattributed quote continues this paragraph's last.
            speaker = carried if span.opened else ()
        if not speaker:
            continue
        for tok in doc[span.start : span.end]:
            if tok.lower_ not in _FIRST_PERSON or tok.i in resolved:
                continue
            if tok.dep_ == "poss" and tok.head.i in resolved:
                continue  # "our American embassies" already names its actor
            resolved[tok.i] = speaker
    if not spans:
        return ()
    # "...," he said.  /  "And more."  -- the next paragraph continues the last quote
    # when this paragraph's last sentence holds it.
    last_sentence = list(doc.sents)[-1]
    touches_end = spans[-1].end >= last_sentence.start
    return speaker if touches_end else ()
