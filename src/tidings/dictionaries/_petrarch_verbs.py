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

**Lemmas.**  The dictionaries layer never imports spaCy.  The converter needs
three word services: a lemma (``lemmatize(word, pos)`` with ``pos`` ``"verb"``
or ``"noun"``), whether a word is a known noun, and how the tokenizer splits a
word (``RE-ELECT`` -> ``re``, ``elect``).  :class:`SpacyLemmatizer` provides
all three from an already loaded spaCy pipeline (duck-typed: no import); the
build script uses it, so the packaged rules match what the parser produces.
A plain ``lemmatize`` callable may be given instead (the other two services
then come from :class:`RuleLemmatizer`), and :class:`RuleLemmatizer`, a small
rule-based English lemmatizer, is the fallback when nothing is given.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from tidings.dictionaries.actors import DictionaryIssue
from tidings.dictionaries.verbs import ALT_SEP, VerbRule, _rule_from_record

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

#: ``lemmatize(word, pos)``: ``pos`` is ``"verb"`` or ``"noun"``; returns a lowercase lemma.
Lemmatize = Callable[[str, str], str]

# Words spaCy (en_core_web_sm) reliably attaches to a verb as ``prt``.
PARTICLES = frozenset({"up", "down", "out", "off", "over", "away"})
PREPOSITIONS = frozenset(
    {
        "about",
        "above",
        "across",
        "after",
        "against",
        "along",
        "alongside",
        "amid",
        "among",
        "around",
        "as",
        "at",
        "before",
        "behind",
        "below",
        "beneath",
        "beside",
        "between",
        "beyond",
        "by",
        "despite",
        "during",
        "for",
        "from",
        "in",
        "inside",
        "into",
        "near",
        "of",
        "off",
        "on",
        "onto",
        "out",
        "outside",
        "over",
        "since",
        "through",
        "throughout",
        "to",
        "toward",
        "towards",
        "under",
        "until",
        "upon",
        "via",
        "with",
        "within",
        "without",
    }
)
CLOSED = PREPOSITIONS | PARTICLES | {"aside", "ahead", "apart", "back", "forward", "together"}
DROPPED = frozenset({"a", "an", "the", "and", "or"})
NEGATIONS = frozenset({"not", "n't", "never"})
HEAD_BREAKERS = frozenset({"of", "and", "or", "for", "in", "to"})

#: Pattern lines skipped for these reasons are valid PETRARCH that Tidings rules
#: cannot express: reported as warnings.  Every other skip reason is an error.
UNSUPPORTED = frozenset(
    {
        "disjunction (A/B)",
        "source marker $ after the verb",
        "target marker + before the verb",
        "negation",
        "compound-actor marker %",
        "several target markers",
        "actor marker in a pre-verb prepositional phrase",
        "coordinated verb entry (e.g. KILLED_AND)",
    }
)
_NO_VERB = "block has no usable verb"


class Skip(Exception):
    """A pattern or verb entry that cannot be expressed; the message is the reason."""


# --------------------------------------------------------------------------- word services


class _WordTools:
    """Lemma, noun test and tokenizer pieces of isolated dictionary words."""

    #: True when :meth:`in_index` consults a real lexicon (not a guess).
    has_index = False

    def lemma(self, word: str, pos: str = "noun") -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def in_index(self, word: str, pos: str) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def pieces(self, word: str) -> tuple[str, ...]:  # pragma: no cover - abstract
        raise NotImplementedError

    def __call__(self, word: str, pos: str = "noun") -> str:
        return self.lemma(word, pos)

    def words(self, word: str) -> tuple[str, ...]:
        """Lemmas of the pieces of one pattern word."""
        return tuple(self.lemma(p) for p in self.pieces(word) if p not in DROPPED)

    def inflection_lemmas(self, forms: list[str]) -> dict[str, str]:
        """The lemma the tagger gives each verb form in a sentence (none without a model)."""
        return {}


