"""Organizations: the list, and one organization with who is there now and before, notes and the target flag."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from knowwho.web import actions
from knowwho.web.api.params import ItemId
from knowwho.web.routes.common import Kw, done
from knowwho.web.schemas import OrganizationPatch
from knowwho.web.state import state_of
from knowwho.web.templating import render

router = APIRouter()
PAGE = 100


@router.get("/organizations")
def organizations_page(request: Request, kw: Kw, offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> Response:
    # Counting everyone's organization costs ~30 ms at 100,000 people; reuse it until the data changes.
    found = state_of(request).cache.get(
        kw, ("organizations", offset), lambda: kw.organizations.list(limit=PAGE, offset=offset)
    )
    return render(request, "organizations.html", {
        "active": "organizations", "title": "Organizations", "organizations": found, "offset": offset, "limit": PAGE,
    })  # fmt: skip


@router.get("/organizations/{organization_id}")
def organization_page(request: Request, kw: Kw, organization_id: ItemId) -> Response:
    detail = kw.organizations.detail(organization_id)
    return render(request, "organization.html", {
        "active": "organizations", "title": detail.organization.name, "detail": detail,
        "paths": state_of(request).path_answers.get(
            kw, ("organization", organization_id), lambda: kw.paths.to_organization(organization_id)
        ), "picture": kw.network.organization_picture(organization_id),
    })  # fmt: skip


@router.post("/organizations/{organization_id}/target")
def set_target(
    request: Request,
    kw: Kw,
    organization_id: ItemId,
    is_target: Annotated[str, Form(pattern="^(true|false)$")],
    interest: Annotated[str, Form(pattern="^[1-5]?$")] = "",
) -> Response:
    patch = OrganizationPatch(is_target=is_target == "true", interest=int(interest) if interest else None)
    org = actions.patch_organization(kw, organization_id, patch)
    return done(request, f"/organizations/{organization_id}", "A target now." if org.is_target else "Not a target.")


@router.post("/organizations/{organization_id}/note")
def add_note(
    request: Request, kw: Kw, organization_id: ItemId, body: Annotated[str, Form(max_length=10000)]
) -> Response:
    kw.organizations.add_note(organization_id, body)  # refuses an empty one, rather than say "Noted." of nothing
    return done(request, f"/organizations/{organization_id}", "Noted.")
