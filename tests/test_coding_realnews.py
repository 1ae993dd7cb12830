"""The coder on whole-article phenomena (issue #13): not-events, clause-bound
modality, open passives.  Made-up sentences, one behaviour per test."""

from __future__ import annotations


def test_a_question_codes_no_event(code_text):
    assert code_text("Will Russia attack Ukraine?") == []
    assert code_text('"Why did France condemn Germany?"') == []


def test_the_statement_answering_a_question_is_still_coded(code_text):
    events = code_text("Russia attacked Ukraine.")
    assert any(e.code.startswith("19") for e in events)


def test_negation_of_another_clause_does_not_negate_the_event(code_text):
    events = code_text("Officials did not say whether Japan condemned China.")
    condemn = [e for e in events if e.evidence.trigger == "condemned"]
    assert condemn and all(e.modality != "negated" for e in condemn)


def test_negation_of_the_events_own_clause_still_negates(code_text):
    (event,) = [e for e in code_text("Japan did not condemn China.") if e.code[:2] == "11"]
    assert event.modality == "negated"


def test_negation_reaches_through_a_control_verb(code_text):
    events = code_text("Japan did not agree to meet Chinese officials.")
    meet = [e for e in events if e.evidence.trigger == "meet"]
    assert meet and all(e.modality == "negated" for e in meet)


def test_negated_relative_clause_does_not_negate_its_head(code_text):
    events = code_text(
        "The minister, who did not attend the summit, said Iran attacked Iraqi forces."
    )
    attack = [e for e in events if e.evidence.trigger == "attacked"]
    assert attack and all(e.modality == "reported" for e in attack)


def test_an_if_clause_makes_the_main_action_hypothetical(code_text):
    events = code_text("Israel will attack Iran if talks fail.")
    attack = [e for e in events if e.evidence.trigger == "attack"]
    assert attack and all(e.modality == "hypothetical" for e in attack)


def test_passive_with_open_agent_has_no_unknown_perpetrator_event(code_text):
    events = code_text("Three Iraqi soldiers were killed on Monday.")
    assert not [e for e in events if e.source.code == "---" and e.evidence.trigger == "killed"]


def test_passive_with_agent_is_coded(code_text):
    events = code_text("Three Iraqi soldiers were killed by Turkish troops on Monday.")
    assert any(
        e.source.country == "TUR" and e.target.country == "IRQ" and e.code[:2] in {"18", "19"}
        for e in events
    )
