"""Modality of Russian events: the cue words of the clause that governs the trigger.

Kept apart from :mod:`tidings.coding._russian` (the frames) as the English coder keeps
:mod:`tidings.coding._modality`: "не" (negated), "будет", a perfective future,
"собирается"/"намерен" (future), "бы", "может", "если" (hypothetical), "якобы",
"возможно" (uncertain), and attribution: the content of "заявил, что…", "по словам X",
"как сообщает X", a quotation «…» (reported).  The readings of the parse that both
modules need live here too: a nominal's preposition (:func:`prep_of`), the phrase an
event noun heads (:func:`event_holder`), the speech verb over a clause
(:func:`speech_governor`).
"""

from __future__ import annotations

__all__ = [
    "ARGUMENT_DEPS",
    "PARTICIPANT_PREPS",
    "SPEECH",
    "event_holder",
    "prep_of",
    "russian_modality",
    "speech_governor",
]

SPEECH = frozenset(
    [
        "заявить",
        "заявлять",
        "сказать",
        "говорить",
        "сообщить",
        "сообщать",
        "отметить",
        "отмечать",
        "подчеркнуть",
        "подчеркивать",
        "рассказать",
        "добавить",
        "написать",
        "утверждать",
        "пояснить",
        "уточнить",
        "указать",
        "напомнить",
        "считать",
        "полагать",
        "объявить",
        "передать",
        "передавать",
        "заверить",
        "признать",
        "констатировать",
        "убеждать",
        "уверять",
        "предупредить",
    ]
)
_FUTURE_AUX = frozenset({"будет", "будут", "буду", "будем", "будете", "будешь"})
_FUTURE_HEADS = frozenset(
    [
        "собираться",
        "намереваться",
        "планировать",
        "намерен",
        "намеренный",
        "готовиться",
        "решить",
        "хотеть",
        "рассчитывать",
    ]
)
_HYPOTHETICAL_HEADS = frozenset({"мочь", "можно", "должный", "должен", "предлагать"})
_UNCERTAIN = frozenset({"якобы", "возможно", "вероятно", "предположительно", "видимо"})
_NEGATION = frozenset({"не", "ни"})
_PREP_VARIANTS = {"со": "с", "во": "в", "ко": "к", "ото": "от", "обо": "о"}
# Verbs that announce or schedule the action their object names ("объявили забастовку").
_ANNOUNCE = frozenset({"анонсировать", "запланировать", "планировать", "назначить"})
ARGUMENT_DEPS = frozenset({"obj", "obl", "nsubj", "nsubj:pass"})
# Prepositions under which an event noun's verb's subject takes part in the event
# ("участвовали в протестах", "выступил с заявлением"), unlike "из-за забастовки".
PARTICIPANT_PREPS = frozenset({None, "в", "на", "о", "об", "с", "за", "к"})


def prep_of(tok) -> str | None:
    """The preposition of a nominal (its ``case`` child), spelling variants folded."""
    for c in tok.children:
        if c.dep_ == "case":
            low = c.text.lower()
            return _PREP_VARIANTS.get(low, low)
    return None


def speech_governor(tok):
    """The speech verb whose content clause holds ``tok``, if any."""
    cur = tok
    for _ in range(6):
        head = cur.head
        if head.i == cur.i:
            return None
        if head.lemma_ in SPEECH and cur.dep_ in {"ccomp", "parataxis", "xcomp", "advcl", "obj"}:
            return head
        cur = head
    return None


def _clause_words(tok) -> list:
    """Words that govern the trigger's own clause: its children and its chain of xcomp heads."""
    words = list(tok.children)
    cur = tok
    while cur.dep_ in {"xcomp", "conj"} and cur.head.i != cur.i:
        cur = cur.head
        words.append(cur)
        words.extend(c for c in cur.children if c.dep_ in {"advmod", "aux", "advmod:neg"})
    return words


def russian_modality(tok, sent) -> tuple[str, tuple[str, ...]]:
    """The modality of the event ``tok`` expresses and the cue words found.

    An event noun that is an argument of a verb ("провели переговоры", "объявили
    забастовку", "не участвовали в протестах") takes that verb's modality: announcing
    or planning an action places it in the future (guidelines: an action announced for
    later keeps its root, modality ``future``)."""
    holder = event_holder(tok)
    if (
        holder.dep_ in ARGUMENT_DEPS
        and holder.head.i != holder.i
        and prep_of(holder) in PARTICIPANT_PREPS
    ):
        head = holder.head
        if head.pos_ == "VERB":
            if head.lemma_ in _ANNOUNCE:
                return "future", (head.text,)
            inherited = _own_modality(head, sent)
            if inherited[0] not in {"asserted", "reported"}:
                return inherited
    return _own_modality(tok, sent)


def event_holder(tok):
    """The phrase an event noun heads, climbing one noun it qualifies ("о проведении
    забастовки": the phrase of "проведении")."""
    if tok.pos_ == "NOUN" and tok.dep_ == "nmod" and tok.head.pos_ == "NOUN":
        return tok.head
    return tok


def _own_modality(tok, sent) -> tuple[str, tuple[str, ...]]:
    words = _clause_words(tok)
    lows = {w.text.lower(): w for w in words}
    for neg in _NEGATION:
        if neg in lows and lows[neg].head.i in {tok.i} | {w.i for w in words if w.pos_ == "VERB"}:
            return "negated", (neg,)
    heads = [w for w in words if w.i != tok.i and w.pos_ in {"VERB", "ADJ", "AUX"}]
    if any(w.text.lower() in _FUTURE_AUX for w in words):
        return "future", ("будет",)
    for h in heads:
        if h.lemma_ in _FUTURE_HEADS:
            return "future", (h.text,)
    if "бы" in lows:
        return "hypothetical", ("бы",)
    for h in heads:
        if h.lemma_ in _HYPOTHETICAL_HEADS:
            return "hypothetical", (h.text,)
    if any(c.dep_ == "mark" and c.lemma_ == "если" for c in tok.children):
        return "hypothetical", ("если",)
    for w in words:
        if w.lemma_ in _UNCERTAIN:
            return "uncertain", (w.text,)
    if tok.pos_ == "VERB" and "Tense=Fut" in str(tok.morph):
        return "future", (tok.text,)
    speech = speech_governor(tok)
    if speech is not None:
        return "reported", (speech.text,)
    low_text = sent.text.lower()
    for cue in ("по словам", "по данным", "как сообщает", "как сообщил", "как передает"):
        if cue in low_text:
            return "reported", (cue,)
    if sent.text.lstrip()[:1] in {"«", '"', "„"} and tok.lemma_ not in SPEECH:
        return "reported", ("«»",)
    return "asserted", ()
