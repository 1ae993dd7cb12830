"""Finding the place expression of an event trigger in a dependency parse.

The place of an event is a locative prepositional phrase ("in Moscow", "at a
meeting in Astana", "outside the Russian Consulate in Istanbul") inside the
trigger's own clause.  Clauses nested under the trigger (advcl, ccomp,
xcomp, relcl, pcomp...) have their own verb and their own setting, so they
are not searched: in "met in Moscow to discuss a ceasefire in Syria, a day
after the ambassador was shot dead in Ankara", "met" happened in Moscow, not
in Syria or Ankara.

When the trigger's clause has no place, three climbs are tried, each
searching a wider clause that still plausibly frames the event:

* a nominal trigger ("held *talks*") takes the place of the verb it is an
  argument of ("held talks in Moscow");
* a clause introduced by "when"/"where"/"while"/"as" takes the place of the
  clause it modifies ("visible in Moscow on Tuesday when ministers met");
  a "where" clause attached to a place noun takes that noun ("in Astana,
  where the ministers met");
* a coordinated verb shares the place of its first conjunct ("met in Moscow
  and signed a declaration").

Conversely, a place found only on a dependent of the trigger ("discuss a
ceasefire *in Syria*") may describe that dependent rather than the event; an
explicit frame then takes precedence: the main verb's own place for a
purpose infinitive ("met in Moscow to discuss..."), the antecedent of a
"where" clause.

Among the candidates of one clause the most specific wins (city > ADM1 >
country > region > text the gazetteer does not know), then the one nearest
the trigger in the tree.  This function only reads token attributes, so it
works on any spaCy-like token without importing spaCy.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from tidings.model import Place
from tidings.places._gazetteer import Candidate, Gazetteer, default_gazetteer
from tidings.places._normalize import is_vague, normalize
from tidings.places._resolve import PlaceContext, rank_candidates, resolve_place

__all__ = ["find_event_place", "resolve_event_place"]

Token = Any  # a spacy.tokens.Token; not imported to keep this layer spaCy-free

LOCATIVE_PREPS = frozenset(
    ["in", "at", "near", "outside", "inside", "across", "throughout", "around", "within", "into"]
)
# Prepositions that are locative only with these nouns ("on the outskirts
# of Damascus", "off the coast of Libya").
_EDGE_PREPS = frozenset(["on", "off", "along"])
_EDGE_NOUNS = frozenset(["outskirts", "edge", "coast", "border", "shore", "frontline"])
# Nouns whose "of" phrase is the place ("in the north of Syria", "in parts
# of Aleppo", "in the streets of Istanbul").
_AREA_NOUNS = frozenset(
    [
        "outskirts",
        "suburb",
        "suburbs",
        "edge",
        "coast",
        "shore",
        "border",
        "centre",
        "center",
        "heart",
        "streets",
        "street",
        "north",
        "south",
        "east",
        "west",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "part",
        "parts",
        "area",
        "areas",
        "region",
        "city",
        "town",
        "village",
        "capital",
        "province",
        "countryside",
    ]
)
# Generic nouns that a proper-noun compound turns into a place ("Aleppo
# province", "Donetsk region").
_GENERIC_PLACE_NOUNS = frozenset(
    [
        "province",
        "governorate",
        "region",
        "oblast",
        "state",
        "district",
        "county",
        "territory",
        "city",
        "town",
        "village",
        "prefecture",
        "republic",
    ]
)
_AREA_OR_GENERIC = _AREA_NOUNS | _GENERIC_PLACE_NOUNS
_DIRECTIONS = frozenset(
    [
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "northeastern",
        "northwestern",
        "southeastern",
        "southwestern",
    ]
)
PLACE_LABELS = frozenset(["GPE", "LOC", "FAC"])
# Entity labels that are never places, even if a gazetteer name matches
# ("in May" is not the town of May).  Other labels (ORG, NORP, PERSON) are
# accepted on a proper noun the gazetteer knows: the small model labels
# "Sevastopol" NORP and "Hyderabad" ORG.
_NOT_PLACE_LABELS = frozenset(
    ["DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL", "LAW"]
)
_CLAUSE_DEPS = frozenset(
    ["advcl", "relcl", "ccomp", "xcomp", "csubj", "csubjpass", "parataxis", "pcomp", "acl"]
)
_FRAMING_WORDS = frozenset(["when", "where", "while", "as", "whereas"])
_NOMINAL = frozenset(["NOUN", "PROPN"])
_VERBAL = frozenset(["VERB", "AUX"])
_SPECIFICITY = {"city": 4, "adm1": 3, "country": 2, "region": 1}


def _is(tok: Token, words: frozenset[str]) -> bool:
    """Whether the token, as written or lemmatised, is one of ``words``."""
    return tok.lower_ in words or tok.lemma_.lower() in words


def _entity_bounds(tok: Token) -> tuple[int, int]:
    """Token range [start, end) of the named entity containing ``tok``."""
    doc = tok.doc
    start = tok.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = tok.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return start, end


def _is_nested_clause(child: Token) -> bool:
    if child.dep_ == "acl":
        # A reduced passive relative describes its noun: "a meeting *held* in
        # Astana" is where the meeting is.  Other acl clauses are their own.
        return child.tag_ != "VBN"
    if child.dep_ == "conj" and child.pos_ in _VERBAL:
        return True
    return child.dep_ in _CLAUSE_DEPS


class _Finder:
    """Collects and ranks the place expressions of one search."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer
        self._ranked: dict[str, list[tuple[float, Candidate]]] = {}

    def ranked(self, text: str) -> list[tuple[float, Candidate]]:
        """Context-free ranking of an expression (memoised for this search)."""
        if text not in self._ranked:
            self._ranked[text] = rank_candidates(text, gazetteer=self.gaz)
        return self._ranked[text]

    def known(self, text: str) -> bool:
        return bool(self.ranked(text))

    def specificity(self, text: str) -> int:
        ranked = self.ranked(text)
        return _SPECIFICITY.get(ranked[0][1].type, 0) if ranked else 0

    def expression(self, tok: Token, _depth: int = 0) -> tuple[int, int] | None:
        """The token range of the place expression headed by ``tok``, if any."""
        doc = tok.doc
        label = tok.ent_type_
        if label in _NOT_PLACE_LABELS:
            return None
        span: tuple[int, int] | None = None
        if label in PLACE_LABELS:
            span = _entity_bounds(tok)
        elif tok.pos_ == "PROPN" and tok.text[:1].isupper():
            start, end = _entity_bounds(tok) if label else self._compound_bounds(tok)
            if self.known(doc[start:end].text):
                span = (start, end)
        elif _is(tok, _GENERIC_PLACE_NOUNS):
            span = self._generic_bounds(tok)
        if span is None:
            if _is(tok, _AREA_OR_GENERIC) and _depth < 2:
                # "in Mali's capital, Bamako", "in the town of Marea": the
                # name is an apposition or an "of" phrase of the generic noun.
                for child in tok.rights:
                    if child.dep_ == "appos":
                        found = self.expression(child, _depth + 1)
                        if found is not None:
                            return found
                for prep in tok.rights:
                    if prep.dep_ == "prep" and prep.lower_ == "of":
                        for pobj in prep.children:
                            if pobj.dep_ == "pobj":
                                return self.expression(pobj, _depth + 1)
            return None
        start, end = span
        start = self._extend_left(tok, start)
        end = self._extend_right(tok, start, end)
        return start, end

    @staticmethod
    def _compound_bounds(tok: Token) -> tuple[int, int]:
        start = tok.i
        for child in tok.lefts:
            if child.dep_ == "compound" and child.pos_ == "PROPN":
                start = min(start, child.i)
        return start, tok.i + 1

    def _generic_bounds(self, tok: Token) -> tuple[int, int] | None:
        """ "Aleppo province", "Syria's Aleppo province" (possessor as qualifier)."""
        # The name may be parsed as a compound or, capitalised, as an
        # adjective ("Aleppo" tagged JJ before "province").
        compounds = [
            c for c in tok.lefts if c.dep_ in ("compound", "amod", "nmod") and c.text[:1].isupper()
        ]
        if not compounds:
            return None
        start = min(c.i for c in compounds)
        for child in tok.lefts:
            if child.dep_ == "poss" and child.ent_type_ in PLACE_LABELS:
                start = min(start, _entity_bounds(child)[0])
        text = tok.doc[start : tok.i + 1].text
        return (start, tok.i + 1) if self.known(text) else None

    @staticmethod
    def _extend_left(tok: Token, start: int) -> int:
        """Take in a directional modifier: "eastern Ukraine" (stripped again for lookup)."""
        doc = tok.doc
        for child in tok.lefts:
            if (
                child.dep_ in ("amod", "compound")
                and child.i == start - 1
                and child.lower_ in _DIRECTIONS
            ):
                return child.i
        if start > 0 and doc[start - 1].lower_ in _DIRECTIONS and doc[start - 1].head.i == tok.i:
            return start - 1
        return start

    def _extend_right(self, tok: Token, start: int, end: int) -> int:
        """Take in an appositive qualifier: "Moscow, Russia", "Paris, Texas", "Alexandria, Va."."""
        doc = tok.doc
        if end + 1 >= len(doc) or doc[end].text != ",":
            return end
        nxt = doc[end + 1]
        if nxt.head.i not in range(start, end) and nxt.head.i != tok.i:
            return end
        if nxt.dep_ not in ("appos", "npadvmod", "conj", "compound", "pobj", "nmod"):
            return end
        q_start, q_end = _entity_bounds(nxt) if nxt.ent_type_ else (nxt.i, nxt.i + 1)
        if q_start != end + 1:
            return end
        # Only a country or subdivision qualifies a name; "Moscow, Ankara and
        # Tehran" is a list.
        after = doc[q_end].lower_ if q_end < len(doc) else ""
        if after in ("and", "or"):
            return end
        qualified = doc[start:q_end].text
        ranked = self.ranked(qualified)
        alone = self.ranked(doc[start:end].text)
        if ranked and (not alone or ranked[0][0] > alone[0][0]):
            return q_end
        return end

    def search(self, root: Token, exclude: frozenset[int]) -> list[tuple[int, int, int, int]]:
        """(tree depth, token distance, start, end) of the places in ``root``'s clause."""
        found: list[tuple[int, int, int, int]] = []
        frontier = deque((child, 1) for child in root.children if child.i not in exclude)
        while frontier:
            tok, depth = frontier.popleft()
            if _is_nested_clause(tok):
                continue
            if tok.dep_ == "prep":
                for start, end in self._prep_places(tok):
                    found.append((depth, abs(start - root.i), start, end))
            frontier.extend((c, depth + 1) for c in tok.children if c.i not in exclude)
        return found

    def _prep_places(self, prep: Token) -> list[tuple[int, int]]:
        word = prep.lower_
        out: list[tuple[int, int]] = []
        for pobj in prep.children:
            if pobj.dep_ != "pobj":
                continue
            if word in LOCATIVE_PREPS or (word in _EDGE_PREPS and _is(pobj, _EDGE_NOUNS)):
                span = self.expression(pobj)
                # "in the East" is not a place anyone could map.
                if span is not None and not is_vague(normalize(pobj.doc[span[0] : span[1]].text)):
                    out.append(span)
        return out

    def best(
        self, root: Token, exclude: frozenset[int] = frozenset(), *, max_depth: int = 99
    ) -> tuple[str, int] | None:
        """The best place expression of ``root``'s clause and its tree depth."""
        found = [f for f in self.search(root, exclude) if f[0] <= max_depth]
        if not found:
            return None
        doc = root.doc
        scored = [
            (self.specificity(doc[s:e].text), -depth, -dist, doc[s:e].text)
            for depth, dist, s, e in found
        ]
        top = max(scored)
        return top[3], -top[1]


