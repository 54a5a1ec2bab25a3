-- no-transaction
-- Monitoring of places of detention, the follow-up of recommendations and the advocacy log
-- (DOMAIN.md 3.6-3.8, 5.8, 5.9, 6). Visits, their findings and recommendations, UN documents and
-- UN recommendations, meetings and publications are records of the registry (`records` with no
-- case, like the places of detention). Kept apart here, append-only, is what happens to them over
-- time: the course of a visit, its team, the allegations received during it, and the assessments
-- of a recommendation's implementation (ours, the State's, the committee's). The statistics'
-- derived facts (one row per act) live here too.
--
-- Two CHECK constraints change, which SQLite cannot do in place: `records.kind` takes the new
-- kinds (and the registry is every kind without a case), and `contacts.channel` takes
-- 'monitoring-visit' (an allegation received during a visit becomes an intake contact, only with
-- the person's authorisation). Both tables are rebuilt the documented way, as the legal kinds'
-- migration did: foreign keys off (only possible outside a transaction), then in one transaction
-- the new tables, the rows copied, the old tables dropped and the new ones renamed, their indexes
-- and triggers recreated, and every reference checked before committing. Every step is
-- repeatable, so a crash before the migration is recorded only makes it run again.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
CREATE TABLE records_new (
    id            TEXT PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('event', 'act', 'involvement', 'information',
                                                'intervention', 'chain', 'facility', 'proceeding',
                                                'accused', 'payment', 'visit', 'visit_finding',
                                                'visit_recommendation', 'un_document',
                                                'un_recommendation', 'meeting', 'publication')),
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
    CHECK ((kind IN ('facility', 'visit', 'visit_finding', 'visit_recommendation', 'un_document',
                     'un_recommendation', 'meeting', 'publication')) = (case_id IS NULL))
) STRICT;
INSERT INTO records_new (id, kind, case_id, seq, data, date_from, date_to, version, created_at,
                         deleted_at, deleted_by, delete_reason)
    SELECT id, kind, case_id, seq, data, date_from, date_to, version, created_at, deleted_at,
           deleted_by, delete_reason
    FROM records;
DROP TABLE records;
ALTER TABLE records_new RENAME TO records;
CREATE INDEX records_by_case ON records (case_id, kind);
CREATE INDEX records_registry ON records (kind, seq) WHERE case_id IS NULL;
-- The statistics read the records of one kind across all cases.
CREATE INDEX records_by_kind ON records (kind, case_id);
CREATE TRIGGER records_no_delete BEFORE DELETE ON records
BEGIN
    SELECT RAISE(ABORT, 'records are never deleted; tombstone them');
END;

