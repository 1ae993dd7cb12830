"""The coder on hand-made sentences: one behaviour per test."""

from __future__ import annotations

import pytest


def triples(events):
    return {(e.source.code, e.code, e.target.code if e.target else None) for e in events}


def test_simple_meeting(code_text):
    events = code_text("Russian Foreign Minister Sergei Lavrov met Iranian officials in Moscow.")
    assert ("RUSGOV", "040", "IRNGOV") in triples(events)


def test_compound_subject_gives_one_event_per_pair(code_text):
    events = code_text("Russia, Turkey and Iran met in Moscow.")
    pairs = {frozenset((s, t)) for s, _, t in triples(events)}
    assert pairs == {
        frozenset(("RUS", "TUR")),
        frozenset(("RUS", "IRN")),
        frozenset(("TUR", "IRN")),
    }
    assert all(e.code.startswith("04") for e in events)


def test_compound_object_gives_one_event_per_target(code_text):
    events = code_text("The French president praised Germany and Italy.")
    assert {t for _, _, t in triples(events)} == {"DEU", "ITA"}
    assert all(e.code == "051" for e in events)


def test_passive_voice_swaps_roles(code_text):
    events = code_text("Syrian rebels were attacked by Russian troops near Aleppo.")
    assert ("RUSMIL", "190", "SYRREB") in triples(events)


def test_nominal_event_with_unknown_perpetrator(code_text):
    events = code_text(
        "The assassination of Andrei Karlov, Russia's ambassador to Turkey, shocked Moscow."
    )
    assert ("---", "186", "RUSGOV") in triples(events)
    assert events[0].evidence.rule.endswith("/nominal")


def test_a_national_word_in_the_event_noun_is_its_source(code_text):
    # "Russian" belongs to the phrase of "strikes", which the resolver gives its country
    events = code_text("Russian air strikes on Aleppo killed dozens.")
    assert ("RUS", "195", "SYR") in triples(events)
    events = code_text("US sanctions on Russia hurt the economy.")
    assert ("USA", "163", "RUS") in triples(events)
    # without a national word the perpetrator stays unknown
    events = code_text("Air strikes on Aleppo killed dozens.")
    assert all(e.source.country is None for e in events if e.code == "195")


def test_fighting_shelling_and_crackdowns_are_event_nouns(code_text):
    def triples_of(text):
        return {
            (e.source.country, e.code, e.target.country if e.target else None)
            for e in code_text(text)
        }

    assert ("RUS", "190", "UKR") in triples_of(
        "Dozens were killed in fighting between Russian troops and Ukrainian forces."
    )
    assert ("RUS", "194", "UKR") in triples_of("Russian shelling of Ukrainian positions continued.")
    assert ("IRN", "175", "IRN") in triples_of(
        "The crackdown on protesters by Iranian police drew condemnation."
    )


def test_possessive_role_actor(code_text):
    events = code_text("Turkey's police arrested three Syrian rebels.")
    assert ("TURCOP", "173", "SYRREB") in triples(events)


def test_control_verb_inherits_subject(code_text):
    events = code_text("Ankara appears to have endorsed Moscow's proposal.")
    (event,) = events
    # a capital that acts is its government (realnews GUIDELINES.md, section 2)
    assert (event.source.code, event.code, event.target.code) == ("TURGOV", "051", "RUS")
    assert event.modality == "uncertain"
    assert "appears" in event.evidence.cues


def test_pronoun_its_resolves_to_subject(code_text):
    events = code_text("The Kremlin said on Monday that its forces attacked Ukraine.")
    assert any(e.source.country == "RUS" and e.target.code == "UKR" for e in events)


def test_negation(code_text):
    (event,) = code_text("Turkey did not condemn Russia.")
    assert event.modality == "negated"
    assert "not" in event.evidence.cues


def test_future(code_text):
    (event,) = code_text("China will host Pakistani officials next week.")
    assert event.modality == "future"
    # a promised visit is coded as an intent to meet (CAMEO 036)
    assert (event.source.code, event.code, event.target.code) == ("CHN", "036", "PAKGOV")


def test_hypothetical(code_text):
    (event,) = code_text("If talks fail, Israel could attack Iran.")
    assert event.modality == "hypothetical"


