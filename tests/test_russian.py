"""The Russian pipeline: actors through lemmas, verb rules, modality, attribution, dates,
places, the end-to-end JSONL contract and store, and the languages option.

The sentences are made up for these tests (none is from a gold set).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tidings.model import Article, Paragraph

pytest.importorskip("natasha")

PUB = dt.date(2019, 1, 10)  # a Thursday


@pytest.fixture(scope="module")
def ru():
    from tidings.pipeline import Pipeline

    pipe = Pipeline()
    stage = pipe._stage(Article(doc_id="x", title="", paragraphs=(), language="ru"))
    return pipe, stage


def _code(pipe, text: str, date: dt.date | None = PUB, title: str = ""):
    article = Article(
        doc_id="ru-test", title=title, paragraphs=(Paragraph(text),), date=date, language="ru"
    )
    return pipe.code_article(article)


def _events(pipe, text: str, date: dt.date | None = PUB):
    return list(_code(pipe, text, date).events)


def _actors(stage, text: str) -> dict[str, str]:
    doc = stage.parser(text)
    found = stage.resolver.resolve(doc, when=PUB)
    return {a.text: a.code for actors in found.values() for a in actors}


# -- actors ----------------------------------------------------------------------


def test_countries_adjectives_demonyms_and_capitals(ru):
    _, stage = ru
    found = _actors(stage, "Анкара упрекнула Москву, а турецкие военные встретились с россиянами.")
    assert found["Анкара"] == "TURGOV"
    assert found["Москву"] == "RUSGOV"
    assert found["турецкие военные"] == "TURMIL"
    assert found["россиянами"] == "RUS"


def test_inflected_person_names_resolve_through_lemmas(ru):
    _, stage = ru
    for form in ("Лавров", "Лаврова", "Лаврову", "Лавровым"):
        found = _actors(stage, f"Журналисты видели {form} вчера.")
        assert found.get(form) == "RUSGOV", (form, found)


def test_role_words_and_organisations(ru):
    _, stage = ru
    found = _actors(stage, "МИД Польши и генсек НАТО осудили полицию Белоруссии.")
    assert found["МИД Польши"] == "POLGOV"
    assert found["генсек НАТО"] == "IGOWSTNAT"
    assert found["полицию Белоруссии"] == "BLRCOP"


def test_person_roles_are_dated(ru):
    _, stage = ru
    doc = stage.parser("Обама прибыл в Берлин.")
    before = stage.resolver.resolve(doc, when=dt.date(2010, 5, 1))
    after = stage.resolver.resolve(doc, when=dt.date(2019, 5, 1))
    assert [a.code for acts in before.values() for a in acts if a.text == "Обама"] == ["USAGOV"]
    assert not [a for acts in after.values() for a in acts if a.text == "Обама"]


# -- verbs, modality, attribution ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "root", "source", "target"),
    [
        (
            "Министр иностранных дел Турции встретился с российским послом.",
            "04",
            "TURGOV",
            "RUSGOV",
        ),
        ("Правительство Германии осудило Иран.", "11", "DEUGOV", "IRN"),
        ("Украина обвинила Россию в агрессии.", "11", "UKR", "RUS"),
        ("Польша выслала российских дипломатов.", "16", "POL", "RUSGOV"),
        ("Евросоюз ввел санкции против Белоруссии.", "16", "IGOEUREEC", "BLR"),
        ("Полиция Грузии задержала армянских активистов.", "17", "GEOCOP", "ARMCVL"),
        ("Израильская армия нанесла удар по Сирии.", "19", "ISRMIL", "SYR"),
        ("Франция призвала Турцию к сдержанности.", "02", "FRA", "TUR"),
        ("Вашингтон потребовал от Пекина объяснений.", "10", "USAGOV", "CHNGOV"),
        ("Иран пригрозил США.", "13", "IRN", "USA"),
        ("Польша высказалась против Германии.", "11", "POL", "DEU"),
        ("Канада обратилась к властям Нидерландов.", "02", "CAN", "NLDGOV"),
        ("Глава МИД Италии предложил убежище для пакистанских христиан.", "03", "ITAGOV", "PAKCVL"),
        ("В Пакистане протестующие перекрыли крупнейшие дороги.", "14", "PAKCVL", "PAK"),
        ("Россия и Турция подписали соглашение.", "05", "RUS", "TUR"),
    ],
)
def test_verb_rules(ru, text, root, source, target):
    pipe, _ = ru
    events = _events(pipe, text)
    assert any(
        e.root_code == root and e.source.code == source and e.target and e.target.code == target
        for e in events
    ), [(e.root_code, e.source.code, e.target and e.target.code) for e in events]


def test_modality_cues(ru):
    pipe, _ = ru
    negated = _events(pipe, "Турция не осудила Россию.")
    future = _events(pipe, "Евросоюз будет вводить санкции против Ирана.")
    uncertain = _events(pipe, "Сирия якобы атаковала Израиль.")
    reported = _events(pipe, "По словам Лаврова, Украина атаковала Россию.")
    assert [e.modality for e in negated] == ["negated"]
    assert [e.modality for e in future] == ["future"]
    assert [e.modality for e in uncertain] == ["uncertain"]
    assert [e.modality for e in reported if e.root_code == "19"] == ["reported"]


def test_protest_without_addressee_targets_the_protesters_own_state(ru):
    pipe, _ = ru
    (event,) = [e for e in _events(pipe, "Во Франции прошли протесты.") if e.root_code == "14"]
    assert (event.source.code, event.target.code, event.target.text) == ("FRACVL", "FRA", "")
    named = _events(pipe, "Жители Грузии протестовали против России.")
    assert [(e.source.country, e.target.code) for e in named if e.root_code == "14"] == [
        ("GEO", "RUS")
    ]
    # A strike that is declared is one called for later; one that causes is no one's act.
    declared = _events(pipe, "Немецкие пилоты объявили забастовку.")
    assert [(e.modality, e.source.country, e.target.country) for e in declared] == [
        ("future", "DEU", "DEU")
    ]
    assert _events(pipe, "Из-за забастовки Польша отменила рейсы.") == []


def test_arrest_or_release_without_agent_is_the_authorities_act(ru):
    pipe, _ = ru
    events = _events(pipe, "Вчера турецких журналистов арестовали.")
    assert [(e.source.code, e.target.country, e.root_code) for e in events] == [
        ("TURGOV", "TUR", "17")
    ]
    # An agent named (or a subject) is the source, as before.
    named = _events(pipe, "Полиция Грузии задержала армянских активистов.")
    assert [e.source.code for e in named] == ["GEOCOP"]
    # Other actions are not presumed to be the authorities'.
    assert _events(pipe, "Вчера турецких журналистов критиковали.") == []


def test_an_event_verb_does_not_lend_its_subject_to_the_event_noun_it_governs(ru):
    pipe, _ = ru
    condemned = _events(pipe, "Турция осудила удары по Сирии.")
    assert [(e.source.code, e.root_code) for e in condemned] == [("TUR", "11")]
    held = _events(pipe, "Франция провела переговоры с Ираном.")
    assert [(e.source.code, e.root_code, e.target.code) for e in held] == [("FRA", "04", "IRN")]


def test_speaker_is_not_the_owner_of_an_event_noun_in_the_content(ru):
    pipe, _ = ru
    events = _events(pipe, "«Мы не допустим этого», — заявил Лавров, имея в виду удары по Сирии.")
    assert not [e for e in events if e.root_code == "19" and e.source.country == "RUS"]


def test_quote_speaker_is_source_of_first_person_content(ru):
    pipe, _ = ru
    events = _events(pipe, "«Мы осуждаем действия Киева», — сказал Лавров.")
    assert [(e.source.code, e.target.code, e.root_code) for e in events] == [
        ("RUSGOV", "UKRGOV", "11")
    ] or [(e.source.code, e.target.code, e.root_code) for e in events] == [("RUSGOV", "UKR", "11")]
    assert events[0].modality == "reported"


# -- dates and places --------------------------------------------------------------------


def test_russian_dates():
    from tidings.time._russian import resolve_expression_ru

    assert resolve_expression_ru("во вторник", PUB, "past").value == "2019-01-08"
    assert resolve_expression_ru("20 декабря", PUB, "past").value == "2018-12-20"
    assert resolve_expression_ru("20 декабря 2016 года", PUB, "past").value == "2016-12-20"
    week = resolve_expression_ru("на прошлой неделе", PUB, "past")
    assert (week.value, week.precision) == ("2019-01", "month")
    assert resolve_expression_ru("в 2015 году", PUB, "past").precision == "year"
    assert resolve_expression_ru("вчера", PUB, "past").value == "2019-01-09"
    assert resolve_expression_ru("в марте", PUB, "past").value == "2018-03"


def test_event_date_and_place(ru):
    pipe, _ = ru
    (event,) = [
        e
        for e in _events(pipe, "Во вторник Лавров встретился в Анкаре с турецким коллегой.")
        if e.root_code == "04"
    ]
    assert (event.date, event.date_precision) == ("2019-01-08", "day")
    assert event.location.name == "Ankara" and event.location.country == "TUR"
    assert event.evidence.place_text == "Анкаре"


# -- end to end ------------------------------------------------------------------------


def test_russian_article_end_to_end_jsonl_and_store(ru, tmp_path):
    pipe, _ = ru
    from tidings.store import Store

    coded = _code(
        pipe,
        "Министр обороны Турции Хулуси Акар провел переговоры с Сергеем Шойгу. "
        "Позже Анкара раскритиковала Вашингтон.",
        title="Турция и Россия провели переговоры",
    )
    assert coded.events
    english = json.loads(json.dumps(coded.events[0].to_dict()))
    for event in coded.events:
        record = event.to_dict()
        assert set(record) == set(english)
        assert record["sentence"] in {s.text for s in coded.sentences}
        assert record["evidence"]["trigger"] and record["evidence"]["trigger"][0].isalpha()
        assert record["date_precision"] in {"day", "month", "year", "publication"}
    from tidings.model import MODALITIES

    db = tmp_path / "ru.duckdb"
    with Store(db) as store:
        assert store.save(coded)
    with Store(db, read_only=True) as store:
        stored = list(store.events(modalities=MODALITIES))
        (article,) = store.articles()
    assert article.language == "ru"
    assert {e.event_id for e in stored} == {e.event_id for e in coded.events}


def test_languages_option(tmp_path):
    from tidings.pipeline import Pipeline, PipelineConfig

    article = Article(
        doc_id="r",
        title="",
        paragraphs=(Paragraph("Россия осудила Турцию."),),
        date=PUB,
        language="ru",
    )
    english_only = Pipeline(PipelineConfig(languages=("en",)))
    assert not english_only.codes_language(article)
    assert english_only.code_article(article).events == ()
    assert english_only._stages == {}  # English runs never load the Russian models
    assert PipelineConfig().languages == ("en", "ru")


def test_parsing_texts_together_gives_each_its_own_parse(ru):
    """The parser sorts the sentences of all texts by length for batching; each text's
    doc is the one it gets alone."""
    _, stage = ru
    texts = [
        "Путин встретился с Эрдоганом. Они обсудили Сирию.",
        "",
        "Министр иностранных дел Турции Мевлют Чавушоглу заявил, что Анкара осуждает "
        "удары по Идлибу, и призвал Москву к сдержанности.",
        "МИД России выразил протест.",
    ]

    def signature(doc):
        return [
            (t.text, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.is_sent_start) for t in doc
        ] + [(e.start, e.end, e.label_) for e in doc.ents]

    together = list(stage.parser.pipe(texts))
    assert [signature(d) for d in together] == [signature(stage.parser(t)) for t in texts]
    assert len(together[1]) == 0 and any(e.label_ == "PER" for e in together[2].ents)


def test_english_only_settings_give_one_notice_and_russian_is_still_coded(caplog):
    from tidings.pipeline import Pipeline, PipelineConfig

    pipe = Pipeline(PipelineConfig(prefilter=True))
    with caplog.at_level("WARNING", logger="tidings.pipeline"):
        first = _events(pipe, "Правительство Германии осудило Иран.")
        second = _events(pipe, "Турция осудила Россию.")
    notices = [r.getMessage() for r in caplog.records if r.name == "tidings.pipeline"]
    assert notices == [
        "--prefilter applies to English articles only: ru articles are parsed whole and "
        "coded with the packaged ru dictionaries"
    ]
    assert [e.root_code for e in first] == ["11"] and [e.root_code for e in second] == ["11"]
