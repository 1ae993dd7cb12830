"""Dictionary matches that name no actor where they stand.

A name in the dictionaries is an actor in most sentences, but not in every
place a sentence puts it: a city before "talks" is where they are held ("the
Geneva talks"), a capital in capitals before the agency's name is the story's
dateline ("MOSCOW (AP) -"), and "the McCain" is a ship named after a senator.
Nor is a phrase an actor of the country that modifies it when its head names
others related to that country: "U.S. allies" are not the United States.
"""

from __future__ import annotations

__all__ = ["names_no_actor", "relational_head"]

#: Event nouns a city name before them places, not joins: "the Geneva talks", "the Minsk
#: agreement", "the Astana process" name where, not who.
_VENUE_EVENT_NOUNS = frozenset(
    {
        "talk",
        "talks",
        "summit",
        "conference",
        "agreement",
        "accord",
        "accords",
        "process",
        "format",
        "negotiation",
        "negotiations",
        "meeting",
        "forum",
        "convention",
        "declaration",
        "protocol",
        "memorandum",
        "deal",
        "ceasefire",
        "truce",
        "round",
        # violence and unrest: "the Paris attacks", "the Brussels bombings", "the Kiev
        # protests" say where it happened, not who did it
        "attack",
        "attacks",
        "bombing",
        "bombings",
        "shooting",
        "shootings",
        "massacre",
        "blast",
        "blasts",
        "explosion",
        "explosions",
        "protest",
        "protests",
        "riot",
        "riots",
    }
)
#: What follows a dateline's place: "MOSCOW (AP) -", "WASHINGTON -", "KYIV, Ukraine -".
_DASHES = frozenset({"\u2014", "\u2013", "-", "--"})
_DATELINE_FOLLOWERS = _DASHES | {"(", ","}


def names_no_actor(kind: str, tokens: list, start: int, end: int) -> bool:
    """Whether the match ``tokens[start:end]`` of an entry of type ``kind`` names no
    actor where it stands: a venue, a dateline, a patron ("Iran-backed") or a thing
    named after a person."""
    if kind == "city" and (_venue_of_event(tokens[end - 1]) or _a_persons_name(tokens, start)):
        return True
    if kind in {"city", "country"} and _dateline(tokens, start, end):
        return True
    if _part_of_a_wider_name(tokens, start, end) or _backer(tokens, end):
        return True
    return kind == "person" and _named_after(tokens, start, end)


#: Words that make "America(n)" a region: "Central Americans", "Latin American leaders",
#: "the North American Free Trade Agreement".
_REGION_PREFIXES = frozenset({"central", "latin", "south", "north"})
_AMERICA = frozenset({"america", "american", "americans"})


def _part_of_a_wider_name(tokens: list, start: int, end: int) -> bool:
    """Whether the match is only part of a name for something else: "American" in "Central
    American migrants" or "Latin American leaders" (a region, not the United States), or
    "Cuban" in "Cuban-Americans" (Americans of Cuban descent)."""
    first = tokens[start].lower_
    if first in _AMERICA and start > 0 and tokens[start - 1].lower_ in _REGION_PREFIXES:
        return True
    return (
        end + 1 < len(tokens)
        and tokens[end].text == "-"
        and tokens[end + 1].lower_ in _AMERICA
        and first not in _AMERICA
    )


#: Participles after "Country-" that name a patron, not the actor's country: an "Iran-backed
#: militia" in Iraq is Iraqi, "Russian-backed separatists" in Donbas are Ukrainian (the
#: real-news guidelines code the militia by where it is).  Left out: "-led" (a "Saudi-led
#: coalition" is the Saudis'), "-allied", "-affiliated", "-inspired" (a "Taliban-allied
#: network" is close enough to the Taliban to be coded with them).
_PATRON_PARTICIPLES = frozenset(
    {"backed", "supported", "sponsored", "funded", "financed", "armed", "trained", "equipped"}
)


