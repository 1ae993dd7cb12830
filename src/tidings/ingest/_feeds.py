"""RSS and Atom feeds: follow each item's link and extract the article there.

A feed is how newsrooms announce their stories, so "code everything this
outlet published today" is a feed URL.  Feed items carry only a summary, so
each item's page is fetched (with the run's shared :class:`Fetcher`, hence
the same limits and per-host politeness) and extracted like any page.  The
feed's own metadata fills what the page lacks: the feed title names the
outlet, the item title and date stand in for a page without them.

feedparser is lenient and parses most broken feeds anyway; it then flags
them "bozo".  A bozo feed with items is read with a warning, one without
items is a logged skip, and so is every item whose link is missing or
whose page cannot be fetched or extracted: the good items still come
through.  feedparser is imported lazily and is never handed a URL or a
path (it would fetch or open them itself): it only ever sees bytes.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import urljoin, urlsplit

from tidings.errors import InputError
from tidings.model import Article

from ._common import IngestProblem, collapse_whitespace, outlet_from_url, problem
from ._fetch import Fetcher, FetchError, decode_html
from ._html import read_article_html
from ._options import IngestOptions

FEED_EXTENSIONS: tuple[str, ...] = (".rss", ".atom", ".rdf", ".xml")

# Anything that may precede the root element: a byte-order mark, the XML
# declaration, processing instructions, comments and a doctype.
_PROLOG_RE = re.compile(
    r"^(?:\ufeff|\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)*", re.DOTALL | re.I
)
_FEED_ROOT_RE = re.compile(r"<(?:[\w.-]+:)?(?:rss|feed|RDF)[\s>/]")


def looks_like_feed(data: bytes) -> bool:
    """Whether a body is an RSS, Atom or RSS 1.0 (RDF) document.

    Only the root element counts, so an HTML page that merely mentions
    ``<rss`` in a script is not mistaken for a feed.
    """
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="ignore")
    else:
        text = head.decode("utf-8", errors="ignore")
    rest = text[_PROLOG_RE.match(text).end() :]  # type: ignore[union-attr]
    return bool(_FEED_ROOT_RE.match(rest))


def _entry_date(entry: Any) -> _dt.date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return _dt.date(value.tm_year, value.tm_mon, value.tm_mday)
            except (AttributeError, ValueError):
                continue
    return None


def _item_link(entry: Any, base_url: str | None) -> str | None:
    """The item's article URL, made absolute; None when it has no usable one."""
    link = entry.get("link") or ""
    if not link:
        for candidate in entry.get("links") or ():
            if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
                link = candidate["href"]
                break
    link = link.strip()
    if not link:
        return None
    if base_url:
        link = urljoin(base_url, link)
    return link if urlsplit(link).scheme in ("http", "https") else None


def iter_feed(
    data: bytes,
    source: str,
    *,
    base_url: str | None,
    fetcher: Callable[[], Fetcher],
    options: IngestOptions,
    content_type: str | None = None,
) -> Iterator[Article | IngestProblem]:
    """Yield the articles behind a feed's items, and a problem for each bad item.

    ``source`` names the feed (path or URL), ``base_url`` resolves relative
    item links (the feed's URL; None for a local file), and ``fetcher``
    returns the run's shared fetcher, created only if an item is fetched;
    ``content_type`` is the HTTP Content-Type the feed was served with.
    """
    import feedparser

    # Without a Content-Type feedparser flags every feed as suspect; the
    # caller's media type (or generic XML for a file) avoids that noise.
    headers = {"content-type": content_type or "application/xml"}
    if base_url:
        headers["content-location"] = base_url
    try:
        parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    except Exception as exc:  # feedparser rarely raises, but its parsers can
        yield problem(source, f"malformed feed: {type(exc).__name__}: {exc}")
        return
    entries = list(parsed.get("entries") or ())
    reason = parsed.get("bozo_exception")
    # Encoding and media-type mismatches are harmless: feedparser recovers.
    benign = isinstance(reason, feedparser.CharacterEncodingOverride | feedparser.NonXMLContentType)
    if not entries:
        if parsed.get("bozo") and not benign:
            yield problem(source, f"malformed feed: {reason or 'unreadable'}")
        else:
            yield problem(source, "feed has no items")
        return
    if parsed.get("bozo") and not benign:
        yield problem(
            source,
            f"feed is not well-formed ({reason}); its {len(entries)} items read anyway",
            "warning",
        )
    feed_title = collapse_whitespace(str(parsed.get("feed", {}).get("title") or "")) or None
    limit = options.max_feed_items
    seen: set[str] = set()
    for number, entry in enumerate(entries[:limit] if limit is not None else entries, start=1):
        link = _item_link(entry, base_url)
        if link is None:
            yield problem(source, f"feed item {number}: no usable link")
            continue
        if link in seen:
            continue
        seen.add(link)
        yield _item_article(entry, number, link, feed_title, fetcher())


def _item_article(
    entry: Any, number: int, link: str, feed_title: str | None, fetcher: Fetcher
) -> Article | IngestProblem:
    """Fetch and extract one item's page, completed with the item's metadata."""
    try:
        page = fetcher.fetch(link)
    except FetchError as exc:
        return problem(link, f"feed item {number}: {exc}")
    if looks_like_feed(page.body):
        return problem(link, f"feed item {number}: the link is a feed, not an article")
    try:
        article = read_article_html(decode_html(page.body, page.charset), source=link)
    except InputError as exc:
        return problem(link, f"feed item {number}: {exc}")
    title = collapse_whitespace(str(entry.get("title") or ""))
    return replace(
        article,
        url=page.url,
        title=article.title or title,
        date=article.date or _entry_date(entry),
        outlet=feed_title or article.outlet or outlet_from_url(page.url),
    )
