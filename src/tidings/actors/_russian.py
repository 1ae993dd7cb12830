"""Russian actor recognition: names matched through lemmas, resolved to CAMEO codes.

The names live in ``tidings/data/actors/ru/`` (tab-separated, nominative
forms, see PROVENANCE.md there) and resolve to the codes of the English
dictionaries: a person's dated roles are taken from the English entry of the
same person when there is one.  Every name word is reduced to its set of
normal forms by the lemmatiser the pipeline passes in (pymorphy3), and so is
every word of the text, so "Лаврова", "Лаврову" and "Лавров" all match
"Лавров", "российскими" matches "российский" and "Анкаре" matches "Анкара".

An actor is built per noun phrase: matched names hang on the phrase's head
word through ``amod`` / ``appos`` / ``flat`` / genitive ``nmod`` links
("министр иностранных дел России Сергей Лавров": a role word, a country and
a person on one head).  The resolver returns ``{head token index: actors}``,
the same mapping the English resolver gives the coder.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from tidings.dictionaries.actors import person_table_rows
from tidings.model import Actor

__all__ = ["RussianActorResolver", "RussianMemory", "load_russian_resolver"]

Forms = Callable[[str], frozenset[str]]

# Dependencies through which a name describes the word it hangs on.
_ATTACH = {"amod", "appos", "flat", "flat:name", "flat:foreign", "compound", "nummod:gov"}
_PRONOUNS = {"он", "она"}
_PLURAL_PRONOUNS = {"они"}
# Parts of speech a lower-case dictionary word (role word, adjective) may have.
_NAME_POS = frozenset({"NOUN", "PROPN", "ADJ", "X", "VERB"})


@dataclass(frozen=True, slots=True)
class _Entry:
    id: str
    kind: str  # country, capital, city, org, person, agent
    codes: tuple[tuple[str, _dt.date | None, _dt.date | None], ...]
    words: tuple[frozenset[str], ...]
    capitalised: bool

    def code_on(self, when: _dt.date | None) -> str | None:
        if not self.codes:
            return None
        if when is not None:
            for code, start, end in self.codes:
                if (start is None or start <= when) and (end is None or when <= end):
                    return code
            if self.kind == "person":
                return None  # no role on that day: a private person then
        return self.codes[-1][0]


@dataclass(slots=True)
class RussianMemory:
    """What an article has said so far: surnames to actors, the last person."""

    surnames: dict[str, Actor] = field(default_factory=dict)
    last_person: Actor | None = None
    last_actor: Actor | None = None
    # states the article has named so far, with how often: the context of a bare
    # role word ("суд", "граждане") in a sentence that names none
    countries: Counter[str] = field(default_factory=Counter)


def _data_dir() -> Path:
    return Path(str(resources.files("tidings") / "data" / "actors" / "ru"))


def _rows(path: Path) -> list[list[str]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            out.append(line.split("\t"))
    return out


def _date(text: str) -> _dt.date | None:
    text = text.strip()
    return _dt.date.fromisoformat(text) if text else None


def _english_people() -> dict[str, list[dict]]:
    """English person entries by name, for their dated roles."""
    path = Path(str(resources.files("tidings") / "data" / "actors" / "countries.jsonl"))
    people: dict[str, list[dict]] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if '"type": "person"' not in line:
                continue
            entry = json.loads(line)
            for name in entry["names"]:
                people.setdefault(name, []).append(entry)
    return people


class RussianActorResolver:
    """Finds Russian actor names and role words and resolves them to actors."""

    def __init__(self, forms: Forms, data_dir: Path | None = None) -> None:
        self.forms = forms
        data = data_dir or _data_dir()
        self.countries: set[str] = set()
        self.english: dict[str, str] = {}  # country code -> English name (for places)
        self.place_names: dict[str, tuple[str, str]] = {}  # first form -> (code, English)
        entries: list[_Entry] = []
        for code, names, capital, english in _rows(data / "countries.tsv"):
            self.countries.add(code)
            self.english[code] = english
            cap = frozenset(self.forms(capital)) if capital else frozenset()
            for name in names.split(";"):
                words = self._words(name)
                kind = "capital" if len(words) == 1 and words[0] & cap else "country"
                if name[:1].islower():
                    kind = "adjective"
                agent_code = (
                    code + "GOV" if kind == "capital" or name in {"Кремль", "Белый дом"} else code
                )
                entries.append(
                    _Entry(name, kind, ((agent_code, None, None),), words, name[:1].isupper())
                )
        for code, names, _english in _rows(data / "cities.tsv"):
            for name in names.split(";"):
                kind = "adjective" if name[:1].islower() else "city"
                entries.append(
                    _Entry(name, kind, ((code, None, None),), self._words(name), kind == "city")
                )
        for code, names, english_id in _rows(data / "organizations.tsv"):
            for name in names.split(";"):
                name = name.strip('"')
                entries.append(
                    _Entry(
                        english_id,
                        "org",
                        ((code, None, None),),
                        self._words(name),
                        name[:1].isupper(),
                    )
                )
        people = _english_people()
        for row in person_table_rows(data / "persons.tsv"):
            # this file's role for the name, and the English entry's dated roles in other
            # periods (the Phoenix entries often leave a role open that has ended)
            own = (row.role.code, row.role.start, row.role.end)
            codes = (
                own,
                *(
                    c
                    for c in self._english_roles(people.get(row.english, []), row.role.code)
                    if c[1] is not None and not _overlap(c, own)
                ),
            )
            entry_id = row.english.upper().replace(" ", "_")
            for name in row.names:
                entries.append(_Entry(entry_id, "person", codes, self._words(name), True))
        for agent, names in _rows(data / "agents.tsv"):
            for name in names.split(";"):
                entries.append(
                    _Entry(name, "agent", ((agent, None, None),), self._words(name), False)
                )
        self._index: dict[str, list[_Entry]] = {}
        for entry in entries:
            if not entry.words:
                continue
            for key in entry.words[0]:
                self._index.setdefault(key, []).append(entry)
        for bucket in self._index.values():
            bucket.sort(key=lambda e: -len(e.words))

    def _english_roles(self, entries: list[dict], code: str) -> tuple:
        """Dated roles of the English entry whose codes share the fallback's country."""
        for entry in entries:
            roles = tuple(
                (c["code"], _date(c["start"] or ""), _date(c["end"] or ""))
                for c in entry["codes"]
                if c["code"][:3] == code[:3]
            )
            if roles:
                return tuple(sorted(roles, key=lambda r: r[1] or _dt.date.min))
        return ()

    def _words(self, name: str) -> tuple[frozenset[str], ...]:
        return tuple(self.forms(w) for w in name.replace("«", " ").replace("»", " ").split())

    def split_code(self, code: str) -> tuple[str | None, str | None]:
        if code[:3] in self.countries:
            return code[:3], (code[3:6] or None)
        return None, (code[:3] or None)

    # -- matching --------------------------------------------------------------

    def find(self, tokens: list) -> list[tuple[int, int, _Entry]]:
        """Longest dictionary matches over a token list, left to right, non-overlapping."""
        keys = [self.forms(t.text) for t in tokens]
        out = []
        i = 0
        while i < len(tokens):
            best = None
            for key in keys[i]:
                for entry in self._index.get(key, ()):
                    n = len(entry.words)
                    if best is not None and n <= best[1] - best[0]:
                        continue
                    if i + n > len(tokens):
                        continue
                    if entry.capitalised and not tokens[i].text[:1].isupper():
                        continue
                    if not entry.capitalised and tokens[i].pos_ not in _NAME_POS:
                        continue  # "после" is a form of "посол" too
                    if all(entry.words[k] & keys[i + k] for k in range(1, n)):
                        best = (i, i + n, entry)
            if best is None:
                i += 1
                continue
            out.append(best)
            i = best[1]
        return out

    # -- resolution ------------------------------------------------------------

    def resolve(self, doc, when: _dt.date | None = None, memory: RussianMemory | None = None):
        """``{head token index: (actors, ...)}`` for a parsed paragraph."""
        memory = memory if memory is not None else RussianMemory()
        tokens = list(doc)
        parts: dict[int, list[tuple[int, int, _Entry]]] = {}
        placed: dict[int, int] = {}  # a match's own head word -> the phrase head it joined
        conjoined: list[tuple[int, _Entry, str]] = []  # "министры России и Турции": Турции
        for start, end, entry in self.find(tokens):
            own = _span_head(tokens, start, end)
            if own.dep_ == "conj" and own.head.i in placed and placed[own.head.i] != own.head.i:
                conjoined.append((placed[own.head.i], entry, doc[start:end].text))
                continue
            head = self._climb(own, entry)
            placed[own.i] = head.i
            parts.setdefault(head.i, []).append((start, end, entry))
        found: dict[int, tuple[Actor, ...]] = {}
        agent_only: list[tuple[int, list]] = []
        for i, matched in sorted(parts.items()):
            actor = self._combine(tokens[i], matched, when)
            if actor is None:
                agent_only.append((i, matched))
                continue
            found[i] = (actor,)
            names = [t for t in tokens[i].subtree if t.pos_ == "PROPN" and t.ent_type_ == "PER"]
            if names or any(e.kind == "person" for _, _, e in matched):
                for t in names:
                    memory.surnames[t.lemma_] = actor
                memory.last_person = actor
        for i, entry, words in conjoined:
            # the role of the phrase, for each further state it names
            first = found.get(i)
            code = entry.code_on(when)
            if not first or code is None or first[0].agent is None:
                continue
            country, _ = self.split_code(code)
            if country is None or country == first[0].country:
                continue
            agent = first[0].agent
            found[i] = (
                *first,
                Actor(code=country + agent, text=words, country=country, agent=agent),
            )
        memory.countries.update(a.country for acts in found.values() for a in acts if a.country)
        for i, matched in agent_only:
            # A bare role word ("полиция", "оппозиционеры") belongs to the state the
            # sentence is about: the first other actor of its sentence with a country.
            agent = next((e.codes[0][0] for _, _, e in matched if e.kind == "agent"), None)
            if agent is None:
                continue
            sent = tokens[i].sent
            country = next(
                (
                    a.country
                    for j, acts in sorted(found.items())
                    if sent.start <= j < sent.end and j != i
                    for a in acts
                    if a.country
                ),
                None,
            )
            own = next(  # "вице-премьер и глава МВД Италии": a state inside its phrase
                (
                    a.country
                    for t in tokens[i].subtree
                    if t.i != i
                    for a in found.get(t.i, ())
                    if a.country
                ),
                None,
            )
            if own is not None:
                country = own
            elif memory.countries:  # the article's state, else the sentence's
                country = memory.countries.most_common(1)[0][0]
            if country is not None:
                lo = min(s for s, _, _ in matched)
                hi = max([e for _, e, _ in matched] + [i + 1])
                text = tokens[i].doc[min(lo, i) : hi].text
                found[i] = (
                    Actor(
                        code=country + agent,
                        text=text,
                        country=country,
                        agent=agent,
                        country_from_context=True,
                    ),
                )
        for tok in tokens:
            if tok.i in found:
                continue
            if tok.pos_ == "PROPN" and tok.ent_type_ == "PER" and tok.lemma_ in memory.surnames:
                head = self._climb(tok, None)
                if head.i not in found:
                    found[head.i] = (_retext(memory.surnames[tok.lemma_], tok.text),)
            elif tok.lemma_ in _PRONOUNS and memory.last_person:
                found[tok.i] = (_retext(memory.last_person, tok.text),)
            elif tok.lemma_ in _PLURAL_PRONOUNS and tok.pos_ == "PRON" and memory.last_actor:
                found[tok.i] = (_retext(memory.last_actor, tok.text),)
        for i in sorted(found):
            if tokens[i].pos_ != "PRON":
                memory.last_actor = found[i][0]
        return found

    @staticmethod
    def _climb(tok, entry: _Entry | None):
        """The head word of the noun phrase a matched name belongs to."""
        for _ in range(4):
            head = tok.head
            if head.i == tok.i or head.pos_ not in {"NOUN", "PROPN"}:
                return tok
            if tok.dep_ in _ATTACH:
                tok = head
                continue
            if tok.dep_ == "nmod" and not any(c.dep_ == "case" for c in tok.children):
                # genitive: "министр России", "правительство Турции"
                if entry is not None and entry.kind in {"agent", "person"}:
                    return tok  # "сторонники Навального" is not Navalny
                tok = head
                continue
            return tok
        return tok

    def _combine(self, head, matched, when) -> Actor | None:
        person = org = None
        country = agent = None
        capital = False
        for _, _, entry in matched:
            code = entry.code_on(when)
            if code is None:
                continue
            if entry.kind == "person":
                person = person or code
            elif entry.kind == "org":
                org = org or code
            elif entry.kind == "agent":
                agent = agent or code
            else:
                c, a = self.split_code(code)
                country = country or c
                capital = capital or a == "GOV"
        lo = min([s for s, _, _ in matched] + [head.i])
        hi = max([e for _, e, _ in matched] + [head.i + 1])
        doc = head.doc
        text = doc[lo:hi].text
        if person:
            c, a = self.split_code(person)
            if country and c and c != country and agent:
                return Actor(code=country + agent, text=text, country=country, agent=agent)
            return Actor(code=person, text=text, country=c, agent=a)
        if org and not country:
            c, a = self.split_code(org)
            return Actor(code=org, text=text, country=c, agent=a)
        if country:
            if agent is None and capital:
                agent = "GOV"
            if agent is None and org:
                c, a = self.split_code(org)
                if c is None:
                    return Actor(code=org, text=text, country=None, agent=a)
            code = country + (agent or "")
            return Actor(code=code, text=text, country=country, agent=agent)
        return None


def _overlap(a: tuple, b: tuple) -> bool:
    """Whether two (code, start, end) roles share a day (open ends are unbounded)."""
    lo = max(a[1] or _dt.date.min, b[1] or _dt.date.min)
    hi = min(a[2] or _dt.date.max, b[2] or _dt.date.max)
    return lo <= hi


def _span_head(tokens: list, start: int, end: int):
    for t in tokens[start:end]:
        if not (start <= t.head.i < end) or t.head.i == t.i:
            return t
    return tokens[start]


def _retext(actor: Actor, text: str) -> Actor:
    return Actor(code=actor.code, text=text, country=actor.country, agent=actor.agent)


_CACHE: dict[int, RussianActorResolver] = {}


def load_russian_resolver(forms: Forms) -> RussianActorResolver:
    """The packaged Russian dictionaries, compiled once per lemmatiser."""
    key = id(forms)
    if key not in _CACHE:
        _CACHE[key] = RussianActorResolver(forms)
    return _CACHE[key]