def _subtree_ids(tok: Token) -> frozenset[int]:
    return frozenset(t.i for t in tok.subtree)


def _is_purpose_clause(tok: Token) -> bool:
    """A to-infinitive hanging from a verb ("met ... *to discuss*")."""
    return (
        tok.dep_ in ("advcl", "xcomp")
        and tok.head.pos_ in _VERBAL
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)
    )


def _frame_place(finder: _Finder, trigger: Token) -> str | None:
    """A place that frames the trigger's clause from outside, if any.

    * a purpose infinitive happens where its main verb does: "met in Moscow
      to discuss a ceasefire in Syria" (the main verb's own preps only);
    * a "where" clause happens at its antecedent: "the United States, where
      Congress conducted an investigation of the killing in Benghazi".
    """
    if _is_purpose_clause(trigger):
        main = finder.best(trigger.head, _subtree_ids(trigger), max_depth=1)
        if main is not None:
            return main[0]
    root = _clause_root(trigger)
    if root.dep_ == "relcl" and any(c.lower_ == "where" for c in root.children):
        span = finder.expression(root.head)
        if span is not None:
            return root.doc[span[0] : span[1]].text
    return None


def _clause_root(tok: Token) -> Token:
    while tok.dep_ != "ROOT" and tok.head.i != tok.i and not _is_nested_clause(tok):
        tok = tok.head
    return tok