class SpacyLemmatizer(_WordTools):
    """Lemmatises isolated pattern and verb words with a loaded spaCy pipeline.

    Nouns and other pattern words: the model's lemma of the word in the fixed
    context ``"They saw the WORD there."`` (tagger, attribute ruler and rule
    lemmatiser, as the coder will run them), kept only when the word stays one
    token.  Verbs: the word itself when the lemmatiser's verb index knows it,
    else the verb exception list and suffix rules.  Hyphenated words are split
    with the model's tokenizer, as the coder will see them.

    ``nlp`` is a ``spacy.Language`` with a rule-based ``lemmatizer`` pipe; it is
    used duck-typed, so this module never imports spaCy.
    """

    CONTEXT = ("They saw the ", " there.")
    has_index = True

    def __init__(self, nlp) -> None:
        self.nlp = nlp
        lookups = nlp.get_pipe("lemmatizer").lookups
        self._index = lookups.get_table("lemma_index")
        self._exc = lookups.get_table("lemma_exc")
        self._rules = lookups.get_table("lemma_rules")
        self._cache: dict[tuple[str, str], str] = {}
        self._pieces: dict[str, tuple[str, ...]] = {}
        self._inflections: dict[str, str] = {}

    def in_index(self, word: str, pos: str) -> bool:
        return word in self._index.get(pos, {})

    def lemma(self, word: str, pos: str = "noun") -> str:
        key = (word.lower(), pos)
        if key not in self._cache:
            if pos == "verb":
                self._cache[key] = self._verb_lemma(key[0])
            else:
                self._cache[key] = self._context_lemma(key[0])
        return self._cache[key]

    def _context_lemma(self, word: str) -> str:
        before, after = self.CONTEXT
        doc = self.nlp(before + word + after)
        toks = [t for t in doc if len(before) <= t.idx < len(before) + len(word)]
        if len(toks) != 1 or toks[0].text != word:
            return word
        return toks[0].lemma_.lower() or word

    def _verb_lemma(self, word: str) -> str:
        index = self._index.get("verb", {})
        if word in index:
            return word
        exc = self._exc.get("verb", {}).get(word)
        if exc:
            return exc[0]
        for old, new in self._rules.get("verb", []):
            if word.endswith(old):
                form = word[: len(word) - len(old)] + new
                if form and form in index:
                    return form
        return word

    def inflection_lemmas(self, forms: list[str]) -> dict[str, str]:
        """``form -> lemma`` as the pipeline lemmatises each form used as a verb.

        spaCy's rule lemmatiser does not always undo an inflection the way the
        dictionary writes the verb (``cordoned`` -> ``cordone``, ``raged`` ->
        ``rag``); rules are also indexed under those lemmas so the coder finds
        them.  Forms the tagger does not read as a verb are left out.
        """
        todo = [f for f in dict.fromkeys(forms) if f not in self._inflections]
        texts = []
        for form in todo:
            if form.endswith("ing"):
                before = "They are "
            elif form.endswith("s"):
                before = "He "
            else:
                before = "They "
            texts.append((before, form))
        for (before, form), doc in zip(
            texts, self.nlp.pipe(b + f + " it." for b, f in texts), strict=True
        ):
            toks = [t for t in doc if t.idx == len(before)]
            ok = toks and toks[0].text == form and toks[0].pos_ == "VERB"
            self._inflections[form] = toks[0].lemma_.lower() if ok else ""
        return {f: self._inflections[f] for f in forms if self._inflections.get(f)}

    def pieces(self, word: str) -> tuple[str, ...]:
        """The non-punctuation tokens spaCy makes of ``word`` (lowercased)."""
        if word not in self._pieces:
            doc = self.nlp.tokenizer(word.lower())
            self._pieces[word] = tuple(t.text for t in doc if not t.is_punct) or (word.lower(),)
        return self._pieces[word]


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Irregular English verbs: past tense and past participle -> base form.
_IRREGULAR_VERBS: dict[str, str] = {}
for _base, *_forms in (
    line.split()
    for line in """
    arise arose arisen|awake awoke awoken|be was were been is are am|bear bore borne born
    beat beaten|become became|begin began begun|bend bent|bet|bid|bind bound|bite bit bitten
    bleed bled|blow blew blown|break broke broken|breed bred|bring brought|broadcast
    build built|burn burnt|burst|buy bought|cast|catch caught|choose chose chosen|cling clung
    come came|cost|creep crept|cut|deal dealt|dig dug|do did done does|draw drew drawn
    dream dreamt|drink drank drunk|drive drove driven|eat ate eaten|fall fell fallen|feed fed
    feel felt|fight fought|find found|flee fled|fling flung|fly flew flown|forbid forbade
    forbidden|forecast|forget forgot forgotten|forgive forgave forgiven|freeze froze frozen
    get got gotten|give gave given|go went gone goes|grind ground|grow grew grown|hang hung
    have had has|hear heard|hide hid hidden|hit|hold held|hurt|keep kept|kneel knelt
    know knew known|lay laid|lead led|lean leant|leap leapt|learn learnt|leave left|lend lent
    let|lie lay lain|light lit|lose lost|make made|mean meant|meet met|mislead misled
    overcome overcame|overtake overtook overtaken|overthrow overthrew overthrown|pay paid
    prove proven|put|quit|read|rebuild rebuilt|repay repaid|rid|ride rode ridden|ring rang
    rung|rise rose risen|run ran|say said says|see saw seen|seek sought|sell sold|send sent
    set|shake shook shaken|shed|shine shone|shoot shot|show shown|shrink shrank shrunk|shut
    sing sang sung|sink sank sunk|sit sat|slay slew slain|sleep slept|slide slid|speak spoke
    spoken|spend spent|spin spun|split|spread|spring sprang sprung|stand stood|steal stole
    stolen|stick stuck|sting stung|strike struck stricken|strive strove striven|swear swore
    sworn|sweep swept|swim swam swum|swing swung|take took taken|teach taught|tear tore torn
    tell told|think thought|throw threw thrown|thrust|undergo underwent undergone
    understand understood|undertake undertook undertaken|uphold upheld|upset|wake woke woken
    wear wore worn|weep wept|win won|wind wound|withdraw withdrew withdrawn|withhold withheld
    withstand withstood|write wrote written
    """.replace("\n", "|").split("|")
    if line.strip()
):
    for _form in _forms:
        _IRREGULAR_VERBS.setdefault(_form, _base)
del _base, _forms

_IRREGULAR_NOUNS = {
    "men": "man",
    "women": "woman",
    "children": "child",
    "people": "people",
    "feet": "foot",
    "teeth": "tooth",
    "mice": "mouse",
    "geese": "goose",
    "data": "data",
    "media": "media",
    "criteria": "criterion",
    "crises": "crisis",
    "analyses": "analysis",
    "theses": "thesis",
    "lives": "life",
    "wives": "wife",
    "knives": "knife",
    "thieves": "thief",
    "halves": "half",
}
# Nouns that end like plurals or adjectives but are neither.
_NOUN_KEEP = _wordset(
    """
    news series species means arms politics economics physics status crisis basis analysis
    thesis bus virus census consensus focus bias gas access process congress progress address
    success business press stress loss boss class glass grass mass pass this proposal approval
    arrival withdrawal refusal renewal removal trial denial rival signal official criminal
    tribunal capital hospital festival total deal seal appeal individual terminal military
    republic public traffic music critic topic logic clinic panic relic olive executive
    representative detective relative objective initiative incentive alternative explosive
    motive native offensive defensive directive perspective archive drive hive five table cable
    bible fable vegetable constable hand land
    """
)
_ADJECTIVE_SUFFIXES = ("ly", "ed", "ous", "ful", "ive", "able", "ible", "less", "ic", "ish")
_ADJECTIVES = _wordset(
    """
    new old full real good bad great big small high low long short strong weak hard easy
    early late recent main major minor senior junior top free fair open close near far
    right wrong true false whole own other same such more most less least many much few
    several certain further final first second third last next previous former future
    total general special national international foreign domestic local global regional
    federal central northern southern eastern western joint mutual formal informal
    official economic political diplomatic military cultural social civil
    secret internal external bitter unconditional
    """
)


