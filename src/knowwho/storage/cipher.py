"""An encrypted database file: SQLCipher 4 (the `sqlcipher3` wheel), behind the same interface as sqlite3.

Imported only when a database is encrypted (or being encrypted): a plain
database never loads SQLCipher. Its connections raise the standard library's
`sqlite3` exceptions, so every `except sqlite3.Error` above storage works the
same on both kinds of file.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from sqlcipher3 import dbapi2 as cipher

KEY_HEX_DIGITS = 64  # a raw 256-bit key: no key derivation on open (a passphrase costs ~0.1 s of PBKDF2)


@dataclass(frozen=True)
class DatabaseKey:
    """What opens an encrypted database: a raw 256-bit key (hex) or a passphrase. Never shown."""

    secret: str = field(repr=False)
    raw: bool

    @classmethod
    def generate(cls) -> DatabaseKey:
        return cls(secrets.token_hex(KEY_HEX_DIGITS // 2), raw=True)

    @classmethod
    def from_text(cls, text: str) -> DatabaseKey:
        """A key file's or a keyring's text: 64 hex digits are a raw key, anything else a passphrase."""
        text = text.strip()
        if len(text) == KEY_HEX_DIGITS and all(c in "0123456789abcdefABCDEF" for c in text):
            return cls(text.lower(), raw=True)
        return cls(text, raw=False)

    def literal(self) -> str:
        """The key as SQLCipher takes it in `PRAGMA key` and `ATTACH ... KEY`."""
        if self.raw:
            return f"\"x'{self.secret}'\""
        return "'" + self.secret.replace("'", "''") + "'"


class WrongKey(Exception):
    """The key given does not open this file (or the file is damaged)."""


class CipherCursor(cipher.Cursor):
    """A cursor whose errors are the standard library's `sqlite3` ones."""

    def execute(self, sql: str, parameters: Any = ()) -> CipherCursor:
        try:
            return cast(CipherCursor, super().execute(sql, parameters))
        except cipher.Error as error:
            raise _standard(error) from None

    def executemany(self, sql: str, seq_of_parameters: Iterable[Any]) -> CipherCursor:
        try:
            return cast(CipherCursor, super().executemany(sql, seq_of_parameters))
        except cipher.Error as error:
            raise _standard(error) from None

    def executescript(self, sql_script: str) -> CipherCursor:
        try:
            return cast(CipherCursor, super().executescript(sql_script))
        except cipher.Error as error:
            raise _standard(error) from None

    def __next__(self) -> Any:
        try:
            return super().__next__()
        except cipher.Error as error:
            raise _standard(error) from None

    def fetchone(self) -> Any:
        try:
            return super().fetchone()
        except cipher.Error as error:
            raise _standard(error) from None

    def fetchmany(self, size: int | None = None) -> list[Any]:
        try:
            return super().fetchmany(self.arraysize if size is None else size)
        except cipher.Error as error:
            raise _standard(error) from None

    def fetchall(self) -> list[Any]:
        try:
            return super().fetchall()
        except cipher.Error as error:
            raise _standard(error) from None


class CipherConnection(cipher.Connection):
    """A SQLCipher connection whose statements and errors behave as `sqlite3.Connection`'s."""

    def cursor(self, factory: Any = CipherCursor) -> CipherCursor:
        return cast(CipherCursor, super().cursor(factory))

    def execute(self, sql: str, parameters: Any = ()) -> CipherCursor:
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, seq_of_parameters: Iterable[Any]) -> CipherCursor:
        return self.cursor().executemany(sql, seq_of_parameters)

    def executescript(self, sql_script: str) -> CipherCursor:
        return self.cursor().executescript(sql_script)

    def commit(self) -> None:
        try:
            super().commit()
        except cipher.Error as error:
            raise _standard(error) from None

    def backup(self, target: Any, **options: Any) -> None:
        try:
            super().backup(target, **options)
        except cipher.Error as error:
            raise _standard(error) from None


def _standard(error: Exception) -> sqlite3.Error:
    """The same error as the standard library's sqlite3 would raise it (class, message, error code)."""
    kind = getattr(sqlite3, type(error).__name__, sqlite3.DatabaseError)
    same = kind(*error.args)
    for name in ("sqlite_errorcode", "sqlite_errorname"):
        if hasattr(error, name):
            setattr(same, name, getattr(error, name))
    return cast(sqlite3.Error, same)


def connect(path: Path, key: DatabaseKey | None, *, timeout: float, check_same_thread: bool) -> sqlite3.Connection:
    """Open `path` with `key` (None: a plain file through SQLCipher), checking the key reads it.

    Temporary tables and indexes stay in memory: SQLCipher encrypts the WAL and
    the rollback journal, and memory keeps sort spills off the disk as well.
    """
    conn = cipher.connect(
        str(path), isolation_level=None, timeout=timeout, check_same_thread=check_same_thread,
        factory=CipherConnection,
    )  # fmt: skip
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is our one line, not SQLCipher's log
        if key is not None:
            conn.execute(f"PRAGMA key = {key.literal()}")
        conn.execute("PRAGMA temp_store = MEMORY")
        _check_key(conn)
    except BaseException:
        conn.close()
        raise
    return cast(sqlite3.Connection, conn)


def _check_key(conn: Any) -> None:
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as error:
        if "not a database" in str(error):
            raise WrongKey() from None
        raise


@contextmanager
def held(path: Path, key: DatabaseKey | None) -> Iterator[sqlite3.Connection]:
    """A connection that keeps every other reader and writer out of `path` until the block ends.

    Its write-ahead log is folded into the file first, so the file alone holds the database.
    """
    conn = connect(path, key, timeout=1.0, check_same_thread=True)
    try:
        if str(conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]).lower() != "delete":
            raise sqlite3.OperationalError("database is locked")
        conn.execute("PRAGMA main.locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("COMMIT")  # in exclusive locking mode the lock stays until the connection closes
        yield conn
    finally:
        conn.close()


def export_into(conn: sqlite3.Connection, target: Path, key: DatabaseKey | None) -> None:
    """Copy every table, index, trigger and the schema version of `conn`'s database into the new file `target`.

    A None key writes a plain file.
    """
    version = int(conn.execute("PRAGMA main.user_version").fetchone()[0])
    literal = key.literal() if key is not None else "''"
    conn.execute(f"ATTACH DATABASE ? AS rewritten KEY {literal}", (str(target),))
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("SELECT sqlcipher_export('rewritten')")
        conn.execute(f"PRAGMA rewritten.user_version = {version}")  # sqlcipher_export leaves it out
        conn.execute("COMMIT")
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.execute("DETACH DATABASE rewritten")


def checked_counts(path: Path, key: DatabaseKey | None) -> dict[str, int]:
    """Rows per table and the schema version of the file at `path`, after SQLite's `quick_check` of it."""
    conn = connect(path, key, timeout=5.0, check_same_thread=True)
    try:
        problems = [row[0] for row in conn.execute("PRAGMA quick_check")]
        if problems != ["ok"]:
            raise sqlite3.DatabaseError("; ".join(problems[:3]))
        return table_counts(conn)
    finally:
        conn.close()


def table_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows per table of the main database, and its schema version."""
    names = [r[0] for r in conn.execute("SELECT name FROM main.sqlite_master WHERE type = 'table' ORDER BY name")]
    counts = {name: int(conn.execute(f'SELECT count(*) FROM main."{name}"').fetchone()[0]) for name in names}
    counts["PRAGMA user_version"] = int(conn.execute("PRAGMA main.user_version").fetchone()[0])
    return counts
