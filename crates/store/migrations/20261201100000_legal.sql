-- Legal proceedings' state histories, the calendar of hearings and deadlines, the private calendar
-- feeds, and reminders among the notifications (DOMAIN.md sections 3.5 and 5.2–5.5).

-- The steps of a proceeding: its state is the state of its last step. Append-only: a wrong step is
-- corrected by a further step, and the history shows both. The first step (the initial state) is
-- written with the proceeding.
CREATE TABLE proceeding_steps (
    proceeding_id TEXT NOT NULL REFERENCES records (id),
    seq           INTEGER NOT NULL CHECK (seq >= 1),
    state         TEXT NOT NULL,
    decided_on    TEXT NOT NULL,                     -- the day of the decision or event (ISO)
    ground        TEXT,                              -- a term of `decision_ground`
    note          TEXT NOT NULL DEFAULT '',
    document_id   TEXT REFERENCES evidence (id),     -- the decision itself, as evidence
    by_user       TEXT NOT NULL REFERENCES users (id),
    at            INTEGER NOT NULL,
    PRIMARY KEY (proceeding_id, seq)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER proceeding_steps_no_update BEFORE UPDATE ON proceeding_steps
BEGIN
    SELECT RAISE(ABORT, 'procedural steps are append-only');
END;
CREATE TRIGGER proceeding_steps_no_delete BEFORE DELETE ON proceeding_steps
BEGIN
    SELECT RAISE(ABORT, 'procedural steps are append-only');
END;

-- Hearings (at a time) and deadlines (on a day, stored as the start of that day in Dushanbe).
-- The title and place are for the case team's pages only; the feed never carries them.
CREATE TABLE calendar_entries (
    id            TEXT PRIMARY KEY,
    case_id       TEXT NOT NULL REFERENCES cases (id),
    proceeding_id TEXT REFERENCES records (id),
    kind          TEXT NOT NULL CHECK (kind IN ('hearing', 'deadline')),
    starts_at     INTEGER NOT NULL,
    title         TEXT NOT NULL,
    place         TEXT NOT NULL DEFAULT '',
    responsible   TEXT NOT NULL REFERENCES users (id),
    version       INTEGER NOT NULL,
    created_by    TEXT NOT NULL REFERENCES users (id),
    created_at    INTEGER NOT NULL,
    done_at       INTEGER,
    done_by       TEXT REFERENCES users (id),
    cancelled_at  INTEGER,
    cancelled_by  TEXT REFERENCES users (id),
    reminded      INTEGER NOT NULL DEFAULT 0 CHECK (reminded IN (0, 1))
) STRICT;
CREATE INDEX calendar_by_time ON calendar_entries (starts_at) WHERE cancelled_at IS NULL;
CREATE INDEX calendar_by_case ON calendar_entries (case_id, starts_at);
CREATE TRIGGER calendar_entries_no_delete BEFORE DELETE ON calendar_entries
BEGIN
    SELECT RAISE(ABORT, 'calendar entries are cancelled, not deleted');
END;

-- A user's private calendar feed: only the SHA-256 of its secret. Revoking deletes the row, so the
-- old link stops working at once; a new link is a new secret.
CREATE TABLE calendar_feeds (
    user_id    TEXT PRIMARY KEY REFERENCES users (id),
    token_hash BLOB NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
) STRICT;

-- Reminders of hearings and deadlines join the notifications (nothing references this table, so
-- it is rebuilt in place with the wider list of kinds and a link to the entry).
CREATE TABLE notifications_new (
    id         INTEGER PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    at         INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('alert', 'escalation', 'assignment', 'task', 'task-due',
                                             'report-message', 'hearing', 'deadline')),
    contact_id TEXT REFERENCES contacts (id),
    task_id    TEXT REFERENCES tasks (id),
    read_at    INTEGER,
    emailed_at INTEGER,
    entry_id   TEXT REFERENCES calendar_entries (id)
) STRICT;
INSERT INTO notifications_new (id, user_id, at, kind, contact_id, task_id, read_at, emailed_at)
    SELECT id, user_id, at, kind, contact_id, task_id, read_at, emailed_at FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_unread ON notifications (user_id, id) WHERE read_at IS NULL;
CREATE INDEX notifications_by_user ON notifications (user_id, id);
CREATE INDEX notifications_to_email ON notifications (user_id, id) WHERE emailed_at IS NULL AND read_at IS NULL;
