-- The change journal (storage/journal.py): every row a change writes, so that
-- any change (an edit, a dismissal, a whole import) can be undone exactly.
-- The shadow tables holding old rows are made from the live schema on first use.
CREATE TABLE undo_rows (
    seq       INTEGER PRIMARY KEY,
    change_id INTEGER NOT NULL,
    tbl       TEXT NOT NULL,
    op        TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    row_id    INTEGER
);
CREATE INDEX undo_rows_change ON undo_rows (change_id);

-- pruned: the change's rows are forgotten, so it can no longer be undone.
-- Entries of the earlier journal (one inverse per kind of change) cannot be replayed any more.
ALTER TABLE undo_log ADD COLUMN pruned INTEGER NOT NULL DEFAULT 0;
UPDATE undo_log SET pruned = 1;
