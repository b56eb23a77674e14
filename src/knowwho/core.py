"""The one object the CLI, the web UI and the API build: the database plus the services over it.

Services are created (and their modules imported) on first use, so a command
pays only for what it touches: `knowwho today` never loads the importers'
or the duplicate finder's libraries.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from knowwho.clock import Clock, app_clock
from knowwho.services.context import ServiceContext
from knowwho.storage import Database, default_path

if TYPE_CHECKING:
    from knowwho.services.agenda import AgendaService
    from knowwho.services.duplicates import DuplicateService
    from knowwho.services.events import EventService
    from knowwho.services.followups import FollowupService
    from knowwho.services.goals import GoalService
    from knowwho.services.history import HistoryService
    from knowwho.services.interactions import InteractionService
    from knowwho.services.intros.service import IntroService
    from knowwho.services.ledger import LedgerService
    from knowwho.services.me import MeService
    from knowwho.services.network import NetworkService
    from knowwho.services.opportunities import OpportunityService
    from knowwho.services.organizations import OrganizationService
    from knowwho.services.outreach import OutreachService
    from knowwho.services.paths.memory import NetworkMemory
    from knowwho.services.paths.service import PathService
    from knowwho.services.people import PeopleService
    from knowwho.services.search import SearchService
    from knowwho.services.sharing import SharingService
    from knowwho.services.sync.sources import SourceService
    from knowwho.services.templates import TemplateService
    from knowwho.storage.cipher import DatabaseKey


class Knowwho:
    def __init__(self, db: Database, clock: Clock | None = None) -> None:
        self.ctx = ServiceContext(db=db, clock=clock or app_clock())
        self.db = db
        # The network a long-running server keeps in memory for warm paths; None: read it as needed.
        self.network_memory: NetworkMemory | None = None

    @classmethod
    def open(
        cls,
        path: str | Path | None = None,
        *,
        clock: Clock | None = None,
        key: DatabaseKey | None = None,
        **db_options: bool,
    ) -> Knowwho:
        """Open the database; an encrypted one with `key`, else the key file, the keyring or a prompt gives it."""
        return cls(Database(path or default_path(), key=key, unlock=_find_key, **db_options), clock=clock)

    def close(self) -> None:
        self.db.close()

    @cached_property
    def people(self) -> PeopleService:
        from knowwho.services.people import PeopleService

        return PeopleService(self.ctx)

    @cached_property
    def interactions(self) -> InteractionService:
        from knowwho.services.interactions import InteractionService

        return InteractionService(self.ctx)

    @cached_property
    def followups(self) -> FollowupService:
        from knowwho.services.followups import FollowupService

        return FollowupService(self.ctx)

    @cached_property
    def agenda(self) -> AgendaService:
        from knowwho.services.agenda import AgendaService

        return AgendaService(self.ctx)

    @cached_property
    def search(self) -> SearchService:
        from knowwho.services.search import SearchService

        return SearchService(self.ctx)

    @cached_property
    def organizations(self) -> OrganizationService:
        from knowwho.services.organizations import OrganizationService

        return OrganizationService(self.ctx)

    @cached_property
    def history(self) -> HistoryService:
        from knowwho.services.history import HistoryService

        return HistoryService(self.ctx)

    @cached_property
    def duplicates(self) -> DuplicateService:
        from knowwho.services.duplicates import DuplicateService

        return DuplicateService(self.ctx)

    @cached_property
    def network(self) -> NetworkService:
        from knowwho.services.network import NetworkService

        return NetworkService(self.ctx, self.network_memory)

    @cached_property
    def paths(self) -> PathService:
        from knowwho.services.paths.service import PathService

        return PathService(self.ctx, self.network_memory)

    @cached_property
    def events(self) -> EventService:
        from knowwho.services.events import EventService

        return EventService(self.ctx)

    @cached_property
    def me(self) -> MeService:
        from knowwho.services.me import MeService

        return MeService(self.ctx)

    @cached_property
    def templates(self) -> TemplateService:
        from knowwho.services.templates import TemplateService

        return TemplateService(self.ctx)

    @cached_property
    def goals(self) -> GoalService:
        from knowwho.services.goals import GoalService

        return GoalService(self.ctx)

    @cached_property
    def opportunities(self) -> OpportunityService:
        from knowwho.services.opportunities import OpportunityService

        return OpportunityService(self.ctx)

    @cached_property
    def outreach(self) -> OutreachService:
        from knowwho.services.outreach import OutreachService

        return OutreachService(self.ctx)

    @cached_property
    def intros(self) -> IntroService:
        from knowwho.services.intros.service import IntroService

        return IntroService(self.ctx)

    @cached_property
    def ledger(self) -> LedgerService:
        from knowwho.services.ledger import LedgerService

        return LedgerService(self.ctx)

    @cached_property
    def sharing(self) -> SharingService:
        from knowwho.services.sharing import SharingService

        return SharingService(self.ctx)

    @cached_property
    def sync(self) -> SourceService:
        from knowwho.services.sync.sources import SourceService

        return SourceService(self.ctx)


def _find_key(path: Path) -> DatabaseKey:
    from knowwho.services.privacy import find_key

    return find_key(path)
