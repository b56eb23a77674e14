"""JSON API: organizations, who is there now and before, notes and the target flag."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from knowwho.core import Knowwho
from knowwho.web import actions
from knowwho.web.api.params import ItemId
from knowwho.web.schemas import NoteOut, OrganizationDetailOut, OrganizationOut, OrganizationPatch, PersonOut
from knowwho.web.state import get_kw

router = APIRouter(tags=["organizations"])
Kw = Annotated[Knowwho, Depends(get_kw)]


@router.get("/organizations", response_model=list[OrganizationOut], summary="Organizations, targets first")
def list_organizations(
    kw: Kw,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[OrganizationOut]:
    return [OrganizationOut.of(o, n) for o, n in kw.organizations.list(limit=limit, offset=offset)]


@router.get("/organizations/{organization_id}", response_model=OrganizationDetailOut, summary="An organization")
def get_organization(kw: Kw, organization_id: ItemId) -> OrganizationDetailOut:
    d = kw.organizations.detail(organization_id)
    base = OrganizationOut.of(d.organization, len(d.people_now)).model_dump()
    return OrganizationDetailOut(
        **base, people_now_list=[PersonOut.of(p) for p in d.people_now],
        people_before=[PersonOut.of(p) for p in d.people_before], notes_list=[NoteOut.of(n) for n in d.notes],
    )  # fmt: skip


@router.patch("/organizations/{organization_id}", response_model=OrganizationOut, summary="Target flag, notes")
def patch_organization(kw: Kw, organization_id: ItemId, patch: OrganizationPatch) -> OrganizationOut:
    return OrganizationOut.of(actions.patch_organization(kw, organization_id, patch))
