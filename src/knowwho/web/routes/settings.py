"""Settings (you, addresses, sync sources, outreach templates, calendar feed, API token), signing in and out, and the calendar feed."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from knowwho.errors import InvalidInput, NotFound
from knowwho.services import imports
from knowwho.services.access import API_TOKEN, FEED_TOKEN, SESSION_KEY, AccessService
from knowwho.services.me import PROFILE_MAX
from knowwho.services.templates import SAMPLE
from knowwho.web.routes.common import Kw, done, wants_json
from knowwho.web.routes.sync import SyncTyped, sync_context
from knowwho.web.security import (
    SESSION_COOKIE,
    SESSION_SECONDS,
    Forbidden,
    password_mark,
    password_matches,
    session_value,
)
from knowwho.web.state import WebState, state_of
from knowwho.web.templating import render

router = APIRouter()
Next = Annotated[str, Query(max_length=500)]
# Generous here: the service says which field is too long, and the form comes back as typed.
ProfileField = Annotated[str, Form(max_length=20_000)]


def _safe_next(target: str) -> str:
    """Only a path on this server (never //elsewhere or a scheme) may follow a login."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


@router.get("/settings")
def settings_page(request: Request, kw: Kw, saved: Annotated[str, Query(max_length=20)] = "") -> Response:
    return _settings_page(request, kw, saved=saved == "addresses")


def settings_page_with(request: Request, kw: Kw, *, sync: SyncTyped) -> Response:
    """Settings with the add-a-source form sent back (a 400, naming the field to fix)."""
    return _settings_page(request, kw, sync=sync)


def _settings_page(
    request: Request, kw: Kw, *, saved: bool = False, typed: str | None = None, problem: str = "",
    template: TemplateTyped | None = None, profile: ProfileTyped | None = None, sync: SyncTyped | None = None,
) -> Response:  # fmt: skip
    config = state_of(request).config
    me = kw.me.profile(updates=0)
    base = str(request.base_url).rstrip("/")
    return render(request, "settings.html", {
        "active": "settings", "title": "Settings", "feed_url": f"{base}/feed/{config.feed_token}.ics",
        "api_token": config.api_token, "db_path": str(config.db_path or ""), "password": bool(config.password),
        "base": base, "my_addresses": typed if typed is not None else ", ".join(imports.my_addresses(kw)),
        "addresses_saved": saved, "addresses_problem": problem, "templates": kw.templates.all(),
        "template_typed": template, "template_names": ", ".join(sorted(SAMPLE)),
        "profile": profile or ProfileTyped(me.name, me.headline, me.interests, me.targets), "profile_max": PROFILE_MAX,
        **sync_context(request, kw, sync),
    }, status=400 if problem or template or profile or sync else 200)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ProfileTyped:
    """My profile as the form shows it: as saved, or as typed with the reason it was refused."""

    name: str
    headline: str
    interests: str
    targets: str
    problem: str = ""


@dataclass(frozen=True, slots=True)
class TemplateTyped:
    """A template edit the service refused: shown again as typed, with the reason."""

    key: str
    subject: str
    body: str
    problem: str


@router.post("/settings/templates/{key}")
def save_template(
    request: Request, kw: Kw, key: Annotated[str, Path(max_length=60)],
    subject: Annotated[str, Form(max_length=1000)] = "", body: Annotated[str, Form(max_length=40_000)] = "",
) -> Response:  # fmt: skip
    """The user's own wording of an outreach template (one undoable change); a broken one is refused."""
    try:
        saved = kw.templates.edit(key, subject=subject, body=body)
    except InvalidInput as error:
        if wants_json(request):
            raise
        typed = TemplateTyped(key, subject, body, f"{error}; the template was not changed.")
        return _settings_page(request, kw, template=typed)
    return done(request, f"/settings#template-{saved.key}", f"Saved the template “{saved.name}”.")


@router.post("/settings/templates/{key}/reset")
def reset_template(request: Request, kw: Kw, key: Annotated[str, Path(max_length=60)]) -> Response:
    restored = kw.templates.reset(key)
    return done(request, f"/settings#template-{restored.key}", f"“{restored.name}” is back to the default.")


@router.post("/settings/profile")
def save_profile(
    request: Request, kw: Kw, name: ProfileField = "", headline: ProfileField = "", interests: ProfileField = "",
    targets: ProfileField = "",
) -> Response:  # fmt: skip
    """My name (it signs the drafts), headline, interests and targets, as one undoable change."""
    try:
        kw.me.set_profile(name=name, headline=headline, interests=interests, targets=targets)
    except InvalidInput as error:
        if wants_json(request):
            raise
        typed = ProfileTyped(name, headline, interests, targets, f"{error}; nothing was changed.")
        return _settings_page(request, kw, profile=typed)
    return done(request, "/settings#profile", "Saved your profile.")


@router.post("/settings/my-addresses")
def save_my_addresses(request: Request, kw: Kw, addresses: Annotated[str, Form(max_length=2000)] = "") -> Response:
    """The user's own email addresses, which mail and calendar imports need."""
    try:
        imports.set_my_addresses(kw, [addresses])
    except InvalidInput as error:
        if wants_json(request):
            raise
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
    else:  # sign out everywhere: every cookie and every session ends
        access.end_all_sessions()
        config.sessions.clear()
        config.session_key = access.regenerate(SESSION_KEY)
        config.password_mark = password_mark(config.session_key, config.password)
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
    return _login_page(request, next, status=200)


@router.post("/login")
async def login(
    request: Request, password: Annotated[str, Form(max_length=1000)], next: Annotated[str, Form(max_length=500)] = "/"
) -> Response:
    state = state_of(request)
    config = state.config
    if not config.password:
        return RedirectResponse(_safe_next(next), status_code=303)
    client = request.client.host if request.client else ""
    # Checked and counted before any await: parallel guesses cannot slip past the count.
    wait = math.ceil(config.throttle.wait(client))
    if wait > 0:
        response = _login_page(request, next, status=429, wait=wait)
        response.headers["retry-after"] = str(wait)
        return response
    if not password_matches(config.password, password):
        config.throttle.failed(client)
        return _login_page(request, next, status=401, failed=True)
    config.throttle.succeeded(client)
    now = time.time()
    expires = int(now + SESSION_SECONDS)
    session_id = await run_in_threadpool(_start_session, state, expires, now)
    config.sessions[session_id] = expires
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, session_value(config.session_key, session_id, expires, config.password_mark),
                        max_age=SESSION_SECONDS, httponly=True, samesite="strict")  # fmt: skip
    return response


def _login_page(request: Request, next: str, *, status: int, failed: bool = False, wait: int = 0) -> Response:
    context = {"title": "Sign in", "next": _safe_next(next), "failed": failed, "wait": wait, "bare": True}
    return render(request, "login.html", context, status=status)


def _start_session(state: WebState, expires: int, now: float) -> str:
    with state.pool.borrow() as kw:
        return AccessService(kw.ctx).start_session(expires, now)


@router.post("/logout")
def logout(request: Request, kw: Kw) -> Response:
    config = state_of(request).config
    if not config.password:
        raise Forbidden("there is no password, so there is nothing to sign out of")
    session_id = getattr(request.state, "session_id", "")
    if session_id:  # ended here, not only forgotten by this browser: the old cookie no longer works
        config.sessions.pop(session_id, None)
        AccessService(kw.ctx).end_session(session_id, time.time())
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
