"""The only module that composes the stages: parse → actors → coding.

Stages never import each other; they exchange the records of
:mod:`tidings.model` (and the actors stage hands the coder a plain mapping
from token index to actors).  Keeping the composition here means a stage can
be replaced, benchmarked or switched off without touching the others.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tidings.actors import ActorResolver, default_resolver, quote_spans
from tidings.coding import Coder, load_confidence_model, load_default_model, score_events
from tidings.dictionaries.cameo import load_codebook
from tidings.dictionaries.verbs import load_verb_lexicon
from tidings.model import Article, CodedArticle, Event, Place, Sentence
from tidings.nlp import DEFAULT_MODEL, FilterStats, load_pipeline, parse_articles
from tidings.pipeline._prefilter import EventSentenceFilter
from tidings.places import PlaceContext, find_event_place, resolve_place
from tidings.time import EventDate, publication_fallback, resolve_event_date

__all__ = [
    "CODED_LANGUAGES",
    "LANGUAGES",
    "CodingFailure",
    "Pipeline",
    "PipelineConfig",
    "describe_error",
]

_log = logging.getLogger(__name__)

#: Articles coded together by ``Pipeline.run(on_error=...)``: large enough for
#: spaCy's batching, small enough that a failed group is cheap to redo.
_GROUP = 32
#: Articles of another language parsed together (see ``Pipeline._run``).
_STAGE_BATCH = 64

# Paragraph kinds whose sentences are coded.  Embeds (quoted social posts)
# are stored but not coded: they are not the outlet's reporting.
CODED_KINDS = frozenset({"title", "body", "caption"})


def describe_error(exc: BaseException) -> str:
    """``"TypeError: what went wrong"`` on one line: how a failed article is reported."""
    message = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


@dataclass(frozen=True, slots=True)
class CodingFailure:
    """An article that could not be coded, as a worker process reports it.

    Worker processes (``--workers``, ``--dask``) send this back in the
    article's place rather than the exception itself: many exceptions do not
    survive pickling, and one that escaped would end the whole partition.
    """

    article: Article
    error: str  # describe_error() of what was raised


@dataclass(frozen=True, slots=True)
class PipelineConfig:
    model: str = DEFAULT_MODEL
    batch_size: int = 64
    code_titles: bool = True
    relaxed: bool = True  # the coder's fallback pass (events with rule suffix "/relaxed")
    dictionaries: str | Path | None = None  # a user's dictionary directory or profile
    # Languages coded (see ``LANGUAGES``); articles in others are stored, not coded.
    languages: tuple[str, ...] = ("en", "ru")
    dates: bool = True  # resolve event dates from the text (else: publication date)
    places: bool = True  # resolve event places with the gazetteer
    # Parse only sentences that can yield an event (actor or pronoun and a
    # trigger word) and run the entity recogniser only where it can matter.
    prefilter: bool = False
    # Apply the discard dictionaries as PETRARCH does: no events from a sentence
    # with a discard phrase, none from an article with a story-scope ("+") one.
    # Off (the default): discard phrases only keep their words from being read
    # as actors.  The packaged Phoenix list discards every sentence naming a
    # year ("2010") or "weeks ago" -- meant for same-day wire coding, it costs
    # 3 points of coverage on the gold sets -- so this is for users coding
    # with their own PETRARCH discard lists, and it is switched on when
    # ``--dictionaries`` brings PETRARCH/TABARI-format discard files.
    petrarch_discards: bool = False
    # Give every event its calibrated confidence (data/models/confidence.json); off or
    # without the model file, events keep confidence 1.0.
    confidence: bool = True

    def codes_language(self, article: Article) -> bool:
        """Whether the article's language is one this configuration codes.

        Articles in other languages are stored (and flagged by their language)
        but not coded: an English model and English dictionaries would only
        produce noise.  An undetermined language ("") is given the benefit of
        the doubt (it is read as English).
        """
        if article.language == "":
            return "en" in self.languages
        return article.language in self.languages


class Pipeline:
    """Turns articles into coded articles.  Build once, reuse for many articles."""

    def __init__(
        self,
        config: PipelineConfig | None = None,
        *,
        resolver: ActorResolver | None = None,
        coder: Coder | None = None,
        lexicon=None,
    ) -> None:
        self.config = config or PipelineConfig()
        self.nlp = load_pipeline(self.config.model)
        self.resolver = resolver or default_resolver()
        self.coder = coder or Coder(
            lexicon if lexicon is not None else load_verb_lexicon(),
            load_codebook(),
            model=load_default_model(),
            relaxed=self.config.relaxed,
        )
        self.confidence = load_confidence_model() if self.config.confidence else None
        self.filter_stats = FilterStats()
        self._stages: dict[str, object] = {}  # language -> its stage, built lazily
        self._filter = EventSentenceFilter(self) if self.config.prefilter else None
        # Settings that shape English coding only (named as the command line names them),
        # noticed once when an article of another language arrives.
        self._english_only: list[str] = ["--prefilter"] if self.config.prefilter else []
        if resolver is not None or lexicon is not None or self.config.dictionaries:
            self._english_only.append("--dictionaries")

    @classmethod
    def from_config(cls, config: PipelineConfig, *, on_issue=None) -> Pipeline:
        """A pipeline for ``config``, loading the user's dictionaries if it names any."""
        if config.dictionaries is None:
            return cls(config)
        return cls.with_dictionaries(config.dictionaries, config, on_issue=on_issue)

    @classmethod
    def with_dictionaries(
        cls, path: str | Path, config: PipelineConfig | None = None, *, on_issue=None
    ) -> Pipeline:
        """A pipeline whose actor, agent, discard and verb dictionaries come from ``path``
        (a directory of PETRARCH/TABARI or Tidings files, or a TOML profile) laid over,
        or replacing, the packaged ones."""
        from tidings.dictionaries.profile import (
            SpacyLemmatizer,
            load_dictionaries,
            load_dictionary_set,
        )

        config = config or PipelineConfig()
        loaded = load_dictionaries(
            load_dictionary_set(Path(path)),
            lemmatize=SpacyLemmatizer(load_pipeline(config.model)),
            on_issue=on_issue,
        )
        resolver = ActorResolver(loaded.actors, loaded.agents, loaded.discards)
        if loaded.petrarch_discards and not config.petrarch_discards:
            # PETRARCH/TABARI discard files mean what they mean in PETRARCH.
            config = dataclasses.replace(config, petrarch_discards=True)
        return cls(config, resolver=resolver, lexicon=loaded.verbs)

    def run(
        self,
        articles: Iterable[Article],
        *,
        on_error: Callable[[Article, BaseException], None] | None = None,
    ) -> Iterator[CodedArticle]:
        """Code articles lazily, in input order.

        With ``on_error``, an article whose parsing or coding fails is handed
        to it with the exception and left out, and the others are coded as
        usual: articles go through in groups, and a group that fails is
        coded again one article at a time to find the culprit.  Without it,
        the first failure propagates.
        """
        if on_error is None:
            yield from self._run(articles)
            return
        group: list[Article] = []
        for article in articles:
            group.append(article)
            if len(group) >= _GROUP:
                yield from self._isolated(group, on_error)
                group = []
        if group:
            yield from self._isolated(group, on_error)

    def code_isolated(self, articles: Iterable[Article]) -> list[CodedArticle | CodingFailure]:
        """Code ``articles``, each failure in its article's place (for worker processes).

        The same isolation as ``run(on_error=...)``, in a form that pickles:
        the caller reports each :class:`CodingFailure` and keeps the rest.
        """
        results: list[CodedArticle | CodingFailure] = []

        def failed(article: Article, exc: BaseException) -> None:
            results.append(CodingFailure(article, describe_error(exc)))

        for coded in self.run(articles, on_error=failed):  # failures land in order too
            results.append(coded)
        return results

    def _isolated(self, group: list[Article], on_error) -> Iterator[CodedArticle]:
        try:
            coded = self._zoned(group)
        except (Exception, MemoryError, RecursionError):  # retried one by one
            coded = None
        if coded is not None:
            yield from coded
            return
        for article in group:
            try:
                (one,) = self._zoned([article])
            except (Exception, MemoryError, RecursionError) as exc:
                on_error(article, exc)
                continue
            yield one

    def _run(self, articles: Iterable[Article]) -> Iterator[CodedArticle]:
        # Articles read by the English parser but not yet coded, in order: another
        # language's stage parses its articles among them together (its parser
        # batches sentences across articles), when the first of them is coded.
        read: deque[Article] = deque()

        def reading() -> Iterator[Article]:
            for article in articles:
                read.append(article)
                yield article

        done: dict[int, object] = {}  # id of a read article -> its stage's parse
        for parsed in parse_articles(
            self.nlp,
            reading(),
            batch_size=self.config.batch_size,
            include_title=self.config.code_titles,
            parse_if=self._english,
            sentence_filter=self._filter,
            stats=self.filter_stats,
        ):
            article = read.popleft()
            stage = self._stage(article)
            if stage is not None:
                if id(article) not in done:
                    batch = [article]
                    batch += [a for a in read if self._stage(a) is stage][: _STAGE_BATCH - 1]
                    for one, its in zip(
                        batch, stage.parse_many(batch, self.config.code_titles), strict=True
                    ):
                        done[id(one)] = its
                parsed = done.pop(id(article))
            yield self._code(parsed, stage)

    def _english(self, article: Article) -> bool:
        return self.codes_language(article) and article.language not in LANGUAGES

    def _stage(self, article: Article):
        """The stage of a coded language other than English, loaded on its first article."""
        lang = article.language
        if lang not in LANGUAGES or lang not in self.config.languages:
            return None
        if lang not in self._stages:
            self._stages[lang] = LANGUAGES[lang]()
            if self._english_only:
                _log.warning(
                    "%s applies to English articles only: %s articles are parsed whole and "
                    "coded with the packaged %s dictionaries",
                    " and ".join(self._english_only),
                    lang,
                    lang,
                )
        return self._stages[lang]

    def codes_language(self, article: Article) -> bool:
        """Whether the article's language is one this pipeline codes (see PipelineConfig)."""
        return self.config.codes_language(article)

    def code_article(self, article: Article) -> CodedArticle:
        (coded,) = self._zoned([article])
        return coded

    def _zoned(self, articles: list[Article]) -> list[CodedArticle]:
        """Code ``articles`` in a spaCy memory zone.

        The words and lexemes spaCy adds for the texts (every new name,
        number and typo) are freed when the zone ends; without it the
        vocabulary grows with every article of a long run.  Coded articles
        hold plain strings only, so nothing made in the zone outlives it.
        """
        with self.nlp.memory_zone():
            coded = list(self._run(articles))
        _release_free_memory()
        return coded

    def _code(self, parsed, stage=None) -> CodedArticle:
        article = parsed.article
        resolver = stage.resolver if stage is not None else self.resolver
        coder = stage.coder if stage is not None else self.coder
        # Actors first, for the whole article: their countries are the context
        # that disambiguates place names ("Tripoli" with Libyan actors).
        if stage is not None:
            memory = stage.memory()
            actors_by_para = [
                resolver.resolve(para.doc, when=article.date, memory=memory)
                for para in parsed.paragraphs
            ]
        else:
            actors_by_para = self.resolver.resolve_article(
                [para.doc for para in parsed.paragraphs],
                when=article.date,
                kinds=[para.kind for para in parsed.paragraphs],
            )
        places = None
        if self.config.places:
            places = PlaceContext.from_actors(
                a for found in actors_by_para for actors in found.values() for a in actors
            )
            if stage is None:
                places.observe(ent for para in parsed.paragraphs for ent in para.doc.ents)
        sentences: list[Sentence] = []
        events: list[Event] = []
        # PETRARCH discards: a sentence with a discard phrase yields no events,
        # and a story-scope ("+") phrase anywhere stops the whole article.
        story_discarded = (
            stage is None
            and self.config.petrarch_discards
            and any(
                "story" in self.resolver.discarded(list(para.doc)) for para in parsed.paragraphs
            )
        )
        for para, actors_at in zip(parsed.paragraphs, actors_by_para, strict=True):
            quoted = (
                frozenset(i for span in quote_spans(para.doc) for i in range(span.start, span.end))
                if stage is None
                else frozenset()
            )
            for sent in para.doc.sents:
                text = sent.text.strip()
                if not text:
                    continue
                index = len(sentences)
                sentences.append(
                    Sentence(
                        doc_id=article.doc_id,
                        index=index,
                        paragraph_index=para.index,
                        text=text,
                        kind=para.kind,
                    )
                )
                if para.kind not in CODED_KINDS or story_discarded:
                    continue
                if (
                    stage is None
                    and self.config.petrarch_discards
                    and self.resolver.discarded(list(sent))
                ):
                    continue
                coded = coder.code_sentence_with_triggers(
                    sent, actors_at, doc_id=article.doc_id, sentence_index=index, quoted=quoted
                )
                context: dict[int, tuple[EventDate | None, Place | None, str | None]] = {}
                for event, trigger in coded:
                    if trigger.i not in context:
                        date_of = stage.date if stage is not None else _event_date
                        place_of = stage.place if stage is not None else _event_place
                        context[trigger.i] = (
                            date_of(trigger, article)
                            if self.config.dates
                            else publication_fallback(article.date),
                            *(place_of(trigger, places) if places else (None, None)),
                        )
                    events.append(_situated(event, *context[trigger.i]))
        # One event per id: two readings of one dyad and code at one trigger are one event
        # (the store refuses an article whose events repeat an id).
        unique: dict[str, Event] = {}
        for event in events:
            unique.setdefault(event.event_id, event)
        events = list(unique.values())
        confidence = self.confidence
        if confidence is not None and stage is not None:
            confidence = load_confidence_model(language=stage.lang)
        if confidence is not None:
            return CodedArticle(
                article, tuple(sentences), score_events(events, sentences, confidence)
            )
        return CodedArticle(article=article, sentences=tuple(sentences), events=tuple(events))


