"""The sync sources: adding, listing and removing them, and checking their settings.

A source's settings are checked when it is added (a mistyped host or port is
said then, not at the first run). Plain-text connections are allowed to this
machine only: anything else uses TLS with its certificate checked.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from knowwho.dates import parse_day
from knowwho.errors import InvalidInput, InvalidSetting, NotFound, SyncFailed
from knowwho.services.context import ServiceContext
from knowwho.services.sync import secrets
from knowwho.services.sync.runner import SyncLock
from knowwho.storage import sync as sync_store
from knowwho.storage.sync import SyncSource

__all__ = ["SourceService", "SyncSource", "caldav_settings", "carddav_settings", "imap_settings", "is_loopback"]

KINDS = ("imap", "carddav", "caldav")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")
_HOST = re.compile(r"[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\[?[0-9A-Fa-f:]+\]?")
_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
IMAPS_PORT = 993
NO_TLS_ELSEWHERE = "is allowed only for a server on this machine (localhost, 127.0.0.1 or ::1)"


def is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _host(host: str) -> str:
    host = host.strip()
    if not host:
        raise InvalidSetting("host", "is missing: give the server's name, e.g. imap.fastmail.com")
    if not _HOST.fullmatch(host):
        raise InvalidSetting("host", f"{host!r} is not a host name or address")
    return host.lower()


def _port(port: int | None, default: int) -> int:
    if port is None:
        return default
    if not 1 <= port <= 65535:
        raise InvalidSetting("port", f"{port} is not a port number (1 to 65535)")
    return port


def _user(user: str) -> str:
    user = user.strip()
    if not user or len(user) > 320 or any(c in user for c in "\r\n\0"):
        raise InvalidSetting("user", "is missing: give the account's user name (often its email address)")
    return user


def _ca_file(ca_file: str | None) -> str | None:
    if ca_file is None:
        return None
    path = Path(ca_file).expanduser()
    if not path.is_file():
        raise InvalidSetting("ca_file", f"{ca_file}: no such file")
    return str(path.resolve())


def imap_settings(
    *,
    host: str,
    user: str,
    port: int | None = None,
    folders: list[str] | None = None,
    since: date | None = None,
    known_only: bool = False,
    no_tls: bool = False,
    ca_file: str | None = None,
) -> dict[str, Any]:
    """Checked settings of an IMAP account: TLS on port 993, STARTTLS on any other, plain text to localhost only."""
    host = _host(host)
    if no_tls and not is_loopback(host):
        raise InvalidSetting("no_tls", NO_TLS_ELSEWHERE)
    port = _port(port, 143 if no_tls else IMAPS_PORT)
    security = "none" if no_tls else ("tls" if port == IMAPS_PORT else "starttls")
    chosen = [f.strip() for f in folders or [] if f.strip()]
    for folder in chosen:
        if any(c in folder for c in '\r\n\0"') or len(folder) > 200:
            raise InvalidSetting("folders", f"{folder!r} is not a folder name", option="--folder")
    return {
        "host": host, "port": port, "user": _user(user), "security": security, "ca_file": _ca_file(ca_file),
        "folders": list(dict.fromkeys(chosen)), "since": since.isoformat() if since else None,
        "known_only": known_only,
    }  # fmt: skip


def _url(url: str) -> str:
    if not url.strip():
        raise InvalidSetting("url", "is missing: give the collection's address, as your provider's settings show it")
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:  # a malformed address, e.g. an unclosed [
        host = None
    if host is None or parts.scheme not in ("https", "http"):
        raise InvalidSetting("url", f"{url!r} is not an https:// address")
    if parts.scheme == "http" and not is_loopback(host):
        raise InvalidSetting("url", f"{url!r}: use https:// (plain http is allowed only for a server on this machine)")
    return url.strip()


def carddav_settings(*, url: str, user: str, push: bool = False, ca_file: str | None = None) -> dict[str, Any]:
    """Checked settings of a CardDAV address book; `push` sends people added in knowwho back to it."""
    return {"url": _url(url), "user": _user(user), "push": push, "ca_file": _ca_file(ca_file)}


def caldav_settings(*, url: str, user: str, me: str | None = None, ca_file: str | None = None) -> dict[str, Any]:
    """Checked settings of a CalDAV calendar; `me` is the address the calendar knows the user by."""
    address = me.strip().lower() if me else None
    if address is not None and not _ADDRESS.fullmatch(address):
        raise InvalidSetting("me", f"{me!r} is not an email address")
    return {"url": _url(url), "user": _user(user), "me": address, "ca_file": _ca_file(ca_file)}


# How each kind of source checks its settings (the options of `knowwho sync add KIND`).
SETTINGS: dict[str, Callable[..., dict[str, Any]]] = {
    "imap": imap_settings,
    "carddav": carddav_settings,
    "caldav": caldav_settings,
}


class NoPassword(InvalidSetting):
    """A mail account added without a password or a password file."""

    def __init__(self) -> None:
        super().__init__("password", "is missing: a mail account needs one, or a password file")
        self.args = (NO_PASSWORD,)  # the command line's words

    def __str__(self) -> str:
        return NO_PASSWORD


NO_PASSWORD = "a mail account needs a password: type it when asked, or give --password-file"


class SourceService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def add_source(
        self,
        kind: str,
        name: str,
        *,
        password: str | None = None,
        password_file: str | None = None,
        since: str | date | None = None,
        **options: Any,
    ) -> SyncSource:
        """Add a source from the options of `knowwho sync add KIND` (the CLI, Settings and the API all come here)."""
        self._check_kind_and_name(kind, name)
        if kind == "imap":
            options["since"] = self._since(since)
        settings = SETTINGS[kind](**options)
        return self._add(kind, name, settings, password=password, password_file=password_file)

    def add(
        self,
        kind: str,
        name: str,
        settings: dict[str, Any],
        *,
        password_file: str | None = None,
        password: str | None = None,
    ) -> SyncSource:
        """Add a source whose settings are checked already (`imap_settings` and its kin)."""
        self._check_kind_and_name(kind, name)
        return self._add(kind, name, settings, password=password, password_file=password_file)

    def _check_kind_and_name(self, kind: str, name: str) -> None:
        if kind not in KINDS:
            raise InvalidSetting("kind", f"{kind!r} is not a kind of source: use one of {', '.join(KINDS)}", option="")
        if not _NAME.fullmatch(name):
            problem = f"{name!r}: use up to 40 letters, digits, dots, dashes or underscores, e.g. work-mail"
            raise InvalidSetting("name", problem, option="source name")
        if sync_store.source_named(self.ctx.db.conn, name) is not None:
            raise InvalidSetting("name", f"{name!r} is already the name of a sync source", option="source name")

    def _since(self, since: str | date | None) -> date | None:
        if since is None or since == "":
            return None
        try:
            day = since if isinstance(since, date) else parse_day(since, now=self.ctx.now(), what="since")
            return self.ctx.checked_day(day, "since")
        except InvalidInput:
            raise InvalidSetting("since", f"{str(since)[:40]!r} is not a day knowwho can use: try 2025-01-01") from None

    def _add(
        self, kind: str, name: str, settings: dict[str, Any], *, password_file: str | None, password: str | None
    ) -> SyncSource:
        """Add a checked source; its password goes to the keyring, or stays in the file named (only the path is kept).

        A mail account needs a password; an address book or a calendar may have
        none (a server on this machine that asks no login).
        """
        password = password or None
        if password_file is None and password is None and needs_password(kind):
            raise NoPassword
        self.forget_expired_passwords()
        if password_file is not None:
            password_file = _password_file(password_file)
        elif password is not None:
            secrets.store_in_keyring(name, password)
        with self.ctx.change(f"added sync source {name} ({kind})") as conn:
            earlier = sync_store.drop_kept_password(conn, name)  # a removed source's, kept for its undo
            sync_store.insert_source(
                conn, name=name, kind=kind, settings=settings, password_file=password_file, now=self.ctx.now_stamp()
            )
        # Outside the change: undoing the add forgets the password it put in the keyring.
        if password_file is None and password is not None:
            with self.ctx.db.transaction() as conn:
                sync_store.note_in_keyring(conn, name)
        elif earlier:  # the removed source's password is not this one's: forget it, lest a run use it
            secrets.forget(name)
            with self.ctx.db.transaction() as conn:
                sync_store.drop_kept_passwords(conn, [name])
        return self.get(name)

    def list(self) -> list[SyncSource]:
        return sync_store.sources(self.ctx.db.conn)

    def get(self, name: str) -> SyncSource:
        found = sync_store.source_named(self.ctx.db.conn, name)
        if found is None:
            names = ", ".join(s.name for s in self.list())
            known = names or "none yet: add one with `knowwho sync add`"
            raise NotFound(f"no sync source named {name!r} (sources: {known})",
                           plain=f"no sync source named {name!r} (sources: {names or 'none yet'})")  # fmt: skip
        return found

    def remove(self, name: str) -> SyncSource:
        """Remove a source and what it remembered; what it brought in stays.

        A password in the keyring stays there while the removal can be undone, so
        that undo brings back a source that runs; it is forgotten once the removal
        is too old to undo (`forget_expired_passwords`).
        """
        source = self.get(name)
        # Not while it runs (here or in another process): the run would go on writing what it saw.
        with SyncLock(self.ctx.db.path), self.ctx.change(f"removed sync source {name}") as conn:
            sync_store.delete_source(conn, source.id)
            if source.password_file is None:
                sync_store.keep_password(conn, name, self.ctx.db.change_id)
        self.forget_expired_passwords()
        return source

    def forget_expired_passwords(self) -> tuple[str, ...]:
        """Forget the keyring passwords no source uses and no undo can bring back (a removal too old to
        undo, an add that was undone)."""
        expired = sync_store.unused_passwords(self.ctx.db.conn)
        if expired:
            for name in expired:
                secrets.forget(name)
            with self.ctx.db.transaction() as conn:  # not a change of the user's: nothing to undo
                sync_store.drop_kept_passwords(conn, expired)
        return tuple(expired)


def _password_file(given: str) -> str:
    """The absolute path of a password file that can be read now (a missing or empty file is said when adding)."""
    if "\x00" in given:  # no file can be named so, and the operating system refuses to look one up
        raise InvalidSetting("password_file", "is not a file name: it holds a NUL character")
    path = Path(given).expanduser().resolve()
    try:
        secrets.read_password_file(path)
    except SyncFailed as failed:
        raise InvalidSetting("password_file", str(failed).removeprefix("password file ")) from None
    return str(path)


def needs_password(kind: str) -> bool:
    """A mail account needs a password; an address book or a calendar may have none (a local server asking none)."""
    return kind == "imap"


def password_kept(source: SyncSource) -> str:
    """Where a source's password is, in words (the command line and Settings; the API gives `source.password_kept`)."""
    kept = source.password_kept
    return f"in {source.password_file}" if kept == "file" else "in your keyring" if kept == "keyring" else "none"


def removed_message(source: SyncSource) -> str:
    """What removing a source says (command line and Settings): what undo brings back, and where the password is."""
    if source.password_kept == "file":
        return f"Removed sync source {source.name}; undo brings it back (its password file is left as it is)."
    if source.password_kept == "none":
        return f"Removed sync source {source.name}; undo brings it back."
    return (
        f"Removed sync source {source.name}. Its password stays in your keyring while undo can bring the "
        "source back, and is forgotten once the removal is too old to undo."
    )
