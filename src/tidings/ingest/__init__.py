"""The ingest layer: news sources in, :class:`tidings.model.Article` out.

Supported inputs are ``.md``/``.txt`` articles in the scraped-markdown format
of the seed article (title, byline, dateline, caption, embeds, footer URL),
saved ``.html``/``.htm`` pages (via trafilatura, offline), ``.jsonl`` and
``.csv``/``.tsv`` corpora (optionally gzipped, with a column mapping for
corpora that name their fields differently), WARC/ARC web archives, RSS and
Atom feeds (local or remote), ``http(s)://`` URLs of pages, glob patterns,
directories (walked recursively for article files) and "-" for one article
on standard input.  Options (column mapping, network limits, language
detection) travel in an :class:`IngestOptions`.

Bad input never raises from :func:`iter_articles`: each problem is yielded as
an :class:`IngestProblem` so a long batch survives a few broken files and
dead links and the caller can report them all.  Document ids of files are
content hashes (``sha1:`` + 16 hex digits), so the same article read twice,
from anywhere, gets the same id.  Every article's language is detected
offline (:func:`detect_language`) unless its record names one, and
:class:`Deduplicator` recognises exact and near-duplicate copies of a story.

This package may import only ``tidings.model``, ``tidings.errors`` and
third-party libraries (see the import-linter contract in pyproject.toml).
"""

from __future__ import annotations

from ._common import SUPPORTED_EXTENSIONS, IngestProblem, escape_controls
from ._dedup import Deduplicator, DuplicateOf
from ._language import detect_language
from ._markdown import read_article_text
from ._options import IngestOptions
from ._sources import ALL_EXTENSIONS, iter_articles, read_url_list

__all__ = [
    "ALL_EXTENSIONS",
    "SUPPORTED_EXTENSIONS",
    "Deduplicator",
    "DuplicateOf",
    "IngestOptions",
    "IngestProblem",
    "detect_language",
    "escape_controls",
    "iter_articles",
    "read_article_text",
    "read_url_list",
]
