"""Reader for dictionaries in the PETRARCH/TABARI text format.

Used by the build script that converts the Phoenix dictionaries to our JSONL
files, by the loaders when a user passes a PETRARCH-format file, and by
``tidings dictionaries check``.  No parser here raises on bad input: every
problem is collected as a :class:`DictionaryIssue` (file, line, message) and
the offending item is skipped (``level="error"``) or read with a stated
assumption (``level="warning"``).

The format (``dictionaries-format.rst`` of PETRARCH-2) in brief:

* ``#`` starts a comment, to the end of the line; lines starting with ``<!``
  and ``<!-- ... -->`` spans are comments too.  In actor and agent files a
  ``;`` also starts a comment (TABARI's ``NAME_ ; CountryInfo.txt``).
* Phrases are words separated by blanks or ``_``; a trailing ``_`` stops
  matching at a word end.  We lowercase, turn ``_`` into a blank, collapse
  blanks and drop trailing ``_`` (see :func:`normalize_phrase`).
* Actors: a primary phrase line, optional ``+synonym`` lines, and code lines
  ``[CODE]``, ``[CODE >DATE]``, ``[CODE <DATE]`` or ``[CODE DATE-DATE]``
  (usually tab-indented; TABARI also put them on the primary line, several
  at once).  Dates are ``YYYYMMDD`` or ``YYMMDD`` with ``YY`` <= 30 read as
  20YY, otherwise 19YY (KEDS/TABARI/PETRARCH rule).  Bounds are inclusive.
  ``[---]`` is the null code.
* Agents: ``PHRASE {PLURAL} [~CODE]`` (or ``[CODE~]`` for a code that goes
  before the actor code); regular plurals are generated; ``{}`` stops them;
  ``!MARKER! = A, B, C`` defines a substitution set used as ``X!MARKER!``.
* Discards: one phrase per line; a leading ``+`` discards the whole story.
* Issues: ``phrase [CODE]`` inside ``<ISSUE CATEGORY="...">`` blocks, with
  ``n:`` (noun plural), ``v:`` (verb forms) and ``+`` (blank or hyphen)
  expansions; ``~phrase`` / ``~~phrase`` are sentence / story exclusions.

The reader is split by dictionary kind; this module re-exports its names:
:mod:`~tidings.dictionaries._petrarch.common` (source lines, phrases, ids,
dates), :mod:`~tidings.dictionaries._petrarch.actors` (actors, their codes and
types), :mod:`~tidings.dictionaries._petrarch.agents` (agents and plurals) and
:mod:`~tidings.dictionaries._petrarch.lists` (discards and issues).
"""

from __future__ import annotations

from tidings.dictionaries._petrarch.actors import (
    AGENT_CODES,
    guess_actor_type,
    is_place_code,
    parse_actor_file,
    parse_actor_text,
)
from tidings.dictionaries._petrarch.agents import (
    AGENT_STEMS,
    agent_plurals,
    parse_agent_file,
    parse_agent_text,
)
from tidings.dictionaries._petrarch.common import (
    Line,
    make_id,
    normalize_phrase,
    parse_date,
    read_lines,
)
from tidings.dictionaries._petrarch.lists import (
    parse_discard_file,
    parse_discard_text,
    parse_issue_file,
    parse_issue_text,
)

__all__ = [
    "AGENT_CODES",
    "AGENT_STEMS",
    "Line",
    "agent_plurals",
    "guess_actor_type",
    "is_place_code",
    "make_id",
    "normalize_phrase",
    "parse_actor_file",
    "parse_actor_text",
    "parse_agent_file",
    "parse_agent_text",
    "parse_date",
    "parse_discard_file",
    "parse_discard_text",
    "parse_issue_file",
    "parse_issue_text",
    "read_lines",
]