def _release_free_memory() -> None:
    """Hand memory freed by the zone back to the system (glibc only; else nothing).

    glibc keeps freed heap for reuse, so one long article leaves the process
    at its high-water mark for good; ``malloc_trim`` returns what is free, and
    costs about a millisecond per group of articles.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim():
    import ctypes
    import ctypes.util

    try:
        name = ctypes.util.find_library("c")
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None


def _frames(trigger) -> list:
    """Tokens whose clause may carry the event's date and place.

    The trigger itself, then -- for an event noun -- the relative clauses
    inside its phrase: in "an agreement between X and Y, which could be
    finalized at a meeting in Astana on Dec. 27" the parser hangs the clause
    on the last noun, but it describes the agreement.
    """
    frames = [trigger]
    if trigger.pos_ in {"NOUN", "PROPN"}:
        frames.extend(
            t for t in trigger.subtree if t.dep_ in {"relcl", "acl"} and t.pos_ in {"VERB", "AUX"}
        )
    return frames


def _event_date(trigger, article: Article) -> EventDate | None:
    """The event's own date, else the publication date (precision "publication")."""
    for frame in _frames(trigger):
        found = resolve_event_date(frame, publication=article.date)
        if found is not None:
            return found
    return publication_fallback(article.date)


def _event_place(trigger, places: PlaceContext) -> tuple[Place | None, str | None]:
    """Where the event happened (resolved against the gazetteer) and the words."""
    text = next((t for t in map(find_event_place, _frames(trigger)) if t), None)
    if not text:
        return None, None
    place = resolve_place(text, places)
    places.add(place)
    return place, text


