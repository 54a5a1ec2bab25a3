-- How many cases each facet value lists, kept by triggers with `case_facets` itself: a query reads
-- the shortest of its lists and probes the others, shortest first (a lawyer's own forty cases
-- before the thirty thousand of a region).
CREATE TABLE facet_counts (
    facet TEXT NOT NULL,
    value TEXT NOT NULL,
    cases INTEGER NOT NULL,
    PRIMARY KEY (facet, value)
) STRICT, WITHOUT ROWID;
INSERT INTO facet_counts (facet, value, cases) SELECT facet, value, count(*) FROM case_facets GROUP BY facet, value;
CREATE TRIGGER case_facets_counted AFTER INSERT ON case_facets
BEGIN
    INSERT INTO facet_counts (facet, value, cases) VALUES (NEW.facet, NEW.value, 1)
        ON CONFLICT (facet, value) DO UPDATE SET cases = cases + 1;
END;
CREATE TRIGGER case_facets_uncounted AFTER DELETE ON case_facets
BEGIN
    UPDATE facet_counts SET cases = cases - 1 WHERE facet = OLD.facet AND value = OLD.value;
END;
