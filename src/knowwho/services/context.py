"""What every service shares: the database and the clock."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from knowwho.clock import Clock, local_date, system_clock, to_stamp
from knowwho.storage import Database


@dataclass
class ServiceContext:
    db: Database
    clock: Clock = system_clock

    def now(self) -> datetime:
        return self.clock()

    def now_stamp(self) -> str:
        return to_stamp(self.clock())

    def today(self) -> date:
        return local_date(self.clock())

    def checked_day(self, day: date, what: str) -> date:
        """The day, or InvalidInput naming `what` when it is outside the days knowwho records."""
        from knowwho.dates import recorded_days  # only commands that take a date need the date rules

        return recorded_days(self.today()).check(day, what=what)

    @contextmanager
    def change(self, description: str) -> Iterator[sqlite3.Connection]:
        """One undoable use case in one transaction: `knowwho undo` reverses it as a whole."""
        with self.db.journaled(description, self.now_stamp()), self.db.transaction() as conn:
            yield conn

    def describe_change(self, description: str) -> None:
        """Say what the open change did, once it is known (the names of those it touched)."""
        from knowwho.storage import journal

        if self.db.change_id is not None:
            journal.describe(self.db.conn, self.db.change_id, description)
