"""The kinds of sync source, and what a run of one reports.

Each kind is a module exposing
`run(kw, source, secret, progress) -> SyncSummary`; it reads its status rows
(`storage.sync.items`) to know what it saw last time, writes what is new, and
raises `SyncFailed` with one line for a protocol problem. The runner does the
rest (the secret, the lock, the undoable change, recording the outcome).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from knowwho.core import Knowwho
    from knowwho.importers.base import Progress
    from knowwho.storage.sync import SyncSource

# kind -> module with `run(kw, source, secret, progress) -> SyncSummary`
KINDS: dict[str, str] = {
    "imap": "knowwho.services.sync.imap",
    "carddav": "knowwho.services.sync.carddav",
    "caldav": "knowwho.services.sync.caldav",
}


@dataclass
class SyncSummary:
    """What one run changed, in counts, and lines worth reading (skips, problems)."""

    new_conversations: int = 0
    people_added: int = 0
    people_updated: int = 0  # people already known that the run filled in (a card matching them)
    replies_cleared: int = 0
    contacts_changed: int = 0
    events_changed: int = 0
    problems: list[str] = dataclasses.field(default_factory=list)
    lines: list[str] = dataclasses.field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SyncSummary:
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})

    def headline(self) -> str:
        """One line: what changed, or that nothing did."""
        from knowwho.wording import plural

        parts = [
            plural(count, word, many)
            for count, word, many in (
                (self.new_conversations, "new conversation", "new conversations"),
                (self.people_added, "person added", "people added"),
                (self.people_updated, "person updated", "people updated"),
                (self.replies_cleared, "reply owed cleared", "replies owed cleared"),
                (self.contacts_changed, "contact changed", "contacts changed"),
                (self.events_changed, "event changed", "events changed"),
            )
            if count
        ]
        if self.problems:
            parts.append(plural(len(self.problems), "problem"))
        return ", ".join(parts) or "nothing new"


class SyncKind(Protocol):
    def run(self, kw: Knowwho, source: SyncSource, secret: str | None, progress: Progress | None) -> SyncSummary: ...