def test_reported_speech_codes_the_embedded_event(code_text):
    events = code_text("Ukrainian officials said Russian troops attacked Ukrainian police.")
    reported = [e for e in events if e.code.startswith("19")]
    assert reported and reported[0].source.code == "RUSMIL"
    assert reported[0].modality == "reported"


def test_every_event_carries_evidence(code_text):
    (event,) = code_text("Japan condemned North Korea.")
    assert event.evidence.trigger == "condemned"
    assert event.evidence.rule.startswith("core:condemn")
    assert event.goldstein < 0 and event.quad_class == 3
    assert event.root_code == "11"


def test_no_actor_no_event(code_text):
    assert code_text("The weather was cold and people stayed home.") == []


def test_event_ids_are_stable(code_text):
    first = [e.event_id for e in code_text("Japan condemned North Korea.")]
    second = [e.event_id for e in code_text("Japan condemned North Korea.")]
    assert first == second and len(set(first)) == len(first)


def test_target_inside_the_objects_prepositional_chain(code_text):
    # the object ("resumption") names no actor: the target is the actor in the
    # prepositional chain under it, and every coordinated subject codes an event
    events = code_text("Germany and France welcomed a resumption of diplomatic ties with Iran.")
    assert {(s, t) for s, _, t in triples(events)} == {("DEU", "IRN"), ("FRA", "IRN")}
    assert all(e.evidence.rule.endswith("/active") for e in events)


def test_nested_target_keeps_its_role(code_text):
    events = code_text("Egypt is about to restore full diplomatic ties with Qatar's government.")
    assert {(s, t) for s, _, t in triples(events)} == {("EGY", "QATGOV")}


def test_subject_inherited_through_adjectival_complement(code_text):
    # "X is about/ready to <verb>": the infinitive hangs under "about"/"ready"
    (event,) = code_text("Egypt is ready to restore diplomatic relations with Qatar.")
    assert (event.source.code, event.target.code) == ("EGY", "QAT")
    assert event.evidence.rule.endswith("/active")


def _user_coder(tmp_path, text: str):
    from tidings.coding import Coder
    from tidings.dictionaries._petrarch.verbs import parse_verb_file
    from tidings.dictionaries.cameo import load_codebook
    from tidings.dictionaries.verbs import VerbLexicon

    path = tmp_path / "user.verbs.txt"
    path.write_text(text, encoding="utf-8")
    rules, _ = parse_verb_file(path)
    return Coder(VerbLexicon(rules), load_codebook(), relaxed=False)


def _code_with(pipeline, coder, text: str):
    doc = pipeline.nlp(text)
    actors = pipeline.resolver.resolve(doc)
    return [
        e
        for i, sent in enumerate(doc.sents)
        for e in coder.code_sentence(sent, actors, doc_id="t", sentence_index=i)
    ]


def test_petrarch_reverse_code_adds_the_reverse_event(pipeline, tmp_path):
    # PETRARCH's [A:B]: X visits Y (042) and Y hosts X (043)
    coder = _user_coder(tmp_path, "--- VISIT [042:043] ---\nVISIT\n")
    events = _code_with(pipeline, coder, "Germany visited France and Italy.")
    assert triples(events) == {
        ("DEU", "042", "FRA"),
        ("DEU", "042", "ITA"),
        ("FRA", "043", "DEU"),
        ("ITA", "043", "DEU"),
    }
    plain = _user_coder(tmp_path, "--- VISIT [042] ---\nVISIT\n")
    assert triples(_code_with(pipeline, plain, "Germany visited France.")) == {
        ("DEU", "042", "FRA")
    }


def test_list_parsed_as_an_apposition_is_still_a_list(code_text):
    # spaCy reads "Greece, the Ukraine, Poland and Romania" as Greece + an
    # apposition with conjuncts: every country acts, and Greece stays Greece
    events = code_text("Greece, the Ukraine, Poland and Romania condemned Russia.")
    assert {s for s, _, _ in triples(events)} == {"GRC", "UKR", "POL", "ROU"}


def test_apposition_still_describes_its_head(code_text):
    (event,) = code_text("Sergei Lavrov, Russia's foreign minister, condemned Ukraine.")
    assert (event.source.code, event.target.code) == ("RUSGOV", "UKR")


