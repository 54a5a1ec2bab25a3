-- Intake (issue 5, DOMAIN.md section 3.2): hotline lines and their staff, every contact, urgent
-- alerts with their log, follow-up tasks, in-app notifications, and the anonymous web reports with
-- their messages. Nothing here is ever deleted: contacts change through versions, logs are
-- append-only.

CREATE TABLE hotline_lines (
    code     TEXT PRIMARY KEY,                       -- SUG, KHT, DUS, ARMY …
    label_ru TEXT NOT NULL,
    label_tg TEXT NOT NULL,
    label_en TEXT NOT NULL,
    numbers  TEXT NOT NULL,                          -- JSON array of published numbers
    regions  TEXT NOT NULL,                          -- JSON array of region codes the line covers
    active   INTEGER NOT NULL CHECK (active IN (0, 1)),
    position INTEGER NOT NULL,
    version  INTEGER NOT NULL
) STRICT;

-- The coalition's published lines.
INSERT INTO hotline_lines (code, label_ru, label_tg, label_en, numbers, regions, active, position, version) VALUES
    ('SUG', 'Согдийская область', 'Вилояти Суғд', 'Sughd region', '["987873333"]', '["SUG"]', 1, 1, 1),
    ('KHT', 'Хатлонская область', 'Вилояти Хатлон', 'Khatlon region', '["987876666"]', '["KHT"]', 1, 2, 1),
    ('DUS', 'Душанбе и РРП', 'Душанбе ва НТҶ', 'Dushanbe and RRS', '["987087676"]', '["DUS", "DRS"]', 1, 3, 1),
    ('ARMY', 'Нарушения в армии', 'Қонунвайронкуниҳо дар артиш', 'Abuses in the army',
     '["(+992) 933 331 703", "(+992) 922 221 803"]', '[]', 1, 4, 1);

-- Who answers or serves a line; removal is recorded, not deleted.
CREATE TABLE line_staff (
    line       TEXT NOT NULL REFERENCES hotline_lines (code),
    user_id    TEXT NOT NULL REFERENCES users (id),
    added_at   INTEGER NOT NULL,
    added_by   TEXT REFERENCES users (id),
    removed_at INTEGER,
    removed_by TEXT REFERENCES users (id)
) STRICT;
CREATE UNIQUE INDEX line_staff_current ON line_staff (line, user_id) WHERE removed_at IS NULL;
CREATE INDEX line_staff_by_user ON line_staff (user_id) WHERE removed_at IS NULL;

CREATE TABLE contacts (
    id             TEXT PRIMARY KEY,                 -- UUIDv7
    seq            INTEGER NOT NULL UNIQUE,          -- shown as K-000042
    line           TEXT REFERENCES hotline_lines (code),
    channel        TEXT NOT NULL CHECK (channel IN ('call', 'sms', 'messenger', 'walk-in', 'web')),
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
CREATE INDEX contacts_queue ON contacts (line, received_at) WHERE status = 'new';
CREATE INDEX contacts_by_time ON contacts (received_at);
CREATE INDEX contacts_by_assignee ON contacts (assigned_to) WHERE status = 'new';
CREATE INDEX contacts_by_case ON contacts (case_id) WHERE case_id IS NOT NULL;

CREATE TRIGGER contacts_no_delete BEFORE DELETE ON contacts
BEGIN
    SELECT RAISE(ABORT, 'contacts are never deleted');
END;

-- One alert per urgent contact. Open while not acknowledged.
CREATE TABLE alerts (
    id              TEXT PRIMARY KEY,
    contact_id      TEXT NOT NULL UNIQUE REFERENCES contacts (id),
    raised_at       INTEGER NOT NULL,
    acknowledged_at INTEGER,
    acknowledged_by TEXT REFERENCES users (id),
    escalated_at    INTEGER
) STRICT;
CREATE INDEX alerts_open ON alerts (raised_at) WHERE acknowledged_at IS NULL;

-- Who saw and acknowledged an alert and when (each user's first sight once).
CREATE TABLE alert_log (
    alert_id TEXT NOT NULL REFERENCES alerts (id),
    at       INTEGER NOT NULL,
    user_id  TEXT REFERENCES users (id),
    step     TEXT NOT NULL CHECK (step IN ('raised', 'seen', 'acknowledged', 'escalated'))
) STRICT;
CREATE INDEX alert_log_by_alert ON alert_log (alert_id, at);
CREATE UNIQUE INDEX alert_log_seen_once ON alert_log (alert_id, user_id) WHERE step = 'seen';
CREATE TRIGGER alert_log_no_update BEFORE UPDATE ON alert_log
BEGIN
    SELECT RAISE(ABORT, 'the alert log is append-only');
END;
CREATE TRIGGER alert_log_no_delete BEFORE DELETE ON alert_log
BEGIN
    SELECT RAISE(ABORT, 'the alert log is append-only');
END;

CREATE TABLE tasks (
    id          TEXT PRIMARY KEY,
    contact_id  TEXT REFERENCES contacts (id),
    case_id     TEXT REFERENCES cases (id),
    title       TEXT NOT NULL,
    due_at      INTEGER NOT NULL,
    assigned_to TEXT NOT NULL REFERENCES users (id),
    created_by  TEXT NOT NULL REFERENCES users (id),
    created_at  INTEGER NOT NULL,
    done_at     INTEGER,
    done_by     TEXT REFERENCES users (id),
    due_noticed INTEGER NOT NULL DEFAULT 0 CHECK (due_noticed IN (0, 1))
) STRICT;
CREATE INDEX tasks_open ON tasks (assigned_to, due_at) WHERE done_at IS NULL;
CREATE INDEX tasks_by_contact ON tasks (contact_id);
CREATE TRIGGER tasks_no_delete BEFORE DELETE ON tasks
BEGIN
    SELECT RAISE(ABORT, 'tasks are never deleted');
END;

CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    at         INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('alert', 'escalation', 'assignment', 'task', 'task-due',
                                             'report-message')),
    contact_id TEXT REFERENCES contacts (id),
    task_id    TEXT REFERENCES tasks (id),
    read_at    INTEGER
) STRICT;
CREATE INDEX notifications_unread ON notifications (user_id, id) WHERE read_at IS NULL;
CREATE INDEX notifications_by_user ON notifications (user_id, id);

-- A web report's receipt: hashes only (SHA-256 of the receipt code and of the secret). No address,
-- no browser, no other trace of the sender.
CREATE TABLE web_reports (
    contact_id   TEXT PRIMARY KEY REFERENCES contacts (id),
    receipt_hash BLOB NOT NULL UNIQUE,
    secret_hash  BLOB NOT NULL
) STRICT;

CREATE TABLE report_messages (
    id          INTEGER PRIMARY KEY,
    contact_id  TEXT NOT NULL REFERENCES web_reports (contact_id),
    at          INTEGER NOT NULL,
    from_sender INTEGER NOT NULL CHECK (from_sender IN (0, 1)),
    author      TEXT REFERENCES users (id),          -- NULL for the sender
    body        TEXT NOT NULL
) STRICT;
CREATE INDEX report_messages_by_contact ON report_messages (contact_id, id);
CREATE TRIGGER report_messages_no_update BEFORE UPDATE ON report_messages
BEGIN
    SELECT RAISE(ABORT, 'messages are append-only');
END;
CREATE TRIGGER report_messages_no_delete BEFORE DELETE ON report_messages
BEGIN
    SELECT RAISE(ABORT, 'messages are append-only');
END;
