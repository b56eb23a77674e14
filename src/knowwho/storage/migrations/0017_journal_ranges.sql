-- Rows a bulk insert writes (an import's conversations, their participants and
-- provenance) are journaled as one range per statement batch instead of one
-- entry each: `range_column` (rowid, or a key column of a WITHOUT ROWID table)
-- from `row_id` to `last_row_id`, holding `range_rows` rows. Undoing it is one
-- range delete. NULL range_column: a single row, as before.
ALTER TABLE undo_rows ADD COLUMN last_row_id INTEGER;
ALTER TABLE undo_rows ADD COLUMN range_column TEXT;
ALTER TABLE undo_rows ADD COLUMN range_rows INTEGER;
