"""Progress bar only on terminals; totals when cheaply known."""

from __future__ import annotations

from tidings.cli._progress import Progress, estimate_total


def test_estimate_total(tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"text": "a"}\n\n{"text": "b"}\n', encoding="utf-8")
    page = tmp_path / "p.md"
    page.write_text("# T\n\nbody\n", encoding="utf-8")
    assert estimate_total([str(corpus), str(page)]) == 3
    assert estimate_total(["-"]) is None
    assert estimate_total([str(tmp_path)]) is None
    assert estimate_total(["https://example.org/feed"]) is None


def test_progress_is_silent_off_terminal(capsys):
    progress = Progress(3, enabled=False)
    progress.advance()
    progress.close()
    assert capsys.readouterr() == ("", "")


def test_progress_on_terminal_counts():
    progress = Progress(2, enabled=True)
    progress.advance()
    progress.advance()
    assert progress._progress.tasks[0].completed == 2
    progress.close()
