-- The facets of the search (DESIGN.md section 4), derived like the text index and rewritten with a
-- case's search document in the same transaction: one row per case and value it can be found by.
-- Its region and status; every term of its live records' act types (MT04), methods (MT05) and
-- agencies, and the types of the places of detention its records name, each with every broader
-- term of its list (HURIDOCS codes nest by prefix), so a broader term finds the narrower ones; the
-- current members of its team ('team') and those of them with identity access ('identity').
-- A tombstoned case has no row. Keyed by the case's rowid: a list of cases per value, in the order
-- they were recorded, so the newest matches of a query are read backwards from the end and the
-- read stops at the page it needs; every further condition is one primary-key probe.
CREATE TABLE case_facets (
    facet    TEXT NOT NULL,
    value    TEXT NOT NULL,
    case_row INTEGER NOT NULL,
    PRIMARY KEY (facet, value, case_row)
) STRICT, WITHOUT ROWID;
CREATE INDEX case_facets_by_case ON case_facets (case_row);
