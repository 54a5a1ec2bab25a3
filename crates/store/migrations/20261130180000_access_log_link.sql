-- The access log (its own file next to this one, see migrations-access) holds the stand-alone
-- audit entries from now on. This database records which log belongs to it.
CREATE TABLE access_log (
    id         TEXT NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

