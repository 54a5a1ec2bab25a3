-- The search index (DESIGN.md section 4): derived data, rebuilt from the records at any time, kept
-- inside the encrypted database and updated in the same transaction as every change it reflects.
--
-- `search_fts` holds one document per case: the index terms (`ozodi_text::terms`: folded, Tajik
-- suffixes stripped, Russian and English stemmed) of the case's title and summary, every live
-- record's text, the ru/tg/en labels of every vocabulary term the case uses, the referenced
-- facilities' names, references and pseudonyms. It never holds a name: names are not case data.
-- Its rowid is the case's rowid.
CREATE VIRTUAL TABLE search_fts USING fts5(terms, tokenize = 'unicode61 remove_diacritics 0');

-- The blind index of names: an HMAC (identity-compartment side key) of each name skeleton of each
-- person, so users with identity access on a case can find it by a name in any spelling, and
-- nobody else can learn anything from it.
CREATE TABLE name_index (
    person_id TEXT NOT NULL REFERENCES persons (id),
    case_id   TEXT NOT NULL REFERENCES cases (id),
    token     TEXT NOT NULL,
    PRIMARY KEY (token, person_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX name_index_by_person ON name_index (person_id);
