"""Why a record failed: the cause of every missing and extra triple, with diagnostics.

Part of :mod:`tidings.evaluation.petrarch_tests`: :func:`failure_causes` sorts
each difference into a cause, and for a missing triple whose actors were found
:func:`_explainer` replays the coder's rule selection and frames on the parsed
sentence to say which step lost it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from tidings.evaluation._petrarch_suite import Triple, UnitTestRecord, _actor_code

if TYPE_CHECKING:
    from tidings.dictionaries.actors import DictionaryIssue
    from tidings.pipeline import Pipeline


def _is_petrarch_only(triple: Triple) -> bool:
    """PETRARCH-specific expectations: new-actor text codes (``"INJURY TOLL"``)."""
    return triple.source.startswith('"') or triple.target.startswith('"')


def failure_causes(
    record: UnitTestRecord,
    got: set[Triple],
    *,
    actors_found: set[str],
    explain: Callable[[Triple], str] | None = None,
    compound_codes: frozenset[str] = frozenset(),
) -> list[tuple[str, str]]:
    """``(cause, triple)`` for every missing and extra triple of a record.

    Causes of a missing triple, the first that applies:

    * ``petrarch-only expectation``: a new-actor text code (``"INJURY TOLL"``) or a
      record marked ``bad_input_parse`` (its expectation depends on a broken parse);
    * ``compound actor code (A/B/C)``: an actor whose dictionary code lists several
      codes at once (``THE_SHIRE [FRO/BIL/SAM]``), one event expected per code;
    * ``reverse-direction event ([A:B] code)``: the expected set has the opposite
      dyad too (``left for X``: 032 one way, 033 back) and we did not code this one;
    * ``actor not found``: source or target is not among the sentence's resolved actors;
    * ``no target``: PETRARCH codes the event without a target (``---``);
    * then ``explain(triple)`` when given (see :func:`_explainer`: no rule with the
      code, rule constraints not met, another rule won, source or target not linked
      by the dependency frame...), else ``dyad not in the frame``.

    Causes of an extra triple: ``discard not applied`` (records the suite discards),
    ``wrong code`` (the dyad is expected with another code), ``wrong dyad`` (the code
    is expected with other actors), else ``extra event``.
    """
    out: list[tuple[str, str]] = []
    missing = record.expected - got
    extra = got - record.expected
    for t in sorted(missing, key=str):
        if _is_petrarch_only(t) or "bad_input_parse" in record.error:
            cause = "petrarch-only expectation"
        elif t.source in compound_codes or t.target in compound_codes:
            cause = "compound actor code (A/B/C)"
        elif any(
            e.source == t.target and e.target == t.source for e in record.expected
        ) and not any(g.source == t.source and g.target == t.target for g in got):
            cause = "reverse-direction event ([A:B] code)"
        elif (t.source != "---" and t.source not in actors_found) or (
            t.target != "---" and t.target not in actors_found
        ):
            cause = "actor not found"
        elif t.target == "---":
            cause = "no target (PETRARCH codes events without one)"
        elif explain is not None:
            cause = explain(t)
        else:
            cause = "dyad not in the frame"
        out.append((cause, str(t)))
    for t in sorted(extra, key=str):
        if any(e in ("storydiscard", "sentencediscard") for e in record.error):
            cause = "discard not applied"
        elif any(e.source == t.source and e.target == t.target for e in record.expected):
            cause = "wrong code"
        elif any(e.code == t.code for e in record.expected):
            cause = "wrong dyad"
        else:
            cause = "extra event"
        out.append((cause, str(t)))
    return out


_OBJECT_DEPS = frozenset({"dobj", "attr", "oprd", "dative"})


def _satisfies(tok, rule) -> bool:
    """Whether a token's parse meets a rule's constraints, as documented in
    :mod:`tidings.dictionaries.verbs` (diagnostics only; the coder decides)."""
    children = list(tok.children)
    objects = [c for c in children if c.dep_ in _OBJECT_DEPS]
    if rule.particle and not any(c.dep_ == "prt" and c.lower_ == rule.particle for c in children):
        return False
    if rule.object is not None:
        words = {o.lemma_.lower() for o in objects} | {o.lower_ for o in objects}
        if not words.intersection(rule.object):
            return False
    if rule.prep:
        preps = {
            c.lower_
            for holder in (tok, *objects)
            for c in holder.children
            if c.dep_ in {"prep", "agent", "dative"}
        }
        if rule.prep not in preps:
            return False
    if rule.words:
        subtree = {t.lemma_.lower() for t in tok.subtree} | {t.lower_ for t in tok.subtree}
        if not rule.words_satisfied(subtree):
            return False
    return True


def _explainer(
    pipeline: Pipeline,
    doc,
    resolved,
    agent_ids: frozenset[str],
    paths: Counter[str] | None = None,
) -> Callable[[Triple], str]:
    """Why the coder did not produce a triple whose actors were found.

    Replays the coder's rule selection and frames on the parsed sentence (its
    internal methods, for diagnostics only; an unexpected coder raises nothing and
    gives ``dyad not in the frame``).  For a source or target the frame missed,
    the dependency path from the trigger to the actor is counted in ``paths``
    (see :func:`_dep_path`).
    """
    coder = pipeline.coder
    lexicon = coder.lexicon

    def explain(t: Triple) -> str:
        try:
            coder.codebook.nearest(t.code)
        except KeyError:
            return "code unknown to the codebook (the coder drops it)"
        candidates = []
        for tok in doc:
            for pos in ("VERB", "NOUN"):
                rules = lexicon.rules_for(tok.lemma_.lower(), pos)
                if any(r.code == t.code for r in rules):
                    candidates.append((tok, pos, rules))
        if not candidates:
            return "no rule with the code (verb lemma or pattern not converted)"
        tagged = [
            c
            for c in candidates
            if c[0].pos_ in ({"VERB", "AUX"} if c[1] == "VERB" else {"NOUN", "PROPN"})
        ]
        if not tagged:
            return "trigger not tagged as a verb/noun by spaCy"
        satisfied = [
            (tok, pos)
            for tok, pos, rules in tagged
            if any(r.code == t.code and _satisfies(tok, r) for r in rules)
        ]
        if not satisfied:
            return "rule constraints not met (object, preposition, particle or words)"
        winners = []
        for tok, pos in satisfied:
            rule = coder._rule_for(tok, pos)
            if rule is not None and rule.code == t.code:
                winners.append((tok, pos, rule))
        if not winners:
            return "another rule won (more specific or earlier)"
        source_ok = target_ok = False
        for tok, _pos, rule in winners:
            frame = coder.frame(tok, rule, resolved)
            if frame is None:
                continue
            sources, targets = coder.frame_actors(frame, resolved)
            source_ok |= t.source in {_actor_code(a, agent_ids) for a in sources}
            target_ok |= t.target in {_actor_code(a, agent_ids) for a in targets}
        trigger = winners[0][0]
        if not source_ok and paths is not None:
            paths[f"source {_actor_path(trigger, t.source, resolved, agent_ids)}"] += 1
        if not target_ok and paths is not None:
            paths[f"target {_actor_path(trigger, t.target, resolved, agent_ids)}"] += 1
        if not source_ok and not target_ok:
            return "frame: neither source nor target linked"
        if not source_ok:
            return "frame: source not linked"
        if not target_ok:
            return "frame: target not linked"
        return "frame: linked but no event (pairing)"

    def safe(t: Triple) -> str:
        try:
            return explain(t)
        except (AttributeError, TypeError, KeyError, ValueError):
            return "dyad not in the frame"

    return safe


def _dep_path(start, end) -> str:
    """The dependency path between two tokens: ``^`` steps up from ``start`` (by
    the relation of the token left), then steps down to ``end``; prepositions are
    written ``prep:with``.  ``restore`` -> ``Arnor`` in "Arnor is about to restore":
    ``^xcomp^acomp/nsubj``."""

    def label(tok) -> str:
        return f"{tok.dep_}:{tok.lower_}" if tok.dep_ in {"prep", "agent"} else tok.dep_

    up = [start, *start.ancestors]
    down = [end, *end.ancestors]
    common = next((t for t in up if t in down), None)
    if common is None:
        return "(other sentence)"
    ups = "".join(f"^{label(t)}" for t in up[: up.index(common)])
    downs = "/".join(label(t) for t in reversed(down[: down.index(common)]))
    return (ups + ("/" if ups and downs else "") + downs) or "(trigger)"


def _actor_path(trigger, code: str, resolved, agent_ids: frozenset[str]) -> str:
    doc = trigger.doc
    hits = [
        doc[i]
        for i, group in resolved.items()
        if any(_actor_code(a, agent_ids) == code for a in group)
    ]
    if not hits:
        return "(actor not resolved)"
    return min(
        (_dep_path(trigger, h) for h in hits), key=lambda p: (p.count("/") + p.count("^"), p)
    )


def _sentence_facts(
    pipeline: Pipeline,
    record: UnitTestRecord,
    agent_ids: frozenset[str],
    paths: Counter[str] | None = None,
) -> tuple[set[str], Callable[[Triple], str]]:
    """Actor codes the resolver finds in the record's text, and an explainer of
    missing triples (for the failure breakdown only)."""
    doc = pipeline.nlp(record.text)
    resolved = pipeline.resolver.resolve(doc, when=record.date)
    actors = {_actor_code(a, agent_ids) for group in resolved.values() for a in group}
    return actors, _explainer(pipeline, doc, resolved, agent_ids, paths)


def _compound_codes(issues: Iterable[DictionaryIssue]) -> frozenset[str]:
    import re

    codes: set[str] = set()
    for issue in issues:
        m = re.search(r"invalid code '([A-Z0-9]+(?:/[A-Z0-9]+)+)'", issue.message)
        if m:
            codes.update(m.group(1).split("/"))
    return frozenset(codes)
