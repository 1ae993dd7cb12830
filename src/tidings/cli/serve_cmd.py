"""``tidings serve``: the JSON API and the web dashboard over an event store.

    tidings serve                          tidings.duckdb on http://127.0.0.1:8000/
    tidings serve --db news.duckdb --port 8080

Read-only: the store is opened read-only (another process may not write it
meanwhile: DuckDB locks the file).  Binds 127.0.0.1 unless --host says
otherwise; binding another interface exposes the events to that network.
"""

from __future__ import annotations

from pathlib import Path

import click

from tidings.errors import TidingsError

__all__ = ["serve"]


@click.command("serve")
@click.option("--db", default="tidings.duckdb", show_default=True, help="DuckDB event store.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="TCP port."
)
@click.option(
    "--cors-origin",
    "cors_origins",
    multiple=True,
    metavar="ORIGIN",
    help="Allow cross-origin GETs from ORIGIN (repeatable); CORS is off by default.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(0.1, 600),
    default=5.0,
    show_default=True,
    help="Longest a single query may run, in seconds.",
)
def serve(db: str, host: str, port: int, cors_origins: tuple[str, ...], timeout: float) -> None:
    """Serve the JSON API and the dashboard for the events in --db (read-only)."""
    if not Path(db).is_file():
        raise TidingsError(f"database {db} does not exist (create it with `tidings code`)")
    try:
        from tidings.web import serve as run
    except ImportError as exc:  # fastapi / uvicorn missing
        raise TidingsError(
            f"tidings serve needs FastAPI and uvicorn ({exc.name} is missing)"
        ) from None
    shown = f"[{host}]" if ":" in host else host

    def announce() -> None:  # once the store is open, so a bad one is its error alone
        click.echo(f"tidings: serving {db} at http://{shown}:{port}/ (Ctrl-C to stop)", err=True)

    run(db, host=host, port=port, cors_origins=cors_origins, timeout=timeout, announce=announce)
