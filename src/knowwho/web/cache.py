"""A short-lived cache of what is costly to compute (Today, Stats), dropped as soon as anything writes.

Computing Today or Stats on a large network takes a noticeable fraction of a
second, while the pages are opened far more often than the data changes. The cache key
includes a stamp of the database files (size, modification time and inode
of the file and its write-ahead log), which any commit changes, whoever
makes it: this server, the CLI or another process. A time limit bounds how
long the relative wording ("3 days ago") and the time windows can lag.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from knowwho.core import Knowwho
from knowwho.services.agenda import Agenda

TTL_SECONDS = 30.0
T = TypeVar("T")


def change_stamp(path: Path | None) -> tuple[Any, ...] | None:
    """Something that differs after every commit to the database at `path` (None: cannot tell)."""
    if path is None or str(path) == ":memory:":
        return None
    stamp: list[Any] = []
    for file in (path, path.with_name(path.name + "-wal")):
        try:
            info = os.stat(file)
        except FileNotFoundError:
            stamp.append(None)
            continue
        stamp.append((info.st_size, info.st_mtime_ns, info.st_ino))
    return tuple(stamp)


@dataclass(frozen=True, slots=True)
class _Entry:
    key: tuple[Any, ...]
    made: float
    value: Any


class ChangeCache:
    def __init__(
        self, ttl: float = TTL_SECONDS, clock: Callable[[], float] = time.monotonic, *, capacity: int = 32
    ) -> None:
        self.ttl = ttl
        self.capacity = capacity
        self._clock = clock
        self._entries: dict[Hashable, _Entry] = {}
        self._lock = threading.Lock()

    def get(self, kw: Knowwho, name: Hashable, compute: Callable[[], T], *, ttl: float | None = None) -> T:
        """`compute()`, or its result from an earlier call while the database and the day are unchanged.

        `ttl` overrides the time limit for results that say nothing relative to now.
        """
        stamp = change_stamp(kw.db.path)
        if stamp is None:
            return compute()
        key = (stamp, kw.ctx.today())
        found = self._fresh(name, key, self.ttl if ttl is None else ttl)
        if found is not None:
            value: T = found.value
            return value
        # The key was read before computing: a write meanwhile makes the next request recompute.
        value = compute()
        with self._lock:
            if len(self._entries) > self.capacity:
                self._entries.clear()
            self._entries[name] = _Entry(key, self._clock(), value)
        return value

    def peek(self, kw: Knowwho, name: Hashable, *, ttl: float | None = None) -> Any | None:
        """What `get` would reuse now, or None; never computes (for a hint not worth waiting for)."""
        stamp = change_stamp(kw.db.path)
        if stamp is None:
            return None
        found = self._fresh(name, (stamp, kw.ctx.today()), self.ttl if ttl is None else ttl)
        return found.value if found is not None else None

    def _fresh(self, name: Hashable, key: tuple[Any, ...], ttl: float) -> _Entry | None:
        with self._lock:
            entry = self._entries.get(name)
        if entry is not None and entry.key == key and self._clock() - entry.made < ttl:
            return entry
        return None

    def today(self, kw: Knowwho, *, limit: int | None = None) -> Agenda:
        return self.get(kw, ("today", limit), lambda: kw.agenda.today(limit=limit, remember=False))
