-- The HURIDOCS records of a case (events, acts, involvements, information, interventions, chains
-- of events) and the registry of places of detention (facilities), in one table described by the
-- schemas of `ozodi_domain::record`. The values are a JSON document checked against the schema on
-- every write; references and vocabulary codes are also kept in two index tables so roles
-- ("victim of AC-0012"), facets and integrity checks are plain indexed queries. Records are never
-- physically deleted: a delete is a tombstone with a reason, and every save writes a row into
-- `record_versions` (entity = kind).

CREATE TABLE records (
    id            TEXT PRIMARY KEY,                  -- UUIDv7
    kind          TEXT NOT NULL CHECK (kind IN ('event', 'act', 'involvement', 'information',
                                                'intervention', 'chain', 'facility')),
    case_id       TEXT REFERENCES cases (id),        -- NULL exactly for facilities
    seq           INTEGER NOT NULL,                  -- the human reference: EV-0042
    data          TEXT NOT NULL,                     -- JSON, by the kind's schema
    date_from     TEXT,                              -- earliest day the record's dates allow
    date_to       TEXT,                              -- latest day (partial dates cover a range)
    version       INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    deleted_at    INTEGER,
    deleted_by    TEXT REFERENCES users (id),
    delete_reason TEXT,
    UNIQUE (kind, seq),
    CHECK ((kind = 'facility') = (case_id IS NULL))
) STRICT;
CREATE INDEX records_by_case ON records (case_id, kind);

-- Derived from `records.data` on every write (rewritten, so not append-only).
CREATE TABLE record_refs (
    record_id TEXT NOT NULL REFERENCES records (id),
    field     TEXT NOT NULL,
    target    TEXT NOT NULL,
    PRIMARY KEY (record_id, field)
) STRICT, WITHOUT ROWID;
CREATE INDEX record_refs_by_target ON record_refs (target, field);

CREATE TABLE record_codes (
    record_id TEXT NOT NULL REFERENCES records (id),
    list      TEXT NOT NULL,
    code      TEXT NOT NULL,
    PRIMARY KEY (record_id, list, code)
) STRICT, WITHOUT ROWID;
CREATE INDEX record_codes_by_code ON record_codes (list, code);

CREATE TRIGGER records_no_delete BEFORE DELETE ON records
BEGIN
    SELECT RAISE(ABORT, 'records are never deleted; tombstone them');
END;
