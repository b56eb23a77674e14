"""The warm-paths page: who can get you into an organization, or to people in a field."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from knowwho.errors import Ambiguous, NotFound
from knowwho.services.paths.service import PathAnswer
from knowwho.web.routes.common import Kw
from knowwho.web.state import state_of
from knowwho.web.templating import render

router = APIRouter()
KINDS = {"organization": "an organization", "field": "a field"}
ROUTES = 10


@router.get("/paths")
def paths_page(
    request: Request,
    kw: Kw,
    kind: Annotated[Literal["organization", "field"], Query()] = "organization",
    q: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    context: dict[str, object] = {
        "active": "organizations", "title": "Warm paths", "kinds": KINDS, "kind": kind, "q": q,
        "answer": None, "problem": "", "candidates": [],
    }  # fmt: skip
    if q.strip():
        try:
            context["answer"] = _answer(request, kw, kind, q.strip())
        except Ambiguous as many:  # each candidate reads "#id name": offered as links by id
            context["problem"] = f"“{q.strip()}” matches {len(many.candidates)} organizations: pick one."
            context["candidates"] = [tuple(c.split(" ", 1)) for c in many.candidates]
        except NotFound:
            context["problem"] = f"No organization matches “{q.strip()}”. Check the spelling, or look for a field."
    return render(request, "paths.html", context)


def _answer(request: Request, kw: Kw, kind: str, text: str) -> PathAnswer:
    """The same answers (and the same memo) as /api/paths."""
    org, field = (text, None) if kind == "organization" else (None, text)
    return state_of(request).path_answers.get(
        kw, (org, None, field, ROUTES), lambda: kw.paths.find(organization=org, field_text=field, limit=ROUTES)
    )
