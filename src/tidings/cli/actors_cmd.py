"""``tidings actors``: look names up in the actor dictionaries."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import click


@click.group("actors")
def actors() -> None:
    """Actor dictionary tools."""


@actors.command("lookup")
@click.argument("name")
@click.option("--date", "when", default=None, help="Date the role must hold (YYYY-MM-DD).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def lookup(name: str, when: str | None, fmt: str) -> None:
    """Show the code NAME resolves to (on --date), the matched entry, and its role dates."""
    from tidings.api import lookup_actor

    day = None
    if when is not None:
        try:
            day = dt.date.fromisoformat(when)
        except ValueError:
            raise click.BadParameter(
                f"{when!r} is not a date (YYYY-MM-DD)", param_hint="--date"
            ) from None
    results = lookup_actor(name, day)
    if fmt == "json":
        click.echo(json.dumps([dataclasses.asdict(r) for r in results], indent=2))
    elif not results:
        click.echo(f"no dictionary entry for {name!r}")
    else:
        for r in results:
            role = f"{r.role_start or '…'} – {r.role_end or '…'}"
            click.echo(f"{r.query} → {r.code or '(no role on this date)'}")
            click.echo(f"  entry: {r.entry} ({r.kind})")
            if r.kind != "agent":
                click.echo(f"  role:  {role}" + (f" ({r.note})" if r.note else ""))
                for code, start, end in r.roles:
                    click.echo(f"  all roles: {code} {start or '…'} – {end or '…'}")
    if not results:
        raise SystemExit(1)
