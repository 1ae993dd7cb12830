"""Coder rules from the errors of blind samples (``scripts/blind_samples/``): events of
unannotated articles judged one by one against the realnews guidelines (issue #13).
Each test states the generic rule with sentences written for it."""


def _dyads(events):
    return {(e.source.country, e.target.country if e.target else None) for e in events}


def test_an_object_pronoun_never_means_its_own_clauses_subject(code_text):
    events = code_text(
        "Kerry's words riled Republicans in Congress and pro-Israel leaders who slammed"
        " them as a dangerous concession to Iran."
    )
    slams = [e for e in events if e.evidence.trigger == "slammed"]
    assert slams
    # neither slammer slammed the other, nor Iran (named in what "them" was called)
    assert all(e.target is None for e in slams)


def test_a_pronoun_object_still_takes_an_earlier_antecedent(code_text):
    events = code_text("Russia welcomed the Turkish delegation and praised them.")
    assert ("RUS", "TUR") in _dyads([e for e in events if e.root_code == "05"])


def test_criticising_sanctions_on_someone_is_not_aimed_at_them(code_text):
    events = code_text(
        "Russia has also criticised the sanctions on the Chinese military, with Foreign"
        " Minister Sergei Lavrov describing them as unfair."
    )
    criticism = [e for e in events if e.root_code == "11"]
    assert criticism and all(e.target is None or e.target.country != "CHN" for e in criticism)
    assert all(e.target is None or e.target.text != "Sergei Lavrov" for e in criticism)
    assert ("USA", "IRN") in _dyads(code_text("The US lifted the sanctions on Iran."))


def test_an_act_inside_a_condition_is_hypothetical_however_deep(code_text):
    events = code_text(
        '"If the suggestion is that we kill thousands of innocent Syrians, that is not who'
        ' we are," the president said.'
    )
    kill = [e for e in events if e.evidence.trigger == "kill"]
    assert kill and all(e.modality == "hypothetical" for e in kill)
    events = code_text("The army killed thousands of Syrians.")
    assert [e.modality for e in events if e.evidence.trigger == "killed"] == ["asserted"]


def test_needing_someone_demands_nothing(code_text):
    assert not [e for e in code_text("Atlantic City needed Trump.") if e.root_code == "10"]
    events = code_text("Afghanistan needs protection from NATO.")
    assert [e.code for e in events] == ["0212"]


def test_a_phrase_naming_a_time_names_no_party(code_text):
    events = code_text(
        "Assad's gas attack on the anniversary of President Trump's missile strike was an"
        " invitation to get hit again."
    )
    assert not [e for e in events if e.source.country == "SYR" and e.target is not None]
    assert ("RUS", "UKR") in _dyads(code_text("Russia launched an attack on Ukraine."))


def test_calling_someone_something_clearly_positive_is_praise(code_text):
    events = code_text('Putin called Trump "a very talented man."')
    assert [(e.code, e.source.country, e.target.country) for e in events] == [
        ("051", "RUS", "USA")
    ]
    events = code_text("Putin called the American sanctions absurd.")
    assert [e.code for e in events if e.evidence.trigger == "called"] == ["111"]
