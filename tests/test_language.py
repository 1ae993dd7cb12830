"""Tests of offline language identification and of how ingest applies it."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from tidings.ingest import IngestOptions, detect_language, iter_articles
from tidings.model import Article

REPO = Path(__file__).resolve().parents[1]
BSNLP = REPO.parent / "shared" / "data" / "russian" / "bsnlp_ru_docs.jsonl"
SEED = REPO / "examples" / "moscow-times-2016-12-21-aftermath.md"

SAMPLES = {
    "en": "The foreign ministers of Russia and Turkey met in Moscow on Tuesday to discuss Syria.",
    "ru": "Министры иностранных дел России и Турции встретились во вторник в Москве.",
    "uk": "Міністри закордонних справ України та Польщі зустрілися у вівторок у Києві.",
    "fr": "Les ministres des affaires étrangères se sont réunis mardi à Moscou pour parler.",
    "de": "Die Außenminister Russlands und der Türkei trafen sich am Dienstag in Moskau.",
    "es": "Los ministros de Asuntos Exteriores se reunieron el martes en Moscú para hablar.",
    "pt": "Os ministros dos Negócios Estrangeiros reuniram-se na terça-feira em Moscovo.",
    "tr": "Rusya ve Türkiye dışişleri bakanları salı günü Moskova'da bir araya geldi.",
    "ar": "التقى وزيرا خارجية روسيا وتركيا في موسكو يوم الثلاثاء لبحث الأزمة السورية.",
    "zh": "俄罗斯和土耳其外长周二在莫斯科会晤，讨论叙利亚局势。",
}


@pytest.mark.parametrize(("code", "text"), sorted(SAMPLES.items()))
def test_short_samples(code: str, text: str) -> None:
    assert detect_language(text) == code


def test_seed_article_is_english() -> None:
    (article,) = list(iter_articles([str(SEED)]))
    assert isinstance(article, Article)
    assert article.language == "en"


@pytest.mark.parametrize("text", ["", "   ", "12345 !!!", "jsonl", "Trump", "B z text"])
def test_too_little_to_judge_gives_the_default(text: str) -> None:
    assert detect_language(text) == "en"
    assert detect_language(text, default="und") == "und"


def test_short_non_latin_text_is_still_judged() -> None:
    assert detect_language("Путин") == "ru"


def test_candidates_restrict_the_answer() -> None:
    # Ukrainian text, when only English and Russian are possible, is closest to Russian.
    assert detect_language(SAMPLES["uk"], candidates=["en", "ru"]) == "ru"


def test_urls_do_not_make_a_text_english() -> None:
    text = "Лавров встретился с Чавушоглу https://www.example.com/news/world/2016/12/21/a"
    assert detect_language(text) == "ru"


def test_record_language_wins_over_detection(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    rows = [
        {"id": "1", "text": "An English text that the corpus calls Russian.", "lang": "ru"},
        {"id": "2", "text": SAMPLES["ru"]},
        {"id": "3", "text": SAMPLES["en"], "language": "EN-us"},
    ]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    results = list(iter_articles([str(path)]))
    assert [a.language for a in results if isinstance(a, Article)] == ["ru", "ru", "en"]


def test_detection_can_be_turned_off(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"text": SAMPLES["ru"]}) + "\n", "utf-8")
    options = IngestOptions(detect_language=False, default_language="xx")
    (article,) = list(iter_articles([str(path)], options=options))
    assert isinstance(article, Article)
    assert article.language == "xx"
    (stdin_article,) = list(iter_articles(["-"], stdin=io.StringIO(SAMPLES["ru"]), options=options))
    assert isinstance(stdin_article, Article)
    assert stdin_article.language == "en"  # the reader's default, untouched


def test_stdin_and_text_files_are_detected(tmp_path: Path) -> None:
    path = tmp_path / "ru.txt"
    path.write_text("Встреча в Москве\n\n" + SAMPLES["ru"], encoding="utf-8")
    (article,) = list(iter_articles([str(path)]))
    assert isinstance(article, Article)
    assert article.language == "ru"


@pytest.mark.slow
@pytest.mark.skipif(not BSNLP.exists(), reason="shared BSNLP Russian documents absent")
def test_bsnlp_russian_documents() -> None:
    docs = [json.loads(line) for line in BSNLP.read_text(encoding="utf-8").splitlines() if line]
    texts = [d["text"] for d in docs if d.get("text", "").strip()]
    found = [detect_language(t) for t in texts]
    assert sum(code == "ru" for code in found) / len(texts) >= 0.99
