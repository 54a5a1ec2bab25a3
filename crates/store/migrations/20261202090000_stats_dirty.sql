-- What changed for the statistics (crate::facts, sqlite::facts): the id of every case whose
-- counted records changed, and 'contact:' and the id of every contact, each with the sequence of
-- its last change. Written by triggers in the transaction of the change, so a reader sees only
-- committed changes, in the order of their commits (there is one writer). The server's facts in
-- memory load again what changed since the sequence they hold. One row per case at most.
CREATE TABLE stats_dirty (
    key TEXT PRIMARY KEY,
    seq INTEGER NOT NULL
) STRICT;
CREATE INDEX stats_dirty_by_seq ON stats_dirty (seq);

CREATE TRIGGER stats_dirty_case_insert AFTER INSERT ON cases
BEGIN
    INSERT INTO stats_dirty (key, seq) VALUES (NEW.id, (SELECT coalesce(max(seq), 0) + 1 FROM stats_dirty))
    ON CONFLICT (key) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER stats_dirty_case_update AFTER UPDATE ON cases
BEGIN
    INSERT INTO stats_dirty (key, seq) VALUES (NEW.id, (SELECT coalesce(max(seq), 0) + 1 FROM stats_dirty))
    ON CONFLICT (key) DO UPDATE SET seq = excluded.seq;
END;
-- Records of a case (proceedings, the accused, payments, interventions, involvements, events).
CREATE TRIGGER stats_dirty_record_insert AFTER INSERT ON records WHEN NEW.case_id IS NOT NULL
BEGIN
    INSERT INTO stats_dirty (key, seq) VALUES (NEW.case_id, (SELECT coalesce(max(seq), 0) + 1 FROM stats_dirty))
    ON CONFLICT (key) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER stats_dirty_record_update AFTER UPDATE ON records WHEN NEW.case_id IS NOT NULL
BEGIN
    INSERT INTO stats_dirty (key, seq) VALUES (NEW.case_id, (SELECT coalesce(max(seq), 0) + 1 FROM stats_dirty))
    ON CONFLICT (key) DO UPDATE SET seq = excluded.seq;
END;
-- The facts of acts, rewritten with the case's search document (a person's or a place's change
-- reaches the acts through them).
CREATE TRIGGER stats_dirty_act_insert AFTER INSERT ON stat_acts
BEGIN
    INSERT INTO stats_dirty (key, seq) VALUES (NEW.case_id, (SELECT coalesce(max(seq), 0) + 1 FROM stats_dirty))
    ON CONFLICT (key) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER stats_dirty_act_delete AFTER DELETE ON stat_acts
BEGIN
    INSERT INTO stats_dirty (key, seq) VALUES (OLD.case_id, (SELECT coalesce(max(seq), 0) + 1 FROM stats_dirty))
    ON CONFLICT (key) DO UPDATE SET seq = excluded.seq;
END;
-- Codes are written with their record; a step of a proceeding belongs to the proceeding's case.
CREATE TRIGGER stats_dirty_code_insert AFTER INSERT ON record_codes
WHEN (SELECT case_id FROM records WHERE id = NEW.record_id) IS NOT NULL
BEGIN
    INSERT INTO stats_dirty (key, seq)
    VALUES ((SELECT case_id FROM records WHERE id = NEW.record_id), (SELECT coalesce(max(seq), 0) + 1 FROM stats_dirty))
    ON CONFLICT (key) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER stats_dirty_code_delete AFTER DELETE ON record_codes
WHEN (SELECT case_id FROM records WHERE id = OLD.record_id) IS NOT NULL
BEGIN
    INSERT INTO stats_dirty (key, seq)
    VALUES ((SELECT case_id FROM records WHERE id = OLD.record_id), (SELECT coalesce(max(seq), 0) + 1 FROM stats_dirty))
    ON CONFLICT (key) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER stats_dirty_step_insert AFTER INSERT ON proceeding_steps
WHEN (SELECT case_id FROM records WHERE id = NEW.proceeding_id) IS NOT NULL
BEGIN
    INSERT INTO stats_dirty (key, seq)
    VALUES ((SELECT case_id FROM records WHERE id = NEW.proceeding_id), (SELECT coalesce(max(seq), 0) + 1 FROM stats_dirty))
    ON CONFLICT (key) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER stats_dirty_episode_insert AFTER INSERT ON rehab_episodes
BEGIN
    INSERT INTO stats_dirty (key, seq) VALUES (NEW.case_id, (SELECT coalesce(max(seq), 0) + 1 FROM stats_dirty))
    ON CONFLICT (key) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER stats_dirty_episode_update AFTER UPDATE ON rehab_episodes
BEGIN
    INSERT INTO stats_dirty (key, seq) VALUES (NEW.case_id, (SELECT coalesce(max(seq), 0) + 1 FROM stats_dirty))
    ON CONFLICT (key) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER stats_dirty_session_insert AFTER INSERT ON rehab_sessions
BEGIN
    INSERT INTO stats_dirty (key, seq)
    VALUES ((SELECT case_id FROM rehab_episodes WHERE id = NEW.episode_id), (SELECT coalesce(max(seq), 0) + 1 FROM stats_dirty))
    ON CONFLICT (key) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER stats_dirty_session_update AFTER UPDATE ON rehab_sessions
BEGIN
    INSERT INTO stats_dirty (key, seq)
    VALUES ((SELECT case_id FROM rehab_episodes WHERE id = NEW.episode_id), (SELECT coalesce(max(seq), 0) + 1 FROM stats_dirty))
    ON CONFLICT (key) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER stats_dirty_evaluation_insert AFTER INSERT ON evaluations
BEGIN
    INSERT INTO stats_dirty (key, seq) VALUES (NEW.case_id, (SELECT coalesce(max(seq), 0) + 1 FROM stats_dirty))
    ON CONFLICT (key) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER stats_dirty_evaluation_update AFTER UPDATE ON evaluations
BEGIN
    INSERT INTO stats_dirty (key, seq) VALUES (NEW.case_id, (SELECT coalesce(max(seq), 0) + 1 FROM stats_dirty))
    ON CONFLICT (key) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER stats_dirty_contact_insert AFTER INSERT ON contacts
BEGIN
    INSERT INTO stats_dirty (key, seq) VALUES ('contact:' || NEW.id, (SELECT coalesce(max(seq), 0) + 1 FROM stats_dirty))
    ON CONFLICT (key) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER stats_dirty_contact_update AFTER UPDATE ON contacts
BEGIN
    INSERT INTO stats_dirty (key, seq) VALUES ('contact:' || NEW.id, (SELECT coalesce(max(seq), 0) + 1 FROM stats_dirty))
    ON CONFLICT (key) DO UPDATE SET seq = excluded.seq;
END;