def test_petrarch_compound_subject_marker_codes_members_on_each_other(pipeline, tmp_path):
    # PETRARCH's "- % * [code]": "X and Y <verb>" is X on Y and Y on X
    coder = _user_coder(tmp_path, "--- POSTPONE [120] ---\nPOSTPONE\n- % HAVE * [191]\n")
    events = _code_with(pipeline, coder, "Germany and France have postponed their meeting.")
    assert triples(events) == {("DEU", "191", "FRA"), ("FRA", "191", "DEU")}
    # a single subject does not meet the rule's condition: the verb's own code
    events = _code_with(pipeline, coder, "Germany has postponed the talks with France.")
    assert {c for _, c, _ in triples(events)} == {"120"}


def test_target_is_the_first_candidate_that_names_an_actor(code_text):
    # The object "contact" is no actor; the "with" phrase under it is.
    events = code_text("Palestinian leaders boycotted all official contact with Israel.")
    # leaders with only a people named are its government (actors._compose.VOICES)
    assert ("PSEGOV", "161", "ISR") in triples(events)
    assert events[0].evidence.rule.endswith("/active")  # not the relaxed fallback


def test_control_verb_takes_the_target_of_its_complement(code_text):
    events = code_text("Turkey refused to meet the Greek foreign minister in Athens.")
    first = events[0]
    assert (first.source.code, first.code[:2], first.target.code) == ("TUR", "12", "GRCGOV")
    assert first.evidence.rule.endswith("/complement")


def test_demand_takes_the_subject_of_its_that_clause_as_target(code_text):
    events = code_text("Egypt demanded that Israel withdraw its troops from Gaza.")
    first = events[0]
    assert (first.source.code, first.code[:2], first.target.code) == ("EGY", "10", "ISR")


def test_governing_event_ranks_before_the_event_it_governs(code_text):
    events = code_text("Germany refused to recognize Kosovo.")
    # the refusal, then the recognition it governs, which did not happen
    assert [e.evidence.trigger for e in events] == ["refused", "recognize"]
    assert [e.modality for e in events] == ["asserted", "negated"]


def test_statement_that_another_actor_must_act_is_a_demand(code_text):
    events = code_text("The French foreign minister declared that Iran must stop the tests.")
    first = events[0]
    assert (first.source.code, first.code, first.target.code) == ("FRAGOV", "100", "IRN")
    assert first.evidence.rule.endswith("/obligation")


def test_statement_about_own_obligation_is_no_demand(code_text):
    events = code_text("Egypt said it must protect its borders.")
    assert all(e.code != "100" for e in events)


def test_recipient_attached_to_the_verb_is_the_target(code_text):
    # "to Turkey" hangs on "halted", not on the rule's object word "aid".
    events = code_text(
        "Germany said on Monday it had halted economic aid to Turkey in line with efforts "
        "to end the war."
    )
    assert (events[0].source.code, events[0].code, events[0].target.code) == ("DEU", "162", "TUR")


def test_would_in_reported_speech_is_a_future_and_a_threat(code_text):
    events = code_text("Palestinian leaders said they would boycott all contact with Israel.")
    first = events[0]
    assert (first.source.code, first.target.code) == ("PSEGOV", "ISR")
    assert first.modality == "future"
    assert first.code.startswith("13")  # a promised conflictual act is a threat


def test_would_outside_reported_speech_stays_hypothetical(code_text):
    events = code_text("Palestinian leaders would boycott all official contact with Israel.")
    assert events and all(e.modality == "hypothetical" for e in events)


def test_adjective_complement_inherits_the_copula_subject(code_text):
    events = code_text("Syria is willing to withdraw its troops from Lebanon.")
    first = events[0]
    assert (first.source.code, first.target.code, first.modality) == ("SYR", "LBN", "future")
    assert first.evidence.rule.endswith("/active")


def test_imposing_a_curfew_or_state_of_emergency(code_text):
    assert code_text("The Egyptian government imposed a curfew in Cairo.")[0].code == "1723"
    emergency = code_text("The Egyptian government imposed a state of emergency in Cairo.")
    assert emergency[0].code == "1724"


def test_expelling_inspectors_is_1662_with_the_inspectors_as_target(code_text):
    events = code_text("North Korea expelled UN inspectors from the Yongbyon facility.")
    assert (events[0].source.code, events[0].code, events[0].target.code) == (
        "PRK",
        "1662",
        "IGOUNO",
    )