CREATE TABLE contacts_new (
    id             TEXT PRIMARY KEY,                 -- UUIDv7
    seq            INTEGER NOT NULL UNIQUE,          -- shown as K-000042
    line           TEXT REFERENCES hotline_lines (code),
    channel        TEXT NOT NULL CHECK (channel IN ('call', 'sms', 'messenger', 'walk-in', 'web',
                                                      'monitoring-visit')),
    received_at    INTEGER NOT NULL,
    caller_role    TEXT NOT NULL CHECK (caller_role IN ('victim', 'relative', 'lawyer', 'witness',
                                        'fellow-detainee', 'journalist', 'anonymous', 'other')),
    region         TEXT,                             -- vocabulary code, list 'region'
    summary        TEXT NOT NULL,
    in_custody     INTEGER NOT NULL CHECK (in_custody IN (0, 1)),
    at_risk        INTEGER NOT NULL CHECK (at_risk IN (0, 1)),
    consent_record INTEGER NOT NULL CHECK (consent_record IN (0, 1)),
    consent_act    INTEGER NOT NULL CHECK (consent_act IN (0, 1)),
    follow_up      INTEGER NOT NULL CHECK (follow_up IN (0, 1)),
    details        BLOB,                             -- caller's name and contacts, sealed; NULL if none
    status         TEXT NOT NULL CHECK (status IN ('new', 'case-opened', 'linked', 'closed')),
    close_reason   TEXT CHECK (close_reason IN ('outside-mandate', 'referred-elsewhere', 'information-only')),
    close_note     TEXT,
    case_id        TEXT REFERENCES cases (id),
    assigned_to    TEXT REFERENCES users (id),
    created_by     TEXT REFERENCES users (id),       -- NULL for web reports
    created_at     INTEGER NOT NULL,
    handled_at     INTEGER,
    handled_by     TEXT REFERENCES users (id),
    version        INTEGER NOT NULL
) STRICT;
INSERT INTO contacts_new SELECT * FROM contacts;
DROP TABLE contacts;
ALTER TABLE contacts_new RENAME TO contacts;
CREATE INDEX contacts_queue ON contacts (line, received_at) WHERE status = 'new';
CREATE INDEX contacts_by_time ON contacts (received_at);
CREATE INDEX contacts_by_assignee ON contacts (assigned_to) WHERE status = 'new';
CREATE INDEX contacts_by_case ON contacts (case_id) WHERE case_id IS NOT NULL;
CREATE TRIGGER contacts_no_delete BEFORE DELETE ON contacts
BEGIN
    SELECT RAISE(ABORT, 'contacts are never deleted');
END;

