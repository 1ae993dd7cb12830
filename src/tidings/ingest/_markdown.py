"""Reader for the ``.md``/``.txt`` article format.

The format is what news scrapers commonly emit as markdown (the seed article,
a Moscow Times op-ed, is the reference): a ``# `` title, a ``By ...`` byline,
a dateline, a photo caption ending in a bold credit, body paragraphs with
``[text](url)`` links, italic "Read more" asides, ``**Embed:**`` blocks with
social-media posts, and an ``Original url:`` footer.  Everything that is not
the author's prose is either moved to its own field (caption, embeds, url)
or dropped (asides, link markup, emphasis markers), because downstream
stages code events sentence by sentence and must not see scraper debris.

Text without any of these markers is read as plain text: the first line is
the title and the following blank-line-separated blocks are paragraphs.
"""

from __future__ import annotations

import datetime as _dt
import html
import re

from tidings.errors import InputError
from tidings.model import Article, Paragraph

from ._boilerplate import drop_boilerplate
from ._common import (
    collapse_whitespace,
    content_doc_id,
    looks_like_name,
    normalize_newlines,
    outlet_from_url,
    parse_date,
    split_authors,
)

# ------------------------------------------------------------ inline markup

_ESCAPABLE = "\\`*_{}[]()#+-.!<>|~"
_ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~])")
_PLACEHOLDER_BASE = 0xE000  # private-use code points stand in for escaped chars
_UNESCAPE = {chr(_PLACEHOLDER_BASE + i): ch for i, ch in enumerate(_ESCAPABLE)}

_LINK_TEXT = r"((?:[^\[\]]|\[[^\[\]]*\])*)"
_LINK_TARGET = r"\((?:[^()\s]|\([^()]*\))*(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"
_IMAGE_RE = re.compile(r"!\[" + _LINK_TEXT + r"\]" + _LINK_TARGET)
_LINK_RE = re.compile(r"\[" + _LINK_TEXT + r"\]" + _LINK_TARGET)
_REF_LINK_RE = re.compile(r"\[([^\[\]]+)\]\[[^\[\]]*\]")
_AUTOLINK_RE = re.compile(r"<((?:https?|ftp)://[^<>\s]+|mailto:[^<>\s]+)>")
_CODE_RE = re.compile(r"`([^`]+)`")
_BOLD_STAR_RE = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_BOLD_UNDERSCORE_RE = re.compile(r"(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)")
_ITALIC_STAR_RE = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")
_ITALIC_UNDERSCORE_RE = re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)")
_STRIKE_RE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_BR_RE = re.compile(r"<br\s*/?>", re.IGNORECASE)


def _protect_escape(match: re.Match[str]) -> str:
    return chr(_PLACEHOLDER_BASE + _ESCAPABLE.index(match.group(1)))


def inline_text(text: str) -> str:
    """Reduce markdown inline markup to the words a reader would see.

    Links keep their text, images vanish, emphasis markers are removed and
    backslash escapes become the literal character.  Unbalanced ``**`` are
    dropped too: they are scraper residue, never meaningful in news prose.
    """
    text = _ESCAPE_RE.sub(_protect_escape, text)
    text = _IMAGE_RE.sub("", text)
    previous = None
    while previous != text:  # links may nest one level inside link text
        previous = text
        text = _LINK_RE.sub(r"\1", text)
    text = _REF_LINK_RE.sub(r"\1", text)
    text = _AUTOLINK_RE.sub(r"\1", text)
    text = _CODE_RE.sub(r"\1", text)
    text = _BR_RE.sub(" ", text)
    for pattern in (_BOLD_STAR_RE, _BOLD_UNDERSCORE_RE, _STRIKE_RE):
        text = pattern.sub(r"\1", text)
    for pattern in (_ITALIC_STAR_RE, _ITALIC_UNDERSCORE_RE):
        text = pattern.sub(r"\1", text)
    text = text.replace("**", "")
    text = html.unescape(text)
    text = "".join(_UNESCAPE.get(ch, ch) for ch in text)
    return collapse_whitespace(text)


# -------------------------------------------------------------- line markup

_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$")
_SETEXT_RE = re.compile(r"^\s{0,3}(?:=+|-+)\s*$")
_RULE_RE = re.compile(r"^\s{0,3}(?:(?:[-*_]\s*){3,}|=+)\s*$")
_QUOTE_RE = re.compile(r"^\s{0,3}(?:>\s?)+")
_BULLET_RE = re.compile(r"^\s{0,3}[-*+]\s+(?=\S)")
_REF_DEF_RE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$")
_ASIDE_RE = re.compile(
    r"^\s*(?:[*_]+\s*read more\b.*[*_]+|read more\b.*\]\([^)]*\)[\s.*_]*)\s*$",
    re.IGNORECASE,
)
_FOOTER_RE = re.compile(
    r"^\s*[*_]{0,2}\s*(?:original|source)\s+(?:url|link)\s*:?\s*[*_]{0,2}\s*:?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_URL_PATTERNS = (
    re.compile(r"<(https?://[^<>\s]+)>"),
    re.compile(r"\[[^\]]*\]\((https?://[^()\s]+)\)"),
    re.compile(r"(https?://[^\s<>()\[\]]+)"),
)


