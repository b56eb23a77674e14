"""Running sync sources: one at a time, each as one undoable change, each failure one line.

A run takes a lock (a file beside the database, locked with the operating
system's file lock, so a killed run leaves no stale lock behind): a sync
started on the command line and the server's scheduled one never overlap.
The kind's module commits as it goes (its status rows with each batch), so a
run that stops anywhere keeps what it stored and the next run completes it.
"""

from __future__ import annotations

import fcntl
import os
import socket
import ssl
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from knowwho.errors import Interrupted, KnowwhoError, SyncFailed, SyncRunning
from knowwho.services.sync import secrets
from knowwho.services.sync.kinds import KINDS, SyncSummary
from knowwho.storage import sync as sync_store
from knowwho.storage.database import PRIVATE_FILE
from knowwho.storage.sync import SyncSource

if TYPE_CHECKING:
    from knowwho.core import Knowwho
    from knowwho.importers.base import Progress

ANOTHER_RUN = "another sync is running on this database; try again when it has finished"


@dataclass
class SyncOutcome:
    """How one source's run went: its summary, or the one line saying what went wrong."""

    source: SyncSource
    summary: SyncSummary | None = None
    error: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.source.name, "kind": self.source.kind, "ok": self.error is None, "error": self.error,
            "summary": self.summary.to_dict() if self.summary else None,
            "headline": self.summary.headline() if self.summary else None,
        }  # fmt: skip


class SyncLock:
    """The database's sync lock, taken at once or refused (SyncRunning) when another run holds it.

    `with sync_lock(kw):` holds it for a block; the server takes it in the request
    (so a busy lock is said at once) and releases it in the thread that runs the sync.
    """

    def __init__(self, db_path: Path) -> None:
        path = db_path.with_name(db_path.name + ".sync-lock")
        self._descriptor: int | None = os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
        try:
            fcntl.flock(self._descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.release()
            raise SyncRunning(ANOTHER_RUN) from None

    @property
    def held(self) -> bool:
        return self._descriptor is not None

    def release(self) -> None:
        if self._descriptor is not None:
            os.close(self._descriptor)  # closing releases the lock
            self._descriptor = None

    def __enter__(self) -> SyncLock:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


def sync_lock(kw: Knowwho) -> SyncLock:
    """Hold the database's sync lock, or fail at once (SyncRunning) when another run holds it."""
    return SyncLock(kw.db.path)


def run_sources(
    kw: Knowwho,
    names: list[str] | None = None,
    *,
    progress_for: Callable[[SyncSource], Progress | None] | None = None,
    lock: SyncLock | None = None,
) -> list[SyncOutcome]:
    """Run the named sources (all when none are named) one after the other; a failure does not stop the rest.

    With `lock` (taken by the caller, who releases it) the lock is not taken again.
    """
    from knowwho.services.sync.sources import SourceService

    service = SourceService(kw.ctx)
    chosen = [service.get(name) for name in dict.fromkeys(names)] if names else service.list()
    outcomes = []
    with nullcontext() if lock is not None else sync_lock(kw):
        service.forget_expired_passwords()
        for source in chosen:
            progress = progress_for(source) if progress_for is not None else None
            try:
                outcomes.append(SyncOutcome(source, summary=_run(kw, source, progress)))
            except SyncFailed as failed:
                outcomes.append(SyncOutcome(source, error=str(failed)))
    return outcomes


def run_source(kw: Knowwho, source: SyncSource, progress: Progress | None = None) -> SyncSummary:
    """Run one source now; SyncFailed names the source and the problem."""
    with sync_lock(kw):
        return _run(kw, source, progress)


def _run(kw: Knowwho, source: SyncSource, progress: Progress | None) -> SyncSummary:
    started = kw.ctx.now_stamp()
    try:
        summary = _run_kind(kw, source, progress)
    except (Interrupted, KeyboardInterrupt):  # Ctrl+C, or the server stopping
        _record(kw, source, started, f"{source.name}: stopped before the end; the next run completes it", None)
        raise
    except SyncFailed as failed:
        problem = str(failed)
    except OSError as error:
        problem = describe_network_error(error)
    except KnowwhoError as error:  # the database was busy, an input could not be read...
        problem = str(error)
    else:
        _record(kw, source, started, None, summary)
        return summary
    message = f"{source.name}: {problem}"
    _record(kw, source, started, message, None)
    raise SyncFailed(message)


def _run_kind(kw: Knowwho, source: SyncSource, progress: Progress | None) -> SyncSummary:
    module = import_module(KINDS[source.kind])
    # Added without a password: none is sent, whatever a keyring may hold under its name.
    none = source.password_kept == "none"
    secret = None if none else secrets.secret_for(source.name, source.password_file)
    with kw.db.journaled(f"synced {source.name}", kw.ctx.now_stamp()):
        summary: SyncSummary = module.run(kw, source, secret, progress)
        kw.ctx.describe_change(f"synced {source.name}: {summary.headline()}")
    return summary


def _record(kw: Knowwho, source: SyncSource, at: str, error: str | None, summary: SyncSummary | None) -> None:
    """Say how the run went (outside the run's change: undoing a sync does not unsay that it ran)."""
    kw.db.abandon()
    with kw.db.transaction() as conn:
        sync_store.record_run(conn, source.id, at=at, error=error, summary=summary.to_dict() if summary else None)


def describe_network_error(error: OSError) -> str:
    """One line for a network failure, without Python's exception text."""
    if isinstance(error, ssl.SSLCertVerificationError):
        reason = error.verify_message or "not trusted"
        return f"the server's certificate was refused ({reason})"
    if isinstance(error, ssl.SSLError):
        return "the secure connection failed (the server may not speak TLS on this port)"
    if isinstance(error, socket.gaierror):
        return "cannot find the server (check the host name, and that you are online)"
    if isinstance(error, ConnectionRefusedError):
        return "the server refused the connection (check the host and port)"
    if isinstance(error, TimeoutError | socket.timeout):
        return "the server did not answer in time"
    if isinstance(error, ConnectionError):
        return "the connection to the server was lost; the next run continues where this one stopped"
    reason = error.strerror or "a network error"
    return f"cannot reach the server ({reason[:1].lower() + reason[1:]})"