class RuleLemmatizer(_WordTools):
    """A small rule-based English lemmatizer: the fallback when no spaCy pipeline is given.

    Verbs: irregular forms from a table (``left`` -> ``leave``, ``said`` ->
    ``say``), else ``-ies``/``-ied`` -> ``-y``, ``-es`` after sibilants, ``-s``,
    ``-ed``/``-ing`` with a doubled final consonant undone; a base form is
    returned unchanged.  Nouns: irregular plurals, then regular plural
    endings.  A word is taken for a noun unless it is a function word, a
    common adjective or ends like an adjective or participle (``-ly``,
    ``-ed``, ``-ous``, ``-ic``...).  Pieces: the word split at hyphens and
    slashes, with ``n't`` and ``'s`` clitics split off, as spaCy does.

    It is only an approximation of spaCy's lemmatiser: rules converted with it
    may miss words spaCy lemmatises differently.  Pass a
    :class:`SpacyLemmatizer` (or any ``lemmatize`` callable) when a pipeline is
    loaded anyway.
    """

    _PIECE_RE = re.compile(r"n't|'[a-z]+|[a-z0-9]+(?:\.[a-z0-9]+)*\.?|[^\sa-z0-9]")

    def __init__(self, lemmatize: Lemmatize | None = None) -> None:
        self._lemmatize = lemmatize

    def lemma(self, word: str, pos: str = "noun") -> str:
        low = word.lower()
        if self._lemmatize is not None:
            return (self._lemmatize(low, pos) or low).lower()
        return self._verb(low) if pos == "verb" else self._noun(low)

    @staticmethod
    def _verb(w: str) -> str:
        if w in _IRREGULAR_VERBS:
            return _IRREGULAR_VERBS[w]
        if len(w) <= 3:
            return w
        if w.endswith("ies") or w.endswith("ied"):
            return w[:-3] + "y"
        for suffix in ("ing", "ed"):
            if w.endswith(suffix) and len(w) > len(suffix) + 2:
                stem = w[: -len(suffix)]
                if len(stem) >= 3 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
                    return stem[:-1]  # stopped -> stop
                if suffix == "ed" and stem.endswith("e"):
                    return stem  # agreed -> agree
                if re.search(
                    r"[^aeiou][aeiou][cvsgz]$|[^aeiou]u[rs]$|[cs]$|[aeiou][aeiou]s$", stem
                ):
                    return stem + "e"  # arrived -> arrive, used -> use, released -> release
                return stem
        if w.endswith(("sses", "shes", "ches", "xes", "zes")):
            return w[:-2]
        if w.endswith("s") and not w.endswith(("ss", "us", "is")):
            return w[:-1]
        return w

    @staticmethod
    def _noun(w: str) -> str:
        if w in _IRREGULAR_NOUNS:
            return _IRREGULAR_NOUNS[w]
        if w in _NOUN_KEEP or len(w) <= 3:
            return w
        if w.endswith("men") and len(w) > 4:
            return w[:-3] + "man"
        if w.endswith("ies"):
            return w[:-1] if len(w) <= 4 else w[:-3] + "y"
        if w.endswith(("sses", "shes", "ches", "xes", "zes")):
            return w[:-2]
        if w.endswith("s") and not w.endswith(("ss", "us", "is")):
            return w[:-1]
        return w

    def in_index(self, word: str, pos: str) -> bool:
        w = word.lower()
        if pos == "verb":
            return self._verb(w) == w and w.isalpha()
        if not w.isalpha() or w in CLOSED or w in DROPPED or w in NEGATIONS:
            return False
        if w in _NOUN_KEEP or w in _IRREGULAR_NOUNS:
            return True
        if w in _ADJECTIVES or w in _IRREGULAR_VERBS:
            return False
        return not (len(w) > 4 and w.endswith(_ADJECTIVE_SUFFIXES))

    def pieces(self, word: str) -> tuple[str, ...]:
        out = []
        for part in re.split(r"[-/]", word.lower()):
            if part.endswith("n't") and len(part) > 3:
                out += [part[:-3], "n't"]
                continue
            out += [p for p in self._PIECE_RE.findall(part) if p[0].isalnum() or p[0] == "'"]
        return tuple(p for p in out if p) or (word.lower(),)


def word_tools(lemmatize: Lemmatize | _WordTools | None = None) -> _WordTools:
    """The word services for ``lemmatize``: itself when it provides them all
    (:class:`SpacyLemmatizer`, :class:`RuleLemmatizer`), a callable wrapped with
    :class:`RuleLemmatizer`'s noun test and tokenizer, or the rule-based fallback."""
    if isinstance(lemmatize, _WordTools):
        return lemmatize
    if lemmatize is None:
        return RuleLemmatizer()
    return RuleLemmatizer(lemmatize)


# --------------------------------------------------------------------------- reading


@dataclass
class VerbEntry:
    text: str
    line: int
    code: str | None


@dataclass
class Pattern:
    text: str
    line: int


@dataclass
class Block:
    name: str
    code: str
    line: int
    verbs: list[VerbEntry] = field(default_factory=list)
    patterns: list[Pattern] = field(default_factory=list)


@dataclass
class Source:
    synsets: dict[str, list[str]]
    blocks: list[Block]
    transformations: int
    synset_lines: dict[str, int] = field(default_factory=dict)


_HEADER = re.compile(r"^---\s*(.*?)\s*\[([^\]]*)\]")
_CODE = re.compile(r"\[([^\]]*)\]\s*$")
_MARKER = "####### VERB PATTERNS"


def _strip_comment(line: str) -> str:
    return line.split("#", 1)[0].split(";", 1)[0].strip()


def _synset_label(text: str) -> str:
    # "&PREPOSIT1_": a trailing "_" only disables plurals
    return text.split()[0].rstrip("_") if text.split() else text


def _decode(data: bytes, name: str, issues: list[DictionaryIssue]) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        issues.append(
            DictionaryIssue(name, line, "not UTF-8; undecodable bytes replaced", "warning")
        )
        return data.decode("utf-8", errors="replace")


def read_verb_source(
    path: Path | str, text: str | None = None
) -> tuple[Source, list[DictionaryIssue]]:
    """Read a verb dictionary (``text``, or the file at ``path``) into blocks and synsets."""
    path = Path(path)
    name = path.name
    issues: list[DictionaryIssue] = []
    if text is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            issues.append(DictionaryIssue(name, 0, f"cannot read file: {exc.strerror}"))
            return Source({}, [], 0), issues
        text = _decode(data, name, issues)
    if text.startswith("\ufeff"):
        text = text[1:]
    synsets: dict[str, list[str]] = {}
    synset_lines: dict[str, int] = {}
    blocks: list[Block] = []
    transformations = 0
    in_verbs = False
    current_set: str | None = None  # the synset whose "+" members may follow
    block: Block | None = None
    in_xml_comment = False
    for lineno, raw in enumerate(text.splitlines(), start=1):
        if in_xml_comment:
            if "-->" not in raw:
                continue
            raw = raw[raw.index("-->") + 3 :]
            in_xml_comment = False
        if raw.lstrip().startswith("<!"):
            in_xml_comment = raw.lstrip().startswith("<!--") and "-->" not in raw.lstrip()[4:]
            continue
        while "<!--" in raw:
            head, _, tail = raw.partition("<!--")
            if "-->" in tail:
                raw = head + tail[tail.index("-->") + 3 :]
            else:
                raw, in_xml_comment = head, True
        if raw.startswith(_MARKER):
            in_verbs = True
            current_set = None
            continue
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not in_verbs and not stripped.startswith("---"):
            text_ = _strip_comment(stripped)
            if text_.startswith("&"):
                current_set = _synset_label(text_)
                synsets[current_set] = []
                synset_lines[current_set] = lineno
            elif text_.startswith("+") and current_set is not None:
                synsets[current_set].append(text_[1:])
            elif text_:
                issues.append(
                    DictionaryIssue(
                        name, lineno, f"line before the first verb block ignored: {text_!r}"
                    )
                )
            continue
        in_verbs = True
        if stripped.startswith("---"):
            current_set = None
            m = _HEADER.match(stripped)
            if not m:
                issues.append(
                    DictionaryIssue(
                        name,
                        lineno,
                        "unreadable block header (expected '--- NAME [CODE] ---'); block skipped",
                    )
                )
                block = None
                continue
            block = Block(m.group(1), m.group(2), lineno)
            blocks.append(block)
        elif stripped.startswith("&"):
            # a synset defined between verb blocks (validation-suite files)
            current_set = _synset_label(_strip_comment(stripped))
            synsets[current_set] = []
            synset_lines[current_set] = lineno
            block = None
        elif stripped.startswith("+") and current_set is not None:
            synsets[current_set].append(_strip_comment(stripped)[1:])
        elif stripped.startswith("-"):
            if block is not None:
                block.patterns.append(Pattern(stripped.split("#", 1)[0].strip(), lineno))
            else:
                issues.append(DictionaryIssue(name, lineno, "pattern outside a verb block"))
        elif stripped.startswith("~"):
            transformations += 1
            issues.append(
                DictionaryIssue(
                    name, lineno, "transformation (~) not supported by Tidings; ignored", "warning"
                )
            )
        elif block is not None:
            text_ = _strip_comment(stripped)
            if not text_:
                continue
            code = None
            m = _CODE.search(text_)
            if m:
                code = m.group(1).strip()
                text_ = text_[: m.start()].strip()
            block.verbs.append(VerbEntry(text_, lineno, code))
        else:
            issues.append(
                DictionaryIssue(name, lineno, f"line outside a verb block ignored: {stripped!r}")
            )
    if in_xml_comment:
        issues.append(DictionaryIssue(name, len(text.splitlines()), "unclosed '<!--' comment"))
    return Source(synsets, blocks, transformations, synset_lines), issues


