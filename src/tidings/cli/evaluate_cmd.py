"""``tidings evaluate``: score the pipeline on the public gold sets.

    tidings evaluate plover-gsr                   one set, gold data from ../shared/data/gold
    tidings evaluate conflibert-class PATH        the set's file, its directory or the gold root
    tidings evaluate all --json scores.json       every set; results as JSON too
    tidings evaluate all --baseline tests/baselines/evaluation.json
                                                  compare; exit 1 if a score dropped > 0.01
    tidings evaluate all --no-samples --json tests/baselines/evaluation.json
                                                  regenerate the regression gate's baseline
                                                  (without the error samples: they quote
                                                  third-party gold sentences)

Missing gold data is a one-line error with exit status 1.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tidings import __version__
from tidings.dictionaries.cameo import CLASS5_NAMES
from tidings.errors import InputError
from tidings.evaluation import SETS, TOLERANCE, compare_to_baseline, resolve_gold_path

__all__ = ["evaluate"]


def _console(*, stderr: bool = False) -> Console:
    from tidings.cli._render import make_console

    return make_console(stderr=stderr, highlight=False)


def _load_baseline(path: Path) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: baseline not found") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a readable JSON baseline ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("sets"), dict):
        raise InputError(f"{path}: not an evaluation baseline (no 'sets' object)")
    return data


def _scores_table(results: dict[str, dict], baseline: dict | None) -> Table:
    table = Table(title="Evaluation scores", title_justify="left", show_edge=False, pad_edge=False)
    table.add_column("Set", no_wrap=True)
    table.add_column("Score", no_wrap=True)
    table.add_column("Value", justify="right", no_wrap=True)
    if baseline is not None:
        table.add_column("Baseline", justify="right", no_wrap=True)
        table.add_column("Δ", justify="right", no_wrap=True)
    for name, result in results.items():
        base_scores = (baseline or {}).get("sets", {}).get(name, {}).get("scores", {})
        for i, (score, value) in enumerate(result["scores"].items()):
            row = [name if i == 0 else "", score, f"{value:.4f}"]
            if baseline is not None:
                base = base_scores.get(score)
                if base is None:
                    row += ["-", ""]
                else:
                    delta = value - base
                    style = "red" if delta < -TOLERANCE - 1e-9 else ("green" if delta > 0 else "")
                    text = f"{delta:+.4f}"
                    row += [f"{base:.4f}", f"[{style}]{text}[/]" if style else text]
            table.add_row(*row)
        table.add_section()
    return table


def _confusion_table(result: dict) -> Table:
    matrix = result["confusion"]
    table = Table(
        title="conflibert-class: gold class (rows) x class of the first event (columns)",
        title_justify="left",
        show_edge=False,
        pad_edge=False,
    )
    table.add_column("gold", no_wrap=True)
    for col in matrix["columns"]:
        table.add_column(str(col), justify="right", no_wrap=True)
    table.add_column("total", justify="right", no_wrap=True)
    for label, row in zip(matrix["labels"], matrix["rows"], strict=True):
        name = CLASS5_NAMES.get(label, "") if isinstance(label, int) else ""
        cells = [
            f"[bold]{n}[/]" if j == matrix["labels"].index(label) else str(n)
            for j, n in enumerate(row)
        ]
        table.add_row(escape(f"{label} {name}".strip()), *cells, str(sum(row)))
    return table


def _counts_line(name: str, result: dict) -> str:
    counts = result["counts"]
    parts = [
        f"{k.replace('_', ' ')} {v}"
        for k, v in counts.items()
        if isinstance(v, int) and not k.endswith(("_excused",))
    ]
    seconds = result.get("seconds")
    tail = f" ({seconds:.1f} s)" if seconds is not None else ""
    return f"{name}: {', '.join(parts)}{tail}"


@click.command("evaluate")
@click.argument("set_name", metavar="SET", type=click.Choice([*SETS, "all", "tkg-icews14"]))
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option(
    "--json",
    "json_out",
    metavar="OUT",
    default=None,
    help="Also write the full results (scores, counts, error samples) as JSON to OUT "
    "('-': JSON on stdout instead of the tables).",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=None,
    help="Evaluate only the first N items of each set (quick checks; not for baselines).",
)
@click.option(
    "--baseline",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help=f"Compare with a baseline JSON; exit 1 when a score drops more than {TOLERANCE}.",
)
@click.option(
    "--no-samples",
    is_flag=True,
    help="Leave the error samples (which quote gold sentences) out of the JSON.",
)
@click.option("--model", default=None, help="Installed spaCy pipeline to use.")
@click.pass_context
def evaluate(
    ctx: click.Context,
    set_name: str,
    path: Path | None,
    json_out: str | None,
    limit: int | None,
    baseline: Path | None,
    no_samples: bool,
    model: str | None,
) -> None:
    """Score the pipeline on gold SET (one of the sets below, or all).

    \b
    {sets}

    tkg-icews14 instead runs the temporal knowledge-graph forecasting protocol of
    tidings predict on the ICEWS14 file (PATH; default ../shared/data/events).

    PATH is the set's gold file, its directory or the gold root (for all: the gold root);
    default: $TIDINGS_GOLD, else shared/data/gold or ../shared/data/gold seen from the
    working directory or its parents.  Each sentence is coded as a
    one-paragraph article without title or date.
    """
    if set_name == "tkg-icews14":  # event forecasting, not coding: see tidings.cli.predict_cmd
        from tidings.cli.predict_cmd import run_tkg_evaluation

        return run_tkg_evaluation(path, json_out)
    if limit is not None and baseline is not None:
        raise click.UsageError("--baseline compares full runs: drop --limit")
    names = list(SETS) if set_name == "all" else [set_name]
    # Resolve every gold file (and the baseline) before loading spaCy: fail fast.
    paths = {name: resolve_gold_path(name, path) for name in names}
    base = _load_baseline(baseline) if baseline is not None else None

    from tidings.pipeline import Pipeline, PipelineConfig

    pipeline = Pipeline(PipelineConfig(model=model) if model else None)
    results: dict[str, dict] = {}
    for name in names:
        started = time.perf_counter()
        result = SETS[name].runner(pipeline, paths[name], limit=limit)
        result["seconds"] = round(time.perf_counter() - started, 1)
        if no_samples:
            result.pop("errors", None)
        results[name] = result

    document = {
        "tidings_version": __version__,
        "model": pipeline.config.model,
        "limit": limit,
        "tolerance": TOLERANCE,
        "sets": results,
    }
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if json_out == "-":
        sys.stdout.write(text)
    else:
        console = _console()
        console.print(_scores_table(results, base))
        if "conflibert-class" in results:
            console.print()
            console.print(_confusion_table(results["conflibert-class"]))
        console.print()
        for name, result in results.items():
            console.print(escape(_counts_line(name, result)))
        if json_out is not None:
            try:
                Path(json_out).write_text(text, encoding="utf-8")
            except OSError as exc:
                raise InputError(f"{json_out}: cannot write JSON ({exc.strerror})") from None
            click.echo(f"wrote {json_out}", err=True)

    if base is not None:
        regressions = [
            reg
            for name, result in results.items()
            if name in base["sets"]
            for reg in compare_to_baseline(
                name, result["scores"], base["sets"][name].get("scores", {})
            )
        ]
        for reg in regressions:
            click.echo(f"tidings: regression: {reg}", err=True)
        if regressions:
            ctx.exit(1)


# The sets are listed from the registry, so a new set appears in --help by itself.
evaluate.help = (evaluate.help or "").replace(
    "{sets}",
    "\n    ".join(f"{name}: {gold.description}" for name, gold in SETS.items()),
)
