"""One SQLite file: connection settings, transactions and migrations."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from knowwho.errors import DatabaseBusy, InvalidInput

ENV_VAR = "KNOWWHO_DB"
# How long a write waits for another program's write to finish before giving up (a user setting).
BUSY_ENV = "KNOWWHO_BUSY_TIMEOUT"
BUSY_TIMEOUT_S = 10.0
WAIT_SLICE_S = 1.0  # a waiting write says so (`on_wait`) after each slice
POLL_S = 0.002  # how often a waiting write tries again


def data_folder() -> Path:
    """The user's data directory, the one folder knowwho creates on its own."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("knowwho", appauthor=False))


def default_path() -> Path:
    """`KNOWWHO_DB`, else knowwho.db in the user's data directory."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
    return data_folder() / "knowwho.db"


def busy_timeout() -> float:
    """Seconds a write waits for the write lock: `KNOWWHO_BUSY_TIMEOUT`, else 10."""
    raw = os.environ.get(BUSY_ENV, "").strip()
    if not raw:
        return BUSY_TIMEOUT_S
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 3600:
        raise InvalidInput(f"{BUSY_ENV}={raw!r}: give a number of seconds between 0 and 3600")
    return seconds


def is_busy(error: sqlite3.Error) -> bool:
    """Whether SQLite refused because another connection holds a lock."""
    return isinstance(error, sqlite3.OperationalError) and (
        getattr(error, "sqlite_errorcode", None) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
        or "locked" in str(error)
        or "busy" in str(error)
    )


def busy_error(path: Path | None, seconds: float) -> DatabaseBusy:
    where = f"{path.name}: " if path is not None else ""  # the file, not where it lives
    return DatabaseBusy(
        f"{where}the database is busy: another program has been writing to it for over {seconds:g} s; "
        f"try again when it has finished (or wait longer: {BUSY_ENV}=SECONDS)"
    )


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
    helpers below it never commit. A unit of work waits up to `busy_timeout`
    seconds for another program's write, calling `on_wait` (seconds waited)
    after each second and `on_wait_over` when it got the lock or gave up,
    then fails with `DatabaseBusy`.
    """

    def __init__(self, path: str | Path, *, check_same_thread: bool = True) -> None:
        self.path = Path(path) if str(path) != ":memory:" else Path(":memory:")
        self.busy_timeout = busy_timeout()
        self.on_wait: Callable[[float], None] | None = None
        self.on_wait_over: Callable[[], None] | None = None
        self._depth = 0
        self._journal_ready = False
        self.change_id: int | None = None  # the change being journaled, if any
        if str(self.path) != ":memory:":
            _check_place(self.path)
        self._slice = min(WAIT_SLICE_S, self.busy_timeout)
        self.conn = self._connect(check_same_thread)
        self.conn.row_factory = sqlite3.Row

    def _connect(self, check_same_thread: bool) -> sqlite3.Connection:
        """Open, configure and migrate; a file that is not a knowwho database is one clear error."""
        conn: sqlite3.Connection | None = None
        try:
            conn = self.conn = sqlite3.connect(
                str(self.path), isolation_level=None, timeout=self._slice, check_same_thread=check_same_thread
            )
            conn.row_factory = sqlite3.Row
            self._configure()
            self._check_foreign()
            self.migrate()
        except BaseException as error:
            if conn is not None:
                conn.close()
            if isinstance(error, sqlite3.Error):
                if is_busy(error):
                    raise busy_error(self.path, self.busy_timeout) from None
                raise _open_error(self.path, error) from None
            raise
        return conn

    def _configure(self) -> None:
        self.conn.execute(f"PRAGMA busy_timeout = {int(self._slice * 1000)}")
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = NORMAL")

    def _check_foreign(self) -> None:
        """Refuse another program's SQLite file rather than add knowwho's tables to it."""
        if self.schema_version == 0 and self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise InvalidInput(f"{self.path}: an SQLite file of another program, not a knowwho database")

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

    def backup_to(self, target: Path, *, scrub: Callable[[sqlite3.Connection], None] | None = None) -> None:
        """A consistent copy using SQLite's online backup, written atomically.

        `scrub` removes rows from the copy before it is in place, overwriting them on disk.
        """
        tmp = target.with_name(target.name + ".part")
        tmp.unlink(missing_ok=True)
        dest = sqlite3.connect(str(tmp), isolation_level=None)
        try:
            self.conn.backup(dest)
            if scrub is not None:
                dest.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal beside it
                dest.execute("PRAGMA secure_delete = ON")
                dest.execute("BEGIN")
                scrub(dest)
                dest.execute("COMMIT")
        finally:
            dest.close()
        shutil.move(str(tmp), str(target))

    @contextmanager
    def transaction(self, *, wait: float | None = None) -> Iterator[sqlite3.Connection]:
        """One unit of work; nested calls become savepoints.

        `wait` shortens the wait for another program's write, for a write that can be skipped.
        """
        if self._depth == 0:
            self._begin(self.busy_timeout if wait is None else min(wait, self.busy_timeout))
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

    def _begin(self, limit: float) -> None:
        """BEGIN IMMEDIATE; while another program writes, retry every few milliseconds (and say so after a second).

        SQLite's own busy handler sleeps up to 100 ms between tries and so
        rarely catches the short pauses a long import leaves between its
        transactions; polling does.
        """
        started = time.monotonic()
        said_at = 0.0
        self.conn.execute("PRAGMA busy_timeout = 0")
        try:
            while True:
                try:
                    self.conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as error:
                    if not is_busy(error):
                        raise
                waited = time.monotonic() - started
                if waited >= limit:
                    raise busy_error(self.path, limit)
                if self.on_wait is not None and waited - said_at >= WAIT_SLICE_S:
                    said_at = waited
                    self.on_wait(waited)
                time.sleep(POLL_S)
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {int(self._slice * 1000)}")
            if said_at and self.on_wait_over is not None:
                self.on_wait_over()

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


def _check_place(path: Path) -> None:
    """The database's folder must exist (only the default data folder is made on its own)."""
    if path.is_dir():
        raise InvalidInput(f"{path} is a folder; give a database file, e.g. {path / 'knowwho.db'}")
    folder = path.parent
    if folder.is_dir():
        return
    if folder == data_folder():
        folder.mkdir(parents=True, exist_ok=True)
        return
    if folder.exists():
        raise InvalidInput(f"{path}: {folder} is not a folder")
    raise InvalidInput(f"{path}: the folder {folder} does not exist; create it first")


def _open_error(path: Path, error: sqlite3.Error) -> InvalidInput:
    """One line about a file SQLite cannot use as a database."""
    text = str(error)
    if "not a database" in text or "malformed" in text:
        return InvalidInput(f"{path}: not a knowwho database (not an SQLite file, or a damaged one)")
    if "readonly" in text or "read-only" in text:
        return InvalidInput(f"{path}: the database is read-only; knowwho needs to write to it")
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.R_OK | os.W_OK)):
        return InvalidInput(f"{path}: permission denied; knowwho needs to read and write it")
    return InvalidInput(f"{path}: cannot open it as a database")


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
