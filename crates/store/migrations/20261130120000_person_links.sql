-- Decisions about possible duplicate persons (the same victim recorded in two cases, spelled
-- differently): "same" or "different", by whom and when. Append-only: a changed mind is a new row,
-- the latest row per pair is the decision.
CREATE TABLE person_links (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    person_a   TEXT NOT NULL REFERENCES persons (id),
    person_b   TEXT NOT NULL REFERENCES persons (id),
    decision   TEXT NOT NULL CHECK (decision IN ('same', 'different')),
    decided_by TEXT REFERENCES users (id),
    decided_at INTEGER NOT NULL,
    CHECK (person_a < person_b)
) STRICT;
CREATE INDEX person_links_pair ON person_links (person_a, person_b, seq);

CREATE TRIGGER person_links_no_update BEFORE UPDATE ON person_links
BEGIN
    SELECT RAISE(ABORT, 'duplicate decisions are append-only');
END;
CREATE TRIGGER person_links_no_delete BEFORE DELETE ON person_links
BEGIN
    SELECT RAISE(ABORT, 'duplicate decisions are append-only');
END;
