"""Me: my profile, my own emails and jobs, and my updates ("since we last spoke, I have...")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from knowwho.errors import InvalidInput
from knowwho.services.context import ServiceContext
from knowwho.services.normalize import normalize_tag
from knowwho.storage import me as me_store
from knowwho.storage import provenance as provenance_store
from knowwho.storage.me import UpdateRecord

UPDATE_MAX = 500  # an update is one line: what was done, not an essay
# The longest each profile field may be: a name and a headline are one line, interests and targets a paragraph.
PROFILE_MAX = {"name": 100, "headline": 200, "interests": 2000, "targets": 2000}
ONE_LINE = ("name", "headline")


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    headline: str
    interests: str
    targets: str
    emails: list[str]
    updates: list[UpdateRecord]

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name, "headline": self.headline, "interests": self.interests, "targets": self.targets,
            "emails": self.emails,
            "updates": [{"id": u.id, "date": u.happened_on, "text": u.title, "tags": u.tags} for u in self.updates],
        }  # fmt: skip


class MeService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def profile(self, *, updates: int = 20) -> Profile:
        conn = self.ctx.db.conn
        fields = me_store.profile(conn)
        return Profile(
            **fields, emails=sorted(provenance_store.my_emails(conn)), updates=me_store.updates(conn, limit=updates)
        )

    def set_profile(
        self, *, name: str | None = None, headline: str | None = None, interests: str | None = None,
        targets: str | None = None,
    ) -> Profile:  # fmt: skip
        """Change my name (it signs the drafts), headline, interests or targets; a field left as None stays."""
        given = {"name": name, "headline": headline, "interests": interests, "targets": targets}
        clean = {field: _clean(field, text) for field, text in given.items() if text is not None}
        current = me_store.profile(self.ctx.db.conn)
        changed = {field: text for field, text in clean.items() if current[field] != text}
        if changed:
            with self.ctx.change("updated my profile") as conn:
                me_store.set_profile(conn, changed)
        return self.profile()

    def add_update(self, text: str, *, on: date | None = None, tags: list[str] | None = None) -> UpdateRecord:
        """Record something I did (a talk, a new skill, a project) for "since we last spoke" drafts."""
        text = " ".join(text.split())
        if not text:
            raise InvalidInput("an update needs some text: what you did")
        if len(text) > UPDATE_MAX:
            raise InvalidInput(f"an update is one line of at most {UPDATE_MAX} characters")
        day = self.ctx.checked_day(on or self.ctx.today(), "the update's date")
        if day > self.ctx.today():
            raise InvalidInput("date: in the future; record an update once it has happened")
        clean = [normalize_tag(t) for t in tags or [] if t.strip()]
        with self.ctx.change(f"added my update “{text[:60]}”") as conn:
            update_id = me_store.insert_update(
                conn, happened_on=day.isoformat(), title=text, tags=clean, now=self.ctx.now_stamp()
            )
        return UpdateRecord(update_id, day.isoformat(), text, clean)


def _clean(field: str, text: str) -> str:
    """Trimmed; a name or headline on one line; refused, naming the field, when too long."""
    clean = (
        " ".join(text.split()) if field in ONE_LINE else "\n".join(line.rstrip() for line in text.strip().splitlines())
    )
    if len(clean) > PROFILE_MAX[field]:
        raise InvalidInput(f"your {field} is {len(clean)} characters long; at most {PROFILE_MAX[field]} fit")
    return clean