def _backer(tokens: list, end: int) -> bool:
    """Whether the match is the patron in "Iran-backed", "Russian-backed" (a hyphen and a
    participle of :data:`_PATRON_PARTICIPLES` follow it)."""
    return (
        end + 1 < len(tokens)
        and tokens[end].text == "-"
        and tokens[end + 1].lower_ in _PATRON_PARTICIPLES
    )


def _venue_of_event(tok) -> bool:
    """Whether ``tok`` (the last word of a city's name) modifies an event noun."""
    return tok.dep_ == "compound" and tok.head.lower_ in _VENUE_EVENT_NOUNS


def _dateline(tokens: list, start: int, end: int) -> bool:
    """Whether the match opens its sentence as a dateline does: in capitals before a
    dash or the agency ("MOSCOW (AP) -"), or in any case before the agency in
    parentheses ("Washington (CNN) Mexican President ...")."""
    if end < len(tokens) and _place_comma_place_dash(tokens, start, end):
        return True
    if not tokens[start].is_sent_start or end >= len(tokens):
        return False
    text = " ".join(t.text for t in tokens[start:end])
    if text.isupper() and len(text) > 2 and tokens[end].text in _DATELINE_FOLLOWERS:
        return True
    if tokens[end].text != "(":
        return False
    close = next(
        (k for k in range(end + 2, min(end + 5, len(tokens))) if tokens[k].text == ")"), None
    )
    return close is not None and all(t.text[:1].isupper() for t in tokens[end + 1 : close])


def _place_comma_place_dash(tokens: list, start: int, end: int) -> bool:
    """Whether the match lies in an opening "Place, PLACE --" ("Rovaniemi, FINLAND --
    Speaking to reporters, ..."): capitalised words and one comma, then a dash."""
    first = start
    while first > 0 and not tokens[first].is_sent_start and start - first < 4:
        first -= 1
    if not tokens[first].is_sent_start:
        return False
    dash = next(
        (k for k in range(end, min(first + 8, len(tokens))) if tokens[k].text in _DASHES), None
    )
    if dash is None:
        return False
    words = tokens[first:dash]
    return sum(t.text == "," for t in words) == 1 and all(
        t.text == "," or t.text[:1].isupper() for t in words
    )


def _a_persons_name(tokens: list, start: int) -> bool:
    """Whether the city's name is a person's surname here ("adviser Ben Rhodes"): the
    entity tagger reads it as the inside of a person's name that began before it (a
    capital alone at the start of a sentence is sometimes tagged a person: "Ankara
    appears to have endorsed ...")."""
    tok = tokens[start]
    return start > 0 and tok.ent_type_ == "PERSON" and tok.ent_iob_ == "I"


def _named_after(tokens: list, start: int, end: int) -> bool:
    """Whether a person's name follows "the" directly ("the McCain", "the Reagan"): a
    ship, a building or a library, not the person ("the Bush administration" is matched
    with its head noun and read as the government)."""
    return (
        start > 0
        and tokens[start - 1].lower_ == "the"
        and end - start == 1
        and tokens[start].dep_ != "compound"  # "the Obama administration" is his
    )


#: Heads naming the others a country is related to: "U.S. allies", "Iran's neighbours".
_RELATIONAL_HEADS = frozenset(
    {
        "ally",
        "partner",
        "neighbor",
        "neighbour",
        "adversary",
        "enemy",
        "foe",
        "rival",
        "proxy",
        "client",
    }
)


def relational_head(tok) -> bool:
    """Whether ``tok`` heads a phrase naming a country's allies, rivals or neighbours."""
    return tok.pos_ == "NOUN" and tok.lemma_.lower() in _RELATIONAL_HEADS


_STANCE_PREFIXES = frozenset({"pro", "anti"})


def stance_prefixed(tokens: list, start: int) -> bool:
    """Whether the match at ``start`` follows "pro-" or "anti-" ("pro-Russian activists
    in Luhansk", "anti-American protesters"): it names a side taken, not the actor's
    country."""
    return (
        start >= 2
        and tokens[start - 1].text == "-"
        and tokens[start - 2].lower_ in _STANCE_PREFIXES
    )
