"""Headlines in headline case parsed as ordinary sentences.

"Obama Opposes Turkey's Anti-Islamist Coup" and "POMPEO BLAMES IRAN FOR TANKER
ATTACKS" are read by spaCy's small English model as strings of proper nouns: the
verb is lost, and with it the headline's event, although the headline is the
sentence a reader sees first.  The article's own body says how each word is
written in running text ("opposes" in lower case, "Iran" and "NATO" with their
capitals), so the headline is parsed in that case and the parse is put back on
the headline's own words: the stored sentence, the triggers and the actor texts
keep the outlet's spelling.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

__all__ = ["body_casing", "is_headline_case", "restore_words", "sentence_case"]

_WORD = re.compile(r"[^\W\d_]+")
_SENTENCE_END = re.compile(r"[.!?:;\"“”]$")
# a headline is in headline case when this share of its words is capitalised
_HEADLINE_SHARE = 0.7
_MIN_WORDS = 3


def is_headline_case(text: str) -> bool:
    """Every (or nearly every) word of ``text`` starts with a capital letter."""
    words = _WORD.findall(text)
    if len(words) < _MIN_WORDS:
        return False
    capitalised = sum(w[0].isupper() for w in words)
    return capitalised >= _HEADLINE_SHARE * len(words)


def body_casing(texts: Iterable[str]) -> dict[str, str]:
    """Lower-cased word -> how the body writes it inside sentences (the commonest
    spelling, not counting the first word of a sentence, whose capital says nothing)."""
    spellings: defaultdict[str, Counter] = defaultdict(Counter)
    for text in texts:
        previous = ""
        for match in re.finditer(r"\S+", text):
            token = match.group()
            for word in _WORD.findall(token):
                if previous and not _SENTENCE_END.search(previous):
                    spellings[word.lower()][word] += 1
            previous = token
    return {key: counts.most_common(1)[0][0] for key, counts in spellings.items()}


def sentence_case(title: str, casing: dict[str, str]) -> str | None:
    """``title`` in the case its words have in the body, with a capital first word;
    None when the title is not in headline case or nothing would change.  Only the
    case of letters changes, so offsets and tokens line up with the original."""
    if not is_headline_case(title):
        return None
    all_capitals = title.upper() == title
    out: list[str] = []
    last = 0
    for match in _WORD.finditer(title):
        word = match.group()
        spelling = casing.get(word.lower())
        if spelling is not None and len(spelling) == len(word):
            cased = spelling
        elif len(word) == 1 and title[match.end() : match.end() + 1] == ".":
            cased = word  # an initial or "U.S."
        elif not all_capitals and (word.isupper() or any(c.isupper() for c in word[1:])):
            cased = word  # an acronym or a name with inner capitals: "NATO", "McConnell"
        else:
            cased = word.lower()
        if last == 0 and not out:
            cased = cased[:1].upper() + cased[1:]
        out.append(title[last : match.start()])
        out.append(cased)
        last = match.end()
    out.append(title[last:])
    cased_title = "".join(out)
    return cased_title if cased_title != title else None


def restore_words(doc, original: str):
    """A doc whose words are ``original``'s, carrying ``doc``'s annotations (``doc`` was
    parsed from a re-cased copy of ``original``: same characters up to case)."""
    from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, SENT_START, TAG
    from spacy.tokens import Doc

    words = [original[t.idx : t.idx + len(t.text)] for t in doc]
    spaces = [bool(t.whitespace_) for t in doc]
    restored = Doc(doc.vocab, words=words, spaces=spaces)
    attrs = [TAG, POS, MORPH, LEMMA, HEAD, DEP, SENT_START, ENT_IOB, ENT_TYPE]
    restored.from_array(attrs, doc.to_array(attrs))
    return restored
