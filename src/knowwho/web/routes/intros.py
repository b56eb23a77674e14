"""The Introductions page: suggestions, open introductions with their stage buttons, and sharing an item."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from knowwho.errors import InvalidInput
from knowwho.web.api.intros import overview
from knowwho.web.api.params import ItemId
from knowwho.web.routes.common import Kw, done, field_line, split_list, wants_json
from knowwho.web.templating import render

router = APIRouter()
Short = Annotated[str, Form(max_length=300)]


@router.get("/intros")
def intros_page(request: Request, kw: Kw, item: Annotated[int | None, Query(ge=1, le=2**62)] = None) -> Response:
    return _intros_page(request, kw, item)


def _intros_page(
    request: Request, kw: Kw, item: int | None, *, typed: dict[str, str] | None = None, problem: str = ""
) -> Response:  # fmt: skip
    """The page; its share form empty, or sent back as typed with one line on what to fix."""
    data = overview(kw)
    shared = kw.sharing.get(item) if item else None
    return render(request, "intros.html", {
        "active": "intros", "title": "Introductions", **data, "item": shared,
        "fits": kw.sharing.fits(item) if item else [], "stages": ("asked-a", "asked-b", "made", "declined"),
        "share_form": typed or dict.fromkeys(("url", "title", "tags"), ""), "share_problem": problem,
    }, status=422 if problem else 200)  # fmt: skip


@router.post("/intros")
def start(
    request: Request, kw: Kw, person_a_id: Annotated[int, Form(ge=1, le=2**62)],
    person_b_id: Annotated[int, Form(ge=1, le=2**62)], note: Short = "",
) -> Response:  # fmt: skip
    intro = kw.intros.introduce(person_a_id, person_b_id, note=note)
    return done(request, f"/intros#intro-{intro.id}", f"Introduction #{intro.id} started.")


@router.post("/intros/{intro_id}/stage")
def stage(request: Request, kw: Kw, intro_id: ItemId, stage: Annotated[str, Form(max_length=20)]) -> Response:
    intro = kw.intros.set_stage(intro_id, stage)
    return done(request, "/intros", f"Introduction #{intro.id}: {intro.stage}.")


@router.post("/intros/share")
def share(
    request: Request, kw: Kw, url: Annotated[str, Form(max_length=2000)] = "", title: Short = "", tags: Short = ""
) -> Response:
    try:
        item = kw.sharing.add(url, title=title, tags=split_list(tags))
    except InvalidInput as error:
        if wants_json(request):
            raise
        return _intros_page(
            request, kw, None, typed={"url": url, "title": title, "tags": tags}, problem=field_line(error)
        )
    return done(request, f"/intros?item={item.id}#share", f"Kept #{item.id}.")


@router.post("/intros/share/{item_id}/sent")
def sent(request: Request, kw: Kw, item_id: ItemId, person_id: Annotated[list[int], Form()]) -> Response:
    kw.sharing.shared(item_id, person_id)
    return done(request, f"/intros?item={item_id}#share", "Logged as sent.")
