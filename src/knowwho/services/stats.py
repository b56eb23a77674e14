"""Stats: activity per week (conversations, new people, follow-ups kept on time) and the shape of the network."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from knowwho.services import tie_strength
from knowwho.services.context import ServiceContext
from knowwho.storage import stats as stats_store


@dataclass(frozen=True, slots=True)
class Week:
    starts_on: date
    conversations: int
    new_people: int
    followups_due: int
    followups_on_time: int


@dataclass(frozen=True, slots=True)
class NetworkStats:
    weeks: list[Week]
    by_organization: list[tuple[int, str, int]]  # (id, name, people there now)
    by_tier: list[tuple[str, int]]  # strongest tier first

    @property
    def is_empty(self) -> bool:
        return (
            not self.by_organization
            and not any(n for _, n in self.by_tier)
            and not any(w.conversations or w.new_people or w.followups_due for w in self.weeks)
        )


class StatsService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def overview(self, *, weeks: int = 12, organizations: int = 10) -> NetworkStats:
        today = self.ctx.today()
        this_monday = today - timedelta(days=today.weekday())
        first = this_monday - timedelta(weeks=weeks - 1)
        since = first.isoformat()
        conn = self.ctx.db.conn
        mondays = [(first + timedelta(weeks=n)).isoformat() for n in range(weeks + 1)]
        talks = dict(zip(mondays, stats_store.conversations_per_range(conn, mondays), strict=False))
        met = stats_store.new_people_per_week(conn, since_on=since)
        kept = stats_store.followups_per_week(conn, since_on=since, today=today.isoformat())
        rows = []
        for n in range(weeks):
            monday = first + timedelta(weeks=n)
            key = monday.isoformat()
            due, on_time = kept.get(key, (0, 0))
            rows.append(Week(monday, talks.get(key, 0), met.get(key, 0), due, on_time))
        thresholds = [t for t, _ in tie_strength.TIERS]
        names = [name for _, name in tie_strength.TIERS] + ["dormant"]
        counts = stats_store.strength_histogram(conn, [2.0, *thresholds, -1.0])
        return NetworkStats(
            weeks=rows,
            by_organization=stats_store.people_by_organization(conn, limit=organizations),
            by_tier=list(zip(names, counts, strict=True)),
        )
