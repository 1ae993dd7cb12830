"""Analysis of stored events from Python: queries, time series, networks, merged events.

    >>> import tidings
    >>> with tidings.open("tidings.duckdb") as store:                  # doctest: +SKIP
    ...     store.events(actor="RUS", since="2016-01-01").df()          # pandas
    ...     store.events(dyad=("RUS", "TUR"), root="04").arrow()        # pyarrow
    ...     for event in store.events(code="051", country="TUR").iter(): ...
    ...     store.timeline("RUS", "TUR", by="week").df()
    ...     store.top_dyads(20).df(), store.top_actors(10, level="country").df()
    ...     store.event_types(since="2016").df()
    ...     store.network(min_weight=2).to_networkx()
    ...     store.sql("SELECT count(*) FROM events WHERE root_code = ?", ["19"]).rows()

:class:`EventStore` (what ``tidings.open`` returns) opens the store read-only
by default and hands out lazy :class:`Query` objects: SQL with bound
parameters that runs when asked for ``.df()``, ``.arrow()``, ``.records()``,
``.rows()`` or ``.iter()``.  Filters are documented on :class:`EventStore`;
periods and counting rules of the aggregates in :mod:`._series`.

Merged events (:mod:`._merge`): reports of the same event from several
sentences and articles are grouped GDELT-style into ``merged_events`` with
their ``event_mentions``, by ``tidings merge`` or :meth:`EventStore.merge`
(open with ``read_only=False``); ``events`` is never modified, so merging is
reversible and can be redone with another window.  Aggregates take
``merged=True`` to count merged events instead of reports.

This package sits beside :mod:`tidings.exchange`: above the store, below the
API and CLI.  pandas, pyarrow and networkx are imported only when a result
is converted to them.
"""

from __future__ import annotations

from tidings.analytics._aftermath import Aftermath
from tidings.analytics._facade import EventStore, open_store
from tidings.analytics._filters import FILTER_NAMES
from tidings.analytics._merge import (
    MergeRule,
    MergeSummary,
    merge_state,
    merged_id,
    rebuild_merged,
    update_merged,
)
from tidings.analytics._query import EventQuery, Query
from tidings.analytics._series import Network, period_start

__all__ = [
    "FILTER_NAMES",
    "Aftermath",
    "EventQuery",
    "EventStore",
    "MergeRule",
    "MergeSummary",
    "Network",
    "Query",
    "merge_state",
    "merged_id",
    "open_store",
    "period_start",
    "rebuild_merged",
    "update_merged",
]
