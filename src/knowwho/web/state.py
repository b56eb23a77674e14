"""What one running server holds: its settings and a pool of `Knowwho` objects, one per request at a time.

SQLite connections are not to be used by two threads at once. Each request
borrows a whole `Knowwho` (its own connection) from the pool and gives it back
when done, so concurrent requests never share a connection; WAL mode and the
busy timeout let them, and the CLI, read and write the same file together.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from knowwho.core import Knowwho
from knowwho.services.paths.memory import NetworkMemory
from knowwho.web.cache import ChangeCache
from knowwho.web.jobs import Jobs
from knowwho.web.security import LoginThrottle
from knowwho.web.syncing import Syncing

DEFAULT_MAX_UPLOAD = 50 * 1024 * 1024


class KnowwhoPool:
    def __init__(self, factory: Callable[[], Knowwho]) -> None:
        self._factory = factory
        self._idle: list[Knowwho] = []
        self._all: list[Knowwho] = []
        self._lock = threading.Lock()
        self._closed = False

    @contextmanager
    def borrow(self) -> Iterator[Knowwho]:
        kw = self.take() or self.make()
        try:
            yield kw
        finally:
            self.give_back(kw)

    def take(self) -> Knowwho | None:
        """An idle `Knowwho`, or None when all are out (then `make` opens another)."""
        with self._lock:
            return self._idle.pop() if self._idle else None

    def make(self) -> Knowwho:
        kw = self._factory()
        with self._lock:
            self._all.append(kw)
        return kw

    def give_back(self, kw: Knowwho) -> None:
        kw.db.abandon()  # never hand on a connection mid-transaction
        with self._lock:
            closed = self._closed
            if closed:
                self._all.remove(kw)
            else:
                self._idle.append(kw)
        if closed:  # the pool closed while this one was out: its borrower was the last to use it
            kw.close()

    def close(self) -> None:
        """Close the idle connections now and each borrowed one when it comes back (never under its user)."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
            for kw in idle:
                self._all.remove(kw)
        for kw in idle:
            kw.close()


@dataclass
class WebConfig:
    password: str | None = None
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD
    allowed_hosts: frozenset[str] = frozenset()  # empty: any host (a password then guards everything)
    session_key: str = ""
    api_token: str = ""
    feed_token: str = ""
    db_path: Path | None = None
    password_mark: str = ""  # sessions signed under another password are void
    sessions: dict[str, int] = field(default_factory=dict)  # signed-in sessions: id -> expiry
    throttle: LoginThrottle = field(default_factory=LoginThrottle)


@dataclass
class WebState:
    pool: KnowwhoPool
    config: WebConfig
    syncing: Syncing  # "sync now" and the schedule
    jobs: Jobs = field(default_factory=Jobs)
    cache: ChangeCache = field(default_factory=ChangeCache)
    # What person pages show, by person: many pages, each kept until the data changes.
    person_pages: ChangeCache = field(default_factory=lambda: ChangeCache(capacity=512))
    # Who knows whom and job histories, kept in memory and updated after every commit (warm paths).
    network: NetworkMemory = field(default_factory=NetworkMemory)
    # Warm-path answers, by question, each kept until the data changes.
    path_answers: ChangeCache = field(default_factory=lambda: ChangeCache(capacity=256))


def state_of(request: Request) -> WebState:
    state: WebState = request.app.state.knowwho
    return state


async def get_kw(request: Request) -> AsyncIterator[Knowwho]:
    """FastAPI dependency: a `Knowwho` this request has to itself.

    Taken and given back on the event loop: as a plain function each would be a round trip to a worker
    thread, which under many clients waits its turn for the interpreter lock like any page's work.
    Only opening a new connection (the first requests) goes to a thread."""
    pool = state_of(request).pool
    kw = pool.take()
    if kw is None:
        kw = await run_in_threadpool(pool.make)
    try:
        yield kw
    finally:
        pool.give_back(kw)


def factory_for(path: str | Path) -> Callable[[], Knowwho]:
    """Connections to the database at `path`; an encrypted one's key is found once, now, as the server starts."""
    from knowwho.storage.database import is_encrypted

    db_path = Path(path)
    key = None
    if is_encrypted(db_path):
        from knowwho.services.privacy import find_key

        key = find_key(db_path)
    return lambda: Knowwho.open(db_path, key=key, check_same_thread=False)
