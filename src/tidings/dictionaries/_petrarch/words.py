"""Word classes and word services of the PETRARCH/TABARI verb reader.

Part of :mod:`tidings.dictionaries._petrarch.verbs` (whose docstring describes
the format and the conversion): the closed word classes patterns are read with
(prepositions, particles, negations...) and the lemmatizers.

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
from collections.abc import Callable

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
