"""Settings (calendar feed, API token), signing in and out, and the calendar feed itself."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from knowwho.errors import InvalidInput, NotFound
from knowwho.services import imports
from knowwho.services.access import API_TOKEN, FEED_TOKEN, SESSION_KEY, AccessService
from knowwho.web.routes.common import Kw, done
from knowwho.web.security import SESSION_COOKIE, SESSION_SECONDS, Forbidden, password_matches, session_value
from knowwho.web.state import state_of
from knowwho.web.templating import render

router = APIRouter()
Next = Annotated[str, Query(max_length=500)]


def _safe_next(target: str) -> str:
    """Only a path on this server (never //elsewhere or a scheme) may follow a login."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


@router.get("/settings")
def settings_page(request: Request, kw: Kw, saved: Annotated[str, Query(max_length=20)] = "") -> Response:
    return _settings_page(request, kw, saved=saved == "addresses")


def _settings_page(
    request: Request, kw: Kw, *, saved: bool = False, typed: str | None = None, problem: str = ""
) -> Response:
    config = state_of(request).config
    base = str(request.base_url).rstrip("/")
    return render(request, "settings.html", {
        "active": "settings", "title": "Settings", "feed_url": f"{base}/feed/{config.feed_token}.ics",
        "api_token": config.api_token, "db_path": str(config.db_path or ""), "password": bool(config.password),
        "base": base, "my_addresses": typed if typed is not None else ", ".join(imports.my_addresses(kw)),
        "addresses_saved": saved, "addresses_problem": problem,
    }, status=400 if problem else 200)  # fmt: skip


@router.post("/settings/my-addresses")
def save_my_addresses(request: Request, kw: Kw, addresses: Annotated[str, Form(max_length=2000)] = "") -> Response:
    """The user's own email addresses, which mail and calendar imports need."""
    try:
        imports.set_my_addresses(kw, [addresses])
    except InvalidInput as error:
        return _settings_page(request, kw, typed=addresses, problem=f"{error}; nothing was changed.")
    return done(request, "/settings?saved=addresses#my-addresses", "Saved.")


@router.post("/settings/regenerate")
def regenerate(request: Request, kw: Kw, which: Annotated[str, Form(pattern="^(feed|api|sessions)$")]) -> Response:
    config = state_of(request).config
    access = AccessService(kw.ctx)
    if which == "feed":
        config.feed_token = access.regenerate(FEED_TOKEN)
    elif which == "api":
        config.api_token = access.regenerate(API_TOKEN)
    else:
        config.session_key = access.regenerate(SESSION_KEY)
    return done(request, "/settings", "A new one is in place; the old one no longer works.")


@router.api_route("/feed/{token}.ics", methods=["GET", "HEAD"])
def feed(kw: Kw, request: Request, token: Annotated[str, Path(max_length=100)]) -> Response:
    """Open follow-ups as a calendar; the secret in the address is the only key a calendar app can hold."""
    if not AccessService(kw.ctx).check(FEED_TOKEN, token):
        raise NotFound("There is no page here.")
    try:
        from knowwho.services.exports import followups_ics
    except ImportError as missing:
        raise NotFound("the calendar feed is not available in this installation") from missing
    return Response(followups_ics(kw), media_type="text/calendar; charset=utf-8",
                    headers={"cache-control": "private, max-age=300"})  # fmt: skip


@router.get("/login")
def login_page(request: Request, next: Next = "/") -> Response:
    return render(request, "login.html", {"title": "Sign in", "next": _safe_next(next), "failed": False, "bare": True})


@router.post("/login")
async def login(
    request: Request, password: Annotated[str, Form(max_length=1000)], next: Annotated[str, Form(max_length=500)] = "/"
) -> Response:
    config = state_of(request).config
    if not config.password:
        return RedirectResponse(_safe_next(next), status_code=303)
    if not password_matches(config.password, password):
        await asyncio.sleep(1.0)  # slows down guessing
        return render(
            request,
            "login.html",
            {"title": "Sign in", "next": _safe_next(next), "failed": True, "bare": True},
            status=401,
        )
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, session_value(config.session_key), max_age=SESSION_SECONDS,
                        httponly=True, samesite="strict")  # fmt: skip
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    if not state_of(request).config.password:
        raise Forbidden("there is no password, so there is nothing to sign out of")
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
