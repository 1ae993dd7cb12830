"""Who the sides of an event are: coordinated national words, venues, refusals to speak."""

from __future__ import annotations

from tests.test_coding_quotes import _dyads


def test_coordinated_national_words_name_one_side_each(code_text):
    events = code_text("Iranian and Turkish officials criticized Israel.")
    assert _dyads(events, "11") == {("IRN", "ISR"), ("TUR", "ISR")}


def test_ministers_of_three_countries_meet_each_other(code_text):
    events = code_text("Russian, Turkish and Iranian ministers met in Moscow.")
    met = {frozenset(pair) for pair in _dyads(events, "04")}
    assert met == {frozenset(p) for p in (("RUS", "TUR"), ("RUS", "IRN"), ("TUR", "IRN"))}


def test_a_single_national_word_stays_one_actor(code_text):
    events = code_text("Iranian Foreign Minister Javad Zarif criticized Israel.")
    assert _dyads(events, "11") == {("IRN", "ISR")}


def test_the_place_of_a_meeting_is_not_met(code_text):
    for text in (
        "Syrian opposition leaders met in Geneva on Monday.",
        "Syrian opposition leaders met at a hotel in Geneva.",
    ):
        events = code_text(text)
        assert not [e for e in events if e.target is not None and e.target.country == "CHE"]


def test_a_place_acted_on_is_still_the_target(code_text):
    assert ("RUS", "SYR") in _dyads(code_text("Russia intervened in Syria."), "07")


def test_declining_to_comment_is_an_act_of_its_own(code_text):
    events = code_text("The Kremlin declined to comment on Ukraine's accusations.")
    assert [(e.code, e.modality) for e in events] == [("011", "asserted")]
    assert _dyads(events, "01") == {("RUS", "UKR")}


def test_a_refusal_that_may_come_keeps_its_modality(code_text):
    events = code_text("The Kremlin may decline to comment on the claims.")
    assert [(e.code, e.modality) for e in events] == [("011", "hypothetical")]


def test_an_agreement_signed_by_two_sides_is_between_them(code_text):
    events = code_text("Russia and Turkey signed an agreement on gas supplies.")
    assert {frozenset(pair) for pair in _dyads(events, "05")} == {frozenset(("RUS", "TUR"))}


def test_a_phone_call_is_a_consultation_by_telephone(code_text):
    assert _dyads(code_text("Putin held a phone call with Erdogan."), "04") == {("RUS", "TUR")}
    both = code_text("Trump and Erdogan spoke by phone on Sunday.")
    assert [(e.code, e.source.country, e.target.country) for e in both] == [("041", "USA", "TUR")]


def test_a_clause_set_in_a_meeting_names_who_met(code_text):
    events = code_text("In a phone call with Erdogan, Trump agreed to withdraw troops.")
    assert ("USA", "TUR") in _dyads(events, "04")
    events = code_text("At a meeting with Putin, Erdogan praised Russia's efforts.")
    assert ("TUR", "RUS") in _dyads(events, "04")


def test_two_visitors_do_not_visit_each_other(code_text):
    events = code_text("Pompeo and Esper visited Texas.")
    assert not [
        e
        for e in events
        if e.target is not None
        and e.target.country == "USA"
        and e.target.text in {"Pompeo", "Esper"}
    ]


def test_obama_and_netanyahu_had_a_call_with_each_other(code_text):
    events = code_text("Obama and Netanyahu had a contentious phone call over Iran.")
    assert {frozenset(pair) for pair in _dyads(events, "04")} == {frozenset(("USA", "ISR"))}


def test_a_lower_case_piece_of_a_name_is_no_surname(code_text):
    events = code_text("Taiwan President Tsai Ing-wen criticized Japan.")
    assert _dyads(events, "11") == {("TWN", "JPN")}


