"""JSON API: warm paths into an organization, to a person or to a field."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel

from knowwho.core import Knowwho
from knowwho.services.paths.service import PathAnswer
from knowwho.web.state import get_kw, state_of

router = APIRouter(tags=["paths"])
Kw = Annotated[Knowwho, Depends(get_kw)]


class PathStepOut(BaseModel):
    name: str
    person_id: int | None
    organization_id: int | None
    strength: float
    tie: str
    why: str


class PathRouteOut(BaseModel):
    score: float
    introductions: int
    why: str
    steps: list[PathStepOut]


class PathTargetOut(BaseModel):
    kind: str
    name: str
    id: int | None


class PathsOut(BaseModel):
    target: PathTargetOut
    routes: list[PathRouteOut]

    @classmethod
    def of(cls, answer: PathAnswer) -> PathsOut:
        from knowwho.services.paths.service import answer_dict

        return cls.model_validate(answer_dict(answer))


@router.get("/paths", response_model=PathsOut, summary="Warm paths: the best routes from you, best first")
def paths(
    request: Request,
    kw: Kw,
    org: Annotated[str | None, Query(max_length=200, description="An organization's name or #id")] = None,
    person: Annotated[str | None, Query(max_length=200, description="A person's name, email or #id")] = None,
    field: Annotated[str | None, Query(max_length=200, description="A title, tag, offer or note ('data')")] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 5,
) -> Response:
    """Routes of at most three steps; exactly one of org, person or field. Several matching organizations: 409."""
    answer = state_of(request).path_answers.get(
        kw,
        (org, person, field, limit),
        lambda: kw.paths.find(organization=org, person=person, field_text=field, limit=limit),
    )
    # Written out here, already checked against PathsOut: FastAPI would check and convert the model again.
    return Response(PathsOut.of(answer).model_dump_json(), media_type="application/json")
