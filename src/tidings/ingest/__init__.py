"""The ingest layer: news sources in, :class:`tidings.model.Article` out.

Supported inputs are ``.md``/``.txt`` articles in the scraped-markdown format
of the seed article (title, byline, dateline, caption, embeds, footer URL),
saved ``.html``/``.htm`` pages (via trafilatura, offline) and ``.jsonl``
corpora with one article per line.  Directories are walked recursively and
"-" reads one article from standard input.

Bad input never raises from :func:`iter_articles`: each problem is yielded as
an :class:`IngestProblem` so a long batch survives a few broken files and the
caller can report them all.  Document ids of files are content hashes
(``sha1:`` + 16 hex digits), so the same article read twice, from anywhere,
gets the same id.

This package may import only ``tidings.model``, ``tidings.errors`` and
third-party libraries (see the import-linter contract in pyproject.toml).
"""

from __future__ import annotations

from ._common import SUPPORTED_EXTENSIONS, IngestProblem
from ._markdown import read_article_text
from ._sources import iter_articles

__all__ = [
    "SUPPORTED_EXTENSIONS",
    "IngestProblem",
    "iter_articles",
    "read_article_text",
]
