"""What the article, not the sentence, says about an actor.

News names its actors once and then refers back to them: "Prime Minister
Jane Roe" becomes "Ms Roe", "the prime minister", "she"; a story about one
country's government talks of "the official", "police", "lawmakers" without
repeating whose.  The resolver works paragraph by paragraph; this module
keeps what it learned in :class:`ArticleMemory` and applies it:

- antecedents for pronouns carry over paragraph breaks;
- a definite role description ("the prime minister") is the last actor
  named with that role word and a country; "the company" is the last
  multinational company named;
- role-only actors still without a country after their sentence take the
  article's main country, when one country clearly dominates the article
  (:func:`fill_main_country`);
- a lone surname is read as a famous dictionary person only with support in
  the article (:func:`surname_supported`): the person's full name earlier,
  or a title that fits the person's office.  "Carney said" in a story about
  the White House is not the Canadian banker of that name.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace

from tidings.actors._context import other_sector_countries, role_only
from tidings.actors._matcher import PhraseTrie, lookup_exact
from tidings.model import Actor

# The main country: the most mentioned, with at least this many mentions and
# this share of all country mentions, and this lead over the runner-up.
_MAIN_MIN_MENTIONS = 2
_MAIN_MIN_SHARE = 0.4
_MAIN_MIN_LEAD = 1.5

# Multinational companies (the guidelines' kind MNC) and the role words that
# refer back to the last one named ("the company", "the corporation").
_COMPANY_KIND = "MNC"
_COMPANY_ROLES = frozenset({"COMPANY", "CORPORATION"})

# Determiners of a definite description that refers back ("the minister").
_DEFINITE = frozenset({"the", "this", "that"})


@dataclass
class ArticleMemory:
    """What the resolver learned earlier in the same article.

    ``names``: person names resolved through a role ("Russian Foreign Minister
    X"), by full name and surname, so a later bare "X" or "Mr X" gets the code.
    ``roles``: role-word entry -> the last actor named with it and a country.
    ``antecedents``: the pronoun antecedents at the end of the last paragraph.
    ``countries``: how often each country was named by an actor's own words.
    ``pending``: role-only actors left without a country, and definite
    descriptions that took their sentence's country, as (mapping, token
    index, countries other sectors name in the sentence), for
    :func:`fill_main_country`.
    ``docs``: the paragraphs read so far (their text supports lone surnames).
    ``here``: the countries the dictionary finds in the paragraph being resolved.
    ``titled``: dictionary persons the text gave another office than the
    dictionary's ("Senator Joe Biden"), by entry: a later bare "Biden" keeps it.
    """

    names: dict[str, Actor] = field(default_factory=dict)
    roles: dict[str, dict[str, Actor]] = field(default_factory=dict)  # role -> holders
    mentions: Counter = field(default_factory=Counter)  # actor entry -> times named
    antecedents: tuple = ()
    countries: Counter = field(default_factory=Counter)
    pending: list[tuple[dict[int, tuple[Actor, ...]], int, frozenset[str]]] = field(
        default_factory=list
    )
    docs: list = field(default_factory=list)  # the paragraphs read so far
    _lowered: list[str] = field(default_factory=list)
    here: set[str] = field(default_factory=set)  # countries named in the paragraph at hand
    persons: list = field(default_factory=list)  # pronoun antecedents (see _salience)
    genders: dict[str, str] = field(default_factory=dict)
    company: Actor | None = None  # the last multinational company named
    titled: dict[str, Actor] = field(default_factory=dict)  # person entry -> its titled actor
    speaker: tuple = ()  # the speaker of the quote the last paragraph ended with

    def seen(self, phrase: str) -> bool:
        """Whether the article so far contains ``phrase`` (lower case)."""
        while len(self._lowered) < len(self.docs):  # lowered only when asked
            self._lowered.append(self.docs[len(self._lowered)].text.lower())
        return any(phrase in chunk for chunk in self._lowered)

    def main_country(self) -> str | None:
        """The country the article is about, when one clearly dominates."""
        if not self.countries:
            return None
        ranked = self.countries.most_common(2)
        top, count = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0
        total = sum(self.countries.values())
        if (
            count >= _MAIN_MIN_MENTIONS
            and count >= _MAIN_MIN_SHARE * total
            and count >= _MAIN_MIN_LEAD * runner_up
        ):
            return top
        return None


def observe(
    memory: ArticleMemory,
    tokens: list,
    resolved: dict[int, tuple[Actor, ...]],
    role_words: dict[int, str],
    agent_ids: Collection[str],
    is_country: Callable[[str], bool],
) -> None:
    """Record a resolved paragraph in ``memory``.

    ``role_words`` maps an actor head to the role-word entry of its phrase
    ("prime minister" -> PRIME_MINISTER)."""
    for i, actors in resolved.items():
        named = [
            a.country
            for a in actors
            if a.country and not a.country_from_context and is_country(a.country)
        ]
        for country in named:
            # One phrase naming several countries ("U.S. and Chinese officials") is
            # one mention, shared: it makes neither the article's main country.
            memory.countries[country] += 1 / len(named)
        for a in actors:
            if a.entry:
                memory.mentions[a.entry] += 1
        if len(actors) == 1 and actors[0].code.startswith(_COMPANY_KIND):
            memory.company = actors[0]
        if len(actors) == 1 and actors[0].country and actors[0].agent:
            role = role_words.get(i)
            if role is not None:
                holders = memory.roles.setdefault(role, {})
                holders.pop(actors[0].entry or actors[0].code, None)  # the latest goes last
                holders[actors[0].entry or actors[0].code] = actors[0]
        if any(role_only(a, agent_ids) for a in actors):
            memory.pending.append((resolved, i, _other_countries(tokens, resolved, i, is_country)))
        elif definite(tokens[i]) and any(_from_sentence(a) for a in actors):
            # "The president denied ventures in Russia": the sentence's country
            # is a guess the article's main country overrides.
            memory.pending.append((resolved, i, frozenset()))


def _other_countries(tokens, resolved, i: int, is_country) -> frozenset[str]:
    """Countries that actors of another sector name in their own words in the sentence
    of token ``i``: "Unlike the United States, where Congress conducted its own
    investigation" is not about the article's main country's congress."""
    sent = tokens[i].sent
    heads = [j for j in resolved if sent.start <= j < sent.end]
    return other_sector_countries(
        resolved, heads, i, is_country, own_words_only=True, doc=tokens[i].doc
    )


