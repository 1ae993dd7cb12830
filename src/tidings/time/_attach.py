"""Find the temporal expression that dates an event, in the dependency parse.

Why the clause and not the sentence: a sentence often carries several dates
for several events ("Lavrov said on Monday that Russia had launched strikes
in September"), and taking the nearest date *in the string* dates the strikes
Monday.  So the search follows the syntax:

1. a nominal trigger first looks inside its own phrase ("Sunday's attack",
   "a bombing on Friday", "talks held in Geneva on Monday");
2. then the clause of the trigger's verb, without descending into nested
   clauses that have their own verb (relative, adverbial, complement and
   conjoined clauses), so their dates stay theirs;
3. then the clauses that share the event's time: temporal adverbial
   children ("... shot dead *while speaking* at a gallery on Monday"),
   conjoined verb phrases without their own subject ("met on Tuesday and
   *signed* a deal") and complements of non-prospective verbs ("attempted
   *to seize power* late on Friday", but not "agreed *to meet* on Friday");
4. then it climbs to the governing clause when the trigger's clause is
   anchored to it in time: "when/while/as/after/before" clauses, participial
   adjuncts ("..., killing three"), and complements of non-prospective verbs
   ("failed to cancel").  A "when" relative clause on a date noun ("since
   September 2015, when ...") is dated by that noun.  Reported speech
   (ccomp), ordinary relative clauses and clauses with their own subject stop
   the climb;
5. finally a caption's trailing date (", Dec. 20, 2016.") dates the whole
   caption.

Within one clause the expression nearest the trigger in the tree wins, and
one attached through a noun argument loses to an adverbial one ("on
Tuesday"); a bare year modifying another noun ("violated the 2014
ceasefire") names that thing and is not taken at all.  Possessives stay
("voted in Thursday's referendum"): they date an occasion of the event.
A bare year long before publication (:data:`DISTANT_YEARS` or more) is not
taken either when it cannot be the event's own time: the event is told in
the present tense ("Germany dominates Europe as it has since its inception
in 1871": a state that holds now, its 1871 names its origin), or the year
opens a span running up to the story ("has met every US president since
1952").  Such an event falls back to its publication date, so one
background year does not file a 2018 story under 1871.
An expression relative to the story ("the next day"), or relative in an
undated article, stops the search: the event is dated by something we
cannot resolve, and a farther date would be wrong.

Candidates are spaCy DATE/TIME entities (adjacent ones merged: "Monday" +
"night") plus a lexical fallback for words the small model misses ("later
today", weekday and month names).
"""

from __future__ import annotations

import datetime as _dt
import re

from tidings.time._expressions import is_story_relative, resolve_expression
from tidings.time._tense import PROSPECTIVE, clause_verb, is_verb, tense_of
from tidings.time._types import EventDate, as_date

__all__ = ["resolve_event_date"]

