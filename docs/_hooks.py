"""MkDocs hook: pages that are generated from the code, so they never drift from it.

Placeholders in the Markdown pages are replaced at build time:

* ``<!-- cli -->``: every ``tidings`` command's help, from the click commands;
* ``<!-- filters -->``: the filter table, from ``tidings.store.filters.FILTERS``;
* ``<!-- study-options -->``: the options of aftermath/forecast/backtest, from
  ``tidings.analytics._study_options.STUDY_OPTIONS``;
* ``<!-- readme: TITLE -->``: the README's section ``## TITLE`` (one text, two places);
* ``<!-- evaluation -->``: the gold sets (``tidings.evaluation.SETS``) and the baseline
  scores of ``tests/baselines/evaluation.json``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # document this checkout, installed or not


def _cli_reference() -> str:
    import click

    from tidings.cli import cli

    out: list[str] = []

    def walk(command: click.Command, path: list[str], parent: click.Context | None) -> None:
        ctx = click.Context(command, info_name=path[-1], parent=parent)
        out.append(f"{'#' * min(len(path) + 1, 4)} `{' '.join(path)}`\n")
        out.append("```text\n" + command.get_help(ctx) + "\n```\n")
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                walk(command.get_command(ctx, name), [*path, name], ctx)

    walk(cli, ["tidings"], None)
    return "\n".join(out)


def _readme_section(title: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    if match is None:
        raise ValueError(f"README has no section {title!r}")
    return match.group(1).strip() + "\n"


def _evaluation() -> str:
    from tidings.evaluation import SETS

    lines = ["| set | gold file (under the gold root) | what is scored |", "|---|---|---|"]
    lines += [f"| `{s.name}` | `{s.relpath}` | {s.description} |" for s in SETS.values()]
    baseline = json.loads((ROOT / "tests" / "baselines" / "evaluation.json").read_text())
    lines += ["", "Baseline scores (`tests/baselines/evaluation.json`, model "
              f"`{baseline.get('model')}`):", ""]  # fmt: skip
    lines += ["| set | score | value |", "|---|---|---|"]
    for name, result in baseline["sets"].items():
        for score, value in result.get("scores", {}).items():
            if isinstance(value, int | float):
                lines.append(f"| `{name}` | {score} | {value:.4f} |")
    return "\n".join(lines) + "\n"


def on_page_markdown(markdown: str, **_: object) -> str:
    from tidings.store.filters import filters_markdown

    if "<!-- cli -->" in markdown:
        markdown = markdown.replace("<!-- cli -->", _cli_reference())
    if "<!-- filters -->" in markdown:
        markdown = markdown.replace("<!-- filters -->", filters_markdown())
    if "<!-- study-options -->" in markdown:
        from tidings.analytics._study_options import study_options_markdown

        markdown = markdown.replace("<!-- study-options -->", study_options_markdown())
    if "<!-- evaluation -->" in markdown:
        markdown = markdown.replace("<!-- evaluation -->", _evaluation())
    return re.sub(
        r"<!-- readme: (.+?) -->", lambda m: _readme_section(m.group(1)), markdown
    )
