"""``tidings cameo``: look up the CAMEO codebook from the command line.

    tidings cameo 051                 one entry (and the codes under it, if any)
    tidings cameo 05                  a root and every code under it
    tidings cameo --search praise     entries whose label contains "praise"
    tidings cameo                     the 20 roots
    tidings cameo 051 --format json   the same as JSON

An unknown code is a one-line error on stderr with exit status 2.
"""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tidings.dictionaries.cameo import CLASS5_NAMES, CameoCode, Codebook, load_codebook

__all__ = ["cameo"]


def _console() -> Console:
    # Created per call so that it writes to whatever sys.stdout is at that moment
    # (click's test runner swaps it).
    from tidings.cli._render import make_console

    return make_console(highlight=False)


def _plover_text(entry: CameoCode) -> str:
    if entry.plover is None:
        return "-"
    extras = [
        f"{name}: {value}"
        for name, value in (("mode", entry.plover_mode), ("context", entry.plover_context))
        if value
    ]
    return f"{entry.plover} ({'; '.join(extras)})" if extras else entry.plover


def _codes_table(entries: list[CameoCode], title: str | None, *, indent: bool = False) -> Table:
    table = Table(title=title, title_justify="left", show_edge=False, pad_edge=False)
    table.add_column("Code", no_wrap=True)
    table.add_column("Label", overflow="fold")
    table.add_column("Goldstein", justify="right", no_wrap=True)
    table.add_column("QuadClass", no_wrap=True)
    table.add_column("class5", justify="right", no_wrap=True)
    table.add_column("PLOVER", overflow="fold")
    base = min((e.level for e in entries), default=0)
    for e in entries:
        pad = "  " * (e.level - base) if indent else ""
        table.add_row(
            pad + e.code,
            escape(e.label),
            f"{e.goldstein:.1f}",
            f"{e.quad_class} {e.quad_class_name}",
            str(e.class5),
            escape(e.plover or ""),
        )
    return table


def _entry_grid(entry: CameoCode, book: Codebook) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row("Code", entry.code)
    grid.add_row("Label", escape(entry.label))
    if not entry.is_root:
        root = book.get(entry.root)
        grid.add_row("Root", escape(f"{entry.root} {root.label}" if root else entry.root))
    grid.add_row("Goldstein", f"{entry.goldstein:.1f}")
    grid.add_row("QuadClass", f"{entry.quad_class} {entry.quad_class_name}")
    grid.add_row("class5", f"{entry.class5} {CLASS5_NAMES[entry.class5]}")
    grid.add_row("PLOVER", escape(_plover_text(entry)))
    return grid


def _unknown_code_message(code: str, book: Codebook) -> str:
    message = f"tidings: unknown CAMEO code {code!r}"
    if code.isdigit() and "0" + code in book:
        return f"{message} (codes keep their leading zero: did you mean {'0' + code}?)"
    try:
        near = book.nearest(code)
    except KeyError:
        return message
    return f"{message} (nearest known code: {near.code} {near.label})"


@click.command("cameo")
@click.argument("code", required=False)
@click.option(
    "--search",
    "-s",
    "query",
    metavar="TEXT",
    help="List the codes whose label contains TEXT (case-insensitive).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@click.pass_context
def cameo(ctx: click.Context, code: str | None, query: str | None, fmt: str) -> None:
    """Look up a CAMEO event CODE: label, Goldstein value, QuadClass, class5, PLOVER.

    A root code (two digits, e.g. 05) also lists every code under it; without CODE or
    --search, the 20 roots are listed.  Codes are strings: 051, not 51.
    """
    if code is not None and query is not None:
        raise click.UsageError("give a CODE or --search TEXT, not both")
    book = load_codebook()

    if query is not None:
        matches = book.search(query)
        if fmt == "json":
            click.echo(json.dumps([e.as_dict() for e in matches], indent=2))
        elif matches:
            title = f"{len(matches)} CAMEO code(s) matching {query!r}"
            _console().print(_codes_table(matches, escape(title)))
        else:
            click.echo(f"No CAMEO code matches {query!r}.", err=True)
        return

    if code is None:
        roots = book.roots()
        if fmt == "json":
            click.echo(json.dumps([e.as_dict() for e in roots], indent=2))
        else:
            _console().print(_codes_table(roots, "CAMEO root codes"))
        return

    code = code.strip()
    entry = book.get(code)
    if entry is None:
        click.echo(_unknown_code_message(code, book), err=True)
        ctx.exit(2)
    under = book.children(code, recursive=True)
    if fmt == "json":
        data = entry.as_dict()
        data["children"] = [e.as_dict() for e in under]
        click.echo(json.dumps(data, indent=2))
        return
    console = _console()
    console.print(_entry_grid(entry, book))
    if under:
        console.print()
        console.print(_codes_table(under, f"Codes under {code}", indent=True))
