"""The Today page: ranked actions, acted on in place."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from knowwho.errors import InvalidInput
from knowwho.services.drafts import draft
from knowwho.web import actions
from knowwho.web.routes.common import Kw, done
from knowwho.web.schemas import AgendaAct
from knowwho.web.state import state_of
from knowwho.web.templating import render

router = APIRouter()
LABELS = {
    "reply": "Reply", "thank-you": "Thank you", "follow-up": "Follow up", "nice-to-meet": "Nice to meet",
    "keep-in-touch": "Keep in touch", "re-engage": "Re-engage",
}  # fmt: skip


@router.get("/")
def today_page(request: Request, kw: Kw) -> Response:
    agenda = state_of(request).cache.today(kw, limit=25)
    people_count = kw.people.count() if not agenda.items else 1
    return render(request, "today.html", {
        "active": "today", "title": "Today", "items": agenda.items, "more": agenda.more,
        "labels": LABELS, "people_count": people_count,
    })  # fmt: skip


@router.post("/today/act")
def act(
    request: Request, kw: Kw, key: Annotated[str, Form(max_length=300)], op: Annotated[str, Form(max_length=60)]
) -> Response:
    action, _, until = op.partition(":")
    if action not in ("done", "dismiss", "snooze"):
        raise InvalidInput(f"unknown action {action!r}")
    message = actions.act_on_today(kw, AgendaAct(key=key, action=action, until=until or None))
    return done(request, "/", message)


@router.get("/today/draft")
def draft_page(
    request: Request,
    kw: Kw,
    action: Annotated[str, Query(max_length=40)] = "follow-up",
    person_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
) -> Response:
    return render(request, "draft.html", {"title": "Draft", "draft": draft(kw.people, action, person_id)})