def test_protest_nouns(code_text):
    assert code_text("The Palestinian riots against Israel continued.")[0].code == "145"
    hunger = code_text("Kurdish prisoners staged a hunger strike against the Turkish government.")
    assert "142" in {e.code for e in hunger}
    demo = code_text("Algerian students held a demonstration against the Egyptian government.")
    assert demo[0].code == "141"


def test_event_noun_after_a_light_verb_takes_the_verb_subject_as_source(code_text):
    events = code_text("Kenyan workers held a rally against the Ugandan government.")
    first = events[0]
    assert (first.source.code, first.code, first.target.code) == ("KENLAB", "141", "UGAGOV")
    assert first.evidence.rule == "core:rally:n/nominal"


def test_staged_is_lemmatised_to_stage(code_text):
    events = code_text("Kenyan workers staged a rally against the Ugandan government.")
    assert {e.evidence.rule.split("/")[0].split(".")[0] for e in events} >= {"STAGE"}


def test_mediate_is_cameo_045(code_text):
    events = code_text("Norway mediated between Israel and the Palestinians.")
    assert events[0].code == "045"


def test_quantity_or_group_phrase_stands_for_the_actor_of_its_of_phrase(code_text):
    events = code_text("Thousands of Iraqi Kurds demonstrated against the Turkish government.")
    first = events[0]
    # "Iraqi Kurds": the people of the country named before them (IRQ, not the group KUR)
    assert (first.source.code, first.code[:2], first.target.code) == ("IRQ", "14", "TURGOV")
    assert first.evidence.rule.endswith("/active")


def test_governing_trigger_without_a_frame_gets_a_relaxed_event_ranked_first(code_text):
    events = code_text(
        "Egypt demanded an immediate investigation after Israeli soldiers shot two "
        "Egyptian border guards."
    )
    assert events[0].source.code == "EGY"
    assert events[0].code == "100"
    assert events[0].evidence.rule.endswith("/relaxed")
    assert ("ISRMIL", "190", "EGYMIL") in triples(events)  # the strict event stays


def test_reporting_verb_after_the_clause_gets_no_fallback_event(code_text):
    events = code_text("Egypt will expel the Israeli ambassador, a senior official said on Monday.")
    assert events and all(e.evidence.trigger != "said" for e in events)


def test_accepting_demands_is_yielding(code_text):
    events = code_text("The Kenyan government accepted demands from the opposition.")
    assert (events[0].source.code, events[0].code) == ("KENGOV", "080")
    # the kept PETRARCH patterns still apply
    assert code_text("Egypt accepted the peace plan of Israel.")[0].code == "030"


def test_future_act_conditioned_on_unless_is_a_threat(code_text):
    text = "Nigeria will withdraw its force from Chad unless the president holds elections."
    assert code_text(text)[0].code == "130"
    assert code_text("Nigeria will withdraw its force from Chad.")[0].code == "0356"


def test_root_trigger_without_a_frame_gets_a_relaxed_event_when_likelier(code_text):
    events = code_text(
        "Turkey threatened to ban voting in the city if the Kurdish party, which met "
        "Iraqi officials, entered the election."
    )
    assert (events[0].source.code, events[0].code) == ("TUR", "130")
    assert ("KUR", "040", "IRQGOV") in triples(events)


def test_relaxed_fallback_prefers_the_act_to_its_purpose_adjunct(code_text):
    for text in (
        "Hundreds of Kenyan students blocked roads in Nairobi to demand reforms.",
        "Thousands of Kenyan students blocked roads in Nairobi, demanding reforms.",
    ):
        events = code_text(text)
        assert (events[0].evidence.trigger, events[0].code) == ("blocked", "144")


def test_denied_cooperation_is_a_rejection(code_text):
    refused = code_text("Syria says it will not accept any more refugees from Iraq.")[0]
    assert (refused.code, refused.modality) == ("120", "negated")
    no_meeting = code_text("Egypt did not meet Israeli officials.")[0]
    assert (no_meeting.source.code, no_meeting.code, no_meeting.target.code) == (
        "EGY",
        "125",
        "ISRGOV",
    )
    # a denied conflictual act keeps its code
    assert code_text("Egypt did not attack Israeli troops.")[0].code == "190"


