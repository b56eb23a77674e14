"""JSON API: people who may be recorded twice, merging two records into one or marking them as two people
(undo either with POST /api/undo)."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from knowwho.core import Knowwho
from knowwho.services.duplicates import DuplicatePair
from knowwho.web.api.params import PersonId
from knowwho.web.schemas import DuplicatePairOut, MergeIn, NotDuplicateIn, PersonOut
from knowwho.web.state import get_kw, state_of

router = APIRouter(tags=["duplicates"])
Kw = Annotated[Knowwho, Depends(get_kw)]
LIMIT = 200  # the likeliest pairs: more than anyone merges in one sitting
# On a large network the search takes seconds; a network this small is searched while the People page waits.
QUICK_PEOPLE = 1000
CACHE_KEY = ("duplicates", LIMIT)


def candidates(request: Request, kw: Knowwho) -> list[DuplicatePair]:
    """The likeliest pairs, searched again only after the data changed (the wording is not relative to now)."""
    compute = lambda: kw.duplicates.candidates(limit=LIMIT)  # noqa: E731
    return state_of(request).cache.get(kw, CACHE_KEY, compute, ttl=math.inf)


def count_hint(request: Request, kw: Knowwho) -> int | None:
    """How many pairs there are, if that is known or quick to learn; None rather than make a page wait."""
    known: list[DuplicatePair] | None = state_of(request).cache.peek(kw, CACHE_KEY, ttl=math.inf)
    if known is not None:
        return len(known)
    return len(candidates(request, kw)) if kw.people.count() <= QUICK_PEOPLE else None


@router.get("/duplicates", response_model=list[DuplicatePairOut], summary="People who may be recorded twice")
def duplicates(request: Request, kw: Kw, limit: Annotated[int, Query(ge=1, le=LIMIT)] = 50) -> list[DuplicatePairOut]:
    """Pairs of records that may be one person, likeliest first, with the evidence in words and both records."""
    return [DuplicatePairOut.of(p) for p in candidates(request, kw)[:limit]]


@router.post(
    "/people/{keep_id}/merge", response_model=PersonOut, summary="Merge another record into this person (undoable)"
)
def merge(kw: Kw, keep_id: PersonId, data: MergeIn) -> PersonOut:
    """Everything of `other_id` (emails, conversations, notes, follow-ups...) moves to `keep_id`."""
    return PersonOut.of(kw.duplicates.merge(keep_id, data.other_id))


@router.post(
    "/people/{keep_id}/not-duplicate",
    response_model=list[PersonOut],
    summary="Say two records are different people: never proposed as duplicates again (undoable)",
)
def not_duplicate(kw: Kw, keep_id: PersonId, data: NotDuplicateIn) -> list[PersonOut]:
    """The two people, as they stay."""
    return [PersonOut.of(p) for p in kw.duplicates.mark_different(keep_id, data.other_id)]
