"""Settings' Sync section: add a source, sync one now (in the background, with a page that follows the run), remove one.

The rules are the service's (services/sync/sources.py), the same as `knowwho sync add`;
these routes read the form, and send a refused form back with one line naming the field.
A password typed here goes to the keyring and is never shown again, not even in a refused form.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import Response

from knowwho.errors import InvalidSetting, SyncRunning
from knowwho.services.sync.kinds import SyncSummary
from knowwho.services.sync.secrets import NO_KEYRING_HERE, NoKeyring
from knowwho.services.sync.sources import KINDS, needs_password, password_kept, removed_message
from knowwho.storage.sync import SyncSource
from knowwho.web.numbers import whole_number
from knowwho.web.routes.common import Kw, done, split_list, wants_json
from knowwho.web.state import state_of
from knowwho.web.templating import render

router = APIRouter()
SourceName = Annotated[str, Path(max_length=40)]
Field = Annotated[str, Form(max_length=500)]
# How the form names each setting, for the one line that says which one to fix.
LABELS = {
    "name": "Name", "host": "Server", "port": "Port", "user": "User name", "password": "Password",
    "password_file": "Password file", "folders": "Folders", "since": "Since", "no_tls": "Plain text (no TLS)",
    "url": "Address", "me": "Your address", "ca_file": "CA file", "kind": "Kind",
}  # fmt: skip
NO_KEYRING_LINE = NO_KEYRING_HERE[:1].upper() + NO_KEYRING_HERE[1:] + "."


@dataclass(frozen=True, slots=True)
class SyncShown:
    """A sync source as Settings lists it: where from, when it last ran, and how that went."""

    name: str
    kind: str
    where: str
    last_run_at: str
    outcome: str
    error: str
    running: bool
    password: str  # where it is, in the words of `knowwho sync list`

    @classmethod
    def of(cls, source: SyncSource, running: frozenset[str]) -> SyncShown:
        summary = SyncSummary.from_dict(source.last_summary) if source.last_summary else None
        return cls(source.name, source.kind, source.where, (source.last_run_at or "")[:16],
                   summary.headline() if summary else "", source.last_error or "", source.name in running,
                   password_kept(source))  # fmt: skip


@dataclass(frozen=True, slots=True)
class SyncTyped:
    """An add-a-source form sent back: what was typed (never the password), and the one line on what to fix."""

    kind: str
    values: dict[str, str] = field(default_factory=dict)
    problem: str = ""
    field: str = ""
    no_keyring: bool = False  # the keyring refused the password: offer the password file instead


def sync_context(request: Request, kw: Kw, typed: SyncTyped | None) -> dict[str, object]:
    """What the Sync section of Settings shows."""
    from knowwho.services.sync.secrets import keyring_available

    running = state_of(request).syncing.running()
    keyring = keyring_available() and not (typed and typed.no_keyring)
    if typed and typed.field == "password" and not keyring:  # the form shows the password file only
        typed = dataclasses.replace(typed, field="password_file")
    return {"sync_sources": [SyncShown.of(source, running) for source in kw.sync.list()],
            "sync_typed": typed, "keyring": keyring, "no_keyring": NO_KEYRING_LINE,
            "password_needed": {kind: needs_password(kind) for kind in KINDS}}  # fmt: skip


@router.post("/settings/sync")
def add_source(
    request: Request, kw: Kw, kind: Annotated[str, Form(pattern="^(imap|carddav|caldav)$")],
    name: Field = "", user: Field = "", password: Annotated[str, Form(max_length=1000)] = "",
    password_file: Field = "", host: Field = "", port: Field = "", folders: Field = "", since: Field = "",
    known_only: Field = "", no_tls: Field = "", url: Field = "", push: Field = "", me: Field = "",
) -> Response:  # fmt: skip
    """Add a source as `knowwho sync add KIND` does; a refused form comes back with one line naming the field."""
    values = {"name": name, "user": user, "password_file": password_file}
    if kind == "imap":
        values |= {"host": host, "port": port, "folders": folders, "since": since,
                   "known_only": known_only, "no_tls": no_tls}  # fmt: skip
    else:
        values |= {"url": url, "push": push} if kind == "carddav" else {"url": url, "me": me}
    try:
        if kind == "imap":
            options: dict[str, Any] = {
                "host": host, "port": _port(port), "folders": split_list(folders), "since": since.strip() or None,
                "known_only": bool(known_only), "no_tls": bool(no_tls),
            }  # fmt: skip
        else:
            options = {"url": url, "push": bool(push)} if kind == "carddav" else {"url": url, "me": me.strip() or None}
        source = kw.sync.add_source(kind, name.strip(), user=user, password=password or None,
                                    password_file=password_file.strip() or None, **options)  # fmt: skip
    except NoKeyring:
        if wants_json(request):
            raise
        typed = SyncTyped(kind, values, NO_KEYRING_LINE, "password_file", no_keyring=True)
        return _sent_back(request, kw, typed)
    except InvalidSetting as error:
        if wants_json(request):
            raise
        line = f"{LABELS.get(error.field, error.field)} {error.problem}; nothing was added."
        return _sent_back(request, kw, SyncTyped(kind, values, line, error.field))
    message = f"Added {source.name} (password: {password_kept(source)}). Sync it now, or wait for the next round."
    return done(request, f"/settings#sync-{source.name}", message)


def _port(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    port = whole_number(text) if len(text) <= 6 else None  # only ASCII digits: int() refuses "²"
    if port is None:
        raise InvalidSetting("port", f"{text[:20]!r} is not a port number (1 to 65535)")
    return port


def _sent_back(request: Request, kw: Kw, typed: SyncTyped) -> Response:
    from knowwho.web.routes.settings import settings_page_with

    return settings_page_with(request, kw, sync=typed)


@router.post("/settings/sync/{name}")
def sync_now(request: Request, kw: Kw, name: SourceName) -> Response:
    """Start syncing one source in the background, then follow it on its own page."""
    try:
        source = state_of(request).syncing.sync_now(kw, name)
    except SyncRunning as busy:
        return done(request, "/settings#sync", f"{name}: {busy}.", ok=False)
    return done(request, f"/settings/sync/{source.name}", f"Syncing {source.name}…", ok=True)


@router.get("/settings/sync/{name}")
def sync_run(request: Request, kw: Kw, name: SourceName) -> Response:
    """A source's run: working (the page reloads itself), then how it went."""
    source = kw.sync.get(name)
    running = source.name in state_of(request).syncing.running()
    summary = SyncSummary.from_dict(source.last_summary) if source.last_summary else None
    return render(request, "sync_run.html", {
        "active": "settings", "title": f"Sync {source.name}", "source": source, "running": running,
        "summary": summary if not source.last_error else None, "notice": "shown",
    })  # fmt: skip


@router.post("/settings/sync/{name}/remove")
def remove_source(request: Request, kw: Kw, name: SourceName) -> Response:
    """Remove a source (after the confirmation in its row); undo brings it back with its password."""
    try:
        source = kw.sync.remove(name)
    except SyncRunning as busy:
        return done(request, "/settings#sync", f"{name} was not removed: {busy}.", ok=False)
    return done(request, "/settings#sync", removed_message(source))
