"""Countries an actor's phrase or sentence gives it beyond its own words.

A people placed by its phrase belongs to that country (:func:`home_country`).

News often names an office without its country ("President X said Vietnam
will...", "Judge X opened investigations against Chilean officials"): the
dictionary gives the role (``GOV``, ``JUD``) but not the country, which the
sentence establishes.  A role-only actor takes the country when exactly one
country is named by the other actors of its sentence.  Countries of actors
holding the same role are left out: "President X welcomed South African
leader Y" does not make X South African; so are countries that are only the
topic of something ("testify about Ukraine" is no Ukrainian testimony).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from tidings.model import Actor

if TYPE_CHECKING:
    from tidings.actors._compose import _Part

# Offices and political forces of a state: their country is the one the sentence
# is about.  Population groups (students, civilians, refugees, workers) are often
# foreigners where they are named ("police arrested students") and keep none;
# IGO/NGO have no country of their own.
_STATE_AGENTS = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "SPY", "ELI", "OPP", "REB", "PTY"})
# Prepositions whose object is what something is about, not who takes part.
_TOPIC_PREPS = frozenset({"about", "regarding", "concerning"})
# Nouns a country before them is the topic of: "the Russia probe", "the Ukraine scandal".
_TOPIC_NOUNS = frozenset(
    {"probe", "investigation", "inquiry", "scandal", "affair", "policy", "hearing", "issue"}
)


def role_only(actor: Actor, agent_ids: Collection[str]) -> bool:
    """A bare role word's actor: an agent code, no country, not a named entry."""
    return (
        actor.country is None
        and actor.agent is not None
        and actor.agent in _STATE_AGENTS
        and "/" not in actor.code
        and actor.code.startswith(actor.agent)
        and (actor.entry is None or actor.entry in agent_ids)
    )


def is_topic(tok) -> bool:
    """Whether ``tok`` (or the first of its conjuncts) is the object of a topic
    preposition: "testify about Ukraine", "questions regarding Iran and Iraq", or the
    topic of the noun it modifies: "the Russia probe"."""
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    if tok.lemma_.lower() in _TOPIC_NOUNS or (
        tok.dep_ == "compound" and tok.head.lemma_.lower() in _TOPIC_NOUNS
    ):
        return True  # "Barr moved to investigate the origins of the Russia probe"
    return tok.dep_ == "pobj" and tok.head.lower_ in _TOPIC_PREPS


def topic_head(tok) -> bool:
    """Whether ``tok`` heads a topic a country in its compound names ("the Russia
    investigation", "the president's Syria policy"): the country is what the phrase is
    about, so the phrase names no actor.  A possessor keeps it one ("Russia's
    investigation" is Russia's own)."""
    return (
        tok.pos_ == "NOUN"
        and tok.lemma_.lower() in _TOPIC_NOUNS
        and not any(c.dep_ == "poss" for c in tok.children)
        and any(c.dep_ == "compound" and c.pos_ == "PROPN" for c in tok.children)
    )


#: Heads of the names of buildings and venues: "Trump Tower", "the Ritz-Carlton Hotel".
_FACILITY_NOUNS = frozenset(
    {
        "tower", "towers", "hotel", "building", "plaza", "airport", "stadium", "arena",
        "avenue", "street", "square", "bridge", "mall", "resort", "casino", "hospital",
    }
)  # fmt: skip


def facility_head(tok) -> bool:
    """Whether ``tok`` heads the name of a building or venue named after someone ("the
    Trump Tower meeting", "Reagan Airport"): a place, not the person it is named for."""
    if any(c.dep_ == "compound" and _names_facility(c) for c in tok.children):
        return True  # "the Trump Tower meeting"
    return _names_facility(tok)


def _names_facility(tok) -> bool:
    return tok.lower_ in _FACILITY_NOUNS and any(
        c.dep_ == "compound" and c.pos_ == "PROPN" for c in tok.children
    )


def other_sector_countries(
    resolved: Mapping[int, tuple[Actor, ...]],
    heads: Iterable[int],
    i: int,
    is_country: Callable[[str], bool],
    *,
    doc,
    own_words_only: bool = False,
) -> frozenset[str]:
    """Countries the actors at ``heads`` (token indexes of ``doc``) other than ``i``
    name, leaving out actors of ``i``'s own sector ("President X met German Chancellor
    Merkel": X is not German) and topics (:func:`is_topic`); with ``own_words_only``,
    only countries an actor's own words give it."""
    agents = {a.agent for a in resolved[i]}
    return frozenset(
        a.country
        for j in heads
        if j != i and not is_topic(doc[j])
        for a in resolved[j]
        if a.country
        and is_country(a.country)
        and a.agent not in agents
        and not (own_words_only and a.country_from_context)
    )


def with_sentence_country(
    doc,
    resolved: dict[int, tuple[Actor, ...]],
    sentence_of: Sequence[int],
    agent_ids: Collection[str],
    is_country: Callable[[str], bool],
) -> None:
    """Give role-only actors in ``resolved`` the one country their sentence names.

    ``sentence_of`` maps a token index to the index of its sentence's first token."""
    by_sentence: dict[int, list[int]] = {}
    for i in resolved:
        by_sentence.setdefault(sentence_of[i], []).append(i)
    for heads in by_sentence.values():
        for i in heads:
            actors = resolved[i]
            if not any(role_only(a, agent_ids) for a in actors):
                continue
            countries = other_sector_countries(resolved, heads, i, is_country, doc=doc)
            if len(countries) != 1:
                continue
            (country,) = countries
            resolved[i] = tuple(
                _with_country(a, country) if role_only(a, agent_ids) else a for a in actors
            )


