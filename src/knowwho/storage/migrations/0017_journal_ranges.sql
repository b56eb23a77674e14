-- Rows a bulk insert writes (an import's conversations, their participants and
-- provenance) are journaled as one range per statement batch instead of one
-- entry each: `range_column` (rowid, or a key column of a WITHOUT ROWID table)
-- from `row_id` to `last_row_id`, holding `range_rows` rows. Undoing it is one
-- range delete. NULL range_column: a single row, as before.
ALTER TABLE undo_rows ADD COLUMN last_row_id INTEGER;
ALTER TABLE undo_rows ADD COLUMN range_column TEXT;
ALTER TABLE undo_rows ADD COLUMN range_rows INTEGER;

-- The network's change feed (0014) names a bulk insert as one range too: the
-- rows from `row_id` to `last_row_id` (NULL: one row), some of which an
-- INSERT OR IGNORE may have left out; a reader treats a missing row as gone.
ALTER TABLE network_changes ADD COLUMN last_row_id INTEGER;
