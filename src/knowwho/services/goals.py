"""Weekly goals (3 conversations, 2 new people, no reply owed older than 2 days) and how the weeks went."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from knowwho.clock import to_stamp
from knowwho.errors import InvalidInput
from knowwho.services.context import ServiceContext
from knowwho.storage import agenda as agenda_store
from knowwho.storage import goals as goal_store
from knowwho.storage import stats as stats_store

NAMES = ("conversations", "new_people", "max_old_replies")
OLD_REPLY = timedelta(days=2)  # a reply owed longer than this counts against the goal
REPLY_WINDOW = timedelta(days=30)  # as today's list: older messages are no longer owed a reply


@dataclass(frozen=True, slots=True)
class Goals:
    conversations: int | None = None
    new_people: int | None = None
    max_old_replies: int | None = None

    @property
    def any(self) -> bool:
        return any(v is not None for v in (self.conversations, self.new_people, self.max_old_replies))


@dataclass(frozen=True, slots=True)
class WeekDone:
    starts_on: date
    conversations: int
    new_people: int


@dataclass(frozen=True, slots=True)
class Progress:
    goals: Goals
    week: WeekDone  # this week so far
    old_replies: int  # replies owed for more than two days, now

    def line(self) -> str:
        """'This week: 2 of 3 conversations · 1 of 2 new people · 1 reply waiting over 2 days (goal: at most 0)'."""
        g, parts = self.goals, []
        if g.conversations is not None:
            parts.append(
                f"{self.week.conversations} of {g.conversations} conversations" + _tick(self.conversations_met)
            )
        if g.new_people is not None:
            parts.append(f"{self.week.new_people} of {g.new_people} new people" + _tick(self.new_people_met))
        if g.max_old_replies is not None:
            n = self.old_replies
            parts.append(
                f"{n} repl{'y' if n == 1 else 'ies'} waiting over 2 days (goal: at most {g.max_old_replies})"
                + _tick(self.replies_met)
            )
        return "This week: " + " · ".join(parts)

    @property
    def conversations_met(self) -> bool:
        return self.goals.conversations is not None and self.week.conversations >= self.goals.conversations

    @property
    def new_people_met(self) -> bool:
        return self.goals.new_people is not None and self.week.new_people >= self.goals.new_people

    @property
    def replies_met(self) -> bool:
        return self.goals.max_old_replies is not None and self.old_replies <= self.goals.max_old_replies

    def to_dict(self) -> dict[str, object]:
        return {
            "goals": {"conversations": self.goals.conversations, "new_people": self.goals.new_people,
                      "max_old_replies": self.goals.max_old_replies},
            "week_of": self.week.starts_on.isoformat(), "conversations": self.week.conversations,
            "new_people": self.week.new_people, "old_replies": self.old_replies,
        }  # fmt: skip


def _tick(met: bool) -> str:
    return " ✓" if met else ""


class GoalService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def get(self) -> Goals:
        found = goal_store.get(self.ctx.db.conn)
        return Goals(**{k: v for k, v in found.items() if k in NAMES})

    def set(
        self, *, conversations: int | None = None, new_people: int | None = None, max_old_replies: int | None = None
    ) -> Goals:
        """Set the goals given (one undoable change); a negative number clears that goal."""
        asked = {"conversations": conversations, "new_people": new_people, "max_old_replies": max_old_replies}
        given = {k: v for k, v in asked.items() if v is not None}
        if not given:
            raise InvalidInput("give a goal: --conversations N, --new-people N or --max-old-replies N")
        for name, value in given.items():
            if value > 1000:
                raise InvalidInput(f"--{name.replace('_', '-')} is a weekly number: at most 1000")
        words = ", ".join(f"{k.replace('_', ' ')} {v}" if v >= 0 else f"no {k.replace('_', ' ')} goal"
                          for k, v in given.items())  # fmt: skip
        with self.ctx.change(f"set weekly goals: {words}") as conn:
            for name, value in given.items():
                if value < 0:
                    goal_store.remove(conn, name)
                else:
                    goal_store.put(conn, name, value)
        return self.get()

    def progress(self) -> Progress | None:
        """This week against the goals; None when no goal is set (nothing is computed then)."""
        goals = self.get()
        if not goals.any:
            return None
        week = self.weeks(1)[0]
        old = 0
        if goals.max_old_replies is not None:
            now = self.ctx.now()
            old = len(agenda_store.replies_owed(
                self.ctx.db.conn, newest=to_stamp(now - OLD_REPLY), oldest=to_stamp(now - REPLY_WINDOW)
            ))  # fmt: skip
        return Progress(goals, week, old)

    def weeks(self, count: int = 12) -> list[WeekDone]:
        """Conversations and new people of the last `count` weeks (Monday to Sunday), the oldest first."""
        today = self.ctx.today()
        first = today - timedelta(days=today.weekday()) - timedelta(weeks=count - 1)
        mondays = [(first + timedelta(weeks=n)).isoformat() for n in range(count + 1)]
        conn = self.ctx.db.conn
        talks = stats_store.conversations_per_range(conn, mondays)
        met = stats_store.new_people_per_week(conn, since_on=mondays[0])
        return [WeekDone(date.fromisoformat(m), talks[n], met.get(m, 0)) for n, m in enumerate(mondays[:-1])]