# Dependents that open a nested clause with its own verb.  Those outside
# _ALWAYS_CLAUSE do so only when the dependent is a verb: a conj may be
# "Turkey and Iran", a pcomp "from now".
_CLAUSE_DEPS = frozenset(
    {"relcl", "advcl", "ccomp", "csubj", "csubjpass", "parataxis", "xcomp", "acl", "conj", "pcomp"}
)
_ALWAYS_CLAUSE = frozenset({"relcl", "advcl", "ccomp", "csubj", "csubjpass", "parataxis", "acl"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
_TEMPORAL_MARKS = frozenset({"when", "while", "as", "after", "before", "once", "whenever"})
_SIMULTANEOUS_MARKS = frozenset({"when", "while", "as", "whenever"})
_DURATION_END_PREPS = frozenset({"until", "till", "through", "throughout"})
_MONTH_WORDS = frozenset(
    {
        "january", "february", "march", "april", "may", "june", "july", "august",
        "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun",
        "jul", "aug", "sep", "sept", "oct", "nov", "dec", "jan.", "feb.", "mar.", "apr.",
        "jun.", "jul.", "aug.", "sep.", "sept.", "oct.", "nov.", "dec.",
    }
)  # fmt: skip
_WEEKDAY_WORDS = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
)
_DEICTIC_WORDS = frozenset({"yesterday", "today", "tonight", "tomorrow"})
_PERIOD_WORDS = frozenset({"week", "weekend", "month", "year"})
_LEFT_MODIFIERS = frozenset(
    {"last", "next", "this", "early", "late", "mid", "-", "earlier", "later", "past", "coming"}
)
_RIGHT_PARTS = frozenset({"night", "morning", "afternoon", "evening"})
_SEASON_WORDS = frozenset({"christmas", "spring", "summer", "fall", "autumn", "winter", "day"})
_DATE_WORDS = (
    _MONTH_WORDS
    | _WEEKDAY_WORDS
    | _DEICTIC_WORDS
    | _PERIOD_WORDS
    | _LEFT_MODIFIERS
    | _RIGHT_PARTS
    | _SEASON_WORDS
    | {"new", "end", "between"}
)
_DUMMY_PUBLICATION = _dt.date(2000, 6, 15)
#: A year this many years or more before publication is "distant": see
#: :func:`_is_background_year`.
DISTANT_YEARS = 10
# Words that can be part of a date the entity recogniser finds, besides digits.
_DATE_HINTS = (
    _MONTH_WORDS
    | _WEEKDAY_WORDS
    | _DEICTIC_WORDS
    | _PERIOD_WORDS
    | _RIGHT_PARTS
    | _SEASON_WORDS
    | {"days", "weeks", "months", "years", "decade", "decades", "century", "ago"}
    | {"weekends", "hours", "hour"}
)


def may_mention_date(words) -> bool:
    """Whether tokens could hold a date or time expression: a date word, a year
    ("2014", "1990s") or a clock time ("2:50").

    A cheap test on words alone (no tags, no entities), for callers that want
    to know whether running the entity recogniser could give a sentence a
    date.  It errs towards yes; other numbers ("$151 billion", "38,000
    feet") do not count.
    """
    return any(t.lower_ in _DATE_HINTS or _YEAR_OR_TIME.match(t.text) for t in words)


_YEAR_OR_TIME = re.compile(r"(?:1[0-9]|20|21)[0-9][0-9]s?$|'[0-9][0-9]s?$|[0-9]{1,2}:[0-9][0-9]")


class _Span:
    """A candidate expression: token range and its syntactic root.

    Tokens are compared by index throughout this module: spaCy builds a new
    ``Token`` object on every access, so ``is`` never holds between two.
    """

    __slots__ = ("end", "root", "start")

    def __init__(self, doc, start: int, end: int) -> None:
        self.start, self.end = start, end
        self.root = doc[start:end].root


# The candidates of the last sentence seen.  Events come sentence by sentence,
# so this one-entry cache saves rescanning a sentence for each of its
# triggers; holding the Doc itself keeps its id from being reused.
_last_sentence: tuple[object, int, list[_Span]] | None = None


def _candidate_spans(sent) -> list[_Span]:
    global _last_sentence
    cached = _last_sentence
    if cached is not None and cached[0] is sent.doc and cached[1] == sent.start:
        return cached[2]
    spans = _scan(sent)
    _last_sentence = (sent.doc, sent.start, spans)
    return spans


def _scan(sent) -> list[_Span]:
    """DATE/TIME entities of the sentence, merged when adjacent, plus lexical hits."""
    doc = sent.doc
    ranges: list[list[int]] = []
    for ent in sent.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        if ranges and ranges[-1][1] == ent.start:
            ranges[-1][1] = ent.end
        else:
            ranges.append([ent.start, ent.end])
    covered = {i for start, end in ranges for i in range(start, end)}
    for tok in sent:
        if tok.i in covered or not _is_seed(tok):
            continue
        start, end = tok.i, tok.i + 1
        while start > sent.start and doc[start - 1].lower_ in _LEFT_MODIFIERS:
            start -= 1
        while end < sent.end and _is_right_part(doc, end):
            end += 1
        if any(i in covered for i in range(start, end)):
            continue
        covered.update(range(start, end))
        ranges.append([start, end])
    return [_Span(doc, start, end) for start, end in ranges]


def _is_seed(tok) -> bool:
    """Date words the small model often leaves out of DATE entities."""
    low = tok.lower_
    if low in _DEICTIC_WORDS or low in _WEEKDAY_WORDS:
        return True
    if low in _MONTH_WORDS and tok.tag_ == "NNP" and (low != "may" or tok.text == "May"):
        return True
    if low in _PERIOD_WORDS:
        return tok.i > 0 and tok.doc[tok.i - 1].lower_ in ("last", "next", "this", "coming")
    return False


def _is_right_part(doc, i: int) -> bool:
    tok = doc[i]
    if tok.lower_ in _RIGHT_PARTS:
        return True
    if tok.text.isdigit():
        n = int(tok.text)
        return n <= 31 or 1800 <= n <= 2100
    if tok.text == "," and i + 1 < len(doc) and doc[i + 1].text.isdigit():
        return len(doc[i + 1].text) == 4
    return False


def _opens_clause(tok, anchor, own_acl: bool) -> bool:
    """Does the arc from ``tok`` to its head enter a nested clause of its own?"""
    dep = tok.dep_
    if dep not in _CLAUSE_DEPS:
        return False
    if own_acl and dep in ("acl", "relcl") and tok.head.i == anchor.i:
        return False  # a nominal trigger's own modifier: "talks held on Monday"
    return dep in _ALWAYS_CLAUSE or is_verb(tok)


def _clause_path(span: _Span, anchor, trigger, own_acl: bool) -> tuple[int, int] | None:
    """(nouns crossed, arcs) from the expression up to ``anchor`` within its clause.

    ``None`` when the expression is not in ``anchor``'s clause: the walk up
    reaches the sentence root, or crosses into a nested clause, first.
    Walking up from the few candidates is much cheaper than collecting the
    clause's tokens.
    """
    nouns = arcs = 0
    tok = span.root
    while tok.i != anchor.i:
        if _opens_clause(tok, anchor, own_acl) or tok.head.i == tok.i or arcs > 25:
            return None
        tok = tok.head
        arcs += 1
        if tok.i in (anchor.i, trigger.i) or span.start <= tok.i < span.end:
            continue
        if tok.pos_ in ("NOUN", "PROPN"):
            nouns += 1
    return nouns, arcs


def _is_noun_modifier(span: _Span, trigger) -> bool:
    """A pre-nominal modifier of a noun other than the trigger ("the 2014 ceasefire")."""
    root, head = span.root, span.root.head
    return (
        root.dep_ in ("compound", "nummod", "amod", "nmod")
        and head.i != trigger.i
        and head.pos_ in ("NOUN", "PROPN")
        and head.i >= span.end
    )


def _with_prep(span: _Span, start: int) -> int:
    """Extend the expression to its governing preposition ("on Tuesday")."""
    root = span.root
    head = root.head
    if root.dep_ == "pobj" and head.dep_ == "prep" and head.i == start - 1:
        return start - 1
    return start


def _trimmed_start(span: _Span, doc, found: EventDate, publication, tense: str) -> int:
    """Drop words the model swept into the entity ("Donetsk last night")."""
    start = span.start
    while start < span.end - 1:
        tok, nxt = doc[start], doc[start + 1]
        junk = tok.lower_ not in _DATE_WORDS and not tok.like_num
        if tok.lower_ == "the" and nxt.lower_ not in _DATE_WORDS and not nxt.like_num:
            junk = True
        if not junk:
            break
        again = resolve_expression(
            doc[start + 1 : span.end].text, publication=publication, tense=tense
        )
        if again is None or (again.value, again.precision) != (found.value, found.precision):
            break
        start += 1
    return start


class _Stop(Exception):
    """The event is dated by an expression that cannot be resolved."""


class _Search:
    """One trigger's search: its candidates, publication date and (lazy) tense."""

    __slots__ = ("_tense", "doc", "publication", "spans", "trigger")

    def __init__(self, trigger, spans: list[_Span], publication: _dt.date | None) -> None:
        self.trigger, self.spans, self.publication = trigger, spans, publication
        self.doc = trigger.doc
        self._tense: str | None = None

    @property
    def tense(self) -> str:
        if self._tense is None:
            self._tense = tense_of(self.trigger)
        return self._tense

    def best(self, anchor, *, own_acl: bool = False, only: _Span | None = None):
        """Resolve the best-ranked candidate in ``anchor``'s clause."""
        ranked = []
        for span in self.spans if only is None else (only,):
            cost = _clause_path(span, anchor, self.trigger, own_acl) if only is None else (0, 0)
            if cost is not None:
                ranked.append((*cost, abs(span.root.i - self.trigger.i), span.start, span))
        ranked.sort(key=lambda r: r[:4])
        for *_, span in ranked:
            found = self._resolve(span)
            if found is not None:
                return found
        return None

    def _resolve(self, span: _Span) -> EventDate | None:
        root = span.root
        if root.dep_ == "pobj" and root.head.lower_ in _DURATION_END_PREPS:
            return None  # "postponed until next month": the new date, not when it happened
        doc, publication, tense = self.doc, self.publication, self.tense
        text = doc[_with_prep(span, span.start) : span.end].text
        found = resolve_expression(text, publication=publication, tense=tense)
        if found is None:
            if is_story_relative(text) or (
                publication is None
                and resolve_expression(text, publication=_DUMMY_PUBLICATION, tense=tense)
            ):
                raise _Stop
            return None
        if found.precision == "year" and _is_noun_modifier(span, self.trigger):
            return None  # "violated the 2014 ceasefire": the year names the ceasefire
        if _is_background_year(found, text, publication, tense):
            return None  # "dominates ... since its inception in 1871"
        start = span.start
        if span.end - start > 2:
            start = _trimmed_start(span, doc, found, publication, tense)
        return EventDate(found.value, found.precision, doc[_with_prep(span, start) : span.end].text)


def _is_background_year(
    found: EventDate, text: str, publication: _dt.date | None, tense: str
) -> bool:
    """A bare year long before publication that cannot be when the event happened.

    Only year precision: a day or month this old was written to date
    something.  Only :data:`DISTANT_YEARS` or more before publication: recent
    years are the usual dating of past events ("in 2015, Russia launched").
    Then the year is background when the event is in the present tense (a
    state or habit that holds at publication) or when the expression starts
    with "since" (the start of a span that runs to the present, not a date
    of the event).  Past events long ago keep their year ("Nazi Germany
    attacked the USSR in 1941").
    """
    if found.precision != "year" or publication is None:
        return False
    if publication.year - int(found.value[:4]) < DISTANT_YEARS:
        return False
    return tense == "present" or text.lower().startswith("since ")


def _mark_of(clause) -> str | None:
    """The subordinator of an adverbial clause ("when", "after"...), if any."""
    for child in clause.children:
        low = child.lower_
        if low in _TEMPORAL_MARKS and (
            child.dep_ == "mark" or (child.dep_ == "advmod" and child.tag_ == "WRB")
        ):
            return low
    if clause.dep_ == "pcomp" and clause.head.lower_ in _TEMPORAL_MARKS:
        return clause.head.lower_
    return None


def _has_subject(verb) -> bool:
    return any(c.dep_ in _SUBJECTS for c in verb.children)


def _shares_time(head, child) -> bool:
    """Does the clause below ``head`` happen at the same time as it?"""
    dep = child.dep_
    if dep == "advcl":
        return _mark_of(child) in _SIMULTANEOUS_MARKS  # "shot dead while speaking ..."
    if dep == "conj":
        return is_verb(child) and not _has_subject(child)  # "met ... and signed"
    if dep == "xcomp":
        return head.lemma_.lower() not in PROSPECTIVE  # "attempted to seize power on Friday"
    return False


def _climb(head):
    """The clause whose time ``head``'s clause shares, or ``None`` to stop."""
    dep, up = head.dep_, head.head
    if up.i == head.i:
        return None
    if dep in ("advcl", "pcomp"):
        mark = _mark_of(head)
        if mark is not None:
            return up if dep == "advcl" else clause_verb(up)
        participial = head.tag_ in ("VBG", "VBN") and not _has_subject(head)
        return up if dep == "advcl" and participial else None
    if dep == "xcomp":
        return None if up.lemma_.lower() in PROSPECTIVE else up
    if dep == "conj":
        return up if is_verb(up) and not _has_subject(head) else None
    return None


def _caption_date(search: _Search, sent) -> EventDate | None:
    """A trailing ", Dec. 20, 2016." dates everything in a caption."""
    last = max(search.spans, key=lambda s: s.end)
    doc = sent.doc
    if last.start == sent.start or doc[last.start - 1].text != ",":
        return None
    if any(not t.is_punct for t in doc[last.end : sent.end]):
        return None
    text = doc[last.start : last.end].text
    found = resolve_expression(text, publication=None, tense=search.tense)
    if found is None or found.precision != "day":
        return None
    return found


def _date_of_clause(search: _Search, head) -> EventDate | None:
    """The date in ``head``'s clause, else in a clause below it that shares its time."""
    found = search.best(head)
    if found is not None:
        return found
    for child in head.children:
        if _shares_time(head, child):
            found = search.best(child)
            if found is not None:
                return found
    return None


def resolve_event_date(trigger, *, publication: _dt.date | None) -> EventDate | None:
    """Date the event whose trigger is ``trigger`` (a ``Token`` of a parsed spaCy Doc).

    The trigger is the event's verb or event noun.  The expression found is
    resolved for the event's tense (:func:`tense_of`) and returned in
    ``EventDate.text`` for the evidence.  Returns ``None`` when the text
    attaches no resolvable date to the event; the caller then uses
    :func:`publication_fallback`.  Needs the parser (for ``token.sent`` and
    the dependency arcs) and the NER (for DATE/TIME entities, though a
    lexical fallback finds weekday, month and deictic words without it).
    """
    sent = trigger.sent
    spans = _candidate_spans(sent)
    if not spans:
        return None
    search = _Search(trigger, spans, as_date(publication))
    try:
        if is_verb(trigger):
            head = trigger
        else:
            found = search.best(trigger, own_acl=True)
            if found is not None:
                return found
            head = clause_verb(trigger)
        seen: set[int] = set()
        while head is not None and head.i not in seen:
            seen.add(head.i)
            found = _date_of_clause(search, head)
            if found is not None:
                return found
            if head.dep_ == "relcl" and _mark_of(head) == "when":
                # "since September 2015, when the Kremlin ...": dated by the noun
                noun = head.head
                span = next((s for s in spans if s.start <= noun.i < s.end), None)
                if span is None:
                    break  # "at a time when ...": not a date
                return search.best(noun, only=span)
            head = _climb(head)
    except _Stop:
        return None
    return _caption_date(search, sent)
