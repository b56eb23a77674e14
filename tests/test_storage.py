"""The database file: migrations, settings, transactions."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from knowwho.errors import InvalidInput
from knowwho.storage import Database
from knowwho.storage.database import _split_statements, migration_scripts


def test_new_database_is_at_the_latest_version_with_wal_and_foreign_keys(db_path: Path) -> None:
    db = Database(db_path)
    latest = migration_scripts()[-1][0]
    assert db.schema_version == latest
    assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    tables = {r[0] for r in db.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in ("people", "organizations", "roles", "knows", "interactions", "followups", "events",
                  "opportunities", "introductions", "ledger_entries", "share_items", "my_updates", "templates"):  # fmt: skip
        assert table in tables


def test_migrations_are_numbered_without_gaps() -> None:
    numbers = [n for n, _ in migration_scripts()]
    assert numbers == list(range(1, len(numbers) + 1))


def test_upgrade_from_version_one_backs_up(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from knowwho.storage import database

    Database(db_path).close()
    original = database.migration_scripts
    extra = (999, "CREATE TABLE later_feature (id INTEGER PRIMARY KEY);")
    monkeypatch.setattr(database, "migration_scripts", lambda: [*original(), extra])
    db = Database(db_path)
    assert db.schema_version == 999
    backups = list(db_path.parent.glob("*.bak"))
    assert len(backups) == 1
    assert sqlite3.connect(backups[0]).execute("PRAGMA user_version").fetchone()[0] == original()[-1][0]


def test_failed_unit_of_work_leaves_nothing(db_path: Path) -> None:
    db = Database(db_path)
    with pytest.raises(RuntimeError), db.transaction() as conn:
        conn.execute("INSERT INTO settings VALUES ('a', '1')")
        raise RuntimeError("boom")
    assert db.conn.execute("SELECT COUNT(*) FROM settings").fetchone()[0] == 0


def test_statement_splitter_keeps_triggers_whole() -> None:
    script = "CREATE TABLE t (a);\nCREATE TRIGGER x AFTER INSERT ON t BEGIN\n  SELECT 1;\n  SELECT 2;\nEND;\n"
    assert len(list(_split_statements(script))) == 2


def test_a_unit_of_work_stopped_just_after_it_began_leaves_no_transaction_open(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = Database(db_path)
    begin = db._begin

    def begin_then_ctrl_c(limit: float) -> None:
        begin(limit)
        raise KeyboardInterrupt  # as if Ctrl+C came between BEGIN and the work

    monkeypatch.setattr(db, "_begin", begin_then_ctrl_c)
    with pytest.raises(KeyboardInterrupt), db.transaction():
        pass
    assert not db.conn.in_transaction
    monkeypatch.undo()
    with db.transaction() as conn:  # the next unit of work begins as usual
        conn.execute("INSERT INTO settings VALUES ('k', 'v')")
    assert db.conn.execute("SELECT value FROM settings WHERE key = 'k'").fetchone()[0] == "v"


def test_a_transaction_left_open_before_its_commit_is_not_kept(db_path: Path) -> None:
    db = Database(db_path)
    db.conn.execute("BEGIN IMMEDIATE")  # as a Ctrl+C just before COMMIT leaves it
    db.conn.execute("INSERT INTO settings VALUES ('half', 'done')")
    with db.transaction() as conn:
        conn.execute("INSERT INTO settings VALUES ('k', 'v')")
    keys = {row[0] for row in db.conn.execute("SELECT key FROM settings WHERE key IN ('half', 'k')")}
    assert keys == {"k"}


def test_people_with_a_tag_are_read_from_the_tag_index_alone(db_path: Path) -> None:
    from knowwho.core import Knowwho
    from knowwho.storage.network import people_mentioning

    kw = Knowwho.open(db_path)
    ana = kw.people.add("Ana Lima", tags=["data-science"]).id
    assert people_mentioning(kw.db.conn, "data", None) == {ana}
    sql = "SELECT person_id FROM person_tags WHERE tag >= 'data' AND tag < 'data.'"
    plan = " ".join(row[3] for row in kw.db.conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
    kw.close()
    assert "COVERING INDEX person_tags_by_tag" in plan  # no lookup of each person's row (a field question)


def damaged_at_version_17(path: Path) -> list[tuple[str, str]]:
    """A knowwho database saying version 17 but missing the table step 18 indexes; its schema, as made."""
    Database(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE sync_items")  # its index goes with it
        conn.execute("PRAGMA user_version = 17")
    return schema_of(path)


def schema_of(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()
        return [("user_version", str(conn.execute("PRAGMA user_version").fetchone()[0])), *rows]


def test_a_database_whose_upgrade_fails_is_named_with_its_step_and_left_unchanged(db_path: Path) -> None:
    before = damaged_at_version_17(db_path)
    with pytest.raises(InvalidInput) as refused:
        Database(db_path)
    message = str(refused.value)
    assert message == (
        f"{db_path}: a knowwho database (version 17) that could not be brought up to this version of knowwho: "
        "the upgrade step 0018_sync_card_person_index.sql failed (the table sync_items it needs is missing); "
        "the file was left unchanged"
    )
    assert schema_of(db_path) == before


def test_from_the_command_line_a_failed_upgrade_is_one_line(db_path: Path) -> None:
    from tests.test_cli import kw_cli

    damaged_at_version_17(db_path)
    code, _, err = kw_cli(db_path, "today")
    assert code == 2 and err.count("\n") == 1
    assert "could not be brought up to this version" in err and "0018_sync_card_person_index.sql" in err
    assert "Error" not in err and "no such table" not in err and "cannot open it as a database" not in err


def test_every_pending_upgrade_step_is_one_transaction(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from knowwho.storage import database

    Database(db_path).close()
    before = schema_of(db_path)
    original = database.migration_scripts
    steps = [(998, "CREATE TABLE later_feature (id INTEGER PRIMARY KEY);"), (999, "CREATE INDEX x ON nowhere (a);")]
    monkeypatch.setattr(database, "migration_scripts", lambda: [*original(), *steps])
    with pytest.raises(InvalidInput, match=r"step number 999 failed \(the table nowhere it needs is missing\)"):
        Database(db_path)
    assert schema_of(db_path) == before  # step 998 was not kept either
