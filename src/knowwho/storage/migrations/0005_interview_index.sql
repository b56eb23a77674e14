-- Thank-yous due on today's list: the interviews and informational interviews
-- of the last days. Only those kinds are in this index, so the agenda reads a
-- handful of rows instead of every conversation of the last three days
-- (tens of thousands in a large network; 45 ms at 100,000 people, 0.1 ms with it).
CREATE INDEX interactions_interviews ON interactions (occurred_at)
    WHERE kind IN ('interview', 'informational-interview');