def is_tabari_style(source: Source) -> bool:
    """True when no pattern uses a PETRARCH-2 ``(PREP ...)`` phrase (TABARI-style file)."""
    return not any("(" in p.text for b in source.blocks for p in b.patterns)


# --------------------------------------------------------------------------- codes

_CODE_OK = re.compile(r"\d{2,4}")
_CODE_SUFFIXED = re.compile(r"\d{2,4}[A-Za-z]")


def parse_code(code: str) -> tuple[str, bool, str | None]:
    """``(code, passive, reverse)`` for a PETRARCH-2 code string.

    ``reverse`` is the reverse-direction code of ``[A:B]`` (``B``: the target acts
    on the source, "X left for Y" is also Y receiving X), None without one or when
    it is not a readable code.
    """
    code = code.strip().rstrip("!")
    if ":" in code:
        active, _, reverse = code.partition(":")
        active, reverse = active.strip(), reverse.strip()
        if not active:
            if not reverse:
                raise Skip("empty code")
            return reverse, True, None
        readable = reverse != "---" and _CODE_OK.fullmatch(reverse)
        return active, False, reverse if readable else None
    if not code:
        raise Skip("empty code")
    return code, False, None


def _check_code(code: str) -> str:
    if code != "---" and not _CODE_OK.fullmatch(code) and not _CODE_SUFFIXED.fullmatch(code):
        raise Skip(f"unreadable code [{code}]")
    return code


# --------------------------------------------------------------------------- verbs


@dataclass(frozen=True)
class Verb:
    base: str  # for rule ids, e.g. SHUT_DOWN
    lemma: str
    particle: str | None
    prep: str | None
    words: tuple[str, ...]
    inflected: tuple[str, ...] = ()  # written forms of the verb word (regular and {...})


def regular_forms(verb: str) -> list[str]:
    """The forms PETRARCH generates for a regular verb: -s, -ed, -ing."""
    v = verb.lower()
    consonant_y = v.endswith("y") and len(v) > 1 and v[-2] not in "aeiou"
    if v.endswith(("s", "x", "z", "ch", "sh")):
        third = v + "es"
    elif consonant_y:
        third = v[:-1] + "ies"
    else:
        third = v + "s"
    if v.endswith("e"):
        past = v + "d"
    elif consonant_y:
        past = v[:-1] + "ied"
    else:
        past = v + "ed"
    gerund = (v[:-1] if v.endswith("e") and not v.endswith("ee") else v) + "ing"
    return [third, past, gerund]


def _brace_forms(text: str) -> list[str]:
    """The verb words of ``{...}`` irregular forms (``{+CORDONED_OFF +CORDONS_OFF}``)."""
    if "{" not in text or "}" not in text:
        return []
    inside = text[text.index("{") + 1 : text.index("}")]
    out = []
    for item in inside.split():
        parts = item.split("_")
        marked = [p for p in parts if p.startswith("+")]
        word = (marked[0] if marked else parts[0]).lstrip("+").lower()
        if word.isalpha():
            out.append(word)
    return out


def parse_verb(entry: VerbEntry, lem: _WordTools, *, tabari: bool = False) -> Verb:
    text = entry.text
    if "{" in text:
        if "}" not in text:
            raise Skip("unbalanced braces in verb entry")
        text = text[: text.index("{")].strip()
    head = text.split()[0] if text.split() else ""
    if not head:
        raise Skip("empty verb entry")
    if " " in text.strip():
        words_ = text.split()
        if not (tabari and len(words_) == 2 and "_" not in text and "+" not in text):
            raise Skip("unreadable verb entry")
        head = f"+{words_[0]}_{words_[1]}"  # TABARI "LASH OUT": verb and particle
    parts = head.split("_")
    if len(parts) > 1:
        marked = [i for i, p in enumerate(parts) if p.startswith("+")]
        if len(marked) != 1:
            raise Skip("compound verb without a single + marker")
        vi = marked[0]
    else:
        vi = 0
    parts = [p.lstrip("+").lower() for p in parts]
    if any(p in {"and", "or"} for p in parts):
        raise Skip("coordinated verb entry (e.g. KILLED_AND)")
    if any(not p for p in parts):
        raise Skip("unreadable verb entry")
    verb_pieces = lem.pieces(parts[vi])
    lemma = lem.lemma(verb_pieces[-1], "verb")
    words: list[str] = [*verb_pieces[:-1]]
    form: str | None = None
    if tabari:
        written = verb_pieces[-1]
        if lem.has_index and not lem.in_index(lemma, "verb") and lem.in_index(lemma + "e", "verb"):
            lemma = lemma + "e"  # TABARI stem: EXCHANG -> exchange
        elif lemma != written:
            form = written  # an inflected form with rules of its own: LEFT, SAID
            words.append(form)
    for p in parts[:vi]:
        words.extend(lem.words(p))
    particle = prep = None
    back = parts[vi + 1 :]
    for i, p in enumerate(back):
        last = i == len(back) - 1
        nxt = back[i + 1] if not last else None
        if p in PARTICLES and particle is None and (last or nxt in PREPOSITIONS):
            if tabari:
                words.append(p)  # spaCy often reads it as a preposition: "cordoned off the"
            else:
                particle = p
        elif last and p in PREPOSITIONS and p != "in":
            prep = p
        else:
            words.extend(lem.words(p))
    base = "_".join([*verb_pieces[:-1], *parts[:vi], form or lemma, *back]).upper()
    inflected: tuple[str, ...] = ()
    if form is None and len(verb_pieces) == 1 and lemma.isalpha():
        inflected = tuple(dict.fromkeys([*regular_forms(lemma), *_brace_forms(entry.text)]))
    return Verb(base, lemma, particle, prep, tuple(dict.fromkeys(words)), inflected)


