"""Query and path parameters shared by the API and the pages."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Path, Query

from knowwho.services.browse import BrowseQuery

PersonId = Annotated[int, Path(ge=1, le=2**62, description="A person's id")]
ItemId = Annotated[int, Path(ge=1, le=2**62)]
Sort = Literal["relevance", "name", "recent", "strength", "added", "overdue"]
Tier = Literal["strong", "moderate", "weak", "dormant"]


def browse_query(
    q: Annotated[
        str, Query(max_length=200, description="Search words (names, emails, job titles, organizations, tags, notes)")
    ] = "",
    tag: Annotated[str, Query(max_length=100)] = "",
    organization_id: Annotated[str, Query(pattern=r"^\d{0,18}$", description="An organization's id")] = "",
    tier: Annotated[Tier | Literal[""], Query()] = "",
    overdue: bool = False,
    everyone: Annotated[bool, Query(description="Include people known only through others")] = False,
    sort: Annotated[Sort | Literal[""], Query(description="Default: relevance when searching, else name")] = "",
    cursor: Annotated[str, Query(max_length=500, description="`next_cursor` of the previous page")] = "",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> BrowseQuery:
    return BrowseQuery(
        q=q, tag=tag, organization_id=int(organization_id) if organization_id else None, tier=tier, overdue=overdue, everyone=everyone,
        sort=sort, cursor=cursor, limit=limit,
    )  # fmt: skip
