"""PETRARCH/TABARI verb dictionaries -> Tidings verb rules, at build time and at run time.

Used by ``scripts/build_verbs.py`` (which converts PETRARCH-2's ``CAMEO.2.0.txt``
into the packaged ``data/verbs/cameo.jsonl``), by :func:`parse_verb_file` when a
user brings a PETRARCH-format verb file (``--dictionaries``), and by ``tidings
dictionaries check``.  Nothing here raises on bad content: problems become
:class:`~tidings.dictionaries.actors.DictionaryIssue` records (file, line,
message) and the offending block, verb or pattern is skipped.

How a verb file is read (``dictionaries-format.rst`` of PETRARCH-2 and
``PETRreader.read_verb_dictionary``):

* ``#`` starts a comment (``;`` too on synset and verb lines); ``<!-- ... -->``
  spans (possibly over several lines) and lines starting with ``<!`` are
  comments.
* ``&NAME`` starts a synset whose ``+MEMBER`` lines follow (``_`` joins the
  words of a phrase; a trailing ``_`` on the label or a member only disables
  plurals and is dropped).  In ``CAMEO.2.0.txt`` all synsets come before
  ``####### VERB PATTERNS``; the validation suite's files define them between
  verb blocks too, and a member may itself be a synset (``+&TIETYPES``).
* ``--- NAME [CODE] ---`` opens a verb block; the following non-pattern lines
  are the block's verbs (``VERB {irregular forms} [own code]``, compound verbs
  such as ``+SHUT_DOWN`` with ``+`` on the verb word); lines starting with
  ``-`` are patterns ``- [pre-verb words] * [post-verb words] [CODE]``, which
  apply to *every* verb of the block; ``~`` lines are transformations (not
  converted).
* In a pattern a bare word is the head of a noun phrase, ``{A B}`` a noun
  phrase with head ``B``, ``(PREP ...)`` a prepositional phrase, ``&NAME`` a
  synset; ``+``/``$`` mark target/source, ``^`` any noun phrase, ``%`` a
  compound actor (before the verb: a ``mutual`` rule, the members of a
  coordinated subject act on each other; after it: not supported).
* Codes: ``[040]``; ``[042:043]`` active and reverse-direction code; ``[:173]``
  the grammatical subject is the target; ``[---]`` the null code.  A code with a
  letter suffix (``[174K]``, used by the validation suite) is kept as written,
  with a warning; anything else that is not 2-4 digits is an error.

How patterns become rules (``lemma``, ``particle``, ``object``, ``prep``,
``words``, ``passive``; see :mod:`tidings.dictionaries.verbs`) is described in
``data/verbs/PROVENANCE.md``.

**TABARI-style files.**  Files written for TABARI and early PETRARCH (such as
the validation suite's ``PETR.Validate.verbs.txt``) never use ``(PREP ...)``
phrases; their patterns are word sequences (``- * FOR [096]``, ``- *_ON
[095]``) and their verb entries are often inflected forms with blocks of their
own (``LEFT [032:033]`` beside ``LEAVE [012]``).  When a file has no
parenthesised phrase in any pattern (or when ``tabari=True``), these readings
are added; none of them applies to ``CAMEO.2.0.txt``:

* after the verb, a run of content words is one noun phrase whose head is its
  last word (``IMPROVED &TIETYPES RELATIONS``: object ``relation``), and a
  preposition (or a synset of prepositions such as ``&PREPOSIT1``) followed by
  content words is a prepositional phrase, i.e. required words (``OVER
  EFFORTS``); ``_`` joins are read like blanks (adjacency cannot be checked),
  markers written into them (``SUGGESTED_+``) are split out, and
  ``&TIETYPES_MEMOS`` (no such synset) is the synset then the word;
* auxiliaries, modals, pronouns and adverbs (``WOULD``, ``HAS``, ``NOW``) are
  required words, never objects;
* every rule with an object is followed by a twin that asks for the object
  word among the words instead: a TABARI noun is a word somewhere after the
  verb, not necessarily its object ("fired two artillery shells" for
  ``- * ARTILLERY``); the object rule comes first, so it wins ties;
* a preposition that ends a pattern introduces the target (``prep``), as
  ``(FOR)`` would;
* particles (``+CORDON_OFF``, ``- * DOWN NEWS``) are required words rather than
  ``prt`` children: spaCy often attaches them as prepositions;
* a verb entry written as an inflected form (``LEFT``, ``SAID``) only matches
  that form: the form is added to the rule's ``words`` (the coder matches
  ``words`` against token text too), so ``left`` takes LEFT's rules and
  ``leave`` LEAVE's;
* a verb entry that is a TABARI stem (``EXCHANG``) is read as the verb it
  starts (``exchange``; only with a lemmatizer that has a verb index), and a
  two-word entry (``LASH OUT``) as the verb with the second word required;
* a pattern with the target before the verb and the source after it
  (``- + * FROM $``) becomes a subject-is-target rule (``passive``) whose
  preposition is a required word.

Independently of the style, with a model-backed lemmatizer a verb's rules are
also indexed under the lemmas the model gives its inflected forms in a sentence
when they differ from the verb's own lemma (``cordoned`` -> ``cordone``; see
:meth:`SpacyLemmatizer.inflection_lemmas`).  The build script turns that off,
so the packaged ``cameo.jsonl`` stays the plain PETRARCH-2 reading.

**Lemmas.**  The dictionaries layer never imports spaCy; the word services the
converter needs (lemma, noun test, tokenizer pieces) and where they come from
are described in :mod:`tidings.dictionaries._petrarch.words`.

**Layout.**  This module is the entry point and re-exports the reader's names;
the work is done by private modules, one per step:

* :mod:`~tidings.dictionaries._petrarch.words`: word classes (prepositions,
  particles...) and the word services (:class:`SpacyLemmatizer`,
  :class:`RuleLemmatizer`);
* :mod:`~tidings.dictionaries._petrarch.verb_source`: reading a file into
  synsets and verb blocks, codes and verb entries;
* :mod:`~tidings.dictionaries._petrarch.verb_patterns`: one pattern line, for
  one verb, to a rule spec;
* :mod:`~tidings.dictionaries._petrarch.verb_rules`: a whole file to rule
  records, with counts and the issues reported (which skips are errors and
  which warnings).
"""

