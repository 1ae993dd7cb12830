"""Attribution: a statement aimed at the actor its content is about.

The real-news guidelines code what a speaker did *to whom*: "X said Y's move
had resulted in total chaos" is X criticising Y (111), "X said Y is an
essential partner" is X praising Y (051).  A statement verb whose frame names
no addressee takes as target the first identified actor of its content (the
clausal complement or quote), other than the speaker; the root is read from
the content's tone with VADER (a lexicon and rule-based sentiment model,
MIT-licensed, on PyPI as ``vaderSentiment``).  A content of neutral tone
gives no statement event: the guidelines code a statement only when it
carries an action toward an actor, and what it reports is coded by itself.
"""

from __future__ import annotations

import functools

from tidings.coding._frames import identified, trigger_lemma
from tidings.coding._modality import FIRST_PERSON_SUBJECTS

__all__ = ["PRAISING_WORDS", "addressed_tone", "statement_target"]

# "called X a hero / a great partner": the words that make calling someone something
# praise (CAMEO 051), besides a predicate VADER finds clearly positive ("a hero");
# any other predicate is criticism (111), which is what news reports of "X called Y
# ..." overwhelmingly are.
PRAISING_WORDS = frozenset(
    {
        "great", "good", "wonderful", "excellent", "hero", "heroes", "friend", "friends",
        "partner", "ally", "special", "important", "reformer", "brave", "courageous",
        "historic", "positive", "constructive", "successful", "fantastic", "strong",
        "oasis", "beacon", "model", "champion", "tremendous", "terrific", "brilliant",
        "right", "honorable", "decent", "visionary", "correct",
    }
)  # fmt: skip
# "X said Y is one of his top allies": what Y is said to be names it a friend, whatever
# the tone of the words around it (VADER reads "allies" as neutral).
_FRIEND_NOUNS = frozenset(
    {"ally", "allies", "friend", "friends", "partner", "partners", "hero", "heroes", "champion"}
)

CRITICISM = "111"
PRAISE = "051"
# Compound VADER scores beyond which a content is critical / praising.  The
# praise bar is higher: news paraphrase is often mildly positive in wording
# ("favouring", "support") without praising anyone.
_CRITICAL_BELOW = -0.25
_PRAISING_ABOVE = 0.5
_CONTENT_DEPS = frozenset({"ccomp", "parataxis"})


@functools.lru_cache(maxsize=1)
def _analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def tone(text: str) -> float:
    """VADER's compound score of ``text``, in [-1, 1].

    Typographic quotes are made plain first: VADER strips ASCII punctuation from a word
    but not "\u201c" or "\u201d", so the word "\u201cdisgusting\u201d" (as news quotes it)
    is not in its lexicon and reads as neutral."""
    return float(_analyzer().polarity_scores(text.translate(_PLAIN_QUOTES))["compound"])


_PLAIN_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})


def statement_target(verb, speakers, actors_at):
    """(code, target actor) of a statement aimed at an actor of its content, or None."""
    if _speaks_for_someone(verb):
        return None
    speaker_codes = {a.code for a in speakers}
    # The speaker's own state as a whole ("Pompeo said the U.S. would not take a
    # position") is whom the speaker speaks for, not whom the statement judges.
    own_states = {a.country for a in speakers if a.country}
    for comp in verb.children:
        if comp.dep_ not in _CONTENT_DEPS:
            continue
        comp = _opinion_content(comp)
        content = list(comp.subtree)
        # The statement is about the actor its content is about: the subject of the
        # content ("Y's move caused chaos", "Y is an essential partner").  An actor
        # further inside ("we granted relations to countries like Y", "in Y, we
        # don't call this...") is not what the speaker judges.
        subjects = [c for c in comp.children if c.dep_ in {"nsubj", "nsubjpass"}]
        if any(c.dep_ == "nsubjpass" or c.tag_ == "PRP" for c in subjects):
            # "X said he is glad ...": about the speaker; "X said Y was released": a
            # report of what happened to Y, whose tone is the event's, not a judgement.
            return None
        ordered = [t for subject in subjects for t in subject.subtree]
        target = next(
            (
                actor
                for tok in ordered
                for actor in actors_at.get(tok.i, ())
                if actor.code not in speaker_codes
                and identified(actor)
                and not (actor.code in own_states and actor.agent is None)
            ),
            None,
        )
        if target is None:
            continue
        if _named_a_friend(comp):
            return PRAISE, target
        score = tone(verb.doc[content[0].i : content[-1].i + 1].text)
        if score <= _CRITICAL_BELOW:
            return CRITICISM, target
        if score >= _PRAISING_ABOVE:
            return PRAISE, target
        return None
    return None


