"""The coder on hand-made sentences: one behaviour per test."""

from __future__ import annotations


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


def test_possessive_role_actor(code_text):
    events = code_text("Turkey's police arrested three Syrian rebels.")
    assert ("TURCOP", "173", "SYRREB") in triples(events)


def test_control_verb_inherits_subject(code_text):
    events = code_text("Ankara appears to have endorsed Moscow's proposal.")
    (event,) = events
    assert (event.source.code, event.code, event.target.code) == ("TUR", "051", "RUS")
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
    from tidings.dictionaries._petrarch_verbs import parse_verb_file
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
