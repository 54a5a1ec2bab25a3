-- Case files (issue 3, first part): the case, its team, and the version history shared by every
-- record type. Records are never overwritten without a version row and never physically deleted:
-- a delete is a tombstone with a reason.

CREATE TABLE cases (
    id            TEXT PRIMARY KEY,                  -- UUIDv7
    number_year   INTEGER NOT NULL,
    number_seq    INTEGER NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('intake-screening', 'open', 'active', 'pending',
                                                  'referred-out', 'closed')),
    region        TEXT,                              -- vocabulary code, list 'region'
    hotline       TEXT,                              -- vocabulary code, list 'hotline'
    title         TEXT NOT NULL,                     -- never a victim's name
    summary       TEXT NOT NULL,
    lead_user     TEXT REFERENCES users (id),
    opened_at     INTEGER NOT NULL,
    version       INTEGER NOT NULL,
    deleted_at    INTEGER,
    deleted_by    TEXT REFERENCES users (id),
    delete_reason TEXT,
    UNIQUE (number_year, number_seq)
) STRICT;

-- Team membership; removal is recorded, not deleted, so "who could see this case when" stays
-- answerable.
CREATE TABLE case_team (
    case_id         TEXT NOT NULL REFERENCES cases (id),
    user_id         TEXT NOT NULL REFERENCES users (id),
    identity_access INTEGER NOT NULL CHECK (identity_access IN (0, 1)),
    added_at        INTEGER NOT NULL,
    added_by        TEXT REFERENCES users (id),
    removed_at      INTEGER,
    removed_by      TEXT REFERENCES users (id)
) STRICT;
CREATE UNIQUE INDEX case_team_current ON case_team (case_id, user_id) WHERE removed_at IS NULL;
CREATE INDEX case_team_by_user ON case_team (user_id) WHERE removed_at IS NULL;

-- Every version of every record: a JSON snapshot after the change, who and when.
CREATE TABLE record_versions (
    entity    TEXT NOT NULL,
    record_id TEXT NOT NULL,
    version   INTEGER NOT NULL,
    at        INTEGER NOT NULL,
    actor     TEXT REFERENCES users (id),
    change    TEXT NOT NULL,                         -- created | updated | deleted | restored | status
    data      TEXT NOT NULL,
    PRIMARY KEY (entity, record_id, version)
) STRICT;

CREATE TRIGGER record_versions_no_update BEFORE UPDATE ON record_versions
BEGIN
    SELECT RAISE(ABORT, 'versions are append-only');
END;
CREATE TRIGGER record_versions_no_delete BEFORE DELETE ON record_versions
BEGIN
    SELECT RAISE(ABORT, 'versions are append-only');
END;
CREATE TRIGGER cases_no_delete BEFORE DELETE ON cases
BEGIN
    SELECT RAISE(ABORT, 'cases are never deleted; tombstone them');
END;
