-- Initial schema: articles, their sentences, the events coded from them, settings
--
-- Articles keep their paragraphs as JSON (text + kind) rather than a child
-- table: they are only ever read back whole, and sentences already give the
-- addressable unit.  Events flatten their actors, evidence and place into
-- columns so analysts can filter and aggregate them with plain SQL; `date`
-- keeps the text at its real precision while `date_start` (first day of that
-- period) makes range filters and ordering cheap.

CREATE TABLE articles (
    doc_id       TEXT PRIMARY KEY,
    title        TEXT NOT NULL,
    authors      TEXT[] NOT NULL,
    date         DATE,
    url          TEXT,
    outlet       TEXT,
    language     TEXT NOT NULL,
    source       TEXT,
    content_hash TEXT,
    paragraphs   JSON NOT NULL,
    embeds       JSON NOT NULL,
    ingested_at  TIMESTAMP NOT NULL
);

CREATE TABLE sentences (
    doc_id          TEXT NOT NULL,
    sentence_index  INTEGER NOT NULL,
    paragraph_index INTEGER NOT NULL,
    kind            TEXT NOT NULL,
    text            TEXT NOT NULL,
    PRIMARY KEY (doc_id, sentence_index)
);

CREATE TABLE events (
    event_id            TEXT PRIMARY KEY,
    doc_id              TEXT NOT NULL,
    sentence_index      INTEGER NOT NULL,
    source_code         TEXT NOT NULL,
    source_country      TEXT,
    source_agent        TEXT,
    source_text         TEXT NOT NULL,
    source_entry        TEXT,
    source_role_start   TEXT,
    source_role_end     TEXT,
    target_code         TEXT,
    target_country      TEXT,
    target_agent        TEXT,
    target_text         TEXT,
    target_entry        TEXT,
    target_role_start   TEXT,
    target_role_end     TEXT,
    code                TEXT NOT NULL,
    root_code           TEXT NOT NULL,
    quad_class          INTEGER NOT NULL,
    goldstein           DOUBLE NOT NULL,
    modality            TEXT NOT NULL,
    trigger             TEXT NOT NULL,
    rule                TEXT NOT NULL,
    cues                TEXT[] NOT NULL,
    date                TEXT,
    date_precision      TEXT,
    date_start          DATE,
    date_text           TEXT,
    place_text          TEXT,
    location_name       TEXT,
    location_country    TEXT,
    location_adm1       TEXT,
    location_lat        DOUBLE,
    location_lon        DOUBLE,
    location_feature_id TEXT,
    location_type       TEXT
);

CREATE INDEX events_date_start ON events (date_start);
CREATE INDEX events_source_code ON events (source_code);
CREATE INDEX events_target_code ON events (target_code);
CREATE INDEX events_root_code ON events (root_code);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT
);
