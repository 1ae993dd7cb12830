"""``tidings predict`` and the ``tkg-icews14`` set of ``tidings evaluate``.

    tidings predict RUS --root 19 --at 2014-12-01            likely targets of Russian fighting
    tidings predict UKR --root 19 --at 2014-12-01 --sources  likely sources of fighting on UKR
    tidings evaluate tkg-icews14 [PATH]                      the TKG forecasting protocol

See :mod:`tidings.analytics._tkg` for the models and
:mod:`tidings.analytics._tkg_eval` for the protocol.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from tidings.cli.analytics_cmd import OUTPUTS, _plain, emit
from tidings.errors import InputError

__all__ = ["TKG_SET", "predict_cmd", "run_tkg_evaluation"]

TKG_SET = "tkg-icews14"
#: The ICEWS 2014 file, below the shared data folder (beside the gold sets).
_DEFAULT_FILE = Path("events") / "icews14_events_named.csv"


@click.command("predict")
@click.argument("actor")
@click.option("--root", required=True, help="CAMEO root code of the event, e.g. 19.")
@click.option("--at", "at", required=True, help="The day to predict (YYYY-MM-DD).")
@click.option("--sources", is_flag=True, help="Rank likely sources instead of targets.")
@click.option("--top", type=click.IntRange(1, 100), default=10, show_default=True)
@click.option(
    "--level", type=click.Choice(["country", "code"]), default="country", show_default=True
)
@click.option("--merged", is_flag=True, help="Learn from merged events (see tidings merge).")
@click.option("--db", default="tidings.duckdb", show_default=True, help="DuckDB event store.")
@click.option("--format", "fmt", type=click.Choice(OUTPUTS), default="table", show_default=True)
def predict_cmd(
    actor: str,
    root: str,
    at: str,
    sources: bool,
    top: int,
    level: str,
    merged: bool,
    db: str,
    fmt: str,
) -> None:
    """Ranked likely targets (or sources) of ACTOR for a CAMEO root on a day, from the
    events before it."""
    from tidings.analytics import EventStore
    from tidings.analytics._tkg_eval import facts_from_store, predict

    try:
        day = dt.date.fromisoformat(at)
    except ValueError:
        raise click.BadParameter(f"{at!r} is not a date (YYYY-MM-DD)", param_hint="--at") from None
    if not root.strip().isdigit() or not 1 <= int(root) <= 20:
        raise click.BadParameter(f"{root!r} is not a CAMEO root 01-20", param_hint="--root")
    with EventStore(db) as store:
        facts = facts_from_store(
            lambda: store.connection, level=level, table="merged" if merged else "events"
        )
    rows = predict(
        facts,
        actor.strip().upper(),
        f"{int(root):02d}",
        day,
        direction="source" if sources else "target",
        top=top,
    )
    role = "sources" if sources else "targets"
    emit(
        rows,
        ["rank", "actor", "probability", "score"],
        fmt,
        f"Likely {role} of {actor.upper()} for root {int(root):02d} on {day}",
    )


def run_tkg_evaluation(path: Path | None, json_out: str | None) -> None:
    """``tidings evaluate tkg-icews14 [PATH]``: print the protocol's figures."""
    from tidings.analytics._tkg_eval import run_protocol

    if path is None:
        from tidings.evaluation import default_gold_dir

        # beside the gold sets, found as they are ($TIDINGS_GOLD, shared/ near the cwd ...)
        path = default_gold_dir().parent / _DEFAULT_FILE
    if path.is_dir():
        path = path / _DEFAULT_FILE.name
    if not path.exists():
        raise InputError(f"{path}: ICEWS14 file not found (give its path)")
    result = run_protocol(path, log=lambda m: click.echo(f"{TKG_SET}: {m}", err=True))
    if json_out == "-":
        json.dump(result.__dict__, sys.stdout, indent=1, default=_plain)
        sys.stdout.write("\n")
        return
    click.echo(f"{TKG_SET}: {result.line('learned')}")
    names = {
        "paper": "recurrency baseline (paper: λ, α per relation, combined)",
        "paper strict": "recurrency baseline (paper: λ per relation, strict)",
        "relaxed": "recurrency baseline (relaxed)",
        "recurrency": "recurrency, recency/frequency mix (combined)",
        "strict": "recurrency, recency/frequency mix (strict)",
    }
    for name, label in names.items():
        click.echo(f"{TKG_SET} {label}: {result.line(name)}")
    for part in ("seen", "new"):
        m, b = result.test["learned"][part], result.test["paper"][part]
        click.echo(
            f"{TKG_SET} {part} facts ({m['n']} queries): MRR {m['mrr']:.2f} "
            f"(recurrency {b['mrr']:.2f}) Hits@10 {m['hits10']:.2f} ({b['hits10']:.2f})"
        )
    split = ", ".join(
        f"{k} {v['facts']} ({v['first']}..{v['last']})" for k, v in result.split.items()
    )
    click.echo(
        f"{TKG_SET}: split {split}; chosen on valid: {result.chosen['strict']}, "
        f"beta {result.chosen['beta']}, paper form {result.chosen['paper']}, learned decays "
        f"{result.chosen['learned']['lambda_fast']}/{result.chosen['learned']['lambda_slow']}"
        f"; {result.seconds:.0f} s"
    )
    if json_out:
        Path(json_out).write_text(
            json.dumps(result.__dict__, indent=1, default=_plain) + "\n", encoding="utf-8"
        )