def find_event_place(trigger: Token, *, gazetteer: Gazetteer | None = None) -> str | None:
    """The text of the place expression framing an event trigger, or None.

    The text is as written, qualifiers included ("Moscow, Russia", "Eastern
    Aleppo", "Syria's Aleppo province"), so that :func:`resolve_place` can use
    the qualifier and the evidence shows what the article said.
    """
    finder = _Finder(gazetteer or default_gazetteer())
    own = finder.best(trigger)
    if own is not None:
        if own[1] > 1:
            # The place hangs off a dependent, not the trigger ("discuss a
            # ceasefire *in Syria*"): it may describe that dependent.  An
            # explicit frame of the trigger's clause takes precedence.
            frame = _frame_place(finder, trigger)
            if frame is not None:
                return frame
        return own[0]
    searched = _subtree_ids(trigger)
    tok = trigger
    # A nominal trigger ("held *talks*") or a verb the parser attached as a
    # modifier ("police *baton-charged* supporters", parsed as an adjective
    # of "supporters") takes the places of its head.
    if trigger.dep_ != "ROOT" and (
        trigger.pos_ in _NOMINAL or trigger.dep_ in ("amod", "compound", "nmod")
    ):
        head = trigger.head
        if head.dep_ == "prep":
            head = head.head
        if head.i != trigger.i:
            found = finder.best(head, searched)
            if found is not None:
                return found[0]
            tok = head
    for _ in range(3):  # when/where and conjunct climbs, a few clauses up at most
        root = _clause_root(tok)
        if root.dep_ == "ROOT" or root.head.i == root.i:
            return None
        framing = any(
            c.lower_ in _FRAMING_WORDS and c.dep_ in ("advmod", "mark") for c in root.children
        )
        if root.dep_ in ("advcl", "relcl") and framing:
            if root.dep_ == "relcl":
                span = finder.expression(root.head)
                if span is not None:  # "in Astana, where they signed..."
                    return root.doc[span[0] : span[1]].text
        elif not (root.dep_ == "conj" and root.pos_ in _VERBAL):
            return None
        # Search the whole clause the framing clause hangs from: for "evident
        # in Moscow on Wednesday when they met", "when" modifies "Wednesday",
        # and the place is in the clause of "was".
        head = _clause_root(root.head)
        searched = searched | _subtree_ids(root)
        found = finder.best(head, searched)
        if found is not None:
            return found[0]
        tok = head
    return None


