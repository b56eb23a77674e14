"""JSON API: the latest changes, and undoing the latest or any one of them."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from knowwho.core import Knowwho
from knowwho.web.api.params import ItemId
from knowwho.web.state import get_kw

router = APIRouter(tags=["history"])
Kw = Annotated[Knowwho, Depends(get_kw)]


class ChangeOut(BaseModel):
    id: int
    created_at: str
    description: str
    undone_at: str | None
    rows: int  # how many records it wrote


@router.get("/history", response_model=list[ChangeOut], summary="The latest changes, newest first")
def history(kw: Kw, limit: Annotated[int, Query(ge=1, le=500)] = 20) -> list[ChangeOut]:
    return [ChangeOut(**asdict(change)) for change in kw.history.recent(limit=limit)]


@router.post("/history/{change_id}/undo", summary="Undo one change, when nothing done since depends on it")
def undo_change(kw: Kw, change_id: ItemId) -> dict[str, str]:
    return {"undone": kw.history.undo(change_id)}
