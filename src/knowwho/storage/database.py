"""One SQLite file: connection settings, transactions and migrations."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

from knowwho.errors import DatabaseBusy, DatabaseLocked, InvalidInput

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from knowwho.storage.cipher import DatabaseKey

ENV_VAR = "KNOWWHO_DB"
# How long a write waits for another program's write to finish before giving up (a user setting).
BUSY_ENV = "KNOWWHO_BUSY_TIMEOUT"
BUSY_TIMEOUT_S = 10.0
WAIT_SLICE_S = 1.0  # a waiting write says so (`on_wait`) after each slice
POLL_S = 0.002  # how often a waiting write tries again
SQLITE_HEADER = b"SQLite format 3\0"
PRIVATE_FILE = 0o600  # the database, its -wal and -shm (SQLite gives them the database's mode), backups
PRIVATE_FOLDER = 0o700
LOCKED = "this database is encrypted: give its key with --key-file or KNOWWHO_KEY_FILE, or unlock your keyring"
Unlock = Callable[[Path], "DatabaseKey"]  # finds the key of an encrypted file, or raises DatabaseLocked


def data_folder() -> Path:
    """The user's data directory, the one folder knowwho creates on its own."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("knowwho", appauthor=False))


def is_encrypted(path: Path) -> bool:
    """Whether `path` looks like a SQLCipher file: no SQLite header, whole pages, random bytes (its salt) first."""
    try:
        with path.open("rb") as file:
            head = file.read(16)
            size = os.fstat(file.fileno()).st_size
    except OSError:
        return False  # missing (a new database), or unreadable: SQLite says which
    if not head or head == SQLITE_HEADER:
        return False
    return size % 512 == 0 and not all(32 <= byte < 127 or byte in b"\t\r\n" for byte in head)


def create_private(path: Path) -> None:
    """Create an empty file only its owner can read, unless it exists (SQLite would create it 0644)."""
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))


def default_path() -> Path:
    """`KNOWWHO_DB`, else knowwho.db in the user's data directory."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
    folder = data_folder()
    with suppress(OSError):  # a folder an older knowwho made 0755 becomes the user's alone, too
        if folder.stat().st_mode & 0o077:
            folder.chmod(PRIVATE_FOLDER)
    return folder / "knowwho.db"


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
    folder = _migrations_folder()
    scripts = []
    for entry in folder.iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            scripts.append((int(name[:4]), entry.read_text(encoding="utf-8")))
    return sorted(scripts)


def _migrations_folder() -> Path | Traversable:
    """Read straight from disk when it is there: every open lists it, and importlib.resources loads slowly."""
    here = Path(__file__).with_name("migrations")
    if here.is_dir():
        return here
    from importlib import resources

    return resources.files("knowwho.storage") / "migrations"


class Database:
    """A connection to the knowwho file, migrated to the newest schema on open.

    Autocommit mode: a use case opens one unit of work with `transaction()`;
    helpers below it never commit. A unit of work waits up to `busy_timeout`
    seconds for another program's write, calling `on_wait` (seconds waited)
    after each second and `on_wait_over` when it got the lock or gave up,
    then fails with `DatabaseBusy`.

    An encrypted file (SQLCipher) opens through `storage.cipher` with its key;
    a plain one never loads SQLCipher.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        check_same_thread: bool = True,
        key: DatabaseKey | None = None,
        unlock: Unlock | None = None,
    ) -> None:
        """Open `path`; an encrypted file opens with `key`, else with the key `unlock(path)` finds.

        A new file with a `key` becomes an encrypted database.
        """
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
        self.key: DatabaseKey | None = None  # set for an encrypted database
        self.conn = self._connect(check_same_thread, key, unlock)

    @property
    def encrypted(self) -> bool:
        return self.key is not None

    def _connect(self, check_same_thread: bool, key: DatabaseKey | None, unlock: Unlock | None) -> sqlite3.Connection:
        """Open, configure and migrate; a file that is not a knowwho database is one clear error."""
        conn: sqlite3.Connection | None = None
        try:
            conn = self.conn = self._open_file(check_same_thread, key, unlock)
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

    def _open_file(self, check_same_thread: bool, key: DatabaseKey | None, unlock: Unlock | None) -> sqlite3.Connection:
        """A plain file through the standard library; an encrypted one (or a new one given a key) through SQLCipher."""
        memory = str(self.path) == ":memory:"
        if not memory and is_encrypted(self.path):
            if key is None:
                if unlock is None:
                    raise DatabaseLocked(f"{self.path}: {LOCKED}")
                key = unlock(self.path)
        elif not memory and key is not None and self.path.exists() and self.path.stat().st_size:
            key = None  # a plain database stays plain until `knowwho encrypt`
        if not memory:
            create_private(self.path)
        if key is None:
            conn = sqlite3.connect(
                str(self.path), isolation_level=None, timeout=self._slice, check_same_thread=check_same_thread
            )
            conn.row_factory = sqlite3.Row
            return conn
        from knowwho.storage import cipher

        try:
            conn = cipher.connect(self.path, key, timeout=self._slice, check_same_thread=check_same_thread)
        except cipher.WrongKey:
            raise DatabaseLocked(f"{self.path}: the key given does not open it; {LOCKED}") from None
        conn.row_factory = cipher.cipher.Row
        self.key = key
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
        """Apply pending migrations, copying the file aside first if it holds data.

        All of them in one transaction: a step that fails leaves the file as it was.
        """
        version = self.schema_version
        pending = [(n, sql) for n, sql in migration_scripts() if n > version]
        if not pending:
            return []
        if version > 0:
            self._copy_aside()
        with self.transaction():
            for number, script in pending:
                try:
                    for statement in _split_statements(script):
                        self.conn.execute(statement)
                except sqlite3.Error as error:
                    if is_busy(error) or _file_problem(error):
                        raise  # not the step's doing: said as any file that cannot be opened is
                    raise UpgradeFailed(self.path, version, number, error) from None
                self.conn.execute(f"PRAGMA user_version = {number}")
        return [number for number, _ in pending]

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
        create_private(tmp)
        dest = self._connect_copy(tmp)
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

    def _connect_copy(self, path: Path) -> sqlite3.Connection:
        """A connection to a new file of the same kind as this one: a copy of an encrypted database is encrypted."""
        if self.key is None:
            return sqlite3.connect(str(path), isolation_level=None)
        from knowwho.storage import cipher

        return cipher.connect(path, self.key, timeout=self._slice, check_same_thread=True)

    @contextmanager
    def transaction(self, *, wait: float | None = None) -> Iterator[sqlite3.Connection]:
        """One unit of work; nested calls become savepoints.

        `wait` shortens the wait for another program's write, for a write that can be skipped.
        """
        depth = self._depth
        self._depth += 1
        try:  # beginning inside the try: a Ctrl+C just after BEGIN still rolls it back
            if depth == 0:
                if self.conn.in_transaction:  # left open by a Ctrl+C just before its COMMIT: not kept
                    self.conn.execute("ROLLBACK")
                self._begin(self.busy_timeout if wait is None else min(wait, self.busy_timeout))
            else:
                self.conn.execute(f"SAVEPOINT sp{depth}")
            yield self.conn
        except BaseException:
            self._depth = depth
            if depth == 0:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
            elif self.conn.in_transaction:
                with suppress(sqlite3.OperationalError):  # the savepoint itself was never made
                    self.conn.execute(f"ROLLBACK TO sp{depth}")
                    self.conn.execute(f"RELEASE sp{depth}")
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
                journal.finish(conn, change_id)
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
        folder.chmod(PRIVATE_FOLDER)  # whatever the umask: the network and its secrets are the user's alone
        return
    if folder.exists():
        raise InvalidInput(f"{path}: {folder} is not a folder")
    raise InvalidInput(f"{path}: the folder {folder} does not exist; create it first")


