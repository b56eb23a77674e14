-- Sources knowwho syncs from (an IMAP account, a CardDAV address book, a CalDAV
-- calendar). settings is JSON (host, folders, url...); a password is never
-- stored: it lives in the keyring, or in the file password_file names.
-- last_run_at, last_error and last_summary (JSON) say how the last run went.
CREATE TABLE sync_sources (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    kind          TEXT NOT NULL CHECK (kind IN ('imap', 'carddav', 'caldav')),
    settings      TEXT NOT NULL DEFAULT '{}',
    password_file TEXT,
    created_at    TEXT NOT NULL,
    last_run_at   TEXT,
    last_error    TEXT,
    last_summary  TEXT
);

-- What a source last saw of each remote item, so a run is a comparison of
-- three states and a crash in the middle is repaired by the next run:
-- an IMAP folder (remote_key: the folder; state: UIDVALIDITY, last UID,
-- MODSEQ), a card or an event (remote_key: its href; state: its ETag).
-- local_ids: the knowwho records it produced (JSON), e.g. {"person": 12}.
CREATE TABLE sync_items (
    source_id  INTEGER NOT NULL REFERENCES sync_sources (id) ON DELETE CASCADE,
    item_kind  TEXT NOT NULL,
    remote_key TEXT NOT NULL,
    state      TEXT NOT NULL DEFAULT '',
    local_ids  TEXT NOT NULL DEFAULT '{}',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (source_id, item_kind, remote_key)
) WITHOUT ROWID;
