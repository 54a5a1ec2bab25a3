-- Evidence items of the identity compartment (face photos, consent forms, ID documents): sealed
-- with their own key, stored in their own directory (`identity-files/`), shown only to those who
-- may reveal identities on the case. Which compartment an item belongs to never changes.
ALTER TABLE evidence ADD COLUMN compartment TEXT NOT NULL DEFAULT 'case'
    CHECK (compartment IN ('case', 'identity'));

CREATE TRIGGER evidence_compartment_is_immutable BEFORE UPDATE OF compartment ON evidence
BEGIN
    SELECT RAISE(ABORT, 'the compartment of an evidence item is immutable');
END;