# --------------------------------------------------------------------------- patterns

_TOKEN = re.compile(r"[(){}]|[^\s(){}]+")


@dataclass
class PP:
    prep: str
    inner: list  # of str (word) or list[str] (brace)


def _parse_side(tokens: list[str]) -> list:
    """Elements: str (bare word), list[str] (brace noun phrase), PP."""
    out: list = []
    i = 0

    def brace(i: int) -> tuple[list[str], int]:
        words: list[str] = []
        i += 1
        while i < len(tokens) and tokens[i] != "}":
            if tokens[i] in "({)":
                raise Skip("unbalanced brackets")
            words.extend(w for w in tokens[i].split("_") if w)
            i += 1
        if i >= len(tokens):
            raise Skip("unbalanced brackets")
        if not words:
            raise Skip("empty noun phrase")
        return words, i + 1

    while i < len(tokens):
        tok = tokens[i]
        if tok == "{":
            words, i = brace(i)
            out.append(words)
        elif tok == "(":
            i += 1
            inner: list = []
            prep = None
            while i < len(tokens) and tokens[i] != ")":
                t = tokens[i]
                if t == "(":
                    raise Skip("unbalanced brackets")
                if t == "{":
                    if prep is None:
                        raise Skip("prepositional phrase without preposition")
                    words, i = brace(i)
                    inner.append(words)
                    continue
                if t == "}":
                    raise Skip("unbalanced brackets")
                if prep is None:
                    prep = t
                elif "_" in t:
                    inner.append([w for w in t.split("_") if w])
                else:
                    inner.append(t)
                i += 1
            if i >= len(tokens) or prep is None:
                raise Skip("unbalanced brackets" if i >= len(tokens) else "empty parentheses")
            out.append(PP(prep, inner))
            i += 1
        elif tok in ")}":
            raise Skip("unbalanced brackets")
        else:
            if "_" in tok and not tok.startswith("&"):
                out.append([w for w in tok.split("_") if w])
            else:
                out.append(tok)
            i += 1
    return out


_MARKERS = frozenset({"+", "$", "^", "%"})
# Words that never head a TABARI noun phrase: auxiliaries, modals, pronouns, adverbs.
_FUNCTION = _wordset(
    """
    be is are am was were been being have has had having will would shall should must may
    might can could do does did no now its his her their it they he she this that there then
    so again ever even also still only very really
    """
)


def _split_markers(side: list) -> list:
    """``SUGGESTED_+`` -> ``SUGGESTED``, ``+``; one-word ``_`` phrases become words."""
    out: list = []
    for el in side:
        if not isinstance(el, list):
            out.append(el)
            continue
        run: list[str] = []
        for w in [*el, None]:
            if w is None or w in _MARKERS:
                if run:
                    out.append(run if len(run) > 1 else run[0])
                    run = []
                if w is not None:
                    out.append(w)
            else:
                run.append(w)
    return out


def _is_content(el: object, is_prep: Callable[[object], bool]) -> bool:
    if isinstance(el, list):
        return True
    if not isinstance(el, str) or el in _MARKERS or is_prep(el):
        return False
    lw = el.lower()
    return not (lw in CLOSED or lw in _FUNCTION or lw in NEGATIONS or lw in DROPPED)


def _segment(post: list, is_prep: Callable[[object], bool]) -> list:
    """Group a TABARI post-verb side into noun phrases and prepositional phrases."""
    words: list = []
    for el in post:  # flatten "_" phrases: TABARI adjacency cannot be checked anyway
        if isinstance(el, list):
            words.extend(el)
        else:
            words.append(el)
    out: list = []
    run: list[str] = []

    def flush() -> None:
        if run:
            out.append(list(run) if len(run) > 1 else run[0])
            run.clear()

    i = 0
    while i < len(words):
        el = words[i]
        if isinstance(el, str) and el.lower() in DROPPED:
            i += 1
            continue
        if _is_content(el, is_prep):
            run.append(el)
            i += 1
            continue
        flush()
        if is_prep(el):
            j = i + 1
            inner: list[str] = []
            while j < len(words) and (
                _is_content(words[j], is_prep)
                or (isinstance(words[j], str) and words[j].lower() in DROPPED)
            ):
                if words[j].lower() not in DROPPED:
                    inner.append(words[j])
                j += 1
            if inner:
                out.append(PP(el, [inner]))
                i = j
                continue
        out.append(el)
        i += 1
    flush()
    return out


@dataclass(frozen=True)
class Spec:
    particle: str | None
    object: tuple[str, ...] | None
    prep: str | None
    words: tuple[str, ...]
    passive: bool
    mutual: bool = False  # "%" before the verb: coordinated subjects act on each other


