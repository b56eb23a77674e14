"""A short-lived cache of the Today list, dropped as soon as anything writes to the database.

Computing Today on a large network takes a noticeable fraction of a second,
while the page is opened far more often than the data changes. The cache key
includes a stamp of the database files (size, modification time and inode
of the file and its write-ahead log), which any commit changes, whoever
makes it: this server, the CLI or another process. A time limit bounds how
long the relative wording ("3 days ago") and the time windows can lag.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from knowwho.core import Knowwho
from knowwho.services.agenda import Agenda

TTL_SECONDS = 30.0


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
    value: Agenda


class TodayCache:
    def __init__(self, ttl: float = TTL_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self._clock = clock
        self._entries: dict[int, _Entry] = {}  # by limit
        self._lock = threading.Lock()

    def today(self, kw: Knowwho, *, limit: int) -> Agenda:
        stamp = change_stamp(kw.db.path)
        if stamp is None:
            return kw.agenda.today(limit=limit, remember=False)
        key = (stamp, kw.ctx.today())
        with self._lock:
            entry = self._entries.get(limit)
        if entry is not None and entry.key == key and self._clock() - entry.made < self.ttl:
            return entry.value
        # The key was read before computing: a write meanwhile makes the next request recompute.
        value = kw.agenda.today(limit=limit, remember=False)
        with self._lock:
            if len(self._entries) > 16:
                self._entries.clear()
            self._entries[limit] = _Entry(key, self._clock(), value)
        return value
