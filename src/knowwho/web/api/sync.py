"""JSON API: the sync sources with their last run, adding and removing one, and syncing one in the background."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import BaseModel, Field, StringConstraints

from knowwho.core import Knowwho
from knowwho.errors import InvalidSetting
from knowwho.services.sync.kinds import SyncSummary
from knowwho.services.sync.sources import removed_message
from knowwho.storage.sync import SyncSource
from knowwho.web.schemas import Day, Strict
from knowwho.web.state import get_kw, state_of

router = APIRouter(tags=["sync"])
Kw = Annotated[Knowwho, Depends(get_kw)]
SourceName = Annotated[str, Path(max_length=40, description="The source's name, as `knowwho sync list` shows it")]
Setting = Annotated[str, StringConstraints(max_length=500)]
Secret = Annotated[str, StringConstraints(max_length=1000)]


class SummaryOut(BaseModel):
    new_conversations: int
    people_added: int
    people_updated: int = Field(description="People already known that the run filled in")
    replies_cleared: int
    contacts_changed: int
    events_changed: int
    problems: list[str]
    lines: list[str]
    headline: str  # one line: what changed, or "nothing new"

    @classmethod
    def of(cls, summary: SyncSummary) -> SummaryOut:
        return cls(**summary.to_dict(), headline=summary.headline())


class SourceOut(BaseModel):
    name: str
    kind: str
    settings: dict[str, Any]  # host, folders, url...: never a password
    password_kept: Literal["keyring", "file", "none"] = Field(
        description="Where the password is: the keyring, a file, or none (added without one)"
    )
    running: bool = Field(description="Being synced now by this server")
    last_run_at: str | None
    last_error: str | None
    last_summary: SummaryOut | None

    @classmethod
    def of(cls, source: SyncSource, running: frozenset[str] = frozenset()) -> SourceOut:
        summary = SummaryOut.of(SyncSummary.from_dict(source.last_summary)) if source.last_summary else None
        return cls(name=source.name, kind=source.kind, settings=source.settings, running=source.name in running,
                   password_kept=source.password_kept, last_run_at=source.last_run_at,
                   last_error=source.last_error, last_summary=summary)  # fmt: skip


# The fields of each kind (beside name, user, password, password_file and ca_file).
KIND_FIELDS = {
    "imap": ("host", "port", "folders", "since", "known_only", "no_tls"),
    "carddav": ("url", "push"),
    "caldav": ("url", "me"),
}


class SourceIn(Strict):
    """A source to add, with the options of `knowwho sync add KIND`; a field of another kind is refused."""

    kind: Literal["imap", "carddav", "caldav"]
    name: Annotated[str, StringConstraints(max_length=40)]
    user: Setting
    password: Secret | None = Field(
        default=None,
        description="Kept in the server's keyring, never in the database. imap needs it or `password_file`; "
        "carddav and caldav may have neither (a server that asks no login)",
    )
    password_file: Setting | None = Field(default=None, description="A file on the server holding the password")
    ca_file: Setting | None = Field(default=None, description="Trust a certificate signed by this CA (PEM file)")
    host: Setting | None = Field(default=None, description="imap: the server, e.g. imap.fastmail.com")
    port: Annotated[int, Field(ge=1, le=65535)] | None = Field(default=None, description="imap: default 993 (TLS)")
    folders: list[Annotated[str, StringConstraints(max_length=200)]] | None = Field(
        default=None, max_length=50, description="imap: default INBOX and Sent"
    )
    since: Day | None = Field(default=None, description="imap: only mail from this day on")
    known_only: bool | None = Field(default=None, description="imap: only conversations with people already known")
    no_tls: bool | None = Field(default=None, description="imap: plain text, for a server on this machine only")
    url: Setting | None = Field(default=None, description="carddav, caldav: the collection's own address")
    push: bool | None = Field(default=None, description="carddav: also send people added in knowwho to it")
    me: Setting | None = Field(default=None, description="caldav: your address in the calendar's invitations")

    def options(self) -> dict[str, Any]:
        """The kind's own options, as `sync add` takes them (left out: their defaults); another kind's is refused."""
        others = {name for fields in KIND_FIELDS.values() for name in fields} - set(KIND_FIELDS[self.kind])
        for name in sorted(others & self.model_fields_set):
            raise InvalidSetting(name, f"is not a field of a {self.kind} source")
        chosen = {name: getattr(self, name) for name in KIND_FIELDS[self.kind] if getattr(self, name) is not None}
        required = "host" if self.kind == "imap" else "url"
        return {required: "", **chosen, "user": self.user, "ca_file": self.ca_file}


class RemovedOut(BaseModel):
    message: str  # what undo brings back, and where the password stays


def _running(request: Request) -> frozenset[str]:
    return state_of(request).syncing.running()


@router.get("/sync", response_model=list[SourceOut], summary="The sync sources, each with its last run and error")
def sources(kw: Kw, request: Request) -> list[SourceOut]:
    running = _running(request)
    return [SourceOut.of(source, running) for source in kw.sync.list()]


@router.post(
    "/sync", response_model=SourceOut, status_code=201,
    summary="Add a sync source (imap, carddav or caldav); a refused field is named in `field`",
)  # fmt: skip
def add_source(kw: Kw, data: SourceIn) -> SourceOut:
    source = kw.sync.add_source(data.kind, data.name, password=data.password or None,
                                password_file=data.password_file or None, **data.options())  # fmt: skip
    return SourceOut.of(source)


@router.get("/sync/{name}", response_model=SourceOut, summary="One sync source: running now, its last run and error")
def source(kw: Kw, request: Request, name: SourceName) -> SourceOut:
    return SourceOut.of(kw.sync.get(name), _running(request))


@router.post(
    "/sync/{name}", response_model=SourceOut, status_code=202,
    summary="Start syncing one source in the background; poll the address in Location. 409 while a sync runs",
)  # fmt: skip
def sync_now(kw: Kw, request: Request, response: Response, name: SourceName) -> SourceOut:
    syncing = state_of(request).syncing
    source = syncing.sync_now(kw, name)
    response.headers["location"] = f"/api/sync/{source.name}"
    return SourceOut.of(source, syncing.running() | {source.name})


@router.delete(
    "/sync/{name}", response_model=RemovedOut, summary="Remove a sync source (undo with POST /api/undo brings it back)"
)
def remove_source(kw: Kw, name: SourceName) -> RemovedOut:
    return RemovedOut(message=removed_message(kw.sync.remove(name)))
