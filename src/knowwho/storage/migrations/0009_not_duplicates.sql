-- Pairs of people the user said are not the same person: never proposed as
-- duplicates again. Stored lower id first; a merge moves a pair to the person
-- kept like any row that points at a person.
CREATE TABLE not_duplicates (
    person_a_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    person_b_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (person_a_id, person_b_id)
);
CREATE INDEX not_duplicates_b ON not_duplicates (person_b_id);
