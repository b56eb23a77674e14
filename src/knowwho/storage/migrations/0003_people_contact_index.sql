-- Counting contacts and filtering them by tie strength from an index alone,
-- so the People page's "N people" and its tier filter stay fast at 100,000.
CREATE INDEX people_browse_contacts ON people (is_contact, tie_strength) WHERE deleted_at IS NULL;
