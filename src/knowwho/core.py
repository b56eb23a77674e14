"""The one object the CLI, the web UI and the API build: the database plus the services over it."""

from __future__ import annotations

from pathlib import Path

from knowwho.clock import Clock, system_clock
from knowwho.services.agenda import AgendaService
from knowwho.services.context import ServiceContext
from knowwho.services.duplicates import DuplicateService
from knowwho.services.followups import FollowupService
from knowwho.services.history import HistoryService
from knowwho.services.interactions import InteractionService
from knowwho.services.organizations import OrganizationService
from knowwho.services.people import PeopleService
from knowwho.services.search import SearchService
from knowwho.storage import Database, default_path


class Knowwho:
    def __init__(self, db: Database, clock: Clock = system_clock) -> None:
        self.ctx = ServiceContext(db=db, clock=clock)
        self.db = db
        self.people = PeopleService(self.ctx)
        self.interactions = InteractionService(self.ctx)
        self.followups = FollowupService(self.ctx)
        self.agenda = AgendaService(self.ctx)
        self.search = SearchService(self.ctx)
        self.organizations = OrganizationService(self.ctx)
        self.history = HistoryService(self.ctx)
        self.duplicates = DuplicateService(self.ctx)  # also registers the undo of a merge

    @classmethod
    def open(cls, path: str | Path | None = None, *, clock: Clock = system_clock, **db_options: bool) -> Knowwho:
        return cls(Database(path or default_path(), **db_options), clock=clock)

    def close(self) -> None:
        self.db.close()
