"""Resolve noun phrases of a parsed paragraph to CAMEO actor codes.

A CAMEO actor code is a country (``RUS``) optionally followed by an agent
(``GOV``, ``MIL``, ``COP``...).  News rarely names both in one word, so the
resolver combines the parts found in a noun phrase: the head (a dictionary
person, organisation, country or role word), its modifiers ("Russian", the
possessive "Turkey's", "ministers *from* Russia, Turkey and Iran") and an
apposition ("Andrei Karlov, Russia's ambassador to Turkey").  Pronouns and
names seen earlier in the article are resolved from what came before.

The output is a plain mapping from token index to actors, so the coder never
needs to know how actors were found.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from dataclasses import replace

from tidings.actors._article import (
    ArticleMemory,
    fill_main_country,
    find_role_words,
    observe,
    refer_back,
    surname_supported,
)
from tidings.actors._compose import VOICES, CodeComposer, _Part, _retext, coordinated_nationals
from tidings.actors._context import (
    facility_head,
    role_only,
    speaking_for,
    the_us_congress,
    topic_head,
    with_clause_country,
    with_sentence_country,
)
from tidings.actors._dictionary_lookup import DictionaryLookup
from tidings.actors._not_actors import relational_head, stance_prefixed
from tidings.actors._quotes import resolve_first_person
from tidings.actors._salience import (
    PLURAL_PRONOUNS,
    SINGULAR_PRONOUNS,
    Salience,
    clause_subjects,
    person_gender,
    speaker_actors,
    speaker_name,
    without_bound,
)
from tidings.model import Actor

_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_NOUNISH = {"NOUN", "PROPN", "PRON", "ADJ", "NUM", "X"}


def _nominal_pos(tok) -> str:
    """The token's part of speech, with a capitalised subject tagged as a verb read as a name.

    Why: the small English model tags a sentence-initial name that is also a verb
    ("Trump put North Korea on the list", "Pence says ...") as VERB while parsing it as
    the subject; the parse is the better witness of a name than the tag.
    """
    if tok.pos_ == "VERB" and tok.dep_ in _SUBJECT_DEPS and tok.text[:1].isupper():
        return "PROPN"
    return tok.pos_


_MODIFIER_DEPS = {"compound", "amod", "nmod", "poss", "flat", "nn", "npadvmod"}
_COUNTRY_PREPS = {"of", "from", "in"}
_THING_PRONOUNS = frozenset(SINGULAR_PRONOUNS | PLURAL_PRONOUNS)
# Heads that name a country's armed forces when the phrase names the country
# ("Serb forces", "forces of Ukraine") but nobody in particular alone.
_COUNTRY_MIL_HEADS = frozenset({"forces"})


class ActorResolver(DictionaryLookup, CodeComposer):
    """Resolves actors in spaCy docs with a compiled dictionary matcher (the matching
    itself is :class:`~tidings.actors._dictionary_lookup.DictionaryLookup`)."""

    # -- resolution -------------------------------------------------------------

    def resolve(
        self,
        doc,
        *,
        when: _dt.date | None = None,
        memory: ArticleMemory | None = None,
    ) -> dict[int, tuple[Actor, ...]]:
        """Map the head token of every actor noun phrase in ``doc`` to its actors."""
        memory = memory if memory is not None else ArticleMemory()
        memory.docs.append(doc)
        parts: dict[int, _Part] = {}
        tokens = list(doc)
        found = [
            (m, self._part_of(m, when, tokens))
            for m in self.find(doc, tokens)
            if not stance_prefixed(tokens, m.start)
        ]
        lone = {m.start for m, p in found if p is not None and p.is_person and m.end - m.start == 1}
        memory.here = {p.country for m, p in found if p and p.country and m.start not in lone}
        for m, part in found:
            if part is not None and m.start in lone:
                names = m.payload.names
                token = tokens[m.start]
                if not surname_supported(
                    token, names, part.country, part.agent, parts, memory, alias=True
                ):
                    continue
            if part is not None:
                for i in range(m.start, m.end):
                    parts[i] = part
        leading = {country for country, _ in memory.countries.most_common(3)}
        the_us_congress(tokens, parts, memory.here | leading)
        for tok in tokens:
            if tok.lower_ in _COUNTRY_MIL_HEADS and tok.pos_ == "NOUN" and tok.i not in parts:
                parts[tok.i] = _Part(None, "MIL", None, None, tok.i, tok.i + 1, needs_country=True)
        resolved: dict[int, tuple[Actor, ...]] = {}
        sentence_of = _sentence_starts(doc)
        salient = Salience(sentence_of, memory.persons, memory.genders)
        salient.restore(memory.antecedents)
        for tok in tokens:
            pos = _nominal_pos(tok)
            if pos not in _NOUNISH:
                continue
            low = tok.lower_
            pair = salient.pair(tok)
            if pair:  # "the two leaders", "both countries"
                resolved[tok.i] = tuple(
                    _retext(a, doc[tok.left_edge.i : tok.i + 1].text) for a in pair
                )
                salient.add(tok, resolved[tok.i], person=False, gender=None)
                continue
            if pos == "PRON" or low in _THING_PRONOUNS:
                speaker = speaker_name(tok)
                if speaker is not None:
                    # "Rosenstein said he ...": he is Rosenstein, known here or not
                    if found := speaker_actors(speaker, resolved):
                        resolved[tok.i] = found
                    continue
                antecedent = without_bound(
                    salient.for_pronoun(low, tok.i), clause_subjects(tok), resolved
                )
                if antecedent:
                    resolved[tok.i] = antecedent
                    head = tok.head
                    if (
                        tok.dep_ == "poss"
                        and len(antecedent) == 1
                        and tok.i not in parts
                        and not any(
                            parts[j].country for j in range(tok.i + 1, head.i + 1) if j in parts
                        )
                    ):
                        # "its forces": the possessive lends its country to the head
                        # ("his Lebanese counterpart" has its own).
                        a = antecedent[0]
                        parts[tok.i] = _Part(a.country, None, a.country, a.entry, tok.i, tok.i + 1)
                continue
            # "Russian" in "Russian proposals" is part of its head's phrase,
            # but "Turkey's" in "Turkey's police" is an actor of its own too.
            if (
                tok.i in parts
                and tok.dep_ in _MODIFIER_DEPS
                and tok.dep_ != "poss"
                and tok.head.pos_ in {"NOUN", "PROPN"}
            ):
                continue
            if pos != "PROPN" and (
                not parts or not _any_in(parts, tok.left_edge.i, tok.right_edge.i + 1)
            ):
                continue  # no dictionary word anywhere in this phrase: cannot be an actor
            if pos == "ADJ" and tok.i not in parts:
                # an adjective heading a small clause ('called [the Danish leader
                # "nasty"]') is no actor: the actor is the noun under it
                continue
            actors = self._resolve_head(tok, parts, memory, when)
            if not actors:
                continue
            resolved[tok.i] = actors
            person = tok.ent_type_ == "PERSON" or any(
                p is not None and p.is_person for p in (parts.get(tok.i),)
            )
            if (
                tok.dep_ not in _MODIFIER_DEPS
                or tok.head.pos_ not in {"NOUN", "PROPN"}
                # "Mueller's supporters say he ...": the possessor of a subject is a
                # person pronouns can mean
                or (person and tok.dep_ == "poss" and tok.head.dep_ in _SUBJECT_DEPS)
            ):
                gender = person_gender(tok, self._full_names.get(actors[0].entry or ""))
                salient.add(tok, actors, person=person, gender=gender)
            conj_heads = [tok, *tok.conjuncts]
            if len(conj_heads) > 1 and all(c.i in resolved for c in conj_heads if c.i <= tok.i):
                group = tuple(
                    a for c in sorted(conj_heads, key=lambda t: t.i) for a in resolved.get(c.i, ())
                )
                if len(group) > 1:
                    salient.plural = group
        speaking_for(
            doc,
            resolved,
            [
                i
                for i, actors in resolved.items()
                if getattr(parts.get(i), "entry", None) in VOICES
                and all(a.country is None for a in actors)
            ],
        )
        role_words = find_role_words(tokens, resolved, parts, self._trie)
        refer_back(doc, resolved, role_words, memory, self._agent_ids)
        with_clause_country(doc, resolved, self._agent_ids)
        with_sentence_country(
            doc, resolved, sentence_of, self._agent_ids, self.countries.__contains__
        )
        salient.refresh(resolved)
        memory.speaker = resolve_first_person(doc, resolved, memory.speaker)
        self._resolve_pronoun_memory(doc, resolved, memory)
        observe(memory, tokens, resolved, role_words, self._agent_ids, self.countries.__contains__)
        # Antecedents still without a country are not carried: their country
        # came (or comes) from context the next paragraph does not share.
        memory.antecedents = tuple(
            () if any(role_only(a, self._agent_ids) for a in actors) else actors
            for actors in salient.state()
        )
        return resolved

    def resolve_article(
        self, docs, *, when: _dt.date | None = None, kinds: Sequence[str] | None = None
    ) -> list[dict[int, tuple[Actor, ...]]]:
        """Resolve the paragraphs of one article in order, each with what the
        paragraphs before taught (see :mod:`tidings.actors._article`); role-only
        actors left without a country take the article's main country.

        ``kinds`` gives each paragraph's kind: a photo caption or an embedded post
        stands outside the running text, so the persons and things it names are no
        antecedents for the pronouns of the body after it (a caption naming "French
        President Emmanuel Macron" between "Trump said" and "He also accused ..."
        does not make Macron the accuser)."""
        memory = ArticleMemory()
        found = []
        for n, doc in enumerate(docs):
            aside = kinds is not None and kinds[n] in _ASIDE_KINDS
            saved = (memory.antecedents, list(memory.persons), memory.speaker)
            found.append(self.resolve(doc, when=when, memory=memory))
            if aside:
                memory.antecedents, memory.persons[:], memory.speaker = saved
        fill_main_country(memory, self._agent_ids)
        return found

    def _resolve_pronoun_memory(self, doc, resolved, memory: ArticleMemory) -> None:
        """Remember person names resolved in this doc for later paragraphs.

        A name in apposition to a resolved role ("the party's leader, Jane
        Roe") is remembered with the role's actor, so a later "Roe" or "Ms Roe"
        gets it."""
        for i, actors in resolved.items():
            tok = doc[i]
            if len(actors) != 1:
                continue
            if tok.pos_ == "PROPN" and tok.ent_type_ == "PERSON":
                named = [tok]
            elif actors[0].country and tok.n_rights:
                named = [
                    c
                    for c in tok.rights
                    if c.dep_ == "appos" and c.pos_ == "PROPN" and c.ent_type_ == "PERSON"
                    if c.i not in resolved
                ]
            else:
                continue
            for person in named:
                memory.names.setdefault(person.lower_, actors[0])
                name = " ".join(
                    t.lower_ for t in doc[person.left_edge.i : person.i + 1] if t.pos_ == "PROPN"
                )
                memory.names.setdefault(name, actors[0])

    def _modifier_parts(self, tok, parts: Mapping[int, _Part]) -> list[list[_Part]]:
        """Country and agent parts found in the modifiers of ``tok``.

        Returns groups: each group is one alternative actor (conjoined
        countries such as "from Russia, Turkey and Iran" give one group each).
        """
        # Everything left of the head within its phrase: determiners, national
        # adjectives, possessives, compounds ("Foreign Minister Lavrov").
        shared: list[_Part] = []
        for i in range(tok.left_edge.i, tok.i):
            p = parts.get(i)
            if p is not None and p not in shared:
                shared.append(p)
        groups: list[list[_Part]] = []
        if tok.i in parts:
            for child in tok.children:
                if child.dep_ != "prep" or child.lower_ not in _COUNTRY_PREPS:
                    continue
                for pobj in child.children:
                    if pobj.dep_ != "pobj":
                        continue
                    for conj in [pobj, *pobj.conjuncts]:
                        p = parts.get(conj.i)
                        if p is not None and p.code and "/" in p.code:
                            # "presidents of the Baltic states": one group per country
                            for code in p.code.split("/"):
                                country, agent = self.split_code(code)
                                groups.append([replace(p, country=country, agent=agent, code=code)])
                        elif p is not None and (p.country or p.code):
                            groups.append([p])
        if not groups:
            national = coordinated_nationals(tok, parts)
            if national:
                # "Iranian and Turkish officials": officials of each country.
                others = [p for p in shared if p not in national]
                return [[*others, p] for p in national]
            return [shared]
        return [shared + g for g in groups]

    def _resolve_head(
        self, tok, parts: Mapping[int, _Part], memory: ArticleMemory, when: _dt.date | None = None
    ) -> tuple[Actor, ...]:
        own = parts.get(tok.i)
        doc = tok.doc
        out: list[Actor] = []
        for group in self._modifier_parts(tok, parts):
            actor = self._combine(tok, own, group, memory, when, parts)
            if actor is None:
                continue
            out.append(actor)
        if (not out or all(a.agent is None or a.country is None for a in out)) and tok.pos_ in {
            "PROPN",
            "NOUN",
        }:
            countries = {a.country for a in out if a.country}
            for child in tok.children:
                if child.dep_ == "appos":
                    appos = self._resolve_head(child, parts, memory, when)
                    if countries and not any(a.country in countries for a in appos):
                        # "Greece, the Ukraine, Poland and Romania": another actor
                        # (a list read as an apposition), not a description
                        continue
                    if appos:
                        text = doc[tok.left_edge.i : tok.i + 1].text
                        out = [_retext(a, text) for a in appos]
                        break
        if own is None and relational_head(tok) and out and all(a.country for a in out):
            return ()  # "U.S. allies" are other states; "its EC partners" are the EC
        if own is None and topic_head(tok):
            return ()  # "slammed the Russia investigation": a topic, not Russia
        if own is None and facility_head(tok):
            return ()  # "met at Trump Tower": a building, not Trump
        seen: set[str] = set()
        unique = []
        for a in self._split_compound(out):
            if a.code not in seen:
                seen.add(a.code)
                unique.append(a)
        return tuple(unique)


#: Paragraph kinds outside the running text (see :meth:`ActorResolver.resolve_article`).
_ASIDE_KINDS = frozenset({"caption", "embed"})


def _sentence_starts(doc) -> list[int]:
    """For each token of ``doc``, the index of the first token of its sentence
    (``token.sent`` walks the sentence on every call)."""
    starts = [0] * len(doc)
    for sent in doc.sents:
        starts[sent.start : sent.end] = [sent.start] * (sent.end - sent.start)
    return starts


def _any_in(parts: Mapping[int, _Part], start: int, end: int) -> bool:
    if end - start < len(parts):
        return any(i in parts for i in range(start, end))
    return any(start <= i < end for i in parts)
