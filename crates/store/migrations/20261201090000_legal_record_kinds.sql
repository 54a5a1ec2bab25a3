-- no-transaction
-- Legal records (DOMAIN.md section 3.5) join the case's records: proceedings ('proceeding'), the
-- accused in them ('accused') and payments under civil claims ('payment'). SQLite cannot change a
-- CHECK constraint in place, so the table is rebuilt the documented way: foreign keys off (only
-- possible outside a transaction), then in one transaction a new table, the rows copied, the old
-- table dropped and the new one renamed, its index and trigger recreated, and the references of
-- `record_refs` and `record_codes` checked before committing. Every step is repeatable, so a crash
-- before the migration is recorded only makes it run again.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
CREATE TABLE records_new (
    id            TEXT PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('event', 'act', 'involvement', 'information',
                                                'intervention', 'chain', 'facility', 'proceeding',
                                                'accused', 'payment')),
    case_id       TEXT REFERENCES cases (id),
    seq           INTEGER NOT NULL,
    data          TEXT NOT NULL,
    date_from     TEXT,
    date_to       TEXT,
    version       INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    deleted_at    INTEGER,
    deleted_by    TEXT REFERENCES users (id),
    delete_reason TEXT,
    UNIQUE (kind, seq),
    CHECK ((kind = 'facility') = (case_id IS NULL))
) STRICT;
INSERT INTO records_new (id, kind, case_id, seq, data, date_from, date_to, version, created_at,
                         deleted_at, deleted_by, delete_reason)
    SELECT id, kind, case_id, seq, data, date_from, date_to, version, created_at, deleted_at,
           deleted_by, delete_reason
    FROM records;
DROP TABLE records;
ALTER TABLE records_new RENAME TO records;
CREATE INDEX records_by_case ON records (case_id, kind);
CREATE TRIGGER records_no_delete BEFORE DELETE ON records
BEGIN
    SELECT RAISE(ABORT, 'records are never deleted; tombstone them');
END;
-- A dangling reference would mean the copy lost a row: refuse to commit.
CREATE TEMP TABLE legal_migration_guard (n INTEGER CHECK (n = 0));
INSERT INTO legal_migration_guard
    SELECT count(*) FROM (SELECT record_id FROM record_refs
                          UNION ALL SELECT record_id FROM record_codes) r
    WHERE r.record_id NOT IN (SELECT id FROM records);
DROP TABLE legal_migration_guard;
COMMIT;
PRAGMA foreign_keys = ON;
