"""The analytics queries' filters: declared once in :mod:`tidings.store.filters`.

The table of filters (:data:`~tidings.store.filters.FILTERS`) lives in the
store layer so that every surface can use it: the store's own reads and the
exports, the analytics API, the CLI options and the HTTP query parameters.
"""

from tidings.store.filters import (
    DEFAULT,
    FILTER_NAMES,
    FILTERS,
    FilterError,
    Filters,
    FilterSpec,
    Table,
    compile_where,
    from_clause,
    make_filters,
    needs_articles,
    parse_filter_strings,
    where_sql,
)

__all__ = [
    "DEFAULT",
    "FILTERS",
    "FILTER_NAMES",
    "FilterError",
    "FilterSpec",
    "Filters",
    "Table",
    "compile_where",
    "from_clause",
    "make_filters",
    "needs_articles",
    "parse_filter_strings",
    "where_sql",
]
