"""The History page: the latest changes, each with its own Undo."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from knowwho.web.api.params import ItemId
from knowwho.web.routes.common import Kw, done
from knowwho.web.templating import render

router = APIRouter()


@router.get("/history")
def history_page(request: Request, kw: Kw, undid: int | None = None) -> Response:
    changes = kw.history.recent(limit=50)
    undone = next((c for c in changes if c.id == undid), None)
    return render(request, "history.html", {
        "active": "history", "title": "History", "changes": changes,
        "notice": f"Undid: {undone.description}." if undone else "", "latest_open": next((c.id for c in changes if not c.undone_at), None),
    })  # fmt: skip


@router.post("/history/{change_id}/undo")
def undo_change(request: Request, kw: Kw, change_id: ItemId) -> Response:
    what, now = kw.history.undo_once(change_id)  # pressed twice, the second says so rather than refuse
    return done(request, f"/history?undid={change_id}", f"Undid: {what}." if now else f"Already undone: {what}.")
