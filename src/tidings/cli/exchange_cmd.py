"""``tidings export`` and ``tidings import``: event data in and out of the store.

    tidings export --format gdelt --output events.tsv       GDELT 2.0 event table (+ .meta.json)
    tidings export --format icews -o events.tab --since 2024-01 --actor RUS
    tidings export --format jsonl --all-modalities > all.jsonl
    tidings export --format gexf -o network.gexf             actor network for Gephi
    tidings import --format gdelt 20150218230000.export.CSV.zip
    tidings import --format icews icews_events_2014.tab --limit 100000

Exports include asserted and reported events unless ``--modality`` (repeatable)
or ``--all-modalities`` says otherwise.  Imports report how many events were
added, how many were already stored and the first bad lines; the exit status
is 1 only when the file had no usable line at all.
"""

from __future__ import annotations

import sys

import click

from tidings.cli._options import min_confidence_option
from tidings.errors import TidingsError
from tidings.exchange import (
    EXPORT_FORMATS,
    IMPORT_FORMATS,
    SIDECAR_FORMATS,
    export_events,
    import_events,
)
from tidings.model import DEFAULT_MIN_CONFIDENCE, DEFAULT_MODALITIES, MODALITIES
from tidings.store import DEFAULT_DB, Store

__all__ = ["export_cmd", "import_cmd"]


def _say(message: str) -> None:
    click.echo(f"tidings: {message}", err=True)


def _coder(store: Store) -> str:
    recorded = store.setting("coder")
    if recorded:
        return recorded
    from tidings.coding import Coder

    return Coder.name


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True)
@click.option("--db", default=DEFAULT_DB, show_default=True, help="DuckDB event store.")
@click.option(
    "--output", "-o", default="-", show_default=True, help="File to write, or - for stdout."
)
@click.option("--since", default=None, help="Earliest event date (YYYY-MM-DD, YYYY-MM or YYYY).")
@click.option("--until", default=None, help="Latest event date (YYYY-MM-DD, YYYY-MM or YYYY).")
@click.option("--actor", default=None, help="Actor code prefix (source or target), e.g. RUS.")
@click.option("--code", "code_prefix", default=None, help="CAMEO code prefix, e.g. 04.")
@click.option(
    "--modality",
    "modalities",
    multiple=True,
    type=click.Choice(MODALITIES),
    help=f"Modality to include (repeatable); default: {', '.join(DEFAULT_MODALITIES)}.",
)
@click.option("--all-modalities", is_flag=True, help="Include every modality.")
@click.option("--provenance", default=None, help="Provenance prefix: tidings, gdelt, icews:FILE...")
@click.option("--limit", type=click.IntRange(min=0), default=None, help="At most N events.")
@min_confidence_option()
def export_cmd(
    fmt: str,
    db: str,
    output: str,
    since: str | None,
    until: str | None,
    actor: str | None,
    code_prefix: str | None,
    modalities: tuple[str, ...],
    all_modalities: bool,
    provenance: str | None,
    limit: int | None,
    min_confidence: float | None,
) -> None:
    """Write stored events in another tool's format (GDELT, ICEWS, CSV, Parquet, Gephi...).

    GDELT, ICEWS, CSV and JSONL files get their provenance stamp (Tidings
    version, coder, dictionaries) in a sidecar FILE.meta.json, which also maps
    GDELT/ICEWS integer ids back to Tidings ids for a later import.
    """
    if modalities and all_modalities:
        raise click.UsageError("give --modality or --all-modalities, not both")
    if fmt == "parquet" and output == "-" and sys.stdout.isatty():
        raise click.UsageError("parquet is binary: give --output FILE")
    wanted = None if all_modalities else (list(modalities) or list(DEFAULT_MODALITIES))
    out = output
    if output == "-":
        out = sys.stdout.buffer if fmt == "parquet" else sys.stdout
    with Store.for_reading(db) as store:
        summary = export_events(
            store,
            fmt,
            out,
            since=since,
            until=until,
            actor=actor,
            code=code_prefix,
            modalities=wanted,
            min_confidence=DEFAULT_MIN_CONFIDENCE if min_confidence is None else min_confidence,
            provenance=provenance,
            limit=limit,
            coder=_coder(store),
        )
    if output == "-":
        sys.stdout.flush()
        if fmt in SIDECAR_FORMATS:
            _say(f"# {summary.stamp.line()} (no sidecar: output is stdout)")
    skipped = f", {summary.skipped} without coordinates skipped" if summary.skipped else ""
    where = "stdout" if output == "-" else summary.output
    sidecar = f" (stamp: {summary.sidecar})" if summary.sidecar else ""
    _say(f"{summary.events} events exported as {fmt} to {where}{skipped}{sidecar}")


@click.command("import")
@click.argument("file")
@click.option("--format", "fmt", type=click.Choice(IMPORT_FORMATS), required=True)
@click.option("--db", default=DEFAULT_DB, show_default=True, help="DuckDB event store.")
@click.option("--limit", type=click.IntRange(min=0), default=None, help="At most N events.")
def import_cmd(file: str, fmt: str, db: str, limit: int | None) -> None:
    """Load event data from FILE into the store.

    Formats: GDELT 2.0 event files (also .zip/.gz), ICEWS event files (TSV
    with header; the ICEWS 2014 benchmark CSV is recognised too), and
    Tidings' own JSONL and Parquet exports.  Events keep their provenance
    (gdelt:FILE, icews:FILE): filter on it with tidings export --provenance.
    Importing the same file again adds nothing.
    """
    summary = import_events(db, fmt, file, limit=limit)
    for problem in summary.problems:
        _say(f"{file}: {problem}")
    if summary.rejected > len(summary.problems):
        _say(f"{file}: ... and {summary.rejected - len(summary.problems)} more bad lines")
    _say(
        f"{summary.imported} events imported from {file} as {summary.source} "
        f"({summary.duplicates} already stored, {summary.rejected} bad lines) "
        f"in {summary.seconds:.1f} s"
    )
    if summary.rows == summary.rejected and summary.rejected:
        raise TidingsError(f"{file}: no line could be imported")