def resolve_event_place(
    trigger: Token,
    context: PlaceContext | None = None,
    *,
    gazetteer: Gazetteer | None = None,
) -> Place | None:
    """Find and resolve the place of an event; None when the text names none.

    The context is read, not updated: the caller decides which resolved
    places count as evidence for later ones (``context.add(place)``).
    """
    gaz = gazetteer or default_gazetteer()
    text = find_event_place(trigger, gazetteer=gaz)
    if text is None:
        return None
    return resolve_place(text, context, gazetteer=gaz)


_RU_PLACE_PREPS = frozenset({"в", "во", "на"})


def russian_place_phrase(trigger) -> tuple[list, str] | None:
    """The proper-noun words of "в Анкаре" / "на Украине" on a Russian trigger
    (or the verb its event noun depends on) and their text, if any."""
    scopes = [trigger]
    if trigger.pos_ == "NOUN" and trigger.head.i != trigger.i:
        scopes.append(trigger.head)
    for scope in scopes:
        for child in scope.children:
            if child.dep_ not in {"obl", "nmod"} or child.pos_ != "PROPN":
                continue
            case = [c for c in child.children if c.dep_ == "case"]
            if not case or case[0].text.lower() not in _RU_PLACE_PREPS:
                continue
            if child.ent_type_ not in {"LOC", ""}:
                continue
            words = [t for t in child.subtree if t.pos_ == "PROPN" and t.i >= child.i]
            words = [t for t in words if t.i - child.i < len(words)] or [child]
            text = child.doc[words[0].i : words[-1].i + 1].text
            return words, text
    return None
