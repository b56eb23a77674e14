"""The Today page: the day's actions grouped by kind, acted on in place, the rest behind "show more"."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from knowwho.errors import InvalidInput
from knowwho.services.agenda import CONTACT_KINDS
from knowwho.services.agenda_reasons import counted
from knowwho.services.drafts import draft, for_item
from knowwho.web import actions
from knowwho.web.routes.common import Kw, done
from knowwho.web.schemas import AgendaAct
from knowwho.web.state import state_of
from knowwho.web.templating import render

router = APIRouter()
LABELS = {
    "reply": "Replies", "thank-you": "Thank-you notes", "follow-up": "Follow-ups", "nice-to-meet": "Nice to meet you",
    "birthday": "Birthdays", "keep-in-touch": "Keep in touch", "re-engage": "Re-engage",
    "event": "Events coming up",
    "introduce": "Introductions to make", "give-back": "Give back", "prepare": "Meetings tomorrow",
    "way-in": "Ways into your targets",
}  # fmt: skip
MORE = 25  # how many more each "show more" adds
NO_LOG = "none"  # the kind menu's "just mark it done"


@router.get("/")
def today_page(request: Request, kw: Kw, limit: Annotated[int | None, Query(ge=1, le=10_000)] = None) -> Response:
    agenda = state_of(request).cache.today(kw, limit=limit)
    people_count = kw.people.count() if not agenda.items else 1
    return render(request, "today.html", {
        "active": "today", "title": "Today", "agenda": agenda, "items": agenda.items, "more": agenda.more,
        "rest": counted(agenda.rest), "next_limit": len(agenda.items) + MORE, "labels": LABELS,
        "kinds": CONTACT_KINDS, "no_log": NO_LOG, "people_count": people_count, "goals": kw.goals.progress(),
    })  # fmt: skip


@router.post("/today/act")
def act(
    request: Request,
    kw: Kw,
    key: Annotated[str, Form(max_length=300)],
    op: Annotated[str, Form(max_length=60)],
    kind: Annotated[str | None, Form(max_length=40)] = None,
) -> Response:
    action, _, until = op.partition(":")
    if action not in ("done", "dismiss", "snooze"):
        raise InvalidInput(f"unknown action {action!r}")
    log = kind != NO_LOG
    data = AgendaAct(key=key, action=action, until=until or None, kind=kind if log else None, log=log)
    return done(request, "/", actions.act_on_today(kw, data))


@router.get("/today/draft")
def draft_page(
    request: Request,
    kw: Kw,
    action: Annotated[str, Query(max_length=40)] = "follow-up",
    person_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    key: Annotated[str | None, Query(max_length=300)] = None,
) -> Response:
    """The drafts an item calls for (by its key: an introduction's two), or one for an action and a person."""
    drafts = for_item(kw.people, key) if key else [draft(kw.people, action, person_id)]
    return render(request, "draft.html", {"title": "Draft", "drafts": drafts})