class PatternConverter:
    """Turns one pattern line, for one verb entry, into a rule ``Spec``."""

    def __init__(
        self, synsets: dict[str, list[str]], lem: _WordTools, *, tabari: bool = False
    ) -> None:
        self.lem = lem
        self.tabari = tabari
        self.synsets: dict[str, tuple[str, ...]] = {}
        # synsets of function words only (&PREPOSIT1: AGAINST, IN, ON...): no head
        # lemmas, but usable as alternatives among the required words
        self.closed_synsets: dict[str, tuple[str, ...]] = {}
        for name, members in synsets.items():
            heads: set[str] = set()
            expanded = self._expand(name, members, synsets, set())
            for member in expanded:
                head = self._member_head(member)
                if head is not None:
                    heads.add(head)
            self.synsets[name] = tuple(sorted(heads))
            words = {m.strip().rstrip("_").lower() for m in expanded}
            if not heads and words and all(w in CLOSED for w in words):
                self.closed_synsets[name] = tuple(sorted(words))

    def is_preposition(self, el: object) -> bool:
        """A preposition word, or a synset of prepositions (TABARI ``&PREPOSIT1``)."""
        if not isinstance(el, str):
            return False
        if el.startswith("&"):
            members = self.closed_synsets.get(el.rstrip("_"), ())
            return bool(members) and all(m in PREPOSITIONS for m in members)
        return el.lower() in PREPOSITIONS

    def _expand(
        self, name: str, members: list[str], synsets: dict[str, list[str]], seen: set[str]
    ) -> list[str]:
        """Members with embedded synsets (``+&TIETYPES``) replaced by their members."""
        out: list[str] = []
        for member in members:
            label = member.strip().rstrip("_")
            if label.startswith("&") and " " not in label and "_" not in label:
                if label in synsets and label not in seen and label != name:
                    out.extend(self._expand(label, synsets[label], synsets, seen | {name}))
                continue
            out.append(member)
        return out

    def _member_head(self, member: str) -> str | None:
        """Head lemma of a synset member (``WEAPONS_OF_MASS_DESTRUCTION`` -> weapon)."""
        raw = member.strip().rstrip("_").replace("_", " ").split()
        pieces: list[str] = []
        for w in raw:
            pieces.extend(self.lem.pieces(w))
        if not pieces:
            return None
        head_i = len(pieces) - 1
        for i, p in enumerate(pieces):
            if i > 0 and p in HEAD_BREAKERS:
                head_i = i - 1
                break
        head = pieces[head_i]
        if head in CLOSED or head in DROPPED or len(head) < 2:
            return None  # e.g. GO-BETWEEN: no usable head word
        return self.lem.lemma(head)

    def _syn(self, name: str) -> tuple[str, ...]:
        name = name.rstrip("_")
        if name not in self.synsets:
            raise Skip("undefined synset")
        if not self.synsets[name]:
            raise Skip("empty synset")
        return self.synsets[name]

    def _words(self, word: str) -> list[str]:
        """Required ``words`` entries for one raw pattern word.

        A synset is one entry listing its members' head lemmas as alternatives,
        ``"bomb|gun|rifle"`` (see ``ALT_SEP``).
        """
        if word.startswith("&"):
            closed = self.closed_synsets.get(word.rstrip("_"))
            return [ALT_SEP.join(closed if closed else self._syn(word))]
        lw = word.lower()
        if lw in NEGATIONS:
            raise Skip("negation")
        if lw in DROPPED:
            return []
        if lw in CLOSED:
            return [lw]
        return list(self.lem.words(word))

    def _phrase_words(self, words: list[str]) -> list[str]:
        out: list[str] = []
        for w in words:
            out.extend(self._words(w))
        return out

    def _object(self, word: str) -> tuple[list[str], list[str]] | None:
        """``(object lemmas, extra words)`` for a noun-phrase head, None if no noun."""
        if word.startswith("&") and word.rstrip("_") in self.closed_synsets:
            return None
        if word.startswith("&"):
            return list(self._syn(word)), []
        lw = word.lower()
        if lw in CLOSED or lw in DROPPED or lw in NEGATIONS or lw.endswith("ly"):
            return None
        pieces = self.lem.pieces(word)
        if pieces[-1] in CLOSED:
            return None
        head = self.lem.lemma(pieces[-1])
        if not (self.lem.in_index(head, "noun") or self.lem.in_index(pieces[-1], "noun")):
            return None
        extra = [self.lem.lemma(p) for p in pieces[:-1] if p not in DROPPED]
        heads = [head] if head == pieces[-1] else [head, pieces[-1]]
        return heads, extra

    def _split_synset(self, el: object) -> object:
        """``&TIETYPES_MEMOS`` (no such synset) -> ``[&TIETYPES, MEMOS]``."""
        if (
            isinstance(el, str)
            and el.startswith("&")
            and "_" in el.rstrip("_")
            and el.rstrip("_") not in self.synsets
        ):
            return [w for w in el.split("_") if w]
        return el

    def _tabari(self, pre: list, post: list, passive: bool) -> tuple[list, list, bool, list[str]]:
        """TABARI-style sides: markers split out of ``_`` phrases, word runs grouped.

        After the verb, a run of content words is one noun phrase whose head is
        its last word (``IMPROVED &TIETYPES RELATIONS``: head RELATIONS), and a
        preposition followed by content words is a prepositional phrase
        (``OVER EFFORTS``).  ``- + * FROM $`` (target before the verb, source
        after it) becomes a subject-is-target rule; its source preposition is
        returned as a required word.
        """
        pre = _split_markers([self._split_synset(x) for x in pre])
        post = _split_markers([self._split_synset(x) for x in post])
        source_words: list[str] = []
        if "+" in pre and not passive and "+" not in post:
            flat = [x for x in post if x != "^"]
            if flat and flat[-1] == "$":
                passive = True
                last = len(post) - 1 - post[::-1].index("$")
                j = last - 1
                while j >= 0 and post[j] == "^":
                    j -= 1
                cut = {last}
                if j >= 0 and isinstance(post[j], str) and post[j].lower() in PREPOSITIONS:
                    source_words.append(post[j].lower())
                    cut.add(j)
                post = [x for i, x in enumerate(post) if i not in cut]
        return pre, _segment(post, self.is_preposition), passive, source_words

    def convert(self, text: str, verb: Verb) -> tuple[Spec, str, str | None]:
        """The spec for one pattern line, its code and its reverse-direction code."""
        body = text[1:].strip()
        m = _CODE.search(body)
        if not m:
            raise Skip("no code")
        code, passive, reverse = parse_code(m.group(1))
        code = _check_code(code)
        body = body[: m.start()]
        if "[" in body or "]" in body:
            raise Skip("unbalanced brackets")
        if body.count("*") != 1:
            raise Skip("no single * verb marker")
        if "/" in body:
            raise Skip("disjunction (A/B)")
        pre_text, post_text = body.split("*")
        pre = _parse_side(_TOKEN.findall(pre_text))
        post = _parse_side(_TOKEN.findall(post_text))

        words: list[str] = [*verb.words]
        if self.tabari:
            pre, post, passive, source_words = self._tabari(pre, post, passive)
            words.extend(source_words)
        obj: list[str] | None = None
        particle: str | None = None
        bare_preps: list[str] = []
        plus_prep: str | None = None

        # pre-verb: nouns and PPs are words of the subtree (the subject side)
        mutual = False
        for el in pre:
            if isinstance(el, PP):
                if "$" in el.inner or "+" in el.inner:
                    raise Skip("actor marker in a pre-verb prepositional phrase")
                words.append(el.prep.lower())
                for inner in el.inner:
                    if inner != "^":
                        words.extend(
                            self._phrase_words(inner if isinstance(inner, list) else [inner])
                        )
            elif isinstance(el, list):
                words.extend(self._phrase_words(el))
            elif el in ("$", "^"):
                continue  # $ before the verb is the default source
            elif el == "+":
                if not passive:
                    raise Skip("target marker + before the verb")
            elif el == "%":
                if passive:
                    raise Skip("compound-actor marker %")
                mutual = True  # "- % HAVE * [191]": the members of a compound subject
            else:
                words.extend(self._words(el))

        # post-verb: a preposition written right before + introduces the target
        consumed: set[int] = set()
        plus_count = sum(1 for el in post if el == "+") + sum(
            1 for el in post if isinstance(el, PP) and "+" in el.inner
        )
        if plus_count > 1:
            raise Skip("several target markers")
        for i, el in enumerate(post):
            if el == "$" or (isinstance(el, PP) and "$" in el.inner):
                raise Skip("source marker $ after the verb")
            if el == "%":
                raise Skip("compound-actor marker %")
            if el == "+":
                j = i - 1
                while j >= 0 and post[j] == "^":
                    j -= 1
                if j >= 0 and isinstance(post[j], str) and post[j].lower() in PREPOSITIONS:
                    plus_prep = post[j].lower()
                    consumed.add(j)

        trailing_prep: str | None = None
        if self.tabari and plus_prep is None and post:
            # TABARI "- * FOR [096]", "- *_ON [095]": a final preposition takes the target
            last = post[-1]
            if (
                isinstance(last, str)
                and last.lower() in PREPOSITIONS
                and last.lower() not in PARTICLES
            ):
                trailing_prep = last.lower()
                post = post[:-1]

        after_prep = False  # a bare preposition word (TABARI style) governs the next noun
        for i, el in enumerate(post):
            if i in consumed or el in ("+", "^"):
                continue
            if isinstance(el, PP):
                prep = el.prep.lower()
                inner = [x for x in el.inner if x != "^"]
                if "+" in inner:
                    plus_prep = prep
                    inner = [x for x in inner if x != "+"]
                elif not el.inner:
                    bare_preps.append(prep)
                elif prep.startswith("&"):
                    words.extend(self._words(el.prep))  # a synset of prepositions
                else:
                    words.append(prep)
                for x in inner:
                    words.extend(self._phrase_words(x if isinstance(x, list) else [x]))
                continue
            phrase = el if isinstance(el, list) else [el]
            lw = phrase[-1].lower()
            if len(phrase) == 1 and lw in NEGATIONS:
                raise Skip("negation")
            if len(phrase) == 1 and lw in PARTICLES and particle is None and not self.tabari:
                particle = lw
                continue
            if len(phrase) == 1 and self.tabari and lw in _FUNCTION:
                words.extend(self._words(phrase[0]))  # TABARI "WOULD", "HAS", "NOW"
                continue
            if len(phrase) == 1 and lw in CLOSED:
                words.append(lw)
                after_prep = lw in PREPOSITIONS
                continue
            found = self._object(phrase[-1]) if obj is None and not after_prep else None
            after_prep = False
            if found is not None:
                obj, extra = found
                words.extend(extra)
                words.extend(self._phrase_words(phrase[:-1]))
            else:
                words.extend(self._phrase_words(phrase))
        if trailing_prep is not None:
            bare_preps.append(trailing_prep)

        prep_out: str | None = None
        if plus_prep is not None:
            prep_out = plus_prep
            words.extend(bare_preps)
        elif bare_preps:
            prep_out = bare_preps[0]
            words.extend(bare_preps[1:])

        # merge with the verb entry's own particle and preposition
        if verb.particle is not None:
            if particle is not None and particle != verb.particle:
                words.append(particle)
            particle = verb.particle
        if verb.prep is not None:
            if prep_out is None:
                prep_out = verb.prep
            elif prep_out != verb.prep:
                words.append(verb.prep)

        spec = Spec(
            particle,
            tuple(sorted(set(obj))) if obj is not None else None,
            prep_out,
            tuple(sorted({w for w in words if w})),
            passive,
            mutual,
        )
        return spec, code, reverse


