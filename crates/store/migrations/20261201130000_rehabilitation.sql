-- Rehabilitation (DOMAIN.md 3.4, 5.7): episodes of psychological, medical and social help for
-- victims and family members, their course and their sessions, kept apart from the case's records:
-- only the rehabilitation team (the clinicians on the case) and the coordinators read them, and a
-- session's notes only the clinicians (`domain::can`, Resource::Rehabilitation / ClinicalNotes).
-- They are not in the search index. Nothing here is ever deleted: a session entered by mistake is
-- removed by a tombstone; the course is an append-only history of steps.

CREATE TABLE rehab_episodes (
    id         TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL REFERENCES cases (id),
    seq        INTEGER NOT NULL UNIQUE,          -- RE-0042
    data       TEXT NOT NULL,                    -- JSON by the Episode schema
    state      TEXT NOT NULL,
    version    INTEGER NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX rehab_episodes_by_case ON rehab_episodes (case_id);
CREATE TRIGGER rehab_episodes_no_delete BEFORE DELETE ON rehab_episodes
BEGIN
    SELECT RAISE(ABORT, 'rehabilitation episodes are never deleted');
END;

CREATE TABLE rehab_sessions (
    episode_id TEXT NOT NULL REFERENCES rehab_episodes (id),
    seq        INTEGER NOT NULL,
    data       TEXT NOT NULL,                    -- JSON by the Session schema
    version    INTEGER NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    deleted_at INTEGER,
    PRIMARY KEY (episode_id, seq)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER rehab_sessions_no_delete BEFORE DELETE ON rehab_sessions
BEGIN
    SELECT RAISE(ABORT, 'sessions are removed by a tombstone');
END;

CREATE TABLE rehab_steps (
    episode_id TEXT NOT NULL REFERENCES rehab_episodes (id),
    seq        INTEGER NOT NULL,
    state      TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    by_user    TEXT NOT NULL REFERENCES users (id),
    at         INTEGER NOT NULL,
    PRIMARY KEY (episode_id, seq)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER rehab_steps_no_update BEFORE UPDATE ON rehab_steps
BEGIN
    SELECT RAISE(ABORT, 'the course of an episode is append-only');
END;
CREATE TRIGGER rehab_steps_no_delete BEFORE DELETE ON rehab_steps
BEGIN
    SELECT RAISE(ABORT, 'the course of an episode is append-only');
END;
