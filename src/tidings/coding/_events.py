"""How a coded event is built: one construction for every language's coder.

The English coder (:mod:`tidings.coding._emit`) and the Russian one
(:mod:`tidings.coding._russian`) both turn a trigger and an actor pair into an
:class:`~tidings.model.Event` here, so their event ids are made the same way and a
stored event keeps its id when an article is coded again.
"""

from __future__ import annotations

import hashlib

from tidings.model import Actor, Event, Evidence

__all__ = ["sentence_event", "stable_id"]


def stable_id(*parts: object) -> str:
    """A short deterministic id from the parts (event ids)."""
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return digest[:16]


def sentence_event(
    doc_id: str,
    sentence_index: int,
    sent,
    tok,
    source: Actor,
    target: Actor | None,
    code: str,
    entry,
    modality: str,
    evidence: Evidence,
    *,
    variant: str = "",
) -> Event:
    """The event of trigger ``tok`` in ``sent``: its stable id (article, sentence, the
    trigger's place in the sentence, dyad and code, and ``variant`` when two actors of one
    code need telling apart), the codebook ``entry``'s QuadClass and Goldstein value.  One
    construction for every language's coder, so their ids agree."""
    parts = [doc_id, sentence_index, tok.i - sent.start, source.code]
    parts += [target.code if target else "", code, *([variant] if variant else [])]
    return Event(
        event_id=stable_id(*parts),
        doc_id=doc_id,
        sentence_index=sentence_index,
        sentence=sent.text.strip(),
        source=source,
        target=target,
        code=code,
        root_code=code[:2],
        quad_class=entry.quad_class,
        goldstein=entry.goldstein,
        modality=modality,
        evidence=evidence,
    )