def find_role_words(
    tokens: list, resolved: Mapping[int, tuple], parts: Mapping, trie: PhraseTrie
) -> dict:
    """For each actor head, the role-word entry of its phrase ("the prime
    minister", "Prime Minister Jane Roe" -> the PRIME_MINISTER agent entry).

    A dictionary name may include its title ("President Barack Obama"): the
    title is then looked up on its own."""
    out: dict[int, str] = {}
    for i in resolved:
        tok = tokens[i]
        start = tok.left_edge.i
        for j in range(start, i + 1):
            p = parts.get(j)
            if p is not None and p.code is None and p.agent and p.entry:
                out[i] = p.entry
                break
        else:
            own = parts.get(i)
            if own is None or not own.is_person or own.end - own.start < 2:
                continue
            for j in range(own.start, i):
                hit = title_at(tokens, j, i, trie)
                if hit is not None:
                    out[i] = hit[0]
                    break
    return out


def title_at(
    tokens: list, j: int, limit: int, trie: PhraseTrie, office_of: str | None = None
) -> tuple[str, str, int] | None:
    """The role word of up to three words starting at token ``j`` and ending before
    ``limit``, as (entry id, agent code, end): "senator" in a dictionary name
    "senator chuck hagel".  With ``office_of`` (a country), also an office of that
    country the dictionaries list as a body ("secretary of state": USAGOV)."""
    for k in (3, 2, 1):
        if j + k > limit:
            continue
        phrase = " ".join(t.lower_ for t in tokens[j : j + k])
        for kind, e in lookup_exact(trie, phrase):
            if kind == "agent":
                return e.id, e.code, j + k
            if office_of and kind == "actor" and e.type in {"group", "org"}:
                role = e.role_on(None)
                if role is not None and role.code[:3] == office_of and role.code[3:]:
                    return e.id, role.code[3:], j + k
    return None


