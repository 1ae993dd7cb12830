-- Merged events: reports of one event across sentences and articles, and their mentions
--
-- GDELT's events + mentions model: several sentences and articles often report
-- the same event, and counting each report as an event inflates every series.
-- The rule that decides which reports are one event lives in
-- tidings.analytics (see its _merge module); its results are kept here as
-- *derived* tables.  `events` is never touched by merging: every coded or
-- imported event stays there, one row per report, so merging can be redone
-- with another rule (`tidings merge --window N`) or ignored altogether.
--
-- Both tables are empty until the first `tidings merge`; the rule it used is
-- recorded in `settings` (key 'merge'), which is also what lets later runs
-- update them incrementally.
--
-- No primary keys or indexes: a rebuild deletes and re-inserts every row in
-- one transaction, which ART indexes make slow (and DuckDB before 1.2 refused
-- to re-insert a deleted key in the same transaction).  Ids are unique by
-- construction (tests check it), and column scans are how these tables are read.

-- One row per report (an `events` row) that took part in the last merge.
CREATE TABLE event_mentions (
    event_id       TEXT NOT NULL,     -- events.event_id
    merged_id      TEXT NOT NULL,     -- merged_events.merged_id
    mention_rank   INTEGER NOT NULL,  -- 0 for the group's earliest mention, then 1, 2...
    doc_id         TEXT NOT NULL,
    sentence_index INTEGER NOT NULL,
    article        TEXT NOT NULL,     -- the article counted in num_articles (doc_id, or URL of an import)
    outlet         TEXT,              -- articles.outlet, else the host of the article's URL
    published      DATE,              -- the article's date (GDELT: DATEADDED), if known
    confidence     DOUBLE,            -- 1 strict frame, 0.5 relaxed frame, NULL imported
    modality       TEXT NOT NULL
);

-- One row per merged event.  Actor, code and place columns have the names of
-- their `events` counterparts (so the same filters apply) and are those of
-- the earliest mention; the place is the first mention's that has one.
CREATE TABLE merged_events (
    merged_id           TEXT NOT NULL,     -- first 16 hex digits of sha1(root_event_id)
    root_event_id       TEXT NOT NULL,     -- the earliest mention
    source_code         TEXT NOT NULL,
    source_country      TEXT,
    source_agent        TEXT,
    source_text         TEXT NOT NULL,
    target_code         TEXT,
    target_country      TEXT,
    target_agent        TEXT,
    target_text         TEXT,
    code                TEXT NOT NULL,
    root_code           TEXT NOT NULL,
    quad_class          INTEGER NOT NULL,
    goldstein           DOUBLE NOT NULL,
    modality            TEXT NOT NULL,     -- 'asserted' if any mention is, else the earliest's
    date                TEXT,
    date_precision      TEXT,
    date_start          DATE,              -- earliest mention's event date
    date_end            DATE,              -- latest mention's event date
    first_seen          DATE,              -- earliest article date (else date_start)
    place_text          TEXT,
    location_name       TEXT,
    location_country    TEXT,
    location_adm1       TEXT,
    location_lat        DOUBLE,
    location_lon        DOUBLE,
    location_feature_id TEXT,
    location_type       TEXT,
    provenance          TEXT NOT NULL,
    num_mentions        INTEGER NOT NULL,
    num_sources         INTEGER NOT NULL,  -- distinct outlets (unknown outlets count as one)
    num_articles        INTEGER NOT NULL,
    confidence          DOUBLE             -- mean over mentions with a confidence
);
