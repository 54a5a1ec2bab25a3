-- The public site (issue 8). A publication is a registry record (`records`, kind 'publication');
-- its course is the append-only `publication_steps`, its stage that of the last step. What the
-- public reads is `site_published`: one row per publication with a public version, holding only
-- the public fields of the version that was reviewed and published, written in the step's
-- transaction. The public site reads nothing else of the case data (plus the files it lists and
-- the site's own pages).

CREATE TABLE publication_steps (
    publication_id TEXT NOT NULL REFERENCES records (id),
    seq            INTEGER NOT NULL,
    step           TEXT NOT NULL CHECK (step IN ('submit', 'return', 'publish', 'unpublish')),
    stage          TEXT NOT NULL CHECK (stage IN ('draft', 'review', 'published')),
    version        INTEGER NOT NULL,              -- the record's version the step was taken on
    public_version INTEGER,                       -- what the public sees after it (NULL: nothing)
    note           TEXT NOT NULL DEFAULT '',
    at             INTEGER NOT NULL,
    actor          TEXT NOT NULL REFERENCES users (id),
    PRIMARY KEY (publication_id, seq)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER publication_steps_no_update BEFORE UPDATE ON publication_steps
BEGIN
    SELECT RAISE(ABORT, 'the course of a publication is append-only');
END;
CREATE TRIGGER publication_steps_no_delete BEFORE DELETE ON publication_steps
BEGIN
    SELECT RAISE(ABORT, 'the course of a publication is append-only');
END;

CREATE TABLE site_published (
    seq          INTEGER PRIMARY KEY,             -- the publication's number: its address
    id           TEXT NOT NULL UNIQUE REFERENCES records (id),
    version      INTEGER NOT NULL,
    group_id     TEXT NOT NULL,                   -- the first language version (itself if none)
    lang         TEXT NOT NULL CHECK (lang IN ('ru', 'tg', 'en')),
    kind         TEXT NOT NULL,
    day          TEXT NOT NULL,                   -- ISO day (earliest of a partial date): order
    data         TEXT NOT NULL,                   -- JSON: the public fields only
    files        TEXT NOT NULL DEFAULT '[]',      -- JSON: ids of the files published with it
    published_at INTEGER NOT NULL,
    first_published_at INTEGER NOT NULL
) STRICT;
CREATE INDEX site_published_by_day ON site_published (day DESC, seq DESC);
CREATE INDEX site_published_by_group ON site_published (group_id);

-- The public search: rowid = site_published.seq; the terms of `ozodi_text::terms` (the analysis
-- of the internal search) of the title, summary, body, tags and authors.
CREATE VIRTUAL TABLE site_fts USING fts5(terms, tokenize = 'unicode61 remove_diacritics 0');

-- Files attached to a publication (PDF, images without their metadata). Inside the encrypted
-- database; public only while a published row lists them.
CREATE TABLE publication_files (
    id             TEXT PRIMARY KEY,
    publication_id TEXT NOT NULL REFERENCES records (id),
    name           TEXT NOT NULL,
    mime           TEXT NOT NULL,
    size           INTEGER NOT NULL,
    sha256         TEXT NOT NULL,
    content        BLOB NOT NULL,
    created_by     TEXT NOT NULL REFERENCES users (id),
    created_at     INTEGER NOT NULL,
    deleted_at     INTEGER,
    deleted_by     TEXT REFERENCES users (id)
) STRICT;
CREATE INDEX publication_files_by_publication ON publication_files (publication_id);
CREATE TRIGGER publication_files_no_delete BEFORE DELETE ON publication_files
BEGIN
    SELECT RAISE(ABORT, 'files are never deleted, only removed from the publication');
END;
CREATE TRIGGER publication_files_immutable BEFORE UPDATE OF id, publication_id, name, mime, size, sha256, content
    ON publication_files
BEGIN
    SELECT RAISE(ABORT, 'a published file never changes');
END;

-- The site's own pages (who we are, contacts), one per page and language; every save is a
-- version in `record_versions` (entity 'site_page', record 'members/tg').
CREATE TABLE site_pages (
    page       TEXT NOT NULL CHECK (page IN ('members', 'groups', 'principles', 'contacts')),
    lang       TEXT NOT NULL CHECK (lang IN ('ru', 'tg', 'en')),
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    version    INTEGER NOT NULL,
    updated_by TEXT REFERENCES users (id),
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (page, lang)
) STRICT, WITHOUT ROWID;

-- Publications brought over from the old site: the importer's key, so a second run finds them.
CREATE TABLE publication_imports (
    key            TEXT PRIMARY KEY,
    publication_id TEXT NOT NULL REFERENCES records (id),
    imported_at    INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
