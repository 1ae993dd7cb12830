"""What the per-set runners share: coding sentences, reading data files, event helpers."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from tidings.dictionaries.cameo import Codebook, class5_of_root, load_codebook
from tidings.errors import DictionaryError, InputError
from tidings.model import Actor, Article, Event, Paragraph

if TYPE_CHECKING:
    from tidings.pipeline import Pipeline

#: How many wrong items a result lists (in file order).
MAX_ERRORS = 20


def code_sentences(
    pipeline: Pipeline, texts: Sequence[str], *, prefix: str
) -> list[tuple[Event, ...]]:
    """Code each text as a one-paragraph article (no title, no date); events per text.

    All texts go through one :meth:`Pipeline.run` call, so spaCy parses them in batches.
    """

    def articles() -> Iterator[Article]:
        for i, text in enumerate(texts):
            yield Article(
                doc_id=f"{prefix}-{i:05d}",
                title="",
                paragraphs=(Paragraph(text),),
                date=None,
            )

    out = [coded.events for coded in pipeline.run(articles())]
    if len(out) != len(texts):  # pragma: no cover - a pipeline bug, not an input problem
        raise RuntimeError(f"pipeline returned {len(out)} results for {len(texts)} texts")
    return out


def read_gold_text(path: Path) -> str:
    """A gold file's text; a missing or unreadable file is an :class:`InputError`."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: gold data not found") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read gold data ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason})") from None


def read_tsv_resource(name: str) -> list[dict[str, str]]:
    """Rows of a packaged TSV beside this module: ``#`` comments, one header row, LF, UTF-8."""
    resource = resources.files("tidings.evaluation").joinpath(name)
    try:
        text = resource.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DictionaryError(f"tidings/evaluation/{name}: packaged data file is missing") from None
    header: list[str] | None = None
    rows: list[dict[str, str]] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = [f.strip() for f in line.split("\t")]
        if header is None:
            header = fields
            continue
        if len(fields) > len(header):
            raise DictionaryError(
                f"tidings/evaluation/{name}:{lineno}: more than {len(header)} fields"
            )
        fields += [""] * (len(header) - len(fields))
        rows.append(dict(zip(header, fields, strict=True)))
    return rows


def codebook() -> Codebook:
    return load_codebook()


def class5_of(event: Event, book: Codebook) -> int:
    """ConfliBERT class of an event, from the codebook (root ranges as fallback)."""
    try:
        return book.nearest(event.code).class5
    except KeyError:
        return class5_of_root(event.root_code)


def plover_of(event: Event, book: Codebook) -> str | None:
    """PLOVER (draft 0.8) category of an event's CAMEO code; None when unmapped (01, 02)."""
    try:
        return book.nearest(event.code).plover
    except KeyError:
        return None


def primary_code(actor: Actor | None) -> str | None:
    """An actor's country, or the three-letter non-state primary code (IGO, NGO...).

    ``RUSGOV`` -> ``RUS``; ``IGOUNO`` (no country) -> ``IGO``; the unknown actor -> None.
    """
    if actor is None:
        return None
    if actor.country:
        return actor.country
    code = (actor.code or "").strip("-")
    return code[:3] if len(code) >= 3 else None


def event_summary(event: Event) -> dict[str, object]:
    """A compact, JSON-ready description of an event for error samples."""
    return {
        "code": event.code,
        "source": event.source.code,
        "source_text": event.source.text,
        "target": event.target.code if event.target else None,
        "target_text": event.target.text if event.target else None,
        "trigger": event.evidence.trigger,
        "modality": event.modality,
    }
