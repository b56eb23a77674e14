"""The server's syncs: "sync now" from Settings or the API, and every source on a schedule, in the background.

Every run holds the database's sync lock (services/sync/runner.py), so two
never overlap, whether from this server or the command line. "Sync now" takes
the lock in the request, so a busy lock is said at once (409), and hands it to
the thread that runs the sync; a scheduled round that finds the lock taken is
skipped. When the server stops, a run in progress stops after its current
batch (what it stored is kept; the next run goes on from there).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from knowwho.errors import KnowwhoError
from knowwho.web.jobs import ServerStopping

if TYPE_CHECKING:
    from knowwho.core import Knowwho
    from knowwho.importers.base import Progress
    from knowwho.services.sync.runner import SyncLock
    from knowwho.storage.sync import SyncSource
    from knowwho.web.state import KnowwhoPool

log = logging.getLogger(__name__)
FIRST_DELAY_S = 5.0  # the first round waits for the server to be up


class Syncing:
    """The sync runs of one server: at most one at a time, each in a background thread."""

    def __init__(self, pool: KnowwhoPool, every_seconds: float | None = None, *, first_delay: float = FIRST_DELAY_S):
        self.pool = pool
        self.every = every_seconds
        self.first_delay = min(first_delay, every_seconds) if every_seconds else first_delay
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._running: set[str] = set()  # the source being synced now (runs never overlap)
        self._lock = threading.Lock()

    # -- what the pages and the API ask ------------------------------------------------------
    def running(self) -> frozenset[str]:
        with self._lock:
            return frozenset(self._running)

    def sync_now(self, kw: Knowwho, name: str) -> SyncSource:
        """Start syncing one source in the background; NotFound, or SyncRunning (409) while a run goes on."""
        from knowwho.services.sync.runner import sync_lock

        source = kw.sync.get(name)
        lock = sync_lock(kw)  # refused at once when a run (here or on the command line) holds it
        with self._lock:
            self._running = {source.name}  # shown as running from the moment the request answers
        self._start(self._run_now, f"sync-{source.name}", lock, [source.name])
        return source

    # -- the schedule ------------------------------------------------------------------------
    def start(self) -> None:
        if self.every:
            self._start(self._loop, "sync-schedule")

    def stop(self, timeout: float) -> None:
        """Stop the schedule and any run (after its current batch); wait up to `timeout` seconds in all."""
        self._stopping.set()
        with self._lock:
            threads = list(self._threads)
        deadline = time.monotonic() + timeout
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    def _loop(self) -> None:
        wait = self.first_delay
        while self.every and not self._stopping.wait(wait):
            self.run_round()
            wait = self.every

    def run_round(self) -> None:
        """Sync every source once; failures are recorded on their source (Settings shows them)."""
        from knowwho.services.sync.runner import sync_lock

        try:
            with self.pool.borrow() as kw:
                lock = sync_lock(kw)
                self._run(kw, lock, None)
        except (KnowwhoError, ServerStopping) as error:  # another run holds the lock, the server stops...
            log.info("sync round skipped: %s", error)

    # -- running -----------------------------------------------------------------------------
    def _start(self, target: Callable[..., None], name: str, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()]
            self._threads.append(thread)
        thread.start()

    def _run_now(self, lock: SyncLock, names: list[str]) -> None:
        try:
            with self.pool.borrow() as kw:
                self._run(kw, lock, names)
        except (KnowwhoError, ServerStopping) as error:  # the source was removed meanwhile, the server stops...
            log.info("sync of %s stopped: %s", ", ".join(names), error)
        except Exception:  # a bug must not kill the server (the runner recorded what it could)
            log.exception("sync of %s failed", ", ".join(names))
        finally:
            if lock.held:  # the run never began (_run clears and releases itself)
                self._done(lock)

    def _done(self, lock: SyncLock) -> None:
        with self._lock:  # cleared before the lock goes, so a next run's name is never cleared
            self._running = set()
        lock.release()

    def _run(self, kw: Knowwho, lock: SyncLock, names: list[str] | None) -> None:
        from knowwho.services.sync.runner import run_sources

        def progress(_done: int, _total: int | None) -> None:
            if self._stopping.is_set():
                raise ServerStopping

        def progress_for(source: SyncSource) -> Progress:
            with self._lock:
                self._running = {source.name}  # runs never overlap: one source at a time
            return progress

        try:
            for outcome in run_sources(kw, names, progress_for=progress_for, lock=lock):
                if outcome.error:
                    log.warning("sync: %s", outcome.error)
        finally:
            self._done(lock)
