"""``tidings dictionaries``: validate and inspect dictionaries you bring.

    tidings dictionaries check my.verbs.txt       one file (JSONL or PETRARCH/TABARI text)
    tidings dictionaries check my-dicts/          a directory, as --dictionaries reads it
    tidings dictionaries check profile.toml       a profile and every file it lists
    tidings dictionaries files my-dicts/          the files each kind would load, in order

``check`` prints one line per problem, ``FILE:LINE: level: message`` (line 0: the
whole file), then a summary line on stderr.  Levels: ``error`` (something is
skipped or cannot be read), ``warning`` (read with an assumption, or valid PETRARCH
that Tidings cannot express), ``note``.  The exit status is 1 when there is an
error, 0 otherwise (warnings allowed).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from tidings.dictionaries.profile import KINDS, check_dictionary, load_dictionary_set

__all__ = ["dictionaries"]


@click.group("dictionaries")
def dictionaries() -> None:
    """Validate and inspect dictionaries (actors, agents, discards, verbs)."""


@dictionaries.command("check")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    default=None,
    help="Kind of a single file (default: from its name, else its content).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.pass_context
def check_cmd(ctx: click.Context, path: Path, kind: str | None, quiet: bool) -> None:
    """Validate a dictionary file, a directory of them, or a profile (*.toml).

    Prints FILE:LINE: level: message per problem and exits 1 if there is an error.
    """
    issues = check_dictionary(path, kind=kind)
    levels = Counter(issue.level for issue in issues)
    for issue in issues:
        if quiet and issue.level != "error":
            continue
        click.echo(str(issue))
    files = len({issue.file for issue in issues})
    parts = [_plural(levels["error"], "error"), _plural(levels["warning"], "warning")]
    if levels["note"]:
        parts.append(_plural(levels["note"], "note"))
    where = f" in {_plural(files, 'file')}" if issues else ""
    verdict = "FAILED" if levels["error"] else "OK"
    click.echo(f"{path}: {verdict}: {', '.join(parts)}{where}", err=True)
    if levels["error"]:
        ctx.exit(1)


@dictionaries.command("files")
@click.argument("path", type=click.Path(path_type=Path))
def files_cmd(path: Path) -> None:
    """List the files --dictionaries PATH would load for each kind, in load order."""
    ds = load_dictionary_set(path)
    user = {p for kind in KINDS for p in ds.user_files(kind)}
    click.echo(f"mode: {ds.mode}")
    for kind in KINDS:
        click.echo(f"{kind}:")
        for file in ds.files(kind):
            origin = "yours" if file in user else "packaged"
            click.echo(f"  {file}  ({origin})")
    for note in ds.notes:
        click.echo(str(note), err=True)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