def with_clause_country(doc, resolved: dict[int, tuple[Actor, ...]], agent_ids) -> None:
    """Give a role-only actor in a relative clause on a country that country:
    "Unlike the United States, where Congress conducted its own investigation",
    "Turkey, whose police arrested ..." -- the clause is about its antecedent."""
    for i, actors in list(resolved.items()):
        if not any(role_only(a, agent_ids) for a in actors):
            continue
        tok = doc[i]
        while tok.head.i != tok.i and tok.dep_ != "relcl":
            tok = tok.head
        if tok.dep_ != "relcl":
            continue
        antecedent = resolved.get(tok.head.i, ())
        countries = {a.country for a in antecedent}
        if len(countries) != 1 or None in countries or any(a.agent for a in antecedent):
            continue
        (country,) = countries
        resolved[i] = tuple(
            _with_country(a, country) if role_only(a, agent_ids) else a for a in actors
        )


def speaking_for(doc, resolved: dict[int, tuple[Actor, ...]], voices: Collection[int]) -> None:
    """A spokesperson or leader "for"/"of" a body acts for it: "a spokeswoman for
    Russia's foreign ministry" is the ministry's (RUSGOV), "a spokesman for the
    UN" the UN's.  ``voices`` are the heads of such role words still without a
    country."""
    for i in voices:
        tok = doc[i]
        for prep in tok.children:
            if prep.dep_ != "prep" or prep.lower_ not in {"for", "of"}:
                continue
            bodies = [
                a
                for pobj in prep.children
                if pobj.dep_ == "pobj"
                for c in (pobj, *pobj.conjuncts)
                for a in resolved.get(c.i, ())
                if a.country or a.agent
            ]
            if bodies:
                text = doc[tok.left_edge.i : tok.i + 1].text
                resolved[i] = tuple(replace(a, text=text) for a in bodies)
                break


def _with_country(actor: Actor, country: str) -> Actor:
    return replace(actor, code=country + actor.code, country=country, country_from_context=True)


def home_country(tok, own: _Part, group: list[_Part], parts: Mapping[int, _Part]) -> _Part | None:
    """The country a people lives in when the phrase names it: "Bosnian Serbs",
    "Iraqi Kurds", "the Albanians of Serbia", "ethnic Albanians in Serbia"."""
    for p in group:
        if p is not own and p.people and p.country and p.end <= own.start:
            return p
    ethnic = any(c.lower_ == "ethnic" for c in tok.children)
    for prep in tok.children:
        if prep.dep_ != "prep" or not (prep.lower_ == "of" or (ethnic and prep.lower_ == "in")):
            continue
        for pobj in prep.children:
            p = parts.get(pobj.i)
            if pobj.dep_ == "pobj" and p and p.people and p.country and p.country != own.country:
                return p
    return None


_CAPITALS_FILE = Path(__file__).resolve().parent.parent / "data" / "actors" / "capitals.txt"
# Where a capital acts: as a subject, a possessor ("Moscow's response"), the
# agent of a passive ("was condemned by Washington") or the other side of a
# relation ("talks between Kabul and the Taliban", "ties with Beijing").
_ACTING_DEPS = frozenset({"nsubj", "nsubjpass", "poss"})
_RELATION_PREPS = frozenset({"by", "between", "with", "from", "against", "toward", "towards"})


def _listed(path: Path) -> frozenset[str]:
    """The items of a hand-written list file: one a line, "#" lines are comments."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@functools.lru_cache(maxsize=1)
def capitals() -> frozenset[str]:
    """Entry ids of capitals that stand for their government (data/actors/capitals.txt)."""
    return _listed(_CAPITALS_FILE)


_CONGRESSES_FILE = _CAPITALS_FILE.with_name("congresses.txt")


@functools.lru_cache(maxsize=1)
def congress_countries() -> frozenset[str]:
    """Countries with a "Congress" of their own (data/actors/congresses.txt), the USA too."""
    return _listed(_CONGRESSES_FILE)


def the_us_congress(tokens: list, parts: dict[int, _Part], named: Collection[str]) -> None:
    """Give a bare capitalised "Congress" in ``parts`` the United States.

    Why: "testifying before Congress" in a story from Damascus or Jerusalem is
    the US Congress, yet as a role-only actor it took the country of the
    sentence or article (judged wrong every time on the blind sheets).  Left to
    context when ``named`` (the countries the article names here and mostly)
    holds another country with a Congress (Peru's, the Philippines', India's
    party), when the phrase has its own country ("Peru's Congress", "the
    Congress of Colombia"), or when a capitalised word before it makes it a name
    ("the African National Congress", "the World Uyghur Congress")."""
    foreign = congress_countries() - {"USA"}
    if foreign.intersection(named):
        return
    for i, part in list(parts.items()):
        if part.entry != "CONGRESS" or part.country or tokens[i].text != "Congress":
            continue
        tok = tokens[i]
        before = tokens[tok.left_edge.i : tok.i]
        if any(t.i in parts or (t.text[:1].isupper() and not t.is_sent_start) for t in before):
            continue
        if any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children):
            continue
        if i + 1 < len(tokens) and tokens[i + 1].lower_ in {"party", "leader", "leaders"}:
            continue  # "the Congress party" (India's), "Congress leader Rahul Gandhi"
        parts[i] = replace(part, country="USA", code="USALEG")


def acts_as_government(tok) -> bool:
    """Whether a capital's name at ``tok`` names its government, not the place:
    "Moscow responded", "Moscow's decision", "talks with Washington" -- but not
    "in Moscow", "to Moscow", "a Moscow court"."""
    head = tok
    while head.dep_ == "conj":
        head = head.head
    if head.dep_ in _ACTING_DEPS:
        return True
    return head.dep_ == "pobj" and head.head.lower_ in _RELATION_PREPS
