-- Evidence (DOMAIN.md section 3.9): the metadata of each file a case team received, and its chain
-- of custody. The file itself is stored encrypted (vault::blob) under `evidence/<id>.blob` in the
-- data directory, never in the database. The original is immutable: its hash, size, name and type
-- cannot be updated, and nothing is deleted (a delete is a tombstone with a reason). Custody events
-- are append-only and each is also written to the hash-chained audit trail in the same transaction.

CREATE TABLE evidence (
    id                TEXT PRIMARY KEY,
    case_id           TEXT NOT NULL REFERENCES cases (id),
    seq               INTEGER NOT NULL UNIQUE,           -- shown as E-0042
    title             TEXT NOT NULL,
    description       TEXT NOT NULL,
    category          TEXT NOT NULL CHECK (category IN ('document', 'photo', 'audio', 'video')),
    original_filename TEXT NOT NULL,
    mime              TEXT NOT NULL,                     -- as recognised from the content
    size_bytes        INTEGER NOT NULL CHECK (size_bytes > 0),
    sha256            TEXT NOT NULL CHECK (length(sha256) = 64),
    acquired_at       INTEGER NOT NULL,
    acquired_by       TEXT REFERENCES users (id),
    deleted_at        INTEGER,
    deleted_by        TEXT REFERENCES users (id),
    delete_reason     TEXT
) STRICT;
CREATE INDEX evidence_by_case ON evidence (case_id);

CREATE TRIGGER evidence_original_is_immutable
BEFORE UPDATE OF id, case_id, seq, original_filename, mime, size_bytes, sha256, acquired_at, acquired_by ON evidence
BEGIN
    SELECT RAISE(ABORT, 'the original of an evidence item is immutable');
END;
CREATE TRIGGER evidence_no_delete BEFORE DELETE ON evidence
BEGIN
    SELECT RAISE(ABORT, 'evidence is never deleted; tombstone it');
END;

CREATE TABLE custody_events (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    evidence_id TEXT NOT NULL REFERENCES evidence (id),
    at          INTEGER NOT NULL,
    actor       TEXT REFERENCES users (id),
    action      TEXT NOT NULL CHECK (action IN ('received', 'viewed', 'downloaded', 'exported', 'verified')),
    detail      TEXT NOT NULL                            -- JSON: hash checked, result, purpose
) STRICT;
CREATE INDEX custody_by_item ON custody_events (evidence_id, seq);

CREATE TRIGGER custody_no_update BEFORE UPDATE ON custody_events
BEGIN
    SELECT RAISE(ABORT, 'custody events are append-only');
END;
CREATE TRIGGER custody_no_delete BEFORE DELETE ON custody_events
BEGIN
    SELECT RAISE(ABORT, 'custody events are append-only');
END;
