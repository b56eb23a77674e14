"""Follow-ups: dated actions on a person."""

from __future__ import annotations

from datetime import date

from knowwho.errors import InvalidInput, NotFound
from knowwho.services.context import ServiceContext
from knowwho.storage import followups as followup_store
from knowwho.storage import people as people_store
from knowwho.storage.records import FollowupRecord


class FollowupService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def add(self, person_id: int | None, due_on: date, *, note: str = "", kind: str = "explicit") -> FollowupRecord:
        self.ctx.checked_day(due_on, "the follow-up's date")
        if due_on < self.ctx.today().replace(year=self.ctx.today().year - 1):
            raise InvalidInput(f"{due_on} is more than a year ago; a follow-up is something still to do")
        who = ""
        if person_id is not None:
            found = people_store.get(self.ctx.db.conn, person_id)
            who = f" with {found.display_name}" if found else ""
        with self.ctx.change(f"planned a follow-up{who} on {due_on.isoformat()}") as conn:
            followup_id = followup_store.insert(
                conn, person_id=person_id, due_on=due_on.isoformat(), now=self.ctx.now_stamp(), note=note, kind=kind
            )
        return self.get(followup_id)

    def get(self, followup_id: int) -> FollowupRecord:
        found = followup_store.get(self.ctx.db.conn, followup_id)
        if found is None:
            raise NotFound(f"no follow-up with id {followup_id}")
        return found

    def close(self, followup_id: int, status: str) -> FollowupRecord:
        if status not in ("done", "dismissed", "open"):
            raise InvalidInput(f"unknown follow-up status {status!r}")
        self.get(followup_id)
        closed_at = None if status == "open" else self.ctx.now_stamp()
        verb = {"done": "marked done", "dismissed": "dismissed", "open": "reopened"}[status]
        with self.ctx.change(f"{verb} follow-up #{followup_id}") as conn:
            followup_store.set_status(conn, followup_id, status, closed_at)
        return self.get(followup_id)

    def snooze(self, followup_id: int, until: date) -> FollowupRecord:
        self.ctx.checked_day(until, "the snooze date")
        self.get(followup_id)
        with self.ctx.change(f"snoozed follow-up #{followup_id} until {until.isoformat()}") as conn:
            followup_store.set_due(conn, followup_id, until.isoformat())
        return self.get(followup_id)

    def for_person(self, person_id: int, *, open_only: bool = True) -> list[FollowupRecord]:
        return followup_store.for_person(self.ctx.db.conn, person_id, open_only=open_only)

    def open_until(self, until: date, *, limit: int = 100, offset: int = 0) -> list[FollowupRecord]:
        """Everyone's open follow-ups due on or before `until`, soonest first."""
        return followup_store.open_until(self.ctx.db.conn, until=until.isoformat(), limit=limit, offset=offset)
