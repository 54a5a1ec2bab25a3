-- Files attached to anonymous web reports (issue 5): up to a few photos or documents of bounded
-- size, kept inside the encrypted database with the report they came with (written in the same
-- transaction, backed up with it). The original is never changed; images also get a working copy
-- without metadata (EXIF, XMP, comments), which is what staff open by default. No file name is
-- kept: the sender's name for the file could identify them.
CREATE TABLE report_files (
    contact_id     TEXT NOT NULL REFERENCES web_reports (contact_id),
    seq            INTEGER NOT NULL CHECK (seq >= 1),
    media_type     TEXT NOT NULL,
    size           INTEGER NOT NULL,
    sha256         BLOB NOT NULL,
    original       BLOB NOT NULL,
    working        BLOB,
    working_sha256 BLOB,
    PRIMARY KEY (contact_id, seq)
) STRICT;

CREATE TRIGGER report_files_no_update BEFORE UPDATE ON report_files
BEGIN
    SELECT RAISE(ABORT, 'report files are never changed');
END;
CREATE TRIGGER report_files_no_delete BEFORE DELETE ON report_files
BEGIN
    SELECT RAISE(ABORT, 'report files are never deleted');
END;
