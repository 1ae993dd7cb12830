"""The only module that composes the stages: parse → actors → coding.

Stages never import each other; they exchange the records of
:mod:`tidings.model` (and the actors stage hands the coder a plain mapping
from token index to actors).  Keeping the composition here means a stage can
be replaced, benchmarked or switched off without touching the others.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from tidings.actors import ActorResolver, ArticleMemory, default_resolver
from tidings.coding import Coder
from tidings.dictionaries.cameo import load_codebook
from tidings.dictionaries.verbs import load_verb_lexicon
from tidings.model import Article, CodedArticle, Event, Sentence
from tidings.nlp import DEFAULT_MODEL, load_pipeline, parse_articles
from tidings.time import EventDate, publication_fallback, resolve_event_date

__all__ = ["Pipeline", "PipelineConfig"]

# Paragraph kinds whose sentences are coded.  Embeds (quoted social posts)
# are stored but not coded: they are not the outlet's reporting.
CODED_KINDS = frozenset({"title", "body", "caption"})


@dataclass(frozen=True, slots=True)
class PipelineConfig:
    model: str = DEFAULT_MODEL
    batch_size: int = 64
    code_titles: bool = True


class Pipeline:
    """Turns articles into coded articles.  Build once, reuse for many articles."""

    def __init__(
        self,
        config: PipelineConfig | None = None,
        *,
        resolver: ActorResolver | None = None,
        coder: Coder | None = None,
    ) -> None:
        self.config = config or PipelineConfig()
        self.nlp = load_pipeline(self.config.model)
        self.resolver = resolver or default_resolver()
        self.coder = coder or Coder(load_verb_lexicon(), load_codebook())

    def run(self, articles: Iterable[Article]) -> Iterator[CodedArticle]:
        """Code articles lazily, in input order."""
        for parsed in parse_articles(
            self.nlp,
            articles,
            batch_size=self.config.batch_size,
            include_title=self.config.code_titles,
        ):
            yield self._code(parsed)

    def code_article(self, article: Article) -> CodedArticle:
        return next(iter(self.run([article])))

    def _code(self, parsed) -> CodedArticle:
        article = parsed.article
        memory = ArticleMemory()
        sentences: list[Sentence] = []
        events: list[Event] = []
        for para in parsed.paragraphs:
            doc = para.doc
            actors_at = self.resolver.resolve(doc, when=article.date, memory=memory)
            for sent in doc.sents:
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
                if para.kind not in CODED_KINDS:
                    continue
                coded = self.coder.code_sentence_with_triggers(
                    sent, actors_at, doc_id=article.doc_id, sentence_index=index
                )
                dates: dict[int, EventDate | None] = {}
                for event, trigger in coded:
                    if trigger.i not in dates:
                        dates[trigger.i] = _event_date(trigger, article)
                    events.append(_dated(event, dates[trigger.i]))
        return CodedArticle(article=article, sentences=tuple(sentences), events=tuple(events))


def _event_date(trigger, article: Article) -> EventDate | None:
    """The event's own date, else the publication date (precision "publication")."""
    found = resolve_event_date(trigger, publication=article.date)
    if found is None and trigger.pos_ in {"NOUN", "PROPN"}:
        # "an agreement between X and Y, which could be finalized on Dec. 27":
        # the parser hangs the relative clause on the phrase's last noun.
        for tok in trigger.subtree:
            if tok.dep_ in {"relcl", "acl"} and tok.pos_ in {"VERB", "AUX"}:
                found = resolve_event_date(tok, publication=article.date)
                if found is not None:
                    break
    return found or publication_fallback(article.date)


def _dated(event: Event, when: EventDate | None) -> Event:
    if when is None:
        return event
    return dataclasses.replace(
        event,
        date=when.value,
        date_precision=when.precision,
        evidence=dataclasses.replace(event.evidence, date_text=when.text),
    )