def _speaks_for_someone(verb) -> bool:
    """Whether the speaker is someone's voice ("his spokeswoman said", "their lawyer
    said"): what they say about their principal is no judgement of it."""
    return any(
        c.dep_ == "nsubj" and any(g.dep_ == "poss" and g.tag_ == "PRP$" for g in c.children)
        for c in verb.children
    )


def _opinion_content(comp):
    """The clause a speaker's "I think that ..." introduces: "I thought that the prime
    minister's statement was nasty" judges the statement, not the speaker."""
    while any(c.dep_ == "nsubj" and c.lower_ in FIRST_PERSON_SUBJECTS for c in comp.children):
        inner = next((c for c in comp.children if c.dep_ == "ccomp"), None)
        if inner is None:
            break
        comp = inner
    return comp


def _named_a_friend(comp) -> bool:
    """Whether the content says its subject *is* a friend ("Erdogan is one of his top
    allies", "Japan is a great partner"), not negated ("is no friend", "is not an ally")."""
    if comp.lemma_.lower() != "be" or any(c.dep_ == "neg" for c in comp.children):
        return False
    for attr in (c for c in comp.children if c.dep_ == "attr"):
        words = {t.lower_ for t in attr.subtree}
        if words & {"no", "not", "never"}:
            continue
        # "a trading partner", "a coalition partner": a relation stated, not praise
        if any(
            t.lower_ in _FRIEND_NOUNS and not any(c.dep_ == "compound" for c in t.children)
            for t in attr.subtree
        ):
            return True
    return False


# "We stand together", "we are with you", "stands firmly behind": solidarity declared to
# an addressee is support (CAMEO 051) though VADER reads it as neutral.
_SOLIDARITY = (
    "stand together", "stand with", "stands with", "stood with", "standing with",
    "stand by you", "stands by you", "stood by you", "are with you", "'re with you",
    "is with you", "behind you", "firmly behind", "in solidarity", "solidarity with",
)  # fmt: skip


def addressed_tone(verb, parties, actors_at) -> str | None:
    """The root of what a speaker tells an addressee (the statement names its target:
    "Pence tells Baltic states: 'We stand together'"), read from the content: support
    (051) for declared solidarity or a clearly praising tone; None otherwise (a plain
    statement, 010).
    ``parties`` are the speakers and addressees: a content about another actor ("told
    Netanyahu that Iran's conduct was a disaster") judges that actor, not the addressee,
    and is left a plain statement."""
    own = {a.country or a.code for a in parties}
    for comp in verb.children:
        if comp.dep_ not in _CONTENT_DEPS:
            continue
        if any(c.dep_ == "neg" for c in comp.children):
            return None  # "we will not stand by": no reading of tone
        if not any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in comp.children):
            # "told Congress North Korea was unlikely to ...": the parser took the
            # content's subject for the addressee; the content is not what it seems
            return None
        if any(
            identified(a) and (a.country or a.code) not in own
            for t in comp.subtree
            for a in actors_at.get(t.i, ())
        ):
            return None
        text = verb.doc[comp.left_edge.i : comp.right_edge.i + 1].text
        low = " ".join(text.lower().split())
        if any(phrase in low for phrase in _SOLIDARITY) or _named_a_friend(comp):
            return PRAISE
        # A critical tone is not read: what a speaker tells someone is mostly news
        # ("told the sheriffs terrorism is a tremendous threat", "told Netanyahu that
        # four hostages were killed"), rarely criticism of the listener (blind sheets).
        return PRAISE if tone(text) >= _PRAISING_ABOVE else None
    return None


#: Verbs that put forward a claim: disapproval (PETRARCH's 110 for "argue", "contend",
#: "suspect") only when the claim itself speaks ill of something.
_CLAIMING = frozenset({"argue", "contend", "suspect", "maintain", "insist"})
DISAPPROVE = "110"
#: A plain statement (CAMEO 010): what a claim without criticism is.
STATEMENT = "010"


def neutral_claim(verb, code: str) -> bool:
    """Whether a disapproval read off a claiming verb has no critical content.

    "argued that Trump's exit from the accord was a mistake" disapproves; "argued that
    Trump used the authority Congress gave him" or "argue that their bill is written to
    move in tandem with the talks" is a claim, a statement (010), not disapproval.  The
    clause's VADER tone decides: above zero is no criticism.
    """
    if code != DISAPPROVE or trigger_lemma(verb) not in _CLAIMING:
        return False
    content = [c for c in verb.children if c.dep_ in _CONTENT_DEPS]
    return bool(content) and all(tone(" ".join(t.text for t in c.subtree)) > 0 for c in content)
