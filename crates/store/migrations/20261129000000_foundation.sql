-- ozodi foundation: accounts, roles, sessions, the audit trail.
-- Append-only: never edit a migration once released; add a new file instead.
-- Times are Unix microseconds (UTC) in INTEGER columns.

CREATE TABLE users (
    id                   TEXT PRIMARY KEY,           -- UUIDv7
    username             TEXT NOT NULL UNIQUE,
    display_name         TEXT NOT NULL,
    password_hash        TEXT NOT NULL,              -- Argon2id PHC string
    must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
    disabled             INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    language             TEXT CHECK (language IN ('ru', 'tg', 'en')),
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
) STRICT;

CREATE TABLE user_roles (
    user_id TEXT NOT NULL REFERENCES users (id),
    role    TEXT NOT NULL CHECK (role IN ('operator', 'lawyer', 'doctor', 'psychologist', 'monitor',
                                          'analyst', 'editor', 'coordinator', 'admin')),
    PRIMARY KEY (user_id, role)
) STRICT;

-- Only the SHA-256 of a session token is stored: a copy of the database cannot ride a session.
CREATE TABLE sessions (
    token_hash   BLOB PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id),
    csrf_token   TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_by_user ON sessions (user_id);

-- The audit trail: a hash chain (see crates/vault/src/chain.rs). The triggers make the table
-- append-only for the application; `ozodi audit verify` detects edits made around them.
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