def _strip_line_markup(line: str) -> str:
    """Remove block-level markers (heading hashes, quotes, bullets) of a line."""
    heading = _HEADING_RE.match(line)
    if heading:
        return heading.group(1)
    line = _QUOTE_RE.sub("", line)
    return _BULLET_RE.sub("", line)


def _find_url(text: str, *, alone: bool) -> str | None:
    """The first URL in ``text``; with ``alone``, only if it is all there is.

    ``alone`` guards the footer's second line: the URL may sit on the line
    after "Original url:", but a prose line that happens to contain a link
    must not be eaten as the footer.
    """
    for pattern in _URL_PATTERNS:
        match = pattern.search(text)
        if match:
            rest = (text[: match.start()] + text[match.end() :]).strip(" \t*_.")
            if alone and rest:
                return None
            return match.group(1).rstrip(".,;")
    return None


def _take_footer(lines: list[str]) -> str | None:
    """Blank out ``Original url:`` footers in place and return the URL.

    The URL is on the footer line itself or on the next non-empty line,
    plain, in ``<...>`` or as a markdown link.
    """
    url: str | None = None
    for index, line in enumerate(lines):
        match = _FOOTER_RE.match(line)
        if not match:
            continue
        found = _find_url(match.group("rest"), alone=False)
        lines[index] = ""
        if found is None and not match.group("rest").strip():
            following = next((j for j in range(index + 1, len(lines)) if lines[j].strip()), None)
            if following is not None:
                found = _find_url(lines[following], alone=True)
                if found is not None:
                    lines[following] = ""
        if url is None:
            url = found
    return url


