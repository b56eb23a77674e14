"""JSON API: the sync sources with their last run, and syncing one now."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel

from knowwho.core import Knowwho
from knowwho.services.sync.kinds import SyncSummary
from knowwho.storage.sync import SyncSource
from knowwho.web.state import get_kw

router = APIRouter(tags=["sync"])
Kw = Annotated[Knowwho, Depends(get_kw)]
SourceName = Annotated[str, Path(max_length=40, description="The source's name, as `knowwho sync list` shows it")]


class SummaryOut(BaseModel):
    new_conversations: int
    people_added: int
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
    last_run_at: str | None
    last_error: str | None
    last_summary: SummaryOut | None

    @classmethod
    def of(cls, source: SyncSource) -> SourceOut:
        summary = SummaryOut.of(SyncSummary.from_dict(source.last_summary)) if source.last_summary else None
        return cls(name=source.name, kind=source.kind, settings=source.settings, last_run_at=source.last_run_at,
                   last_error=source.last_error, last_summary=summary)  # fmt: skip


@router.get("/sync", response_model=list[SourceOut], summary="The sync sources, each with its last run and error")
def sources(kw: Kw) -> list[SourceOut]:
    return [SourceOut.of(source) for source in kw.sync.list()]


@router.post(
    "/sync/{name}", response_model=SummaryOut,
    summary="Sync one source now: 502 with one line when it fails, 409 while another sync is running",
)  # fmt: skip
def sync_now(kw: Kw, name: SourceName) -> SummaryOut:
    from knowwho.services.sync.runner import run_source

    return SummaryOut.of(run_source(kw, kw.sync.get(name)))
