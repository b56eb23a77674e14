"""Typed records passed between storage and services."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass


@dataclass(slots=True)
class RoleRecord:
    id: int
    person_id: int
    organization_id: int
    organization: str
    title: str = ""
    start_on: str | None = None
    end_on: str | None = None
    is_current: bool = True


@dataclass(slots=True)
class PersonRecord:
    id: int
    display_name: str
    given_name: str = ""
    family_name: str = ""
    location: str = ""
    situation: str = ""
    needs: str = ""
    offers: str = ""
    how_met: str = ""
    first_met_on: str | None = None
    birthday: str | None = None
    cadence_days: int | None = None
    closeness: int | None = None
    is_advocate: bool = False
    is_contact: bool = True
    created_at: str = ""
    updated_at: str = ""
    deleted_at: str | None = None
    merged_into_id: int | None = None
    first_interaction_at: str | None = None
    last_interaction_at: str | None = None
    last_inbound_at: str | None = None
    last_outbound_at: str | None = None
    interaction_count: int = 0
    tie_strength: float = 0.0
    emails: list[str] = dataclasses.field(default_factory=list)
    phones: list[str] = dataclasses.field(default_factory=list)
    links: list[str] = dataclasses.field(default_factory=list)
    tags: list[str] = dataclasses.field(default_factory=list)
    roles: list[RoleRecord] = dataclasses.field(default_factory=list)


@dataclass(slots=True)
class OrganizationRecord:
    id: int
    name: str
    field: str = ""
    notes: str = ""
    is_target: bool = False
    interest: int | None = None
    domains: list[str] = dataclasses.field(default_factory=list)


@dataclass(slots=True)
class InteractionRecord:
    id: int
    occurred_at: str
    kind: str
    direction: str
    subject: str = ""
    notes: str = ""
    channel: str = ""
    source_message_id: str | None = None
    event_id: int | None = None
    opportunity_id: int | None = None
    participant_ids: list[int] = dataclasses.field(default_factory=list)


@dataclass(slots=True)
class NoteRecord:
    id: int
    body: str
    created_at: str
    person_id: int | None = None
    organization_id: int | None = None


@dataclass(slots=True)
class FollowupRecord:
    id: int
    person_id: int | None
    due_on: str
    note: str = ""
    kind: str = "explicit"
    status: str = "open"
    interaction_id: int | None = None
    created_at: str = ""
    closed_at: str | None = None


@dataclass(slots=True)
class OpportunityRecord:
    id: int
    organization_id: int | None
    organization: str
    role_title: str
    stage: str
    opened_on: str | None = None
    closed_on: str | None = None
    outcome: str = ""
    reengage_on: str | None = None
    reengaged_at: str | None = None
    notes: str = ""
    link: str = ""
