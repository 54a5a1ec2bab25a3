-- Medico-legal evaluations under the Istanbul Protocol (DOMAIN.md 3.3, 5.6), kept apart from the
-- case's records: only the clinicians on the case read them, and its lawyers with the person's
-- consent (`domain::can`, Resource::Evaluation). They are not in the search index.
--
-- Signing writes the canonical document that was signed and its SHA-256. From then on triggers
-- refuse every change to the report and its findings: corrections are addenda (`amends`), new
-- evaluations with their own signature. What may still change after signing is who the report
-- is shared with (consent can be withdrawn) and its workflow state (transmission).

CREATE TABLE evaluations (
    id                     TEXT PRIMARY KEY,
    case_id                TEXT NOT NULL REFERENCES cases (id),
    seq                    INTEGER NOT NULL UNIQUE,          -- ME-0042
    amends                 TEXT REFERENCES evaluations (id), -- the signed report an addendum corrects
    data                   TEXT NOT NULL,                    -- JSON by the Evaluation schema
    state                  TEXT NOT NULL,
    version                INTEGER NOT NULL,
    created_by             TEXT NOT NULL REFERENCES users (id),
    created_at             INTEGER NOT NULL,
    shared_at              INTEGER,                          -- consent to share with the lawyers
    shared_by              TEXT REFERENCES users (id),
    signed_at              INTEGER,
    signed_by              TEXT REFERENCES users (id),
    signed_document        TEXT,
    sha256                 TEXT CHECK (sha256 IS NULL OR length(sha256) = 64),
    CHECK ((signed_at IS NULL) = (sha256 IS NULL) AND (sha256 IS NULL) = (signed_document IS NULL))
) STRICT;
CREATE INDEX evaluations_by_case ON evaluations (case_id);
CREATE TRIGGER evaluations_signed_are_immutable
BEFORE UPDATE OF case_id, seq, amends, data, created_by, created_at, signed_at, signed_by,
                 signed_document, sha256 ON evaluations
WHEN OLD.signed_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a signed evaluation is immutable; write an addendum');
END;
CREATE TRIGGER evaluations_no_delete BEFORE DELETE ON evaluations
BEGIN
    SELECT RAISE(ABORT, 'evaluations are never deleted');
END;

CREATE TABLE evaluation_findings (
    evaluation_id TEXT NOT NULL REFERENCES evaluations (id),
    seq           INTEGER NOT NULL,
    data          TEXT NOT NULL,                 -- JSON by the Finding schema
    version       INTEGER NOT NULL,
    deleted_at    INTEGER,
    PRIMARY KEY (evaluation_id, seq)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER findings_of_signed_are_immutable BEFORE UPDATE ON evaluation_findings
WHEN (SELECT signed_at FROM evaluations WHERE id = OLD.evaluation_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a signed evaluation is immutable; write an addendum');
END;
CREATE TRIGGER findings_not_added_to_signed BEFORE INSERT ON evaluation_findings
WHEN (SELECT signed_at FROM evaluations WHERE id = NEW.evaluation_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a signed evaluation is immutable; write an addendum');
END;
CREATE TRIGGER findings_no_delete BEFORE DELETE ON evaluation_findings
BEGIN
    SELECT RAISE(ABORT, 'findings are removed by a tombstone, before signing only');
END;

-- The workflow history (append-only).
CREATE TABLE evaluation_steps (
    evaluation_id TEXT NOT NULL REFERENCES evaluations (id),
    seq           INTEGER NOT NULL,
    state         TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',      -- the recipient of a transmission
    by_user       TEXT NOT NULL REFERENCES users (id),
    at            INTEGER NOT NULL,
    PRIMARY KEY (evaluation_id, seq)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER evaluation_steps_no_update BEFORE UPDATE ON evaluation_steps
BEGIN
    SELECT RAISE(ABORT, 'the workflow history is append-only');
END;
CREATE TRIGGER evaluation_steps_no_delete BEFORE DELETE ON evaluation_steps
BEGIN
    SELECT RAISE(ABORT, 'the workflow history is append-only');
END;
