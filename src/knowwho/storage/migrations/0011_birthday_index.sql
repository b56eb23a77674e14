-- Birthdays on today's list: people by the month and day of their birthday
-- ('YYYY-MM-DD' or '--MM-DD' alike end in 'MM-DD'). Only people with a birthday
-- are in it, so the week's birthdays are read without a scan of everyone.
-- The expressions must stay identical to storage/agenda.py.
CREATE INDEX IF NOT EXISTS people_birthday ON people (substr(birthday, -5))
    WHERE birthday IS NOT NULL AND deleted_at IS NULL;
