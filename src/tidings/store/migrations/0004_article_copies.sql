-- Duplicate articles: copies of stored articles and the duplicate detector's state
--
-- The same wire story carried by several outlets is coded
-- once; every further copy is recorded here (outlet, url, date) against the
-- article that was coded, and the near-duplicate detector's state is kept so
-- later runs recognise copies of articles stored earlier.
CREATE TABLE article_copies (
    doc_id TEXT PRIMARY KEY,
    original_doc_id TEXT NOT NULL,
    kind TEXT NOT NULL,            -- 'exact' or 'near'
    similarity DOUBLE,
    title TEXT,
    outlet TEXT,
    url TEXT,
    date DATE,
    source TEXT,
    recorded_at TIMESTAMP
);
CREATE INDEX article_copies_original ON article_copies (original_doc_id);

CREATE TABLE dedup_state (
    key TEXT PRIMARY KEY,
    state BLOB NOT NULL,
    updated_at TIMESTAMP
);
