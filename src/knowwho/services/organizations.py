"""Organizations: who is there now and before, notes, target flag."""

from __future__ import annotations

from dataclasses import dataclass

from knowwho.errors import Ambiguous, InvalidInput, NotFound
from knowwho.services.context import ServiceContext
from knowwho.services.normalize import record_id
from knowwho.services.people import ensure_organization
from knowwho.storage import interactions as interaction_store
from knowwho.storage import network as network_store
from knowwho.storage import organizations as org_store
from knowwho.storage import people as people_store
from knowwho.storage import search as search_store
from knowwho.storage.records import NoteRecord, OrganizationRecord, PersonRecord


@dataclass(frozen=True, slots=True)
class OrganizationDetail:
    organization: OrganizationRecord
    people_now: list[PersonRecord]
    people_before: list[PersonRecord]
    notes: list[NoteRecord]


class OrganizationService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def get(self, organization_id: int) -> OrganizationRecord:
        found = org_store.get(self.ctx.db.conn, organization_id)
        if found is None:
            raise NotFound(f"no organization with id {organization_id}")
        return found

    def resolve(self, ref: str) -> OrganizationRecord:
        conn = self.ctx.db.conn
        if (organization_id := record_id(ref)) is not None:
            return self.get(organization_id)
        exact = org_store.find_id_by_name(conn, ref)
        if exact is not None:
            return self.get(exact)
        match = search_store.match_expression(ref)
        ids = search_store.organizations(conn, match, 2) if match else []
        if len(ids) != 1:
            raise NotFound(f"no single organization matches {ref!r}")
        return self.get(ids[0])

    def resolve_id(self, text: str) -> int:
        """The organization a name, part of a name or #id names: an exact name wins over longer ones;
        several partial matches are ambiguous (each offered as "#id name")."""
        conn = self.ctx.db.conn
        ref = text.strip()
        if not ref:
            raise InvalidInput("no organization given")
        if (organization_id := record_id(ref)) is not None:
            found = org_store.get(conn, organization_id)
            if found is None:
                raise NotFound(f"no organization with id {organization_id}")
            return found.id
        exact = org_store.find_id_by_name(conn, ref)
        if exact is not None:
            return exact
        partial = network_store.organization_ids_by_name_part(conn, ref)
        if not partial:
            raise NotFound(f"no organization matches {ref!r}")
        if len(partial) > 1:
            raise Ambiguous(f"{ref!r} matches {len(partial)} organizations; say which (the full name or #id)",
                            [f"#{i} {name}" for i, name in partial])  # fmt: skip
        return partial[0][0]

    def targets(self) -> list[tuple[OrganizationRecord, int]]:
        """The organizations you want to join, the most wanted first, with how many people on record work
        at each now."""
        return [(org, self.people_there_now(org.id)) for org in org_store.targets(self.ctx.db.conn)]

    def mark_target(self, organization_id: int, interest: int | None = None) -> OrganizationRecord:
        """Make it a target; an interest left out stays as it was."""
        kept = self.get(organization_id).interest if interest is None else interest
        return self.set_target(organization_id, True, kept)

    def people_there_now(self, organization_id: int) -> int:
        return len(org_store.people_ids(self.ctx.db.conn, organization_id, current=True))

    def ensure(self, name: str) -> OrganizationRecord:
        if not name.strip():
            raise InvalidInput("an organization needs a name")
        with self.ctx.change(f"added organization {name.strip()}") as conn:
            org_id = ensure_organization(conn, name, self.ctx.now_stamp())
        return self.get(org_id)

    def detail(self, organization_id: int) -> OrganizationDetail:
        conn = self.ctx.db.conn
        now_ids = org_store.people_ids(conn, organization_id, current=True)
        before_ids = [i for i in org_store.people_ids(conn, organization_id, current=False) if i not in now_ids]
        return OrganizationDetail(
            organization=self.get(organization_id),
            people_now=people_store.get_many(conn, now_ids[:200]),
            people_before=people_store.get_many(conn, before_ids[:200]),
            notes=interaction_store.notes_for_organization(conn, organization_id),
        )

    def list(self, *, limit: int = 100, offset: int = 0) -> list[tuple[OrganizationRecord, int]]:
        return org_store.list_all(self.ctx.db.conn, limit=limit, offset=offset)

    def set_target(self, organization_id: int, is_target: bool, interest: int | None = None) -> OrganizationRecord:
        if interest is not None and not 1 <= interest <= 5:
            raise InvalidInput("interest is a number from 1 to 5")
        name = self.get(organization_id).name
        with self.ctx.change(f"{'marked' if is_target else 'unmarked'} {name} as a target") as conn:
            org_store.update(
                conn, organization_id, now=self.ctx.now_stamp(), is_target=int(is_target), interest=interest
            )
        return self.get(organization_id)

    def add_note(self, organization_id: int, body: str) -> NoteRecord:
        if not body.strip():
            raise InvalidInput("the note is empty")
        now = self.ctx.now_stamp()
        with self.ctx.change(f"added a note on {self.get(organization_id).name}") as conn:
            note_id = interaction_store.insert_note(conn, body=body.strip(), now=now, organization_id=organization_id)
        return NoteRecord(id=note_id, body=body.strip(), created_at=now, organization_id=organization_id)
