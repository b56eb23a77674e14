-- Warm paths to a field ask which people have a tag starting with a word, of any kind: read the
-- people straight from an index by tag instead of looking each one up (4,077 people with "data"
-- in a 100,000-person network: 6.0 ms -> 1.1 ms).
CREATE INDEX person_tags_by_tag ON person_tags (tag, person_id);