def test_withdraw_keeps_petrarch_patterns_and_withdrawal_is_a_retreat(code_text):
    # core:withdraw+from used to shadow every PETRARCH withdraw pattern
    # recalling an ambassador reduces relations (CAMEO 161), "from Georgia" is on the object
    assert code_text("Russia withdrew its ambassador from Georgia.")[0].code == "161"
    assert code_text("Israel withdrew its troops from Gaza.")[0].code == "0874"
    events = code_text("Syria completed the withdrawal of its troops from Lebanon.")
    assert "core:withdrawal:n/nominal" in {e.evidence.rule for e in events}


def test_investigation_nouns(code_text):
    events = code_text("The Kenyan court opened an investigation against Ugandan officials.")
    assert ("KENJUD", "090", "UGAGOV") in triples(events)
    probe = code_text("Kenyan police launched a probe into the Ugandan embassy.")
    assert probe and probe[0].code == "090"


def test_declaring_a_state_of_emergency_siege_or_martial_law_is_1724(code_text):
    for text in (
        "The Egyptian government declared a state of emergency in Cairo.",
        "The Haitian government declared a state of siege in Haiti.",
        "The Thai army declared martial law in Bangkok.",
    ):
        assert code_text(text)[0].code == "1724", text
    assert code_text("Russia declared a ceasefire with Ukraine.")[0].code == "0871"


def test_extending_a_curfew_or_emergency(code_text):
    assert code_text("The Thai army extended the curfew in Bangkok.")[0].code == "1723"
    assert code_text("The Thai army extended the state of emergency.")[0].code == "1724"
    assert code_text("Japan extended economic aid to Kenya.")[0].code == "071"  # kept


def test_setting_fire_is_no_ceasefire_but_a_cease_fire_is(code_text):
    codes = {e.code for e in code_text("Rioters set fire to the police station in Lagos.")}
    assert "0356" not in codes
    events = code_text("Israel arranged a cease-fire with Hamas.")
    assert [e.code for e in events] == ["0356"]


def test_ordering_someone_to_act_is_no_intent_to_cooperate(code_text):
    events = code_text("The court ordered the party to suspend its activities.")
    assert events and all(e.code != "030" for e in events)


def test_attack_keeps_petrarch_weapon_patterns(code_text):
    # core.jsonl's attack rules extend PETRARCH's instead of replacing them
    events = code_text("Rebels attacked the convoy with rockets.")
    assert [e.code for e in events] == ["194"]


def test_mobilizing_troops_is_a_military_posture(code_text):
    events = code_text("Russia mobilized troops against Ukraine.")
    assert events and events[0].code.startswith("15")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Britain mobilized army reservists on Tuesday.", "154"),
        ("Israel strengthened its forces in Lebanon.", "154"),
        ("Pakistan put its troops on high alert.", "152"),
        ("The United Nations reduced food supplies to the camp.", "162"),
        ("Egypt ended its mediation efforts between the rival factions.", "165"),
        ("Italy suspended air links with Serbia.", "161"),
        ("Italy announced the suspension of air links with Serbia.", "161"),
        ("Ten thousand rebels have been demobilized.", "0873"),
        ("The United States began the withdrawal of its forces from Panama.", "0874"),
        ("Serbia eased emergency measures in Kosovo.", "081"),
        ("The opposition called off its protest.", "082"),
    ],
)
def test_military_posture_sanction_retreat_and_concession_verbs(code_text, text, code):
    assert [e.code for e in code_text(text)][:1] == [code]


def test_expel_keeps_petrarch_diplomat_pattern(code_text):
    # core's expel rules extend PETRARCH's: expelling diplomats reduces relations
    events = code_text("Moscow expelled two British diplomats.")
    assert [e.code for e in events] == ["161"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Five hundred rebels surrendered last week in Gulu.", "0874"),
        ("Angry farmers blocked the bridge to Germany for three hours.", "144"),
        ("Hundreds of protesters blocked streets in Nairobi.", "144"),
    ],
)
def test_rebels_surrender_militarily_and_blocking_streets_obstructs_passage(code_text, text, code):
    assert [e.code for e in code_text(text)][:1] == [code]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Chad has expelled several of the UN peacekeepers.", "1661"),
        ("Three IAEA inspectors were expelled from Iran by Tehran.", "1662"),
    ],
)
def test_rule_object_matches_a_partitive_or_a_passive_subject(code_text, text, code):
    assert code in {e.code for e in code_text(text)}
