-- Indexes for the people listing (web UI and API): each sort order reads its
-- index in order and pages by (value, id), so page 1,000 costs what page 1 does.
CREATE INDEX people_browse_recent ON people (COALESCE(last_interaction_at, ''), id) WHERE deleted_at IS NULL;
CREATE INDEX people_browse_strength ON people (tie_strength, id) WHERE deleted_at IS NULL;
