"""Place filters of the store: name, country, distance."""

from __future__ import annotations

import pytest

from tidings.api import code_inputs, open_store

from .conftest import SEED


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("places") / "seed.duckdb"
    code_inputs([str(SEED)], db=db)
    return db


def test_place_country_and_near_filters(seed_db):
    with open_store(seed_db, read_only=True) as store:
        everything = store.events()
        moscow = store.events(place="moscow")
        kaz = store.events(country="kaz")
        near_moscow = store.events(near=(55.75, 37.62, 50))
        far = store.events(near=(0.0, 0.0, 50))
    assert moscow and len(moscow) < len(everything)
    assert all(
        "moscow" in (e.location.name + (e.evidence.place_text or "")).lower() for e in moscow
    )
    assert kaz and all(e.location.country == "KAZ" for e in kaz)
    assert {e.event_id for e in near_moscow} == {
        e.event_id for e in everything if e.location and e.location.name == "Moscow"
    }
    assert far == []


def test_bad_near_is_rejected(seed_db):
    with open_store(seed_db, read_only=True) as store, pytest.raises(ValueError):
        store.events(near=(123.0, 0.0, 10))
