"""A sync source's password: in the operating system's keyring, or in a file the user names.

The password is never written to the database, an export, a backup, a log or
an error message: only the path of a password file is stored.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from knowwho.errors import InvalidSetting, SyncFailed
from knowwho.services.keyrings import keyring_module

KEYRING_SERVICE = "knowwho-sync"
NO_KEYRING = "no usable keyring to keep the password in: put it in a file only you can read and pass --password-file"
NO_KEYRING_HERE = "no usable keyring to keep the password in: put it in a file only you can read and give its path"


class NoKeyring(InvalidSetting):
    """The password cannot be kept in a keyring: the user names a password file instead."""

    def __init__(self) -> None:
        super().__init__("password", NO_KEYRING_HERE)
        self.args = (NO_KEYRING,)  # the command line's words

    def __str__(self) -> str:
        return NO_KEYRING


def keyring_available() -> bool:
    """Whether a keyring backend is there to keep passwords (it may still refuse, e.g. when locked)."""
    try:
        backend = keyring_module().get_keyring()
        from keyring.backends import chainer, fail

    except Exception:  # keyring missing or broken: no keyring
        return False
    if isinstance(backend, fail.Keyring):
        return False
    return not (isinstance(backend, chainer.ChainerBackend) and not backend.backends)


def store_in_keyring(source_name: str, secret: str) -> None:
    try:
        keyring = keyring_module()
        keyring.set_password(KEYRING_SERVICE, source_name, secret)
        stored = keyring.get_password(KEYRING_SERVICE, source_name)
    except Exception:  # no keyring, a locked one, no D-Bus session...: all mean "not in the keyring"
        stored = None
    if stored != secret:
        raise NoKeyring


def forget(source_name: str) -> None:
    with contextlib.suppress(Exception):  # nothing stored, or no keyring: nothing to forget
        keyring_module().delete_password(KEYRING_SERVICE, source_name)


def secret_for(source_name: str, password_file: str | None) -> str | None:
    """The password of a source: from its password file if it names one, else from the keyring (None: none kept)."""
    if password_file:
        return read_password_file(Path(password_file))
    try:
        return keyring_module().get_password(KEYRING_SERVICE, source_name)
    except Exception:  # as above
        return None


def read_password_file(path: Path) -> str:
    """The first line of a password file (trailing newline and spaces dropped)."""
    try:
        text = path.expanduser().read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SyncFailed(f"password file {path}: no such file") from None
    except (OSError, UnicodeDecodeError):
        raise SyncFailed(f"password file {path}: cannot read it") from None
    lines = text.splitlines()
    secret = lines[0].strip() if lines else ""
    if not secret:
        raise SyncFailed(f"password file {path}: it is empty")
    return secret
