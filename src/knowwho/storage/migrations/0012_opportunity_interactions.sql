-- An opportunity's conversations (its interviews, the recruiter's emails):
-- only the few conversations tied to an opportunity are in this index, so
-- `opp show` reads those instead of scanning every conversation.
CREATE INDEX IF NOT EXISTS interactions_opportunity ON interactions (opportunity_id, occurred_at)
    WHERE opportunity_id IS NOT NULL;
