"""Keeping the network private: the key of an encrypted database, and turning a database encrypted or plain.

Where a key comes from, in this order: a key file (`--key-file` or
`KNOWWHO_KEY_FILE`), the operating system's keyring (where `encrypt` keeps a
key it makes), a passphrase typed at a terminal. A key never appears in a
message, a log or an export.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from knowwho.errors import DatabaseBusy, DatabaseLocked, InvalidInput
from knowwho.services.keyrings import keyring_module
from knowwho.storage import cipher
from knowwho.storage.cipher import DatabaseKey
from knowwho.storage.database import LOCKED, PRIVATE_FILE, SQLITE_HEADER, Database, create_private, is_encrypted

KEY_FILE_ENV = "KNOWWHO_KEY_FILE"
PASSPHRASE_ENV = "KNOWWHO_PASSPHRASE"  # an export's or a backup's passphrase, for scripts
KEYRING_SERVICE = "knowwho"
KEYRING_ENTRY = "database key"  # one key for the user's databases: copies and backups open with it too
NO_KEYRING = (
    "no usable keyring to keep the key in (none here, or it is locked): "
    "name a key file with --key-file FILE (knowwho writes a new key there)"
)

# The key file a command was given with --key-file, for the database it opens.
_named_key_file: ContextVar[Path | None] = ContextVar("named_key_file", default=None)


@dataclass(frozen=True, slots=True)
class PrivacyResult:
    path: Path
    encrypted: bool
    key_place: str  # where the key is: your keyring, a key file, your passphrase; "" once decrypted
    plain_copies: list[Path]  # backups beside the database that still hold the network in the clear

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path), "encrypted": self.encrypted, "key": self.key_place,
            "plain_copies": [str(p) for p in self.plain_copies],
        }  # fmt: skip


# -- finding the key -----------------------------------------------------------------
@contextmanager
def key_file_named(path: Path | None) -> Iterator[None]:
    """Open databases inside the block with the key in `path` (a command's --key-file)."""
    token = _named_key_file.set(path)
    try:
        yield
    finally:
        _named_key_file.reset(token)


def find_key(path: Path) -> DatabaseKey:
    """The key of the encrypted database at `path`, or one line saying how to give it."""
    named = _key_file()
    if named is not None:
        return read_key_file(named)
    stored = _keyring_key()
    if stored is not None:
        return stored
    if _at_terminal():
        import getpass

        return _passphrase(getpass.getpass(f"Passphrase of {path}: "))
    raise DatabaseLocked(f"{path}: {LOCKED}")


def read_key_file(path: Path) -> DatabaseKey:
    try:
        text = path.expanduser().read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such key file") from None
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not text"
        raise InvalidInput(f"{path}: cannot read the key file ({reason})") from None
    if not text.strip():
        raise InvalidInput(f"{path}: the key file is empty")
    return DatabaseKey.from_text(text)


def write_key_file(path: Path, key: DatabaseKey) -> None:
    """A new key file only its owner can read (an existing one is never overwritten)."""
    try:
        fd = os.open(path.expanduser(), os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except OSError as error:
        raise InvalidInput(f"{path}: cannot write the key file ({error.strerror})") from None
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(key.secret + "\n")


def _key_file() -> Path | None:
    named = _named_key_file.get()
    if named is not None:
        return named
    from_env = os.environ.get(KEY_FILE_ENV, "").strip()
    return Path(from_env) if from_env else None


def _keyring_key() -> DatabaseKey | None:
    try:
        text = keyring_module().get_password(KEYRING_SERVICE, KEYRING_ENTRY)
    except Exception:  # no keyring, a locked one, no D-Bus session...: all mean "not from the keyring"
        return None
    return DatabaseKey.from_text(text) if text and text.strip() else None


def _store_in_keyring(key: DatabaseKey) -> bool:
    try:
        keyring_module().set_password(KEYRING_SERVICE, KEYRING_ENTRY, key.secret)
    except Exception:  # as above: without a usable keyring the key goes to a file the user names
        return False
    return True


def typed_passphrase(prompt: str) -> str:
    """The passphrase of an encrypted export: `KNOWWHO_PASSPHRASE`, else typed at a terminal."""
    given = os.environ.get(PASSPHRASE_ENV)
    if given:
        return given
    if not _at_terminal():
        raise InvalidInput(f"a passphrase is needed: type it at a terminal, or set {PASSPHRASE_ENV}")
    import getpass

    return _passphrase(getpass.getpass(prompt)).secret


def new_passphrase() -> str:
    """A passphrase to encrypt an export with: `KNOWWHO_PASSPHRASE`, else typed twice at a terminal."""
    given = os.environ.get(PASSPHRASE_ENV)
    if given:
        return given
    if not _at_terminal():
        raise InvalidInput(f"--passphrase: type it at a terminal, or set {PASSPHRASE_ENV}")
    return _typed_twice()


def _typed_twice() -> str:
    import getpass

    first = _passphrase(getpass.getpass("New passphrase: ")).secret
    if getpass.getpass("The same passphrase again: ") != first:
        raise InvalidInput("the two passphrases differ; nothing was written")
    return first


def _at_terminal() -> bool:
    return sys.stdin.isatty() and sys.stderr.isatty()


def _passphrase(text: str) -> DatabaseKey:
    if not text:
        raise InvalidInput("an empty passphrase opens nothing; type the passphrase, or give a key file")
    if "\0" in text:
        raise InvalidInput("a passphrase cannot hold a NUL character")
    return DatabaseKey(text, raw=False)


# -- encrypting and decrypting -------------------------------------------------------
def encrypt(path: Path, key_file: Path | None = None) -> PrivacyResult:
    """Make the database at `path` encrypted (a new one starts encrypted); the plain file goes once the copy checks out."""
    if is_encrypted(path):
        raise InvalidInput(f"{path} is already encrypted")
    Database(path).close()  # a knowwho database (migrated), or a new one; another program's file is refused
    with key_file_named(key_file):
        key, place = _new_key()
    _rewrite(path, None, key)
    return PrivacyResult(path, True, place, _plain_copies(path))


def encrypt_if_plain(path: Path, key_file: Path | None = None) -> PrivacyResult | None:
    """Encrypt the database unless it already is (a demo or a first use that starts encrypted)."""
    return None if is_encrypted(path) else encrypt(path, key_file)


def decrypt(path: Path, key_file: Path | None = None) -> PrivacyResult:
    """Make the encrypted database at `path` plain again (its key is left where it is)."""
    if not is_encrypted(path):
        raise InvalidInput(f"{path} is not encrypted")
    with key_file_named(key_file):
        db = Database(path, unlock=find_key)
    key = db.key
    db.close()
    _rewrite(path, key, None)
    return PrivacyResult(path, False, "", [])


def _new_key() -> tuple[DatabaseKey, str]:
    """The key to encrypt with, and where it is kept: a named key file, else the keyring, else a passphrase."""
    named = _key_file()
    if named is not None:
        if named.expanduser().exists():
            return read_key_file(named), f"the key file {named}"
        key = DatabaseKey.generate()
        write_key_file(named, key)
        return key, f"the key file {named} (new)"
    stored = _keyring_key()
    if stored is not None:
        return stored, "your keyring"
    key = DatabaseKey.generate()
    if _store_in_keyring(key) and _keyring_key() == key:
        return key, "your keyring"
    if _at_terminal():
        return _passphrase(_typed_twice()), "your passphrase (knowwho asks for it)"
    raise InvalidInput(NO_KEYRING)


def _rewrite(path: Path, old: DatabaseKey | None, new: DatabaseKey | None) -> None:
    """Write the database anew with key `new` beside it, check every table came across, then put it in its place.

    Other programs wait meanwhile; until the new file is checked, the old one is untouched.
    """
    work = path.with_name(path.name + ".rewrite")
    for leftover in (work, Path(f"{work}-journal")):
        leftover.unlink(missing_ok=True)
    create_private(work)
    try:
        with cipher.held(path, old) as conn:
            if Path(f"{path}-wal").exists():
                raise sqlite3.OperationalError("database is locked")
            cipher.export_into(conn, work, new)
            if cipher.checked_counts(work, new) != cipher.table_counts(conn):
                raise sqlite3.DatabaseError("the rewritten copy differs")
            os.replace(work, path)
    except sqlite3.OperationalError as error:
        work.unlink(missing_ok=True)
        if "locked" in str(error) or "busy" in str(error):
            raise DatabaseBusy(
                f"{path}: another program has the database open (the web server?); stop it and try again"
            ) from None
        raise InvalidInput(f"{path}: could not rewrite the database ({error}); it is unchanged") from None
    except sqlite3.DatabaseError as error:
        work.unlink(missing_ok=True)
        raise InvalidInput(f"{path}: could not rewrite the database ({error}); it is unchanged") from None
    except BaseException:
        work.unlink(missing_ok=True)
        raise


def _plain_copies(path: Path) -> list[Path]:
    """Backups of this database beside it that are still plain SQLite files."""
    found = []
    for candidate in sorted({*path.parent.glob(f"{path.stem}-*.db"), *path.parent.glob(f"{path.name}.v*.bak")}):
        try:
            with candidate.open("rb") as file:
                if file.read(16) == SQLITE_HEADER:
                    found.append(candidate)
        except OSError:
            continue
    return found
