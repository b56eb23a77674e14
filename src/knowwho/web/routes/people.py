"""The People page: search as you type, filters, sorting and paging; adding a person; undo."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from knowwho.errors import InvalidInput
from knowwho.services.browse import SEARCH_DEPTH, TIERS, BrowsePage, BrowseQuery, BrowseService
from knowwho.web import actions
from knowwho.web.api.duplicates import LIMIT as DUPLICATES_LIMIT
from knowwho.web.api.duplicates import count_hint
from knowwho.web.api.params import browse_query
from knowwho.web.cache import ChangeCache
from knowwho.web.routes.common import FormText, Kw, done, form_model, split_list, wants_json
from knowwho.web.schemas import PersonIn
from knowwho.web.state import state_of
from knowwho.web.templating import environment, render

router = APIRouter()
# "" is the default: the best matches first when searching, else by name.
SORT_LABELS = (
    ("", "Best match"), ("name", "Name"), ("recent", "Last spoke"), ("strength", "Tie strength"),
    ("added", "Newest"), ("overdue", "Most overdue"),
)  # fmt: skip


@router.get("/people")
def people_page(
    request: Request,
    kw: Kw,
    query: Annotated[BrowseQuery, Depends(browse_query)],
    part: Annotated[str, Query(max_length=20)] = "",
    removed: Annotated[int | None, Query(ge=1, le=2**62)] = None,
) -> Response:
    service = actions.browse(kw)
    results = _results(request, kw, service, query)
    if part == "results":  # the part that search-as-you-type swaps in
        return HTMLResponse(results)
    context: dict[str, object] = {"query": query, "sort": query.sort, "results": results}
    latest = kw.history.latest_change() if removed else None
    undo_label = latest.description if latest else None
    cache = state_of(request).cache  # the filter menus change far less often than the page is opened
    duplicates = _pages(request).get(kw, "duplicates-hint", lambda: count_hint(request, kw))
    context.update(
        active="people", title="People", tags=cache.get(kw, "tag-menu", service.tags),
        organizations=cache.get(kw, "organization-menu", service.organizations),
        tiers=TIERS, sorts=SORT_LABELS, duplicates=duplicates, duplicates_limit=DUPLICATES_LIMIT,
        removed=(undo_label[:1].upper() + undo_label[1:] + ". You can undo it.") if undo_label else None, undo_label=undo_label,
        undo_id=latest.id if latest else None,
    )  # fmt: skip
    return render(request, "people.html", context)


def _pages(request: Request) -> ChangeCache:
    """The People page's own cache: its many filter and sort views must not push Today and Stats out."""
    cache: ChangeCache | None = getattr(request.app.state, "people_pages", None)
    if cache is None:
        cache = request.app.state.people_pages = ChangeCache()
    return cache


def _results(request: Request, kw: Kw, service: BrowseService, query: BrowseQuery) -> Markup:
    """The list of people as HTML; a browsing view (no search words) is reused until the data changes.

    Nothing in it is relative to the hour (the cache key holds the day), so only a write drops it.
    """

    def make() -> Markup:
        keep = {k: v for k, v in _query_dict(query).items() if k != "cursor"}
        html = environment().get_template("_people_results.html").render(
            page=_page(request, kw, service, query), query=query, today=kw.ctx.today(), base_query=urlencode(keep),
            sort=query.sort, search_depth=SEARCH_DEPTH,
        )  # fmt: skip
        return Markup(html)  # already escaped: the environment autoescapes

    if query.q.strip():
        return make()
    key = ("people", query.tag, query.organization_id, query.tier, query.overdue, query.everyone, query.sort,
           query.cursor, query.limit)  # fmt: skip
    return _pages(request).get(kw, key, make, ttl=math.inf)


def _page(request: Request, kw: Kw, service: BrowseService, query: BrowseQuery) -> BrowsePage:
    """The page, with its "N people" counted once per change of the data rather than on every view."""
    if query.q.strip():
        return service.page(query)
    page = service.page(query, count=False)
    key = ("people-total", query.tag, query.organization_id, query.tier, query.overdue, query.everyone)
    return replace(page, total=_pages(request).get(kw, key, lambda: service.total(query), ttl=math.inf))


def _query_dict(query: BrowseQuery) -> dict[str, str]:
    values = {
        "q": query.q, "tag": query.tag, "organization_id": str(query.organization_id or ""), "tier": query.tier,
        "overdue": "true" if query.overdue else "", "everyone": "true" if query.everyone else "",
        "sort": query.sort, "cursor": query.cursor,
    }  # fmt: skip
    return {k: v for k, v in values.items() if v}


@router.get("/people/new")
def new_person_page(request: Request) -> Response:
    return _new_person_form(request, None)


def _new_person_form(
    request: Request, form: object, *, known: Sequence[object] = (), likely: Sequence[object] = (),
    problem: str = "", status: int = 200,
) -> Response:  # fmt: skip
    """The form, with what was typed (`form`: the model, or the fields as typed) and a problem or likely matches."""
    return render(request, "person_new.html", {
        "active": "people", "title": "Add a person", "form": form, "known": known, "likely": likely,
        "problem": problem,
    }, status=status)  # fmt: skip


@router.post("/people")
def add_person(
    request: Request,
    kw: Kw,
    name: FormText = "",
    emails: FormText = "",
    phones: FormText = "",
    organization: FormText = "",
    title: FormText = "",
    tags: FormText = "",
    how_met: FormText = "",
    note: FormText = "",
    merge: Annotated[str, Form(max_length=10)] = "",
    anyway: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    typed = {
        "name": name, "emails": split_list(emails), "phones": split_list(phones),
        "organization": organization.strip() or None, "title": title.strip() or None, "tags": split_list(tags),
        "how_met": how_met.strip(), "note": note.strip() or None,
    }  # fmt: skip
    try:
        data = form_model(PersonIn, **typed, merge=merge == "true")
        if not wants_json(request) and not data.merge:
            # Ask before a second record: who has these details already, or who this may well be.
            known = kw.people.known_matches(data.emails, data.links)
            likely = (
                []
                if known or anyway == "true"
                else kw.people.likely_matches(
                    data.name, emails=data.emails, links=data.links, organization=data.organization or ""
                )
            )
            if known or likely:
                return _new_person_form(request, data, known=known, likely=likely, status=409 if known else 200)
        person = actions.add_person(kw, data)
    except InvalidInput as error:
        if wants_json(request):
            raise
        return _new_person_form(request, typed, problem=str(error), status=422)
    return done(request, f"/people/{person.id}", f"Saved {person.display_name}.", person_id=person.id)


@router.post("/undo")
def undo(request: Request, kw: Kw, change: Annotated[int | None, Form(ge=1, le=2**62)] = None) -> Response:
    """The latest change, or the one the Undo button was shown for (`change`): pressed twice, it undoes that once."""
    if change is None:
        return done(request, "/people", f"Undid: {kw.history.undo()}.")
    what, now = kw.history.undo_once(change)
    return done(request, "/people", f"Undid: {what}." if now else f"Already undone: {what}.")