def _blocks(lines: list[str]) -> list[list[str]]:
    """Group lines into blank-line-separated blocks."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


# ------------------------------------------------------------------- header

_BYLINE_RE = re.compile(r"^(?:by|authors?\s*:)\s+(?P<names>.+)$", re.IGNORECASE)
_DATE_PREFIX_RE = re.compile(r"^(?:published|updated|posted|date)\s*:?\s*", re.IGNORECASE)
_NAME_INITIAL_END_RE = re.compile(r"(?:\b(?:Jr|Sr)|\b[A-Z])\.$")


def _header_line(line: str) -> _dt.date | tuple[str, ...] | None:
    """Classify one line of the header: a dateline (a date) or a byline (names).

    Returns None for anything else, which ends the header.  The byline test
    is deliberately strict (short, capitalised names, no sentence ending) so
    that a first paragraph like "By Tuesday, troops had left." stays prose.
    """
    text = inline_text(_strip_line_markup(line))
    date = parse_date(_DATE_PREFIX_RE.sub("", text))
    if date is not None:
        return date
    match = _BYLINE_RE.match(text)
    if not match:
        return None
    names_text = match.group("names").strip()
    if len(names_text.split()) > 12:
        return None
    if names_text.endswith((".", "!", "?")) and not _NAME_INITIAL_END_RE.search(names_text):
        return None
    first = re.split(r"\s*(?:;|,|&|\band\b)\s*", names_text, maxsplit=1, flags=re.IGNORECASE)[0]
    names = split_authors(names_text)
    if not names or not looks_like_name(first):
        return None
    return names


# ----------------------------------------------------------- captions, embeds

_CREDIT_RE = re.compile(r"^(?P<caption>.*\S)\s*\*\*(?P<credit>[^*]+)\*\*\s*$", re.DOTALL)
_CREDIT_WORDS_RE = re.compile(
    r"\b(?:AP|AFP|Reuters|TASS|EPA|Getty|Photo|Sputnik|Wiki\w*|Kremlin\.ru|Flickr|"
    r"Pixabay|Unsplash|Shutterstock|Facebook|Twitter|Instagram|Vkontakte|Telegram|"
    r"RIA Novosti|Interfax|Press Service|Handout|Courtesy)\b",
    re.IGNORECASE,
)
_EMBED_MARKER_RE = re.compile(r"^[*_]{0,2}\s*embed\s*:?\s*[*_]{0,2}\s*:?$", re.IGNORECASE)
_EMBED_TAIL_RE = re.compile(
    r"(?:^<?https?://\S+>?$|pic\.twitter\.com|A post shared by|View this post on Instagram|"
    r"^\s*(?:\u2014|&mdash;|--)\s.*(?:\(@\w+\)|\d{4})|^@\w+)",
    re.IGNORECASE,
)


def _caption(raw: str, *, first: bool) -> str | None:
    """The caption text if ``raw`` is a photo caption, else None.

    A caption ends in a bold photo credit (``**Pavel Golovkin / AP**``).  The
    first paragraph after the header qualifies with any short bold ending;
    later paragraphs only when the credit looks like one (a slash, an agency
    or "Photo"), so an emphatic closing sentence stays body text.  The credit
    is dropped: it names the photographer, not a participant in the news.
    """
    match = _CREDIT_RE.match(raw)
    if not match:
        return None
    credit = match.group("credit").strip()
    if not credit or len(credit.split()) > 8 or credit.rstrip(":").lower() == "embed":
        return None
    if not first and "/" not in credit and not _CREDIT_WORDS_RE.search(credit):
        return None
    caption = inline_text(match.group("caption"))
    return caption or None


# -------------------------------------------------------------------- reader


def read_article_text(text: str, *, source: str | None = None) -> Article:
    """Parse one article in the ``.md``/``.txt`` format.

    Raises :class:`~tidings.errors.InputError` when the text is empty; every
    other oddity degrades gracefully (no header, no title marker...) because
    scraped text is irregular and losing an article is worse than a missing
    byline.  ``doc_id`` is a hash of the text (see ``content_doc_id``).
    """
    normalized = normalize_newlines(text)
    if not normalized.strip():
        raise InputError("empty text")
    lines = normalized.split("\n")
    url = _take_footer(lines)
    lines = ["" if _ASIDE_RE.match(line) or _REF_DEF_RE.match(line) else line for line in lines]
    blocks = _blocks(lines)

    title, blocks = _take_title(blocks)
    blocks = [kept for kept in ([ln for ln in b if not _RULE_RE.match(ln)] for b in blocks) if kept]

    authors: tuple[str, ...] = ()
    date: _dt.date | None = None
    while blocks:
        parsed = [_header_line(line) for line in blocks[0]]
        if any(item is None for item in parsed):
            break
        for item in parsed:
            if isinstance(item, _dt.date):
                date = date or item
            elif isinstance(item, tuple):
                authors = authors or item
        blocks.pop(0)

    paragraphs, embeds = _body(blocks)
    paragraphs = list(drop_boilerplate(paragraphs))
    if not paragraphs and title:
        paragraphs = [Paragraph(title)]
    return Article(
        doc_id=content_doc_id(text),
        title=title,
        paragraphs=tuple(paragraphs),
        authors=authors,
        date=date,
        url=url,
        outlet=outlet_from_url(url),
        embeds=tuple(embeds),
        source=source,
    )


def _take_title(blocks: list[list[str]]) -> tuple[str, list[list[str]]]:
    """Split the title off the first block: a heading, else its first line.

    Lines left in the title's block (a byline right under the heading, say)
    become a block of their own.
    """
    blocks = [list(b) for b in blocks]
    while blocks:
        first = blocks[0]
        if len(first) >= 2 and _SETEXT_RE.match(first[1]) and not _RULE_RE.match(first[0]):
            title_line, rest = first[0], first[2:]
        elif _RULE_RE.match(first[0]):
            title_line, rest = "", first[1:]
        else:
            title_line, rest = first[0], first[1:]
        title = inline_text(_strip_line_markup(title_line))
        if rest:
            blocks[0] = rest
        else:
            blocks.pop(0)
        if title:
            return title, blocks
    return "", blocks


def _body(blocks: list[list[str]]) -> tuple[list[Paragraph], list[Paragraph]]:
    """Classify the blocks after the header into paragraphs and embeds.

    An embed marker sends the next block to the embeds, and any following
    blocks that still look like part of a post (a bare link, a tweet
    signature, hashtags-only lines); the first ordinary block ends it.
    """
    paragraphs: list[Paragraph] = []
    embeds: list[Paragraph] = []
    embed_state: str | None = None  # None, "start" (after marker), "tail"
    for block in blocks:
        raw = collapse_whitespace(" ".join(_strip_line_markup(line) for line in block))
        if _EMBED_MARKER_RE.match(raw):
            embed_state = "start"
            continue
        if embed_state == "start" or (embed_state == "tail" and _EMBED_TAIL_RE.search(raw)):
            embed_state = "tail"
            text = inline_text(raw)
            if text:
                embeds.append(Paragraph(text, kind="embed"))
            continue
        embed_state = None
        caption = _caption(raw, first=not paragraphs)
        if caption is not None:
            paragraphs.append(Paragraph(caption, kind="caption"))
            continue
        text = inline_text(raw)
        if text:
            paragraphs.append(Paragraph(text))
    return paragraphs, embeds