# --------------------------------------------------------------------------- conversion


@dataclass
class Stats:
    blocks: int = 0
    verb_entries: int = 0
    patterns: int = 0
    synsets: int = 0
    transformations: int = 0
    patterns_used: int = 0
    rules: int = 0
    bare_rules: int = 0
    passive_rules: int = 0
    null_rules: int = 0
    reverse_dropped: int = 0
    superseded: int = 0
    merged_entries: int = 0
    merge_conflicts: int = 0
    null_pruned: int = 0
    cross_duplicates: int = 0
    skipped_patterns: Counter = field(default_factory=Counter)
    skipped_verbs: Counter = field(default_factory=Counter)


@dataclass
class Conversion:
    """The rules of one verb file as JSON-ready records, with counts and issues."""

    records: list[dict]
    stats: Stats
    issues: list[DictionaryIssue]
    tabari: bool


def rule_key(lemma: str, pos: str, spec: Spec) -> tuple:
    s = spec
    return (lemma, pos, s.particle, s.object, s.prep, s.words, s.passive, s.mutual)


def _entry_rules(
    block: Block,
    entry: VerbEntry,
    verb: Verb,
    conv: PatternConverter,
    stats: Stats,
    reasons: dict,
    source_name: str,
) -> dict[tuple, dict]:
    """The rules one verb entry gets from its block: bare rule, then the patterns."""
    code, passive, reverse = parse_code(entry.code or block.code)
    code = _check_code(code)
    bare = Spec(verb.particle, None, verb.prep, tuple(sorted(verb.words)), passive)
    local: dict[tuple, dict] = {
        rule_key(verb.lemma, "VERB", bare): {
            "spec": bare,
            "code": code,
            "src": f"{source_name}:{entry.line}",
            "pattern": " ".join(entry.text.split()) + (f" [{entry.code}]" if entry.code else ""),
            "kind": "bare",
            "reverse": reverse,
        }
    }
    for pat in block.patterns:
        try:
            spec, pcode, preverse = conv.convert(pat.text, verb)
        except Skip as exc:
            reasons.setdefault(pat.line, str(exc))
            continue
        reasons[pat.line] = None
        key = rule_key(verb.lemma, "VERB", spec)
        if key in local:
            stats.superseded += 1  # PETRARCH-2 overwrites: the later pattern wins
        local[key] = {
            "spec": spec,
            "code": pcode,
            "src": f"{source_name}:{pat.line}",
            "pattern": " ".join(pat.text.split()),
            "kind": "pattern",
            "reverse": preverse,
        }
        if conv.tabari and spec.object is not None:
            # A TABARI noun is a word somewhere after the verb, not necessarily its
            # object ("fired two artillery shells" for "- * ARTILLERY"): a second
            # rule asks for it among the words; the object rule, first, wins ties.
            loose = replace(
                spec,
                object=None,
                words=tuple(sorted({*spec.words, ALT_SEP.join(spec.object)})),
            )
            local.setdefault(rule_key(verb.lemma, "VERB", loose), local[key] | {"spec": loose})
    return local


