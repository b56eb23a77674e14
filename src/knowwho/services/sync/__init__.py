"""Sync: mail, calendars and address books flowing in by themselves (DESIGN §4.6).

`sources` keeps the sources and their settings, `kinds` names the module that
syncs each kind of source, `runner` runs one source as one undoable change,
and `secrets` finds a source's password (keyring or a file, never the database).
"""
