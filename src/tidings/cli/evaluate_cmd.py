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
    tidings evaluate realnews --split test        whole articles (realnews-dev), test split
    tidings evaluate realnews --dump events.jsonl every coded and gold event, matched or not
    tidings evaluate realnews --split test --curve pr.png
                                                  precision-recall over confidence thresholds
                                                  and the reliability diagram

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
from tidings.evaluation.realnews import SPLITS
from tidings.model import DEFAULT_MIN_CONFIDENCE

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


_REALNEWS = ("realnews", "realnews-ru")  # whole-article sets: --split, --dump, their tables


def _run_realnews(
    pipeline,
    path: Path,
    limit: int | None,
    split: str,
    dump_path: Path | None,
    min_confidence: float | None,
    curve_path: Path | None,
    name: str = "realnews",
) -> dict:
    from tidings.evaluation._realnews_curve import plot_curve
    from tidings.evaluation.realnews import score_realnews, write_dump
    from tidings.evaluation.realnews_ru import score_realnews_ru

    score = score_realnews_ru if name == "realnews-ru" else score_realnews
    result = score(
        pipeline,
        path,
        split=split,  # type: ignore[arg-type]
        limit=limit,
        min_confidence=min_confidence,
    )
    if dump_path is not None:
        rows = write_dump(result, dump_path)
        click.echo(f"wrote {rows} events to {dump_path}", err=True)
    if curve_path is not None:
        plot_curve(result, curve_path, threshold=result.min_confidence)
        click.echo(f"wrote {curve_path}", err=True)
    report = result.report(gold_file=Path(path).name)
    report["set"] = name
    return report


def _realnews_tables(result: dict) -> list[Table]:
    """Accuracy on matched events, error classes and per-root counts of a realnews run."""
    diag = result["diagnostics"]
    split = result.get("split", "all")
    accuracy = Table(
        title=f"realnews ({split}): accuracy on matched events",
        title_justify="left",
        show_edge=False,
        pad_edge=False,
    )
    accuracy.add_column("split", no_wrap=True)
    names = list(diag["accuracy_on_matched"])
    for name in names:
        accuracy.add_column(name, justify="right", no_wrap=True)
    accuracy.add_row(split, *(f"{diag['accuracy_on_matched'][n]:.4f}" for n in names))
    for part in ("tune", "test"):
        if part in diag:
            accuracy.add_row(part, *(f"{diag[part]['accuracy_on_matched'][n]:.4f}" for n in names))
    errors = Table(
        title=f"realnews ({split}): why events did not match",
        title_justify="left",
        show_edge=False,
        pad_edge=False,
    )
    errors.add_column("false positives (coded)", no_wrap=True)
    errors.add_column("n", justify="right")
    errors.add_column("false negatives (gold)", no_wrap=True)
    errors.add_column("n", justify="right")
    fps, fns = list(diag["false_positives"].items()), list(diag["false_negatives"].items())
    for k in range(max(len(fps), len(fns))):
        fp = fps[k] if k < len(fps) else ("", "")
        fn = fns[k] if k < len(fns) else ("", "")
        errors.add_row(fp[0], str(fp[1]), fn[0], str(fn[1]))
    roots = Table(
        title=f"realnews ({split}): per CAMEO root",
        title_justify="left",
        show_edge=False,
        pad_edge=False,
    )
    for col in ("root", "tp", "fp", "fn"):
        roots.add_column(col, justify="right", no_wrap=True)
    for root, c in diag["per_root"].items():
        roots.add_row(root, str(c["tp"]), str(c["fp"]), str(c["fn"]))
    return [accuracy, errors, roots]


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
@click.option(
    "--split",
    type=click.Choice(SPLITS),
    default="all",
    show_default=True,
    help="realnews: the articles scored (tune: fit and tune on these; test: report these; "
    "all: both, with tune_* and test_* scores).",
)
@click.option(
    "--dump",
    "dump_path",
    metavar="FILE",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="realnews: write every coded and gold event with its match status and error "
    "class to FILE (JSONL).",
)
@click.option(
    "--min-confidence",
    type=click.FloatRange(0.0, 1.0),
    default=None,
    help=f"realnews: the confidence threshold of the default view (default "
    f"{DEFAULT_MIN_CONFIDENCE}; 0: every event of the default modalities).",
)
@click.option(
    "--curve",
    "curve_path",
    metavar="FILE.png",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="realnews: draw the precision-recall curve over confidence thresholds and the "
    "reliability diagram to FILE (.png, .svg or .pdf; needs matplotlib).",
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
    split: str,
    dump_path: Path | None,
    min_confidence: float | None,
    curve_path: Path | None,
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
    one-paragraph article without title or date; realnews and realnews-ru code whole
    original articles (from the corpora beside the gold data) and score them by
    GUIDELINES.md's Scoring section.
    """
    if set_name == "tkg-icews14":  # event forecasting, not coding: see tidings.cli.predict_cmd
        from tidings.cli.predict_cmd import run_tkg_evaluation

        return run_tkg_evaluation(path, json_out)
    if limit is not None and baseline is not None:
        raise click.UsageError("--baseline compares full runs: drop --limit")
    realnews_only = dump_path or curve_path or split != "all" or min_confidence is not None
    if set_name not in {*_REALNEWS, "all"} and realnews_only:
        raise click.UsageError(
            "--split, --dump, --curve and --min-confidence apply to the realnews sets"
        )
    if curve_path is not None:
        from tidings._figures import check_figure_path

        check_figure_path(curve_path, "--curve")  # before minutes of coding
    names = list(SETS) if set_name == "all" else [set_name]
    # Resolve every gold file (and the baseline) before loading spaCy: fail fast.
    paths = {name: resolve_gold_path(name, path) for name in names}
    if "realnews" in paths:
        from tidings.evaluation.realnews import corpus_path_for

        corpus_path_for(paths["realnews"])  # the articles' texts: fail before loading spaCy
    base = _load_baseline(baseline) if baseline is not None else None

    from tidings.pipeline import Pipeline, PipelineConfig

    pipeline = Pipeline(PipelineConfig(model=model) if model else None)
    results: dict[str, dict] = {}
    for name in names:
        started = time.perf_counter()
        if name in _REALNEWS:
            result = _run_realnews(
                pipeline, paths[name], limit, split, dump_path, min_confidence, curve_path, name
            )
        else:
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
        for name in _REALNEWS:
            if name in results:
                console.print()
                for table in _realnews_tables(results[name]):
                    console.print(table)
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