def _reason_key(reason: str) -> str:
    # "unreadable code [xyz]" is counted as "unreadable code"
    return reason.split(" [", 1)[0] if reason.startswith("unreadable code") else reason


def convert_source(
    source: Source,
    lemmatize: Lemmatize | _WordTools | None = None,
    *,
    source_name: str,
    tabari: bool | None = None,
    inflections: bool | None = None,
) -> Conversion:
    """Convert a read verb dictionary into rule records (the ``cameo.jsonl`` shape).

    ``tabari``: apply the TABARI-style readings (see the module docstring);
    ``None`` detects them with :func:`is_tabari_style`.  ``inflections``: also
    index a verb's rules under the lemmas the model gives its inflected forms in
    a sentence when they differ from the verb's own lemma (``cordoned`` ->
    ``cordone``; see :meth:`SpacyLemmatizer.inflection_lemmas`); ``None``: when the
    lemmatizer has a model.  The build script turns both off, so the packaged
    ``cameo.jsonl`` is the plain PETRARCH-2 reading.
    """
    lem = word_tools(lemmatize)
    if tabari is None:
        tabari = is_tabari_style(source)
    if inflections is None:
        inflections = lem.has_index
    issues: list[DictionaryIssue] = []
    stats = Stats(
        blocks=len(source.blocks),
        verb_entries=sum(len(b.verbs) for b in source.blocks),
        patterns=sum(len(b.patterns) for b in source.blocks),
        synsets=len(source.synsets),
        transformations=source.transformations,
    )
    conv = PatternConverter(source.synsets, lem, tabari=tabari)
    for name, heads in conv.synsets.items():
        if not heads and name not in conv.closed_synsets:
            issues.append(
                DictionaryIssue(
                    source_name,
                    source.synset_lines.get(name, 0),
                    f"synset {name} has no usable member",
                    "warning",
                )
            )
    reasons: dict[int, str | None] = {}  # pattern line -> skip reason, None once converted
    verbs: dict[str, tuple[Verb, dict[tuple, dict]]] = {}  # by base, first appearance first
    for block in source.blocks:
        if not block.verbs:
            issues.append(
                DictionaryIssue(source_name, block.line, f"verb block {block.name} has no verbs")
            )
        for entry in block.verbs:
            try:
                verb = parse_verb(entry, lem, tabari=tabari)
                local = _entry_rules(block, entry, verb, conv, stats, reasons, source_name)
            except Skip as exc:
                reason = str(exc)
                stats.skipped_verbs[_reason_key(reason)] += 1
                level = "warning" if reason in UNSUPPORTED else "error"
                issues.append(
                    DictionaryIssue(
                        source_name, entry.line, f"verb {entry.text!r} skipped: {reason}", level
                    )
                )
                continue
            if verb.base not in verbs:
                verbs[verb.base] = (verb, local)
                continue
            # listed again (same or later block): merge, the earlier definition wins,
            # except that a real code replaces a null bare code (ABANDON [---] -> [080])
            stats.merged_entries += 1
            rules = verbs[verb.base][1]
            for key, item in local.items():
                old = rules.get(key)
                if old is None or (
                    item["kind"] == "bare"
                    and old["kind"] == "bare"
                    and old["code"] == "---"
                    and item["code"] != "---"
                ):
                    rules[key] = item
                elif old["code"] != item["code"]:
                    stats.merge_conflicts += 1

    alternates: dict[str, list[str]] = {}  # verb base -> further lemmas of its forms
    if inflections:
        forms = sorted({f for verb, _ in verbs.values() for f in verb.inflected})
        lemma_of = lem.inflection_lemmas(forms)
        for verb, _ in verbs.values():
            alts = {lemma_of.get(f) for f in verb.inflected} - {None, "", verb.lemma}
            if alts:
                alternates[verb.base] = sorted(alts)

    rules_out: list[dict] = []
    global_keys: set[tuple] = set()
    for verb, local in verbs.values():
        if all(item["code"] == "---" for item in local.values()):
            # no rule of this verb codes an event: its null-code patterns change nothing
            for key in [k for k, item in local.items() if item["kind"] != "bare"]:
                del local[key]
                stats.null_pruned += 1
        n = 0
        entries = [(verb.lemma, key, item) for key, item in local.items()]
        for alt in alternates.get(verb.base, ()):
            entries += [(alt, (alt, *key[1:]), item) for key, item in local.items()]
        for lemma, key, item in entries:
            if key in global_keys:
                stats.cross_duplicates += 1
                continue
            global_keys.add(key)
            spec: Spec = item["spec"]
            rules_out.append(
                {
                    "id": f"{verb.base}.{n}",
                    "lemma": lemma,
                    "pos": "VERB",
                    "code": item["code"],
                    "particle": spec.particle,
                    "object": list(spec.object) if spec.object is not None else None,
                    "prep": spec.prep,
                    "words": list(spec.words),
                    "passive": spec.passive,
                    "src": item["src"],
                    "pattern": item["pattern"],
                }
            )
            if spec.mutual:
                rules_out[-1]["mutual"] = True
            if item["reverse"] and item["code"] != "---":
                rules_out[-1]["reverse"] = item["reverse"]
            n += 1
            stats.rules += 1
            stats.bare_rules += item["kind"] == "bare"
            stats.passive_rules += spec.passive
            stats.null_rules += item["code"] == "---"
            stats.reverse_dropped += bool(item["reverse"]) and item["reverse"] != item["code"]
    suffixed: set[tuple[int, str]] = set()
    for rule in rules_out:
        if _CODE_SUFFIXED.fullmatch(rule["code"]):
            suffixed.add((int(rule["src"].rsplit(":", 1)[1]), rule["code"]))
    for line, code in sorted(suffixed):
        issues.append(
            DictionaryIssue(
                source_name,
                line,
                f"code [{code}] is not a CAMEO code (letter suffix); kept as written",
                "warning",
            )
        )
    for block in source.blocks:
        for pat in block.patterns:
            if pat.line not in reasons:
                reason = _NO_VERB
            elif reasons[pat.line] is None:
                stats.patterns_used += 1
                continue
            else:
                reason = reasons[pat.line]
            stats.skipped_patterns[_reason_key(reason)] += 1
            if reason == _NO_VERB:
                message, level = f"pattern skipped: {reason}", "warning"
            elif reason in UNSUPPORTED:
                message, level = f"pattern skipped: {reason} (not supported by Tidings)", "warning"
            else:
                message, level = f"pattern skipped: {reason}", "error"
            issues.append(DictionaryIssue(source_name, pat.line, message, level))
    issues.sort(key=lambda i: i.line)
    return Conversion(rules_out, stats, issues, tabari)


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