def test_the_unification_minister_is_south_korean(code_text):
    events = code_text(
        "In talks about the North, Unification Minister Ryoo Kihl-jae urged Pyongyang to"
        " stop heightening tensions."
    )
    assert ("KOR", "PRK") in _dyads(events, "02")


def test_words_of_a_coordinated_verb_do_not_make_a_call(code_text):
    events = code_text(
        "Prince has spoken with Congress and cooperated with the investigation, including"
        " by providing total access to his phone."
    )
    assert not [e for e in events if e.code == "041"]


def test_an_exchange_of_fire_is_between_the_two_sides(code_text):
    events = code_text("India and Pakistan exchanged fire along the border.")
    assert {frozenset(pair) for pair in _dyads(events, "19")} == {frozenset(("IND", "PAK"))}


def test_a_meeting_in_a_present_tense_when_clause_is_still_to_come(code_text):
    events = code_text("Pompeo will visit Ankara after he meets Lavrov in Moscow.")
    meetings = [e for e in events if e.target is not None and e.target.country == "RUS"]
    assert meetings and all(e.modality == "future" for e in meetings)
    past = code_text("Pompeo visited Ankara after he met Lavrov in Moscow.")
    assert [e.modality for e in past if e.root_code == "04"] == ["asserted", "asserted"]


def test_an_official_does_not_act_on_the_state_they_act_for(code_text):
    # The own state as a whole is no second side of its official's act ...
    for text in (
        "Obama blamed the United States for the crisis.",
        "Trump has withdrawn the U.S. from the deal.",
        "Secretary of State John Kerry warned the United States about the risks.",
    ):
        events = code_text(text)
        assert not [e for e in events if e.target and e.target.country == "USA"], text
    # ... its people are, and so are another state and the state seen from outside it.
    urged = code_text("President Obama urged Americans to stay calm.")
    assert ("USA", "USA") in _dyads(urged, "02")
    assert ("USA", "CHN") in _dyads(code_text("Trump blamed China for the crisis."), "11")
    assert ("MEX", "USA") in _dyads(code_text("Mexico's president blamed the United States."), "11")
    # Force at home acts on the state's people, whom the state's name stands for.
    events = code_text("The Egyptian government declared a state of emergency in Egypt.")
    assert ("EGY", "EGY") in _dyads(events, "17")


def test_a_city_naming_an_attack_or_protest_is_where_it_happened(code_text):
    for text in (
        "The Paris attacks alarmed U.S. security experts.",
        "The Brussels bombings killed 32 people.",
    ):
        events = code_text(text)
        assert not [e for e in events if e.source.country in {"FRA", "BEL"}], text
    # a capital as the government that attacks is still the attacker
    assert ("RUS", "UKR") in _dyads(code_text("Moscow attacked Ukraine."), "19")


def test_a_by_phrase_after_an_active_object_belongs_to_the_object(code_text):
    # The parser labels "by ..." the verb's agent; the clause is active, with its object.
    text = (
        "North Korea had sharply criticized suggestions by Trump's national security adviser,"
        " John Bolton, that it could share the fate of Iraq."
    )
    assert _dyads(code_text(text), "11") == {("PRK", "USA")}
    assert _dyads(code_text("Iran was criticized by the United States."), "11") == {("USA", "IRN")}


def test_who_fights_alongside_or_on_the_side_of_someone_does_not_fight_them(code_text):
    for text in (
        "Russia fought on the side of the Syrian army.",
        "Hezbollah fought alongside Syrian government forces.",
    ):
        assert not {d for d in _dyads(code_text(text), "19") if d[1] == "SYR"}, text
    # with an "against" phrase too the ally is no target, and "against" still names the enemy
    text = "Hezbollah fought alongside Syrian government forces against the Islamic State."
    assert not {d for d in _dyads(code_text(text), "19") if d[1] == "SYR"}
    assert ("RUS", "UKR") in _dyads(code_text("Russia fought against Ukraine."), "19")
