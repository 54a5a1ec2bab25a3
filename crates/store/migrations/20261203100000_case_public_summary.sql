-- A case's public summary (issue 8): the only way a publication may cite a case. Written by
-- those who may change the case, without names, exact places or identifying dates; copied into a
-- publication's public copy when it is published. Every save is a version in `record_versions`
-- (entity 'case_public_summary').
CREATE TABLE case_public_summaries (
    case_id    TEXT PRIMARY KEY REFERENCES cases (id),
    text       TEXT NOT NULL,
    version    INTEGER NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
