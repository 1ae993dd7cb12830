"""Outlet boilerplate: lines a page carries that are not the article.

Scraped bodies keep the furniture of the page around the story: video
widgets ("JUST WATCHED ... Replay More Videos"), photo credits ("Image
copyright Getty Images"), related-story link lines ("READ MORE: ...", an
all-capital headline of another story, a headline followed by "Read more"), "Story continued below",
newsletter sign-ups, share buttons, "Advertisement", and inline related-story
links glued to a person's name ("Donald John TrumpKamala Harris calls ...
MORE").  Coded as prose they yield events nobody reported ("EPA" in a credit
read as the US agency, a linked headline coded as if this article stated it),
so every reader that yields paragraphs (JSONL/CSV corpora, Markdown, HTML)
passes them through :func:`drop_boilerplate`.

Rules are deliberately narrow: a paragraph is dropped only when the whole of
it is furniture (a short line starting with a widget or link label, or made
of nothing but a sign-up or share call).  Caption widgets keep their caption:
"Image copyright Reuters Image caption Mr X met Y" becomes the caption
paragraph "Mr X met Y".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tidings.model import Paragraph

# Widget and label prefixes in front of a real photo or video caption.
_CAPTION_PREFIX_RE = re.compile(
    r"^(?:Media playback is unsupported on your device\s*)?"
    r"(?:Image copyright\b.*?\s)?"
    r"(?:Media|Image) caption\s+(?P<caption>\S.*)$",
    re.IGNORECASE,
)

# Paragraphs that are furniture from their first words on.
_LEADING_RE = re.compile(
    r"^(?:"
    r"JUST WATCHED\b"
    r"|MUST WATCH\b"
    r"|Image copyright\b"
    r"|Media playback is unsupported\b"
    r"|(?:READ|SEE|WATCH|CLICK|LISTEN|MORE)(?: MORE| ALSO| HERE)?\s*[:|]"
    r"|(?:Read|See|Watch) (?:more|also)\s*[:|]"
    r"|(?:Related|More|Also read|Related coverage|Related stories?)\s*:"
    r"|Story continued below\b"
    r"|Advertisement(?:\s*:|\s*$|\s+(?:Advertisement|Continue reading|Story continues))"
    r"|Continue reading the main story\b"
    r"|CLICK HERE\b"
    r"|Click (?:here )?for more from\b"
    r"|Watch the latest video\b"
    r"|SHARE THIS ARTICLE\b"
    r"|Follow @\w+"
    r"|Enlarge this image\b"
    r"|toggle caption\b"
    r"|(?:Photo|Photograph|Picture|Image)(?: credit)?\s*:\s*[^.]{0,80}$"
    r")",
    re.IGNORECASE,
)
_LEADING_MAX_CHARS = 300  # a long paragraph starting so is likely prose after all

# Photo credits inside a paragraph: "(Photo: Jane Roe, EPA)", "Photograph: Jane
# Roe/AFP" at its end, "[Jane Roe/EPA]".  An agency's initials left in the text
# read as an actor ("EPA", the US agency).
_CREDIT_RES = (
    re.compile(r"\s*\((?:Photo|Photograph|Picture|Image)(?: credit)?\s*:[^()]{1,80}\)"),
    re.compile(r"\s*(?:Photo|Photograph|Picture|Image)(?: credit)?\s*:\s*[^.:()]{1,80}$"),
    re.compile(r"\s*\[[^\[\]]{1,60}/[^\[\]]{1,40}\]"),
)

# Inline related-story links after a person's name, as some outlets print them: the
# name, then the person's full name glued to the headlines of other stories, closed by
# "MORE" ("President Trump Donald John TrumpKamala Harris calls for ... MORE on Monday
# said").  The headlines are cut from where they are glued to the name (three lower-case
# letters then a capital, which "McConnell" or "DeSantis" are not) up to the "MORE".
_INLINE_LINKS_RE = re.compile(r"(?<=[a-z]{3})[A-Z][^\n]{0,400}?\sMORE(?=[\s,.;:)'\u2019]|$)")

# Photo galleries scraped into one paragraph: "Photos: <gallery title> <caption> Hide
# Caption 1 of 12 Photos: <gallery title> <caption> Hide Caption 2 of 12 ...".  Each
# caption becomes a caption paragraph of its own, without the widget words.  The gallery
# title each caption repeats stays: where it ends cannot be told from the words (every
# caption may start with the same name), and a caption cut short is worse than one
# with a title in front.
_GALLERY_SPLIT_RE = re.compile(r"\s*Hide Caption \d+ of \d+\s*")
_GALLERY_LABEL_RE = re.compile(r"^(?:Photos:\s*)+")


def _gallery_captions(text: str) -> list[str] | None:
    """The captions of a scraped photo gallery, or None when ``text`` is not one."""
    pieces = [_GALLERY_LABEL_RE.sub("", p).strip() for p in _GALLERY_SPLIT_RE.split(text)]
    pieces = [p for p in pieces if p]
    return pieces if len(pieces) >= 2 else None


# Sign-up and share calls: short paragraphs made of them.
_SIGNUP_RE = re.compile(
    r"\b(?:sign[ -]?up|subscribe|manage newsletters|your inbox|newsletter sign)", re.IGNORECASE
)
_NEWSLETTER_RE = re.compile(r"\b(?:newsletters?|subscription|subscribe|inbox)\b", re.IGNORECASE)
_FOLLOW_RE = re.compile(
    r"^Follow (?:@\w+|(?:\w+ ){1,4}on (?:Twitter|Facebook|Instagram))\b", re.IGNORECASE
)
_SIGNUP_MAX_CHARS = 250

# "X did not respond to a request for comment." as a paragraph of its own.
_NO_COMMENT_RE = re.compile(
    r"\b(?:did not|didn't|has not|hasn't|have not|haven't) (?:immediately )?"
    r"(?:respond|reply|return)(?:ed)? to (?:a |an |multiple |several |repeated )?"
    r"(?:requests?|emails?|calls?|messages?|inquiry|inquiries)\b[^.]*\bcomment\b[^,;]*$",
    re.IGNORECASE,
)
_NO_COMMENT_MAX_CHARS = 200
# A related-story headline printed with its link label after it: "Putin meets with Rex
# Tillerson in Russia amid escalating tensions over Syria Read more".  The headline has
# no full stop before the label (prose ending "read more." is left alone).
_TRAILING_LINK_RE = re.compile(r"(?<=[^\s.!?\"\u201d'])\s+(?:Read more|READ MORE)\s*$")
_TRAILING_LINK_MAX_CHARS = 250
_SENTENCE_BREAK_RE = re.compile(r"[.!?][\"\u201d']?\s+[\"\u201c']?[A-Z]")


def _all_capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and sum(c.isupper() for c in letters) >= 0.9 * len(letters)


def clean_paragraph(text: str) -> str | None:
    """The paragraph without widget text and photo credits, or None when nothing
    of it is article text.

    All-capital lines are judged by :func:`drop_boilerplate`, which sees the
    whole article (some wires write whole stories in capitals)."""
    return _clean(text)[0]


def _clean(text: str) -> tuple[str | None, bool]:
    """(:func:`clean_paragraph`'s answer, whether a caption widget introduced it)."""
    caption = _CAPTION_PREFIX_RE.match(text)
    if caption:
        return clean_paragraph(caption.group("caption").strip()), True
    if len(text) <= _LEADING_MAX_CHARS and _LEADING_RE.match(text):
        return None, False
    for credit in _CREDIT_RES:
        text = credit.sub("", text)
    text = _INLINE_LINKS_RE.sub("", text)
    if not text.strip():
        return None, False
    if len(text) <= _SIGNUP_MAX_CHARS and (
        (_SIGNUP_RE.search(text) and _NEWSLETTER_RE.search(text)) or _FOLLOW_RE.match(text)
    ):
        return None, False
    link = _TRAILING_LINK_RE.search(text)
    if link:
        text = text[: link.start()]
        if len(text) <= _TRAILING_LINK_MAX_CHARS and not _SENTENCE_BREAK_RE.search(text):
            return None, False  # the paragraph is the linked headline
    if (
        len(text) <= _NO_COMMENT_MAX_CHARS
        and _NO_COMMENT_RE.search(text)
        and not _SENTENCE_BREAK_RE.search(text)
    ):
        return None, False  # only a paragraph of that one sentence: others may carry news
    return text, False


def drop_boilerplate(paragraphs: Sequence[Paragraph]) -> tuple[Paragraph, ...]:
    """The article's paragraphs with outlet boilerplate removed or trimmed.

    All-capital paragraphs are related-story headlines and section labels
    when most of the article is in ordinary case; in an article written in
    capitals they are its text and stay.  A text made of nothing but such
    lines is kept as it is rather than lost.
    """
    capitals = [_all_capitals(p.text) for p in paragraphs]
    mostly_capitals = sum(capitals) * 2 > len(paragraphs)
    out: list[Paragraph] = []
    for paragraph, upper in zip(paragraphs, capitals, strict=True):
        if paragraph.kind == "embed":
            out.append(paragraph)
            continue
        if upper and not mostly_capitals:
            continue
        gallery = _gallery_captions(paragraph.text)
        if gallery is not None:
            out.extend(Paragraph(c, kind="caption") for c in gallery if clean_paragraph(c))
            continue
        text, caption = _clean(paragraph.text)
        if text is None:
            continue
        if caption:
            out.append(Paragraph(text, kind="caption"))
        elif text != paragraph.text:
            out.append(Paragraph(text, kind=paragraph.kind))
        else:
            out.append(paragraph)
    if not out and paragraphs:
        return tuple(paragraphs)
    return tuple(out)
