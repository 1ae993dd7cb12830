"""Reader for saved HTML pages, built on trafilatura.

Boilerplate removal is a solved problem we do not want to re-solve: trafilatura
finds the article body and the metadata (title, byline, date, canonical URL,
site name).  This module only maps its output onto :class:`Article` and
guards against the few ways it can mislead us.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from tidings.errors import InputError
from tidings.model import Article, Paragraph

from ._boilerplate import drop_boilerplate
from ._common import collapse_whitespace, content_doc_id, outlet_from_url

_HTML_START_RE = re.compile(r"^\s*<(?!https?://)(?:[!?]|[a-zA-Z])")


def looks_like_html(text: str) -> bool:
    """Whether text read from stdin should be parsed as HTML, not markdown.

    Any leading tag, doctype, comment or XML declaration counts; a markdown
    autolink (``<https://...>``) does not.
    """
    return bool(_HTML_START_RE.match(text.removeprefix("\ufeff")))


def _extract(text: str) -> dict[str, Any] | None:
    """Run trafilatura on a page, offline, returning its result as a dict.

    trafilatura is imported here, not at module level, because importing it
    takes a noticeable fraction of a second and most runs never read HTML.
    The extensive date search is turned off: it falls back to dates found
    anywhere in the page, such as a "(c) 2016" footer, and reports them as
    January 1st, which is worse than no date for event data.
    """
    import trafilatura
    from trafilatura.settings import set_date_params

    try:
        document = trafilatura.bare_extraction(
            text,
            with_metadata=True,
            include_comments=False,
            include_images=False,
            date_extraction_params=set_date_params(False),
        )
    except Exception as exc:  # trafilatura/lxml failures on malformed pages
        raise InputError(f"HTML extraction failed: {exc}") from exc
    if document is None:
        return None
    if isinstance(document, dict):
        return document
    return dict(document.as_dict())


def _parse_iso_date(value: object) -> _dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return _dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _authors(value: object) -> tuple[str, ...]:
    """trafilatura joins several authors with "; "."""
    if not isinstance(value, str):
        return ()
    return tuple(name for name in (collapse_whitespace(n) for n in value.split(";")) if name)


def read_article_html(text: str, *, source: str | None = None) -> Article:
    """Extract the article of an HTML page.

    Raises :class:`~tidings.errors.InputError` when the page is empty or
    trafilatura finds no article body in it.  The title is removed from the
    start of the body when trafilatura repeats it there (it often keeps the
    ``<h1>``), so it is not coded twice.
    """
    if not text.strip():
        raise InputError("empty text")
    data = _extract(text)
    body = (data or {}).get("text") or ""
    title = collapse_whitespace(str((data or {}).get("title") or ""))
    lines = [collapse_whitespace(line) for line in str(body).split("\n")]
    lines = [line for line in lines if line]
    if lines and title and lines[0] == title:
        lines = lines[1:]
    if data is None or not lines:
        raise InputError("no article text found in HTML")
    url = data.get("url") if isinstance(data.get("url"), str) else None
    sitename = data.get("sitename")
    outlet = sitename.strip() if isinstance(sitename, str) and sitename.strip() else None
    return Article(
        doc_id=content_doc_id(text),
        title=title,
        paragraphs=drop_boilerplate([Paragraph(line) for line in lines]),
        authors=_authors(data.get("author")),
        date=_parse_iso_date(data.get("date")),
        url=url or None,
        outlet=outlet or outlet_from_url(url),
        source=source,
    )