class UpgradeFailed(InvalidInput):
    """A knowwho database whose upgrade to this version stopped at a step; the file is left as it was."""

    def __init__(self, path: Path, version: int, step: int, error: sqlite3.Error) -> None:
        self.step = migration_name(step)
        what = f"a knowwho database (version {version})" if version else "a new knowwho database"
        super().__init__(
            f"{path}: {what} that could not be brought up to this version of knowwho: "
            f"the upgrade step {self.step} failed ({_upgrade_problem(error)}); the file was left unchanged"
        )


def migration_name(number: int) -> str:
    """The file name of a numbered migration (its number when no file has it)."""
    folder = _migrations_folder()
    names = [entry.name for entry in folder.iterdir() if entry.name.startswith(f"{number:04d}_")]
    return names[0] if names else f"number {number}"


def _upgrade_problem(error: sqlite3.Error) -> str:
    """Why a step failed, in words: what it expected of the file and did not find."""
    text = str(error)
    for pattern, words in _UPGRADE_PROBLEMS:
        found = pattern.search(text)
        if found:
            return words.format(*found.groups())
    return "the file's tables are not what that step expects"


_UPGRADE_PROBLEMS = (
    (re.compile(r"no such table: (?:main\.)?(\w+)"), "the table {} it needs is missing"),
    (re.compile(r"no such column: (\w+)"), "the column {} it needs is missing"),
    (re.compile(r"(?:table|index|trigger|view) (\w+) already exists"), "{}, which it adds, is there already"),
    (re.compile(r"duplicate column name: (\w+)"), "the column {}, which it adds, is there already"),
)


def _file_problem(error: sqlite3.Error) -> bool:
    """Whether SQLite refused the file itself (damaged, read-only, full...) rather than a statement."""
    return not isinstance(error, (sqlite3.OperationalError, sqlite3.IntegrityError)) or any(
        words in str(error) for words in ("not a database", "malformed", "readonly", "read-only", "disk", "unable")
    )


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
