"""What every service shares: the database and the clock."""

from __future__ import annotations

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
