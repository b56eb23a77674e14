"""The sync sources: adding, listing and removing them, and checking their settings.

A source's settings are checked when it is added (a mistyped host or port is
said then, not at the first run). Plain-text connections are allowed to this
machine only: anything else uses TLS with its certificate checked.
"""

from __future__ import annotations

import ipaddress
import re
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from knowwho.errors import InvalidInput, NotFound
from knowwho.services.context import ServiceContext
from knowwho.services.sync import secrets
from knowwho.storage import sync as sync_store
from knowwho.storage.sync import SyncSource

__all__ = ["SourceService", "SyncSource", "caldav_settings", "carddav_settings", "imap_settings", "is_loopback"]

KINDS = ("imap", "carddav", "caldav")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")
_HOST = re.compile(r"[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\[?[0-9A-Fa-f:]+\]?")
_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
IMAPS_PORT = 993
NO_TLS_ELSEWHERE = "--no-tls is allowed only for a server on this machine (localhost, 127.0.0.1 or ::1)"


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
    if not _HOST.fullmatch(host):
        raise InvalidInput(f"--host {host!r} is not a host name or address")
    return host.lower()


def _port(port: int | None, default: int) -> int:
    if port is None:
        return default
    if not 1 <= port <= 65535:
        raise InvalidInput(f"--port {port} is not a port number (1 to 65535)")
    return port


def _user(user: str) -> str:
    user = user.strip()
    if not user or len(user) > 320 or any(c in user for c in "\r\n\0"):
        raise InvalidInput("--user: give the account's user name (often its email address)")
    return user


def _ca_file(ca_file: str | None) -> str | None:
    if ca_file is None:
        return None
    path = Path(ca_file).expanduser()
    if not path.is_file():
        raise InvalidInput(f"--ca-file {ca_file}: no such file")
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
        raise InvalidInput(NO_TLS_ELSEWHERE)
    port = _port(port, 143 if no_tls else IMAPS_PORT)
    security = "none" if no_tls else ("tls" if port == IMAPS_PORT else "starttls")
    chosen = [f.strip() for f in folders or [] if f.strip()]
    for folder in chosen:
        if any(c in folder for c in '\r\n\0"') or len(folder) > 200:
            raise InvalidInput(f"--folder {folder!r} is not a folder name")
    return {
        "host": host, "port": port, "user": _user(user), "security": security, "ca_file": _ca_file(ca_file),
        "folders": list(dict.fromkeys(chosen)), "since": since.isoformat() if since else None,
        "known_only": known_only,
    }  # fmt: skip


def _url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise InvalidInput(f"--url {url!r} is not an https:// address")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise InvalidInput(f"--url {url!r}: use https:// (plain http is allowed only for a server on this machine)")
    return url.strip()


def carddav_settings(*, url: str, user: str, push: bool = False, ca_file: str | None = None) -> dict[str, Any]:
    """Checked settings of a CardDAV address book; `push` sends people added in knowwho back to it."""
    return {"url": _url(url), "user": _user(user), "push": push, "ca_file": _ca_file(ca_file)}


def caldav_settings(*, url: str, user: str, me: str | None = None, ca_file: str | None = None) -> dict[str, Any]:
    """Checked settings of a CalDAV calendar; `me` is the address the calendar knows the user by."""
    address = me.strip().lower() if me else None
    if address is not None and not _ADDRESS.fullmatch(address):
        raise InvalidInput(f"--me {me!r} is not an email address")
    return {"url": _url(url), "user": _user(user), "me": address, "ca_file": _ca_file(ca_file)}


class SourceService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def add(
        self,
        kind: str,
        name: str,
        settings: dict[str, Any],
        *,
        password_file: str | None = None,
        password: str | None = None,
    ) -> SyncSource:
        """Add a source; its password goes to the keyring, or stays in the file named (only the path is kept)."""
        if kind not in KINDS:
            raise InvalidInput(f"unknown kind of source {kind!r}: use one of {', '.join(KINDS)}")
        if not _NAME.fullmatch(name):
            raise InvalidInput(
                f"source name {name!r}: use up to 40 letters, digits, dots, dashes or underscores, e.g. work-mail"
            )
        if sync_store.source_named(self.ctx.db.conn, name) is not None:
            raise InvalidInput(f"there is already a sync source named {name!r}")
        if password_file is not None:
            path = Path(password_file).expanduser().resolve()
            secrets.read_password_file(path)  # a missing or empty file is said now
            password_file = str(path)
        elif password:
            secrets.store_in_keyring(name, password)
        with self.ctx.change(f"added sync source {name} ({kind})") as conn:
            sync_store.insert_source(
                conn, name=name, kind=kind, settings=settings, password_file=password_file, now=self.ctx.now_stamp()
            )
        return self.get(name)

    def list(self) -> list[SyncSource]:
        return sync_store.sources(self.ctx.db.conn)

    def get(self, name: str) -> SyncSource:
        found = sync_store.source_named(self.ctx.db.conn, name)
        if found is None:
            known = ", ".join(s.name for s in self.list()) or "none yet: add one with `knowwho sync add`"
            raise NotFound(f"no sync source named {name!r} (sources: {known})")
        return found

    def remove(self, name: str) -> SyncSource:
        """Remove a source and what it remembered; what it brought in stays.

        Undo brings the source back; a password kept in the keyring is forgotten at once (add it again).
        """
        source = self.get(name)
        with self.ctx.change(f"removed sync source {name}") as conn:
            sync_store.delete_source(conn, source.id)
        secrets.forget(name)
        return source
