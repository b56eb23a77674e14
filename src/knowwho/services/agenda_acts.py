"""Acting on an item of today's list: done (logging the conversation), dismiss, snooze.

Apart from the listing so that `knowwho today` loads none of it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date

from knowwho.errors import InvalidInput, NotFound
from knowwho.services import agenda_reasons as reasons
from knowwho.services import tie_strength
from knowwho.services.agenda import LOG_KIND, PRIORITY, reply_kind
from knowwho.services.context import ServiceContext
from knowwho.storage import agenda as agenda_store
from knowwho.storage import followups as followup_store
from knowwho.storage import intros as intro_store
from knowwho.wording import with_article

# A suggestion rather than a conversation: done marks it, and logs nothing.
_NOT_LOGGED = {"give-back", "prepare"}
_SUBJECT = {
    "reply": "reply", "thank-you": "thank you", "follow-up": "follow-up", "nice-to-meet": "nice to meet you",
    "birthday": "happy birthday", "re-engage": "getting back in touch", "keep-in-touch": "catching up",
    "event": "see you there", "introduce": "introduction", "give-back": "thank you", "prepare": "",
    "way-in": "asking about their work",
}  # fmt: skip
_KEY_ACTIONS = {"followup": "follow-up"}  # a key's prefix, where it differs from its action


@dataclass(frozen=True, slots=True)
class Target:
    """What a key is about: its kind, the person a conversation would be with, and the row it marks."""

    action: str
    key: str
    person_id: int | None
    ref: int
    log_kind: str  # what is logged unless the user says otherwise
    subject: str = ""
    other_id: int | None = None  # an introduction's second person

    @property
    def people(self) -> list[int]:
        """Whom done logs a conversation with: an introduction asks both."""
        return [pid for pid in (self.person_id, self.other_id) if pid is not None]


class ItemActs:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def done(self, key: str, *, log: bool = True, kind: str | None = None, note: str = "") -> str:
        """Mark an action done and, when it is a conversation, log it: one change, undone as one.

        Returns what was done: "done: reply to Zed Quinn (logged an email)".
        """
        # Imported here: dismiss and snooze log nothing.
        from knowwho.services.interactions import check_kind, refresh_people
        from knowwho.storage import interactions as interaction_store

        target = self.target(key)
        logging = log and bool(target.people) and target.action not in _NOT_LOGGED
        if not logging and (kind or note.strip()):
            why = "nothing is logged" if not log or target.action in _NOT_LOGGED else "this action is not with a person"
            raise InvalidInput(f"{why}, so a kind or a note has nowhere to go")
        if self._is_done(target):  # sent twice (a double click, a page sent again): nothing more to log
            return f"already done: {self._label(target)}"
        kind = check_kind(kind) if kind else target.log_kind
        label = self._label(target)
        each = " to each" if len(target.people) > 1 else ""
        description = f"done: {label}" + (f" (logged {with_article(kind)}{each})" if logging else "")
        reason = self._intro_reason(target) if target.action == "introduce" else ""
        now = self.ctx.now_stamp()
        with self.ctx.change(description) as conn:
            self._mark(conn, target, "done", now)
            if target.action == "introduce" and target.other_id is not None:
                # Both asked (the double opt-in): the introduction goes on from there with `knowwho intro`.
                intro_store.insert_intro(conn, target.ref, target.other_id, reason=reason, stage="asked-b", now=now)
            for person_id in target.people if logging else []:  # each asked apart: one message to each
                interaction_store.insert(
                    conn, occurred_at=now, kind=kind, direction=_direction(kind), participant_ids=[person_id],
                    now=now, subject=target.subject or _SUBJECT[target.action], notes=note.strip(),
                    opportunity_id=target.ref if target.action == "re-engage" else None,
                )  # fmt: skip
            if logging:
                refresh_people(conn, target.people, now_julian=tie_strength.julian(now))
        return description

    def _is_done(self, target: Target) -> bool:
        conn = self.ctx.db.conn
        if target.action == "follow-up":
            found = followup_store.get(conn, target.ref)
            return found is not None and found.status == "done"
        if target.action == "re-engage":  # the opportunity's own date says when it comes back
            return False
        return agenda_store.mark_of(conn, target.key) == "done"

    def _intro_reason(self, target: Target) -> str:
        from knowwho.services.intros.service import IntroService

        return IntroService(self.ctx).reason_for(target.ref, target.other_id or 0)

    def dismiss(self, key: str) -> str:
        target = self.target(key)
        description = f"dismissed {self._label(target)}"
        with self.ctx.change(description) as conn:
            self._mark(conn, target, "dismissed", self.ctx.now_stamp())
        return description

    def snooze(self, key: str, until: date) -> str:
        self.ctx.checked_day(until, "the snooze date")
        if until <= self.ctx.today():
            raise InvalidInput("snooze until a day after today")
        target = self.target(key)
        description = f"snoozed {self._label(target)} until {until.isoformat()}"
        with self.ctx.change(description) as conn:
            if target.action == "follow-up":
                followup_store.set_due(conn, target.ref, until.isoformat())
            elif target.action == "re-engage":
                agenda_store.set_opportunity_reengage_on(conn, target.ref, until.isoformat())
            else:
                agenda_store.set_mark(conn, key, "snoozed", until.isoformat(), self.ctx.now_stamp())
        return description

    @staticmethod
    def _mark(conn: sqlite3.Connection, target: Target, status: str, now: str) -> None:
        if target.action == "follow-up":
            followup_store.set_status(conn, target.ref, status, now)
        elif target.action == "re-engage":
            agenda_store.set_opportunity_reengaged(conn, target.ref, now)
        else:
            agenda_store.set_mark(conn, target.key, status, None, now)

    def target(self, key: str) -> Target:
        """What `key` is about; NotFound for a key that names nothing (a typo, someone removed)."""
        conn = self.ctx.db.conn
        prefix, _, rest = key.partition(":")
        action = _KEY_ACTIONS.get(prefix, prefix)
        ref_text = rest.split(":", 1)[0]
        if action not in PRIORITY or not (ref_text.isascii() and ref_text.isdigit() and len(ref_text) < 19):
            raise NotFound(f"no action {key!r} on today's list")
        ref = int(ref_text)
        log_kind, other_id = LOG_KIND[action], None
        if action == "follow-up":
            exists, person_id, subject = agenda_store.followup_target(conn, ref)
        elif action == "event":  # a reminder, with nobody to log a conversation with
            exists, person_id, subject = agenda_store.event_exists(conn, ref), None, ""
        elif action == "re-engage":
            exists, person_id = agenda_store.reengage_contact(conn, ref)
            person_id = person_id or next(iter(agenda_store.interviewers(conn, [ref]).get(ref, [])), (None, ""))[0]
            subject = ""
        else:
            exists, person_id, subject = agenda_store.live_person(conn, ref) is not None, ref, ""
            if action == "introduce":
                other = rest.split(":", 1)[-1]
                other_id = int(other) if other.isascii() and other.isdigit() and len(other) < 19 else 0
                exists = exists and agenda_store.live_person(conn, other_id) is not None
            if action == "reply":  # answered the way it came, under its subject
                kind, subject = agenda_store.inbound_at(conn, ref, rest.split(":", 1)[-1]) or ("email", "")
                log_kind, subject = reply_kind(kind), f"Re: {subject}" if subject else ""
        if not exists or (person_id is not None and agenda_store.live_person(conn, person_id) is None):
            raise NotFound(f"no action {key!r} on today's list")
        return Target(
            action=action, key=key, person_id=person_id, ref=ref, log_kind=log_kind, subject=subject,
            other_id=other_id,
        )  # fmt: skip

    def _label(self, target: Target) -> str:
        """How an act is described in the history: "reply to Zed Quinn", "introduction of Ana and Raj"."""
        names = [agenda_store.live_person(self.ctx.db.conn, pid) or "" for pid in target.people]
        return reasons.done_label(target.action, reasons.and_list([n for n in names if n]))


def _direction(kind: str) -> str:
    """Sent (email, message, call): outbound; held together (coffee, meeting): mutual."""
    return "out" if kind in ("email", "message", "call", "intro") else "mutual"
