-- Imported event data: provenance of every event, fields of external formats, import log
--
-- Events imported from GDELT or ICEWS files have no article or sentence in
-- this store.  Rather than loosen the links of coded events (doc_id and
-- sentence_index stay NOT NULL, and Store.save still checks them), an
-- imported event belongs to a pseudo-document named by its provenance
-- ('gdelt:FILE', 'icews:FILE'), one per source file, recorded in `imports`
-- (not in `articles`, so nothing mistakes it for an article that could be
-- re-coded); its sentence_index is -1 ("no sentence").  Events re-imported
-- from Tidings' own lossless exports (JSONL, Parquet) keep their doc_id,
-- sentence_index and provenance, and bring their sentence text along in
-- `sentence_text`, since their sentences are not in this store either.
--
-- DuckDB cannot add a NOT NULL column to a table with indexes, so
-- `provenance` is nullable with a default: coded events get 'tidings'
-- without Store.save naming the column, and every importer sets it.

ALTER TABLE events ADD COLUMN provenance TEXT DEFAULT 'tidings';
-- The sentence as carried by an imported file; NULL for coded events, whose
-- sentence is read from `sentences`.
ALTER TABLE events ADD COLUMN sentence_text TEXT;
-- The id the event has in its source (GDELT GLOBALEVENTID, ICEWS Event ID).
ALTER TABLE events ADD COLUMN external_id TEXT;
-- GDELT SOURCEURL: the article an imported event was coded from.
ALTER TABLE events ADD COLUMN source_url TEXT;
-- ICEWS Intensity (ICEWS' own scale); Goldstein comes from our codebook.
ALTER TABLE events ADD COLUMN intensity DOUBLE;
-- Every other field of the source row, by its column name in that format,
-- so a re-export in the same format can write it back.
ALTER TABLE events ADD COLUMN extras JSON;

CREATE TABLE imports (
    source          TEXT PRIMARY KEY,  -- 'gdelt:FILE', 'icews:FILE', 'jsonl:FILE'...
    format          TEXT NOT NULL,
    path            TEXT NOT NULL,
    imported_at     TIMESTAMP NOT NULL,
    events          BIGINT NOT NULL,   -- events added by the latest import of the file
    rejected        BIGINT NOT NULL,   -- lines refused by it
    tidings_version TEXT NOT NULL
);