def _from_sentence(actor: Actor) -> bool:
    return actor.country_from_context and actor.country is not None


def definite(tok) -> bool:
    """Whether ``tok`` heads a definite description ("the minister")."""
    return any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in tok.children)


def refer_back(
    doc,
    resolved: dict[int, tuple[Actor, ...]],
    role_words: dict[int, str],
    memory: ArticleMemory,
    agent_ids: Collection[str],
) -> None:
    """Resolve definite role descriptions to the actor last named with the role."""
    for i, actors in list(resolved.items()):
        role = role_words.get(i)
        if (
            role in _COMPANY_ROLES
            and memory.company is not None
            and len(actors) == 1
            and actors[0].country is None
            and definite(doc[i])
        ):
            # "Twitter refused ... the company bowed to German law": the
            # company the article named, not an unknown business.
            resolved[i] = (replace(memory.company, text=actors[0].text),)
            continue
        if role is None or len(actors) != 1 or not role_only(actors[0], agent_ids):
            continue
        holders = memory.roles.get(role)
        if not holders or not definite(doc[i]):
            continue
        # The holder the article names most (the latest of equals): "the president"
        # after "President Obama told the UN ... Obama had harsh words for Russia
        # ahead of a meeting with President Vladimir Putin" is Obama.
        _, earlier = max(
            enumerate(holders.values()),
            key=lambda pair: (memory.mentions[pair[1].entry] if pair[1].entry else 0, pair[0]),
        )
        resolved[i] = (replace(earlier, text=actors[0].text),)


def fill_main_country(memory: ArticleMemory, agent_ids: Collection[str]) -> None:
    """Give role-only actors still without a country the article's main country, unless
    their sentence names only other countries; definite descriptions ("the president")
    take it instead of their sentence's."""
    country = memory.main_country()
    if country is None:
        return
    for resolved, i, elsewhere in memory.pending:
        actors = resolved.get(i)
        if not actors:
            continue
        if elsewhere and country not in elsewhere and any(role_only(a, agent_ids) for a in actors):
            continue  # the sentence is about other countries
        resolved[i] = tuple(
            replace(a, code=country + a.code, country=country, country_from_context=True)
            if role_only(a, agent_ids)
            else replace(a, code=country + a.code[3:], country=country)
            if _from_sentence(a)
            else a
            for a in actors
        )
    memory.pending.clear()


_HONORIFICS = frozenset({"mr", "mr.", "ms", "ms.", "mrs", "mrs.", "dr", "dr.", "sir", "dame"})


def surname_supported(
    tok,
    names: Collection[str],
    country: str | None,
    agent: str | None,
    parts,
    memory,
    *,
    alias: bool = False,
) -> bool:
    """Whether a lone surname at ``tok`` may be read as the dictionary person
    with full ``names``, ``country`` and office ``agent``.

    Not when the phrase gives another first name ("Mette Frederiksen" is not
    "Claus Hjort Frederiksen").  Otherwise yes for an ``alias``, a one-word
    name the dictionary itself lists for the person ("Putin"), and else only
    with support: the article already named the person in full, it names the
    person's country (before, or in the same paragraph), or a title in the
    phrase fits the office ("President X" for a head of state; "Chairman X"
    for a minister is no support).  ``parts`` maps token indices to the
    resolver's dictionary parts (titles are the role-word parts left of the
    name)."""
    given: str | None = None
    titles: set[str] = set()
    for t in tok.doc[tok.left_edge.i : tok.i]:
        part = parts.get(t.i)
        if part is not None:
            if part.code is None and part.agent:
                titles.add(part.agent)
        elif t.pos_ == "PROPN" and t.text[:1].isupper() and t.lower_ not in _HONORIFICS:
            given = t.lower_
    multiword = [n for n in names if " " in n]
    if given is not None and tok.i > 0 and tok.doc[tok.i - 1].lower_ == given:
        phrase = f"{given} {tok.lower_}"
        return any(n == phrase or n.endswith(" " + phrase) for n in multiword)
    if alias:
        return True
    if memory is not None and any(memory.seen(n) for n in multiword):
        return True
    if memory is not None and country and (country in memory.here or country in memory.countries):
        return True
    return bool(agent) and agent in titles
