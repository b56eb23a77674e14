-- Which process is still writing a change (an import commits in batches over
-- minutes): undo refuses to take back a change that is still being written,
-- or anything at all while one is. NULL once the change is finished; a
-- process that was killed leaves its id behind, and a dead process runs nothing.
ALTER TABLE undo_log ADD COLUMN running_pid INTEGER;
