-- A first interaction in person (an event, a meeting, a coffee) in the last
-- week puts a "nice to meet you" on today's list: the agenda reads the week's
-- first interactions through this index, not every person.
CREATE INDEX people_first_interaction ON people (first_interaction_at) WHERE deleted_at IS NULL;

-- My updates carry tags ("talk", "skill"), so a draft can pick what fits.
ALTER TABLE my_updates ADD COLUMN tags TEXT NOT NULL DEFAULT '';