from __future__ import annotations

from pathlib import Path

from tidings.dictionaries._petrarch.verb_patterns import PP as PP
from tidings.dictionaries._petrarch.verb_patterns import PatternConverter as PatternConverter
from tidings.dictionaries._petrarch.verb_patterns import Spec as Spec
from tidings.dictionaries._petrarch.verb_rules import UNSUPPORTED as UNSUPPORTED
from tidings.dictionaries._petrarch.verb_rules import (
    Conversion,
    Stats,
    convert_source,
)
from tidings.dictionaries._petrarch.verb_rules import rule_key as rule_key
from tidings.dictionaries._petrarch.verb_source import (
    Block,
    Pattern,
    Source,
    VerbEntry,
    is_tabari_style,
    read_verb_source,
)
from tidings.dictionaries._petrarch.verb_source import Skip as Skip
from tidings.dictionaries._petrarch.verb_source import Verb as Verb
from tidings.dictionaries._petrarch.verb_source import parse_code as parse_code
from tidings.dictionaries._petrarch.verb_source import parse_verb as parse_verb
from tidings.dictionaries._petrarch.verb_source import regular_forms as regular_forms
from tidings.dictionaries._petrarch.words import (
    CLOSED,
    PARTICLES,
    PREPOSITIONS,
    Lemmatize,
    RuleLemmatizer,
    SpacyLemmatizer,
    _WordTools,
    word_tools,
)
from tidings.dictionaries._petrarch.words import DROPPED as DROPPED
from tidings.dictionaries._petrarch.words import HEAD_BREAKERS as HEAD_BREAKERS
from tidings.dictionaries._petrarch.words import NEGATIONS as NEGATIONS
from tidings.dictionaries.actors import DictionaryIssue
from tidings.dictionaries.verbs import VerbRule, _rule_from_record

__all__ = [
    "CLOSED",
    "PARTICLES",
    "PREPOSITIONS",
    "Block",
    "Conversion",
    "Lemmatize",
    "Pattern",
    "RuleLemmatizer",
    "Source",
    "SpacyLemmatizer",
    "Stats",
    "VerbEntry",
    "convert_source",
    "is_tabari_style",
    "parse_verb_file",
    "parse_verb_text",
    "read_verb_source",
    "word_tools",
]


def parse_verb_text(
    path: Path | str,
    text: str | None = None,
    lemmatize: Lemmatize | _WordTools | None = None,
    *,
    tabari: bool | None = None,
    inflections: bool | None = None,
) -> tuple[list[VerbRule], list[DictionaryIssue]]:
    """Rules and issues of a verb dictionary given as ``text`` (or read from ``path``)."""
    path = Path(path)
    source, issues = read_verb_source(path, text)
    conversion = convert_source(
        source, lemmatize, source_name=path.name, tabari=tabari, inflections=inflections
    )
    rules = [_rule_from_record(r, r["src"]) for r in conversion.records]
    merged = issues + conversion.issues
    merged.sort(key=lambda i: i.line)
    return rules, merged


def parse_verb_file(
    path: Path | str,
    lemmatize: Lemmatize | _WordTools | None = None,
    *,
    tabari: bool | None = None,
    inflections: bool | None = None,
) -> tuple[list[VerbRule], list[DictionaryIssue]]:
    """Parse a PETRARCH/TABARI verb dictionary into Tidings rules; never raises on bad content.

    ``lemmatize`` is a ``lemmatize(word, pos)`` callable or a
    :class:`SpacyLemmatizer`; without it the rule-based :class:`RuleLemmatizer`
    is used.  Issues (file, line, message) are ``error`` when something was
    skipped because it is malformed, ``warning`` when it is valid PETRARCH that
    Tidings cannot express or was read with an assumption.
    """
    return parse_verb_text(path, None, lemmatize, tabari=tabari, inflections=inflections)
