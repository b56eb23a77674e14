-- The few removed (undone) conversations, by date: activity per week counts
-- conversations from the date index alone, then takes these away.
CREATE INDEX IF NOT EXISTS interactions_deleted ON interactions (occurred_at) WHERE deleted_at IS NOT NULL;
