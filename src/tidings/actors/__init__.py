"""Actor recognition: dictionary matching and CAMEO actor-code resolution."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

from tidings.actors._article import ArticleMemory
from tidings.actors._dictionary_lookup import LookupResult
from tidings.actors._matcher import Match, PhraseTrie, name_tokens
from tidings.actors._quotes import QuoteSpan, quote_spans
from tidings.actors._resolver import ActorResolver
from tidings.actors._russian import RussianActorResolver, RussianMemory, load_russian_resolver

__all__ = [
    "ActorResolver",
    "ArticleMemory",
    "LookupResult",
    "Match",
    "PhraseTrie",
    "QuoteSpan",
    "RussianActorResolver",
    "RussianMemory",
    "build_resolver",
    "default_resolver",
    "load_russian_resolver",
    "name_tokens",
    "quote_spans",
]


def build_resolver(
    actor_files: Sequence[Path] | None = None,
    agent_files: Sequence[Path] | None = None,
    discard_files: Sequence[Path] | None = None,
) -> ActorResolver:
    """Compile a resolver from dictionary files (packaged defaults when None)."""
    from tidings.dictionaries.actors import (
        load_actor_entries,
        load_agent_entries,
        load_discard_entries,
    )

    return ActorResolver(
        load_actor_entries(actor_files),
        load_agent_entries(agent_files),
        load_discard_entries(discard_files),
    )


@functools.lru_cache(maxsize=1)
def default_resolver() -> ActorResolver:
    """The resolver over the packaged dictionaries, compiled once per process."""
    return build_resolver()
