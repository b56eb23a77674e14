"""One SQLite file: connection settings, transactions and migrations."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

ENV_VAR = "KNOWWHO_DB"
BUSY_TIMEOUT_MS = 10_000


def default_path() -> Path:
    """`KNOWWHO_DB`, else knowwho.db in the user's data directory."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("knowwho", appauthor=False)) / "knowwho.db"


def migration_scripts() -> list[tuple[int, str]]:
    """The numbered migrations shipped with the package, in order."""
    folder = resources.files("knowwho.storage") / "migrations"
    scripts = []
    for entry in folder.iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            scripts.append((int(name[:4]), entry.read_text(encoding="utf-8")))
    return sorted(scripts)


class Database:
    """A connection to the knowwho file, migrated to the newest schema on open.

    Autocommit mode: a use case opens one unit of work with `transaction()`;
    helpers below it never commit.
    """

    def __init__(self, path: str | Path, *, check_same_thread: bool = True) -> None:
        self.path = Path(path) if str(path) != ":memory:" else Path(":memory:")
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(
            str(self.path),
            isolation_level=None,
            timeout=BUSY_TIMEOUT_MS / 1000,
            check_same_thread=check_same_thread,
        )
        self.conn.row_factory = sqlite3.Row
        self._depth = 0
        self._journal_ready = False
        self.change_id: int | None = None  # the change being journaled, if any
        self._configure()
        self.migrate()

    def _configure(self) -> None:
        self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = NORMAL")

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self) -> list[int]:
        """Apply pending migrations, copying the file aside first if it holds data."""
        pending = [(n, sql) for n, sql in migration_scripts() if n > self.schema_version]
        if not pending:
            return []
        if self.schema_version > 0:
            self._copy_aside()
        applied = []
        for number, script in pending:
            with self.transaction():
                for statement in _split_statements(script):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {number}")
            applied.append(number)
        return applied

    def _copy_aside(self) -> Path | None:
        if str(self.path) == ":memory:":
            return None
        target = self.path.with_name(f"{self.path.name}.v{self.schema_version}.bak")
        self.backup_to(target)
        return target

    def backup_to(self, target: Path) -> None:
        """A consistent copy using SQLite's online backup, written atomically."""
        tmp = target.with_name(target.name + ".part")
        tmp.unlink(missing_ok=True)
        dest = sqlite3.connect(str(tmp))
        try:
            self.conn.backup(dest)
        finally:
            dest.close()
        shutil.move(str(tmp), str(target))

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One unit of work; nested calls become savepoints."""
        if self._depth == 0:
            self.conn.execute("BEGIN IMMEDIATE")
        else:
            self.conn.execute(f"SAVEPOINT sp{self._depth}")
        self._depth += 1
        try:
            yield self.conn
        except BaseException:
            self._depth -= 1
            if self._depth == 0:
                self.conn.execute("ROLLBACK")
            else:
                self.conn.execute(f"ROLLBACK TO sp{self._depth}")
                self.conn.execute(f"RELEASE sp{self._depth}")
            raise
        self._depth -= 1
        if self._depth == 0:
            self.conn.execute("COMMIT")
        else:
            self.conn.execute(f"RELEASE sp{self._depth}")

    def ensure_journal(self) -> None:
        """This connection's journaling triggers (idle until a change is open)."""
        if not self._journal_ready:
            from knowwho.storage import journal

            with self.transaction() as conn:
                journal.install(conn)
            self._journal_ready = True

    @contextmanager
    def journaled(self, description: str, now: str) -> Iterator[int]:
        """Journal every row written inside as one undoable change (nested: part of the outer one).

        The change may span several transactions (an import commits in batches);
        a change that wrote nothing leaves no entry.
        """
        if self.change_id is not None:
            yield self.change_id
            return
        from knowwho.storage import journal

        self.ensure_journal()
        with self.transaction() as conn:
            change_id = journal.begin(conn, description=description, now=now)
            if change_id % 50 == 0:
                journal.prune(conn, journal.journaled_tables(conn))
        self.change_id = change_id
        try:
            yield change_id
        finally:
            self.change_id = None
            if self.conn.in_transaction and self._depth == 0:
                self.conn.execute("ROLLBACK")
            journal.end(self.conn)
            with self.transaction() as conn:
                journal.discard_if_empty(conn, change_id)

    def abandon(self) -> None:
        """Roll back whatever unit of work is still open (a connection handed on must be clean)."""
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        self._depth = 0

    def close(self) -> None:
        self.conn.close()


def _split_statements(script: str) -> Iterator[str]:
    """Split a migration into statements (executescript would commit on its own)."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        if not buffer and (not line.strip() or line.lstrip().startswith("--")):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            yield buffer.strip()
            buffer = ""
    if buffer.strip():
        yield buffer.strip()
