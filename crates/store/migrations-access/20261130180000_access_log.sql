-- The access log: the stand-alone audit entries (reading a case, logins, refusals, unseal and
-- seal) in their own encrypted file, as a hash chain of their own (crates/vault/src/chain.rs).
-- They change no case data, so keeping them out of the main database means a read never
-- invalidates the other connections' page caches there. Same columns as the main `audit` table.
-- Append-only: never edit a migration once released; add a new file instead.

CREATE TABLE audit (
    seq       INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    actor     TEXT,
    kind      TEXT NOT NULL,
    subject   TEXT,
    detail    TEXT NOT NULL,
    client    TEXT,
    prev_hash BLOB NOT NULL,
    hash      BLOB NOT NULL
) STRICT;
CREATE INDEX audit_by_kind ON audit (kind, seq);
CREATE INDEX audit_by_actor ON audit (actor, seq);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;

CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;

-- Which log this is: the main database records the same id, so a missing or swapped log is
-- noticed at open instead of silently replaced by an empty one.
CREATE TABLE identity (
    id         TEXT NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
