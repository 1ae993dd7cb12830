"""Options that say what to read and how: ``--urls`` and a corpus's field names.

Shared by ``tidings code`` and ``tidings ingest``.  ``--id-field``,
``--text-field``, ``--title-field`` and ``--date-field`` name the fields of a
JSONL or CSV corpus (``IngestOptions.columns``); without them ``id`` (or the
corpus's own ``ID``), ``text`` (or ``content``, ``body``,
``content_original``), ``title`` and ``date`` are read.  ``--urls FILE`` reads
pages and feeds from a list of URLs, one a line.  ``--max-record-bytes`` and
``--max-input-bytes`` bound memory whatever the input; ``--allow-private-addresses``
lets URLs reach loopback and private networks (refused by default).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

FIELDS = ("id", "text", "title", "date")


def input_options(command: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option(
            "--urls",
            "url_files",
            multiple=True,
            type=click.Path(dir_okay=False),
            metavar="FILE",
            help="Also read the pages and feeds listed in FILE, one URL a line "
            "('#' comments allowed; repeatable).",
        ),
        *(
            click.option(
                f"--{field}-field",
                f"{field}_field",
                default=None,
                metavar="NAME",
                help=f"The JSONL/CSV corpus field holding the article {field}.",
            )
            for field in FIELDS
        ),
        click.option(
            "--max-record-bytes",
            type=click.IntRange(1),
            default=64 * 1024**2,
            show_default=True,
            help="Largest article (file, JSONL line, CSV row, stdin) read; larger ones are "
            "skipped.",
        ),
        click.option(
            "--max-input-bytes",
            type=click.IntRange(1),
            default=4 * 1024**3,
            show_default=True,
            help="Most bytes read from one input after decompression (stops gzip bombs).",
        ),
        click.option(
            "--allow-private-addresses",
            is_flag=True,
            help="Fetch URLs on loopback, private, link-local or multicast addresses too "
            "(refused by default, also on redirects and for feed links).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def take_inputs(inputs: tuple[str, ...], params: dict[str, Any]):
    """The inputs (with the URLs of ``--urls`` files) and their IngestOptions."""
    from tidings.ingest import IngestOptions, read_url_list

    found = list(inputs)
    for path in params.pop("url_files", ()) or ():
        found.extend(read_url_list(path))
    columns = {}
    for field in FIELDS:
        value = params.pop(f"{field}_field", None)
        if value:
            columns[field] = value
    if not found:
        raise click.UsageError("give INPUTS, or --urls FILE")
    options = IngestOptions(
        columns=columns,
        max_record_bytes=params.pop("max_record_bytes", 64 * 1024**2),
        max_input_bytes=params.pop("max_input_bytes", 4 * 1024**3),
        allow_private_addresses=params.pop("allow_private_addresses", False),
    )
    return found, options
