-- Controlled vocabularies (DOMAIN.md section 4). Shipped terms are loaded from the binary at every
-- unseal (new terms added, shipped labels refreshed unless an administrator relabelled them);
-- administrators add, relabel and deprecate terms. Nothing is ever deleted: old records keep
-- pointing at readable terms.

CREATE TABLE vocab_lists (
    id      TEXT PRIMARY KEY,
    source  TEXT NOT NULL CHECK (source IN ('huridocs', 'local')),
    name_en TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_tg TEXT NOT NULL
) STRICT;

CREATE TABLE vocab_terms (
    list       TEXT NOT NULL REFERENCES vocab_lists (id),
    code       TEXT NOT NULL,
    parent     TEXT,
    position   INTEGER NOT NULL,
    label_en   TEXT NOT NULL,
    label_ru   TEXT NOT NULL,
    label_tg   TEXT NOT NULL,
    origin     TEXT NOT NULL CHECK (origin IN ('shipped', 'admin')),
    relabelled INTEGER NOT NULL DEFAULT 0 CHECK (relabelled IN (0, 1)),
    deprecated INTEGER NOT NULL DEFAULT 0 CHECK (deprecated IN (0, 1)),
    PRIMARY KEY (list, code),
    FOREIGN KEY (list, parent) REFERENCES vocab_terms (list, code)
) STRICT;

CREATE TRIGGER vocab_terms_no_delete BEFORE DELETE ON vocab_terms
BEGIN
    SELECT RAISE(ABORT, 'vocabulary terms are never deleted; deprecate them');
END;
