-- Persons and the identity compartment (DOMAIN.md sections 3.1 and 7). A person row holds only
-- what may be shown under a pseudonym; names, contacts, addresses, ID documents and the exact date
-- of birth live in `identities`, sealed with the identity key (a separate subkey), so an export for
-- analysts can leave that table out and a database key alone reveals no identity. Reading an
-- identity happens only through the store's reveal, which writes the audit entry in the same
-- transaction.

CREATE TABLE persons (
    id            TEXT PRIMARY KEY,
    case_id       TEXT NOT NULL REFERENCES cases (id),   -- the case whose team recorded the person
    pseudonym_seq INTEGER NOT NULL UNIQUE,               -- shown as P-0042
    counting_unit TEXT NOT NULL,                         -- MT07 (individual, group, ...)
    sex           TEXT CHECK (sex IN ('01', '02', '98', '99')),
    birth_year    INTEGER CHECK (birth_year BETWEEN 1900 AND 2100),
    version       INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    deleted_at    INTEGER,
    deleted_by    TEXT REFERENCES users (id),
    delete_reason TEXT
) STRICT;
CREATE INDEX persons_by_case ON persons (case_id);

CREATE TABLE identities (
    person_id TEXT PRIMARY KEY REFERENCES persons (id),
    sealed    BLOB NOT NULL,
    version   INTEGER NOT NULL
) STRICT;

-- Earlier versions of identities, sealed like the current one.
CREATE TABLE identity_versions (
    person_id TEXT NOT NULL REFERENCES persons (id),
    version   INTEGER NOT NULL,
    at        INTEGER NOT NULL,
    actor     TEXT REFERENCES users (id),
    sealed    BLOB NOT NULL,
    PRIMARY KEY (person_id, version)
) STRICT;

CREATE TRIGGER persons_no_delete BEFORE DELETE ON persons
BEGIN
    SELECT RAISE(ABORT, 'persons are never deleted; tombstone them');
END;
CREATE TRIGGER identity_versions_no_change BEFORE UPDATE ON identity_versions
BEGIN
    SELECT RAISE(ABORT, 'identity versions are append-only');
END;
CREATE TRIGGER identity_versions_no_delete BEFORE DELETE ON identity_versions
BEGIN
    SELECT RAISE(ABORT, 'identity versions are append-only');
END;