def _situated(
    event: Event, when: EventDate | None, place: Place | None, place_text: str | None
) -> Event:
    """The event with its date and place filled in, and their words in the evidence."""
    changes: dict = {}
    evidence: dict = {}
    if when is not None:
        changes.update(date=when.value, date_precision=when.precision)
        evidence["date_text"] = when.text
    if place is not None:
        changes["location"] = place
        evidence["place_text"] = place_text
    if evidence:
        changes["evidence"] = dataclasses.replace(event.evidence, **evidence)
    return dataclasses.replace(event, **changes) if changes else event


# -- languages other than English -----------------------------------------------
#
# A language is a parser that turns paragraphs into spaCy-shaped docs (the
# registry in :mod:`tidings.nlp`), an actor resolver over its dictionaries,
# a coder over its verb lexicon, and date and place readers.  Adding one is
# its data plus a model, registered here.


class _RussianStage:
    """Russian: natasha + pymorphy3, dictionaries under ``data/*/ru/``."""

    lang = "ru"

    def __init__(self) -> None:
        from tidings.actors import RussianMemory, load_russian_resolver
        from tidings.coding import RussianCoder
        from tidings.dictionaries.verbs import russian_verb_files
        from tidings.nlp import load_parser

        self.parser = load_parser(self.lang)
        self.resolver = load_russian_resolver(self.parser.forms)
        self.coder = RussianCoder(load_verb_lexicon(russian_verb_files()), load_codebook())
        self.memory = RussianMemory

    def parse(self, article: Article, include_title: bool):
        return next(parse_articles(self.parser, [article], include_title=include_title))

    def parse_many(self, articles: list[Article], include_title: bool) -> list:
        """Parse articles together (the parser batches their sentences by length)."""
        return list(parse_articles(self.parser, articles, include_title=include_title))

    def date(self, trigger, article: Article) -> EventDate | None:
        from tidings.time import resolve_russian_date

        found = resolve_russian_date(trigger, article.date)
        return found if found is not None else publication_fallback(article.date)

    def place(self, trigger, places: PlaceContext) -> tuple[Place | None, str | None]:
        """The place of "в Анкаре", "на Украине" governed by the trigger (or its verb),
        resolved by its lemma; a country by the English name of its code."""
        from tidings.places import russian_place_phrase

        phrase = russian_place_phrase(trigger)
        if phrase is None:
            return None, None
        tokens, text = phrase
        name = " ".join("-".join(p.capitalize() for p in t.lemma_.split("-")) for t in tokens)
        for _start, _end, entry in self.resolver.find(tokens):
            if entry.kind in {"country", "capital"} and len(tokens) == _end - _start:
                code = entry.codes[0][0][:3]
                if entry.kind == "country":
                    name = self.resolver.english.get(code, name)
        place = resolve_place(name, places)
        if place.feature_id is None:
            place = dataclasses.replace(place, name=text)
        places.add(place)
        return place, text


#: language code -> its stage (English is the pipeline's own stage).
LANGUAGES = {"ru": _RussianStage}
#: Every language the pipeline can code.
CODED_LANGUAGES: tuple[str, ...] = ("en", *LANGUAGES)
