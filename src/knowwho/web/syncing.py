"""The server's scheduled sync: every source, every few minutes, in one background thread.

A run holds the database's sync lock (services/sync/runner.py), so it never
overlaps another one, from this server or the command line: a round that
finds the lock taken is skipped. When the server stops, a run in progress
stops after its current batch (what it stored is kept; the next run goes on).
"""

from __future__ import annotations

import logging
import threading

from knowwho.errors import KnowwhoError
from knowwho.web.jobs import ServerStopping
from knowwho.web.state import KnowwhoPool

log = logging.getLogger(__name__)
FIRST_DELAY_S = 5.0  # the first round waits for the server to be up


class SyncSchedule:
    def __init__(self, pool: KnowwhoPool, every_seconds: float, *, first_delay: float = FIRST_DELAY_S) -> None:
        self.pool = pool
        self.every = every_seconds
        self.first_delay = min(first_delay, every_seconds)
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="sync-schedule", daemon=True)
        self._thread.start()

    def stop(self, timeout: float) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        wait = self.first_delay
        while not self._stopping.wait(wait):
            self.run_round()
            wait = self.every

    def run_round(self) -> None:
        """Sync every source once; failures are recorded on their source (Settings shows them)."""
        from knowwho.services.sync.runner import run_sources

        def progress(_done: int, _total: int | None) -> None:
            if self._stopping.is_set():
                raise ServerStopping

        try:
            with self.pool.borrow() as kw:
                for outcome in run_sources(kw, progress_for=lambda _source: progress):
                    if outcome.error:
                        log.warning("sync: %s", outcome.error)
        except (KnowwhoError, ServerStopping) as error:  # another run holds the lock, the server stops...
            log.info("sync round skipped: %s", error)
