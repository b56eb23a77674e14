"""JSON API: introduction suggestions and open introductions, the double opt-in, and sharing."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import Field

from knowwho.core import Knowwho
from knowwho.web.api.params import ItemId
from knowwho.web.schemas import Strict
from knowwho.web.state import get_kw

router = APIRouter(tags=["introductions"])
Kw = Annotated[Knowwho, Depends(get_kw)]


def overview(kw: Knowwho, *, limit: int = 10) -> dict[str, Any]:
    """What the Introductions page shows and /api/intros answers: suggestions, open introductions, recent items."""
    return {
        "suggestions": [s.to_dict() for s in kw.intros.current(limit=limit)],
        "open": [i.to_dict() for i in kw.intros.listing(open_only=True)],
        "items": [i.to_dict() for i in kw.sharing.items(limit=10)],
    }


class IntroIn(Strict):
    person_a_id: int = Field(ge=1, le=2**62)
    person_b_id: int = Field(ge=1, le=2**62)
    note: str = Field(default="", max_length=1000)


class StageIn(Strict):
    stage: str = Field(max_length=20, description="suggested, asked-a, asked-b, made or declined")


class ShareIn(Strict):
    url: str = Field(default="", max_length=2000)
    title: str = Field(default="", max_length=300)
    tags: list[str] = Field(default_factory=list, max_length=20)
    summary: str = Field(default="", max_length=2000)


class SentIn(Strict):
    person_ids: list[int] = Field(min_length=1, max_length=200)


@router.get("/intros", summary="Introductions worth making, best first, and the open ones")
def intros(kw: Kw, limit: Annotated[int, Query(ge=1, le=100)] = 10) -> dict[str, Any]:
    return overview(kw, limit=limit)


@router.post("/intros", summary="Start an introduction (double opt-in): the messages asking each side")
def start_intro(kw: Kw, body: IntroIn) -> dict[str, object]:
    return kw.intros.introduce(body.person_a_id, body.person_b_id, note=body.note).to_dict()


@router.post("/intros/{intro_id}/stage", summary="Move an introduction on; 'made' logs it with both")
def move_intro(kw: Kw, intro_id: ItemId, body: StageIn) -> dict[str, object]:
    return kw.intros.set_stage(intro_id, body.stage).to_dict()


@router.post("/share", summary="Keep an item to share and see the contacts it fits")
def share(kw: Kw, body: ShareIn) -> dict[str, object]:
    item = kw.sharing.add(body.url, title=body.title, tags=body.tags, summary=body.summary)
    return {"item": item.to_dict(), "fits": [f.to_dict() for f in kw.sharing.fits(item.id)]}


@router.post("/share/{item_id}/sent", summary="Log an item sent to people (an outbound message to each)")
def sent(kw: Kw, item_id: ItemId, body: SentIn) -> dict[str, object]:
    return {"item_id": item_id, "names": kw.sharing.shared(item_id, body.person_ids)}
