"""Exchange event data with other tools: exports in their formats, imports of theirs.

    >>> from tidings.exchange import export_events, import_events   # doctest: +SKIP
    >>> with Store("tidings.duckdb") as store:
    ...     export_events(store, "gdelt", "events.tsv", since="2024-01")
    ...     summary = import_events(store, "icews", "icews_2014.tab")
    ...     print(summary.imported, summary.rejected, summary.problems[:3])

Exports (:data:`EXPORT_FORMATS`): ``gdelt`` (the 61-column GDELT 2.0 event
table), ``gdelt-mentions`` (its mentions table), ``icews`` (ICEWS TSV with
header), ``csv``, ``jsonl`` (the README event contract, one object per line),
``parquet``, ``gexf`` (actor network for Gephi) and ``geojson`` (events with
coordinates).  By default only asserted and reported events are exported
(:data:`tidings.model.DEFAULT_MODALITIES`).

Every export is stamped with the Tidings version, the coder and a hash of the
dictionaries: inside the file where the format has room for it (GEXF, GeoJSON,
Parquet metadata), else in a sidecar ``FILE.meta.json``, since GDELT and ICEWS
files, CSV and JSONL are read by tools that would take a comment line for data.

Imports (:data:`IMPORT_FORMATS`): ``gdelt`` (``.zip`` and ``.gz`` accepted),
``icews`` (ICEWS TSV, or the ICEWS 2014 benchmark CSV, told apart by their
header), ``icews14`` (the latter by name), and Tidings' own ``jsonl`` and
``parquet`` exports, which import back unchanged.  Imported events keep
their origin in ``provenance`` (``gdelt:FILE``, ``icews:FILE``; ``tidings``
for coded events) and can be filtered on it (``Store.events(provenance=...)``).

Decisions worth knowing (details in the modules):

* Ids: GDELT GLOBALEVENTID and ICEWS Event ID are integers; a Tidings event id
  (16 hex digits) is written as its low 63 bits, and the sidecar maps them
  back, so exported events re-import under their own ids.  Imported events are
  ``gdelt:GLOBALEVENTID`` and ``icews:EventID``, and export back as those ids.
* Countries: GDELT's geographic fields hold FIPS 10-4 codes and its actor
  fields CAMEO (ISO-3) codes; Tidings converts (GeoNames' table), so exports
  join with real GDELT data.  ADM1 codes are written GDELT-style for the US
  (``USTX``) and as Tidings stores them otherwise (ISO 3166-2, ``RU-MOW``).
* What GDELT and ICEWS carry: days, not months or years (a month-precision
  event is written as its first day); actors as code/name/country/agent
  (GDELT) or name/sectors/country (ICEWS, whose actor code is rebuilt as
  country + agent); no sentence, modality, rule or cues.  What they carry
  round-trips; ``tests/test_exchange_roundtrip.py`` states it field by field.
"""

from __future__ import annotations

from tidings.exchange._export import (
    EXPORT_FORMATS,
    SIDECAR_FORMATS,
    ExportSummary,
    event_object,
    export_events,
)
from tidings.exchange._import import IMPORT_FORMATS, ImportSummary, import_events
from tidings.exchange._stamp import Stamp, read_sidecar, sidecar_path

__all__ = [
    "EXPORT_FORMATS",
    "IMPORT_FORMATS",
    "SIDECAR_FORMATS",
    "ExportSummary",
    "ImportSummary",
    "Stamp",
    "event_object",
    "export_events",
    "import_events",
    "read_sidecar",
    "sidecar_path",
]
