-- Today's list at 100,000 people (bench/bench_today.py): each candidate query
-- reads only its candidates.
--
-- Replies owed: only people whose last message is inbound and unanswered are
-- in this index; the agenda reads the month's window of it. (The plain index
-- on last_inbound_at also holds everyone who got an answer: a fifth of a large
-- network falls in the window, each costing a table lookup.)
CREATE INDEX people_reply_owed ON people (last_inbound_at)
    WHERE deleted_at IS NULL AND (last_outbound_at IS NULL OR last_outbound_at < last_inbound_at);

-- Keep in touch: contacts with a cadence, by the Julian day their next
-- conversation is due (last conversation, or when added, plus the cadence; the
-- default cadence follows closeness). The agenda reads due <= now: the overdue
-- ones only. The expressions must stay identical to storage/agenda.py.
CREATE INDEX people_keep_in_touch_due ON people (
    julianday(COALESCE(last_interaction_at, created_at))
    + COALESCE(cadence_days, CASE closeness WHEN 5 THEN 30 WHEN 4 THEN 60 WHEN 3 THEN 90 WHEN 2 THEN 180 ELSE 0 END)
) WHERE deleted_at IS NULL AND is_contact = 1
    AND COALESCE(cadence_days, CASE closeness WHEN 5 THEN 30 WHEN 4 THEN 60 WHEN 3 THEN 90 WHEN 2 THEN 180 ELSE 0 END) > 0;
