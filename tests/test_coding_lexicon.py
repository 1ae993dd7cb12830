"""Hand-curated verb and noun rules (``data/verbs/core.jsonl``) that correct or extend
the PETRARCH-2 dictionary on whole-article news.  Made-up sentences, one rule each."""

from __future__ import annotations

import pytest


def _codes(events, trigger):
    return {e.code for e in events if e.evidence.trigger == trigger}


@pytest.mark.parametrize("verb", ["called off", "cancelled", "postponed"])
def test_calling_off_a_visit_reduces_relations_not_visits(code_text, verb):
    events = code_text(f"France {verb} its planned visit to Turkey.")
    codes = _codes(events, verb.split()[0])
    assert codes and all(code.startswith("16") for code in codes)


def test_an_invitation_expresses_intent_to_meet(code_text):
    events = code_text("Japan invited China to the summit.")
    assert _codes(events, "invited") == {"036"}


def test_a_named_military_strike_is_a_use_of_force(code_text):
    events = code_text("Iran's missile strike on Iraq killed two soldiers.")
    assert "190" in _codes(events, "strike")


def test_a_labour_strike_is_not_a_use_of_force(code_text):
    events = code_text("Germany's strike by rail workers ended on Monday.")
    assert not any(e.code.startswith("19") for e in events)


def test_an_uprising_against_a_ruler_is_dissent(code_text):
    events = code_text("The Egyptian uprising against Mubarak began in January.")
    assert "140" in _codes(events, "uprising")


def test_a_subpoena_is_a_demand(code_text):
    events = code_text("The United States subpoenaed Russia over the documents.")
    assert _codes(events, "subpoenaed") == {"100"}


def test_an_attitude_predicated_of_an_actor_is_coded(code_text):
    (event,) = [e for e in code_text("Germany was critical of Russia.") if e.code == "111"]
    assert (event.source.country, event.target.country) == ("DEU", "RUS")
    (event,) = code_text("Japan remains supportive of the United States.")
    assert (event.code, event.source.country, event.target.country) == ("051", "JPN", "USA")


def test_an_attributive_adjective_is_no_attitude(code_text):
    events = code_text("The critical report on Iran was published by Germany.")
    assert not any(e.evidence.trigger == "critical" for e in events)


def test_a_participle_naming_a_kind_of_thing_is_no_act(code_text):
    events = code_text("He is a visiting fellow at the American Enterprise Institute in Iraq.")
    assert not any(e.evidence.trigger == "visiting" for e in events)
    events = code_text("Iraq is visiting Iran.")
    assert any(e.evidence.trigger == "visiting" for e in events)


def test_calling_an_actors_plan_a_quoted_name_is_criticism_of_the_actor(code_text):
    events = code_text('France called the German plan to buy the port "a disaster".')
    (event,) = [e for e in events if e.evidence.trigger == "called"]
    assert (event.code, event.source.country, event.target.country) == ("111", "FRA", "DEU")


def test_a_quoted_clause_after_a_call_is_speech_not_a_name(code_text):
    events = code_text('Merkel called Putin to say "we will meet soon".')
    assert not any(e.evidence.rule.endswith("/evaluation") for e in events)


def test_a_time_phrase_is_no_participant_of_the_rule(code_text):
    (event,) = [e for e in code_text("Germany called Russia on Monday.") if e.target]
    assert event.code == "041"  # a phone call, not "call on" (an appeal, 020)
    (event,) = [e for e in code_text("Germany called on Russia to withdraw.") if e.target]
    assert event.code == "020"


def test_speaking_out_against_is_criticism(code_text):
    events = code_text("Russia spoke out against Turkey.")
    assert [e for e in events if e.code == "111" and e.target.country == "TUR"]


def test_putting_a_state_on_a_list_is_a_sanction(code_text):
    events = code_text("The United States put Cuba on the terrorism list.")
    assert [e for e in events if e.code[:2] == "16" and e.target.country == "CUB"]


def test_designating_a_state_a_sponsor_of_terrorism_is_a_sanction(code_text):
    events = code_text("The US is designating North Korea as a state sponsor of terrorism.")
    assert [e for e in events if e.code[:2] == "16" and e.target.country == "PRK"]


def test_on_under_the_object_of_call_is_no_appeal(code_text):
    events = code_text(
        "China sent an envoy to North Korea, a development Donald Trump called a big move "
        "on Twitter."
    )
    assert not [e for e in events if e.evidence.trigger == "called" and e.code == "020"]


def test_conducting_an_investigation_is_investigating(code_text):
    # PETRARCH's dictionary had 1014 (demand intelligence cooperation) for it
    events = code_text("Congress conducted an investigation of Russia's role in Libya.")
    conducted = [e for e in events if e.evidence.trigger == "conducted"]
    assert conducted and all(e.code == "090" for e in conducted)


@pytest.mark.parametrize(
    "sentence",
    [
        "The Turkish president left Russia on Monday.",
        "Vladimir Putin heads the Russian Security Council.",
        "Ankara added new names to the list of Turkish officials.",
    ],
)
def test_a_bare_verb_with_no_pattern_is_no_event(code_text, sentence):
    # PETRARCH's block codes gave "leave" alone 040 (a meeting), "head" and "add" 060
    verb = {"left", "heads", "added"}
    assert not [e for e in code_text(sentence) if e.evidence.trigger in verb]
