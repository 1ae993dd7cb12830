"""Options that change how inputs are read, gathered in one frozen record.

``iter_articles`` grew sources (URLs, feeds, CSV corpora) that each need a
few knobs; passing them as one :class:`IngestOptions` keeps its signature
stable and lets the CLI and the API build the record once from their own
flags.  Defaults are the polite, safe choice for crawling other people's
servers: a named user agent, bounded time and size per URL, a pause between
two requests to the same host.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

#: The fields of a corpus record (JSONL object or CSV row) Tidings reads; a
#: ``columns`` mapping maps some of them to the names a corpus uses instead.
RECORD_FIELDS: tuple[str, ...] = (
    "text",
    "id",
    "title",
    "date",
    "url",
    "source",
    "authors",
    "language",
)

#: Where site owners can learn who is crawling them.
PROJECT_URL = "https://github.com/tidings"


def default_user_agent() -> str:
    """``Tidings/<version> (+<project url>)``, the version from the installed metadata.

    A crawler that names itself and says where to find out more is what
    robots policies and site operators ask for; the version helps them tell
    a misbehaving old release from the current one.
    """
    from importlib import metadata

    try:
        version = metadata.version("tidings")
    except metadata.PackageNotFoundError:  # running from a source tree
        version = "0"
    return f"Tidings/{version} (+{PROJECT_URL})"


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """How :func:`tidings.ingest.iter_articles` reads its inputs.

    ``columns`` maps record fields (``text``, ``id``, ``title``, ``date``,
    ``url``, ``source``, ``authors``, ``language``) to the column or key
    names of a CSV/JSONL corpus, e.g. ``{"text": "content_original", "id":
    "ID"}`` for the AllSides corpus; unmapped fields keep their own name, and
    ``text`` also falls back to ``content``, ``body`` and ``content_original``.

    Network limits apply to each URL (a page, a feed, each feed item):
    ``connect_timeout`` and ``read_timeout`` bound one connection attempt and
    the wait for each chunk, ``timeout`` the whole download; a body larger
    than ``max_bytes`` is abandoned while streaming.  ``politeness_delay`` is
    the minimum pause between two requests to the same host.

    URLs whose host resolves to a loopback, private, link-local, multicast
    or otherwise non-public address are refused (before connecting, on
    every redirect, and against the address actually connected to), so a
    feed cannot make Tidings probe the machine or network it runs in;
    ``allow_private_addresses`` lifts that for intranet sources and tests.

    Local limits bound memory whatever the input: ``max_record_bytes`` is
    the largest article (a JSONL line, a CSV row, a file, stdin) read, after
    decompression; ``max_input_bytes`` the most decompressed bytes read from
    one input (a 1 MB gzip may expand to gigabytes).  What exceeds them is
    reported and skipped, while reading, so the excess is never held.

    ``detect_language`` sets ``Article.language`` with the offline detector
    unless the record names its language; ``languages`` restricts the
    detector's answer to those ISO 639-1 codes (None: any language it knows),
    and ``default_language`` is the answer for texts too short to judge.
    """

    columns: Mapping[str, str] | None = None
    user_agent: str | None = None  # None: default_user_agent()
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    timeout: float = 60.0  # overall deadline per URL
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    politeness_delay: float = 1.0
    max_feed_items: int | None = None
    detect_language: bool = True
    languages: tuple[str, ...] | None = None
    default_language: str = "en"
    allow_private_addresses: bool = False
    max_record_bytes: int = 64 * 1024 * 1024
    max_input_bytes: int = 16 * 1024 * 1024 * 1024
    _columns: Mapping[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Reject impossible settings early: they are programming errors, not bad input."""
        columns = dict(self.columns or {})
        unknown = sorted(set(columns) - set(RECORD_FIELDS))
        if unknown:
            raise ValueError(
                f"unknown record field(s) in columns: {', '.join(unknown)}; "
                f"known: {', '.join(RECORD_FIELDS)}"
            )
        for name in ("connect_timeout", "read_timeout", "timeout"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")
        if min(self.max_bytes, self.max_record_bytes, self.max_input_bytes) <= 0:
            raise ValueError("max_bytes, max_record_bytes and max_input_bytes must be positive")
        if self.max_redirects < 0 or self.politeness_delay < 0:
            raise ValueError("max_redirects and politeness_delay must not be negative")
        if self.languages is not None:
            object.__setattr__(self, "languages", tuple(code.lower() for code in self.languages))
        object.__setattr__(self, "_columns", MappingProxyType(columns))

    @property
    def agent(self) -> str:
        """The User-Agent header actually sent."""
        return self.user_agent or default_user_agent()

    def column(self, name: str) -> str:
        """The corpus column holding record field ``name``."""
        return self._columns.get(name, name)

    def text_columns(self) -> tuple[str, ...]:
        """Columns tried for the article text, in order.

        An explicit mapping is the only candidate: a user who names the text
        column should hear about it when it is missing, not get another.
        """
        if "text" in self._columns:
            return (self._columns["text"],)
        return ("text", "content", "body", "content_original")
