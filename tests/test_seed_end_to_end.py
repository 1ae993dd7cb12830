"""End to end on the bundled example: the Moscow Times op-ed of 2016-12-21."""

from __future__ import annotations


def _dyads(events, code_prefix):
    return {
        frozenset((e.source.country, e.target.country))
        for e in events
        if e.target is not None and e.code.startswith(code_prefix)
    }


def test_trilateral_ministers_talks(seed_coded):
    talks = [e for e in seed_coded.events if "met for talks" in e.sentence]
    assert {frozenset(("RUS", "TUR")), frozenset(("RUS", "IRN")), frozenset(("TUR", "IRN"))} <= (
        _dyads(talks, "04")
    )
    assert all(e.source.agent == "GOV" and e.target.agent == "GOV" for e in talks)
    assert all(e.modality == "asserted" for e in talks)


def test_shoigu_and_lavrov_praise_turkey(seed_coded):
    praise = [e for e in seed_coded.events if e.code == "051" and "lauded" in e.sentence]
    assert praise, "no 051 event from the 'lauded Turkey' sentence"
    assert all(e.source.country == "RUS" and e.target.code == "TUR" for e in praise)


def test_lavrov_briefs_kerry(seed_coded):
    brief = [e for e in seed_coded.events if e.evidence.trigger == "briefed"]
    assert len(brief) == 1
    assert (brief[0].source.country, brief[0].target.country) == ("RUS", "USA")
    assert brief[0].code.startswith("04")


def test_nothing_from_read_more_lines(seed_coded):
    assert not any("Read more" in s.text for s in seed_coded.sentences)
    assert not any("Almost Defenseless" in e.sentence for e in seed_coded.events)


def test_planned_and_hypothetical_events_are_not_asserted(seed_coded):
    for event in seed_coded.events:
        if "could be finalized" in event.sentence or "would have put" in event.sentence:
            assert event.modality != "asserted", event
        if "will make Moscow and Ankara" in event.sentence:
            # the assassination itself happened; only what it "will make" is future
            if event.evidence.trigger != "assassination":
                assert event.modality != "asserted", event
            else:
                assert event.modality == "asserted"


def test_embed_is_not_coded(seed_coded):
    assert seed_coded.article.embeds
    assert not any("chartered flight" in e.sentence for e in seed_coded.events)


def test_every_event_points_at_its_sentence(seed_coded):
    by_index = {s.index: s.text for s in seed_coded.sentences}
    for event in seed_coded.events:
        assert by_index[event.sentence_index] == event.sentence
        assert event.evidence.trigger in event.sentence
        assert event.evidence.rule


def _one(events, predicate):
    found = [e for e in events if predicate(e)]
    assert found, "no such event"
    return found


def test_trilateral_talks_are_dated_tuesday(seed_coded):
    for event in _one(seed_coded.events, lambda e: "met for talks" in e.sentence):
        assert (event.date, event.date_precision) == ("2016-12-20", "day")
        assert event.evidence.date_text and "Tuesday" in event.evidence.date_text


def test_caption_talks_dated_from_the_caption(seed_coded):
    for event in _one(seed_coded.events, lambda e: e.sentence.startswith("Turkey's Foreign")):
        assert (event.date, event.date_precision) == ("2016-12-20", "day")


def test_astana_meeting_is_planned_for_dec_27(seed_coded):
    for event in _one(seed_coded.events, lambda e: "Astana on Dec. 27" in e.sentence):
        assert (event.date, event.date_precision) == ("2016-12-27", "day")
        assert event.modality in ("future", "hypothetical")


def test_2015_airstrikes_dated_by_month(seed_coded):
    for event in _one(seed_coded.events, lambda e: e.evidence.trigger == "launched"):
        assert (event.date, event.date_precision) == ("2015-09", "month")
        assert event.source.country == "RUS" and event.target.code == "SYR"


def test_undated_events_fall_back_to_publication(seed_coded):
    brief = _one(seed_coded.events, lambda e: e.evidence.trigger == "briefed")[0]
    assert (brief.date, brief.date_precision) == ("2016-12-21", "publication")


def test_trilateral_talks_are_placed_in_moscow(seed_coded):
    for event in _one(seed_coded.events, lambda e: "met for talks" in e.sentence):
        place = event.location
        assert (place.name, place.country, place.type) == ("Moscow", "RUS", "city")
        assert abs(place.lat - 55.75) < 0.05 and abs(place.lon - 37.62) < 0.05
        assert event.evidence.place_text == "Moscow"


def test_astana_meeting_is_placed_in_astana(seed_coded):
    for event in _one(seed_coded.events, lambda e: "Astana on Dec. 27" in e.sentence):
        place = event.location
        assert (place.name, place.country) == ("Astana", "KAZ")
        assert abs(place.lat - 51.18) < 0.05 and abs(place.lon - 71.45) < 0.05


def test_events_without_a_place_have_no_location(seed_coded):
    brief = _one(seed_coded.events, lambda e: e.evidence.trigger == "briefed")[0]
    assert brief.location is None and brief.evidence.place_text is None


def test_guarantors_pledge_gives_one_event_per_country(seed_coded):
    pledge = [e for e in seed_coded.events if e.evidence.trigger == "pledged"]
    assert sorted(e.source.country for e in pledge) == ["IRN", "RUS", "TUR"]
    assert all(e.root_code == "03" for e in pledge)


def test_no_default_view_event_from_rhetorical_or_advising_sentences(seed_coded):
    # The author's questions and advice ("The key issue is whether ...", "Moscow
    # also needs to ask itself ...", "It is unclear ...", "... remains to be seen")
    # assert no action.
    rhetorical = (
        "The key issue is whether",
        "needs to ask itself",
        "It is unclear",
        "remains to be",
    )
    for event in seed_coded.events:
        if any(phrase in event.sentence for phrase in rhetorical):
            assert event.modality not in {"asserted", "reported"}, event
