-- The blind name index keyed by token, then case rowid: the cases where a name matches are read
-- newest first straight from the index and the read stops at the page it needs (a common surname
-- is shared by tens of thousands of persons). The case id stays for the duplicate suggestions.
CREATE TABLE name_index_by_case (
    token     TEXT NOT NULL,
    case_row  INTEGER NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons (id),
    case_id   TEXT NOT NULL REFERENCES cases (id),
    PRIMARY KEY (token, case_row, person_id)
) STRICT, WITHOUT ROWID;
INSERT INTO name_index_by_case (token, case_row, person_id, case_id)
    SELECT n.token, c.rowid, n.person_id, n.case_id FROM name_index n JOIN cases c ON c.id = n.case_id;
DROP TABLE name_index;
ALTER TABLE name_index_by_case RENAME TO name_index;
CREATE INDEX name_index_by_person ON name_index (person_id);