-- The course of a visit: its state is the last step (`domain::monitoring`).
CREATE TABLE IF NOT EXISTS visit_steps (
    visit_id TEXT NOT NULL REFERENCES records (id),
    seq      INTEGER NOT NULL CHECK (seq >= 1),
    state    TEXT NOT NULL,
    on_day   TEXT NOT NULL,                          -- the day it happened (ISO)
    note     TEXT NOT NULL DEFAULT '',
    by_user  TEXT NOT NULL REFERENCES users (id),
    at       INTEGER NOT NULL,
    PRIMARY KEY (visit_id, seq)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS visit_steps_no_update BEFORE UPDATE ON visit_steps
BEGIN
    SELECT RAISE(ABORT, 'the course of a visit is append-only');
END;
CREATE TRIGGER IF NOT EXISTS visit_steps_no_delete BEFORE DELETE ON visit_steps
BEGIN
    SELECT RAISE(ABORT, 'the course of a visit is append-only');
END;

-- Who went: the coalition's staff by account; others (the Ombudsman's staff, interpreters) by
-- organisation and role only. A member added by mistake is marked removed, never deleted.
CREATE TABLE IF NOT EXISTS visit_team (
    visit_id     TEXT NOT NULL REFERENCES records (id),
    seq          INTEGER NOT NULL CHECK (seq >= 1),
    user_id      TEXT REFERENCES users (id),
    organisation TEXT NOT NULL DEFAULT '',
    role         TEXT NOT NULL,                      -- a term of `visit_role`
    sex          TEXT NOT NULL CHECK (sex IN ('01', '02', '99')),
    added_by     TEXT NOT NULL REFERENCES users (id),
    added_at     INTEGER NOT NULL,
    removed_by   TEXT REFERENCES users (id),
    removed_at   INTEGER,
    CHECK (user_id IS NOT NULL OR organisation <> ''),
    PRIMARY KEY (visit_id, seq)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS visit_team_no_delete BEFORE DELETE ON visit_team
BEGIN
    SELECT RAISE(ABORT, 'team members are marked removed, never deleted');
END;

-- Allegations received during a visit: counted always; passed on as an intake contact only when
-- the person authorised it (and then only the contact holds what was said).
CREATE TABLE IF NOT EXISTS visit_allegations (
    visit_id   TEXT NOT NULL REFERENCES records (id),
    seq        INTEGER NOT NULL CHECK (seq >= 1),
    authorised INTEGER NOT NULL CHECK (authorised IN (0, 1)),
    contact_id TEXT UNIQUE REFERENCES contacts (id),
    by_user    TEXT NOT NULL REFERENCES users (id),
    at         INTEGER NOT NULL,
    CHECK (contact_id IS NULL OR authorised = 1),
    PRIMARY KEY (visit_id, seq)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS visit_allegations_no_update BEFORE UPDATE ON visit_allegations
BEGIN
    SELECT RAISE(ABORT, 'allegations are append-only');
END;
CREATE TRIGGER IF NOT EXISTS visit_allegations_no_delete BEFORE DELETE ON visit_allegations
BEGIN
    SELECT RAISE(ABORT, 'allegations are append-only');
END;

-- Assessments of a recommendation's implementation (of a visit or a UN recommendation): who
-- judged (`domain::monitoring::Assessor`), as of which day, the status (`impl_status`), an
-- official grade verbatim, the document it comes from, the evidence and the links it rests on
-- (JSON: [[kind, reference, target id]]). A correction is a later assessment.
CREATE TABLE IF NOT EXISTS assessments (
    recommendation_id TEXT NOT NULL REFERENCES records (id),
    seq               INTEGER NOT NULL CHECK (seq >= 1),
    assessor          TEXT NOT NULL CHECK (assessor IN ('coalition', 'state', 'committee', 'ombudsman')),
    as_of             TEXT NOT NULL,
    status            TEXT NOT NULL,
    official_grade    TEXT NOT NULL DEFAULT '',
    source_doc        TEXT NOT NULL DEFAULT '',
    evidence          TEXT NOT NULL DEFAULT '',
    links             TEXT NOT NULL DEFAULT '[]',
    by_user           TEXT NOT NULL REFERENCES users (id),
    at                INTEGER NOT NULL,
    PRIMARY KEY (recommendation_id, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS assessments_by_view ON assessments (assessor, recommendation_id, as_of);
CREATE TRIGGER IF NOT EXISTS assessments_no_update BEFORE UPDATE ON assessments
BEGIN
    SELECT RAISE(ABORT, 'assessments are append-only');
END;
CREATE TRIGGER IF NOT EXISTS assessments_no_delete BEFORE DELETE ON assessments
BEGIN
    SELECT RAISE(ABORT, 'assessments are append-only');
END;

-- The statistics' facts (DOMAIN.md 6): one row per live act of a live case, derived like the
-- search index and rewritten with the case's search document in the same transaction, with what
-- the figures about acts are filtered and counted by. Never a source of truth.
CREATE TABLE IF NOT EXISTS stat_acts (
    act_id        TEXT PRIMARY KEY,
    case_id       TEXT NOT NULL,
    event_id      TEXT,
    victim_id     TEXT,
    victim_unit   TEXT,                          -- MT07 of the victim (01: an individual)
    day           TEXT,                          -- the act's start, else its event's (ISO)
    region        TEXT,                          -- the event's, else the case's
    hotline       TEXT,                          -- the case's
    agency        TEXT,                          -- of the act's first involvement naming one
    facility_type TEXT,                          -- of the place the act names
    sex           TEXT,                          -- the victim's
    minor         INTEGER,                       -- the age on the act under 18 (NULL: unknown)
    act_type      TEXT NOT NULL,
    victim_status TEXT,                          -- MT25 at the end of the act
    violation     TEXT                           -- the event's MT41
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS stat_acts_by_case ON stat_acts (case_id);

-- A dangling reference would mean a copy lost a row: refuse to commit.
CREATE TEMP TABLE monitoring_migration_guard (n INTEGER CHECK (n = 0));
INSERT INTO monitoring_migration_guard SELECT count(*) FROM pragma_foreign_key_check;
INSERT INTO monitoring_migration_guard
    SELECT count(*) FROM (SELECT record_id FROM record_refs
                          UNION ALL SELECT record_id FROM record_codes) r
    WHERE r.record_id NOT IN (SELECT id FROM records);
DROP TABLE monitoring_migration_guard;
COMMIT;
PRAGMA foreign_keys = ON;
