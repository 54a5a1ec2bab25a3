-- Training events of the coalition (DOMAIN.md 3.8): Istanbul Protocol for health workers,
-- training of lawyers, investigators, journalists. Participants are counted, never named: one row
-- per profession, sex and region with how many took part. A training's fields are a JSON document
-- by the Training schema (`record::Kind::Training`); every save writes a version.

CREATE TABLE trainings (
    id         TEXT PRIMARY KEY,
    seq        INTEGER NOT NULL UNIQUE,          -- TR-0042
    data       TEXT NOT NULL,
    version    INTEGER NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL
) STRICT;
CREATE TRIGGER trainings_no_delete BEFORE DELETE ON trainings
BEGIN
    SELECT RAISE(ABORT, 'trainings are never deleted');
END;

CREATE TABLE training_participants (
    training_id TEXT NOT NULL REFERENCES trainings (id),
    profession  TEXT NOT NULL,                   -- a term of `profession`
    sex         TEXT NOT NULL CHECK (sex IN ('01', '02', '99')),
    region      TEXT NOT NULL DEFAULT '',        -- a term of `region`, or '' when not known
    count       INTEGER NOT NULL CHECK (count > 0 AND count <= 10000),
    PRIMARY KEY (training_id, profession, sex, region)
) STRICT, WITHOUT ROWID;
