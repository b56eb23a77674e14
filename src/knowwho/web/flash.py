"""Confirmations that survive a redirect: without scripts, "Undid: ..." or "Logged the call." still shows.

The message rides in a short-lived, signed cookie set on the 303 and cleared by the page that shows it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from fastapi import Request
from fastapi.responses import Response

from knowwho.web.state import state_of

COOKIE = "knowwho_flash"
LIFETIME = 60  # seconds: enough for the redirect, not enough to show up on a later visit


def _sign(request: Request, text: str) -> str:
    key = state_of(request).config.session_key.encode()
    return hmac.new(key, b"flash:" + text.encode(), hashlib.sha256).hexdigest()[:32]


def remember(request: Request, response: Response, message: str) -> None:
    """Carry `message` to the next page this browser loads."""
    if not message:
        return
    text = base64.urlsafe_b64encode(message[:300].encode()).decode()
    response.set_cookie(COOKIE, f"{text}.{_sign(request, text)}", max_age=LIFETIME, httponly=True, samesite="strict")


def take(request: Request) -> str:
    """The message waiting for this page ('' if none, or if it was not signed by this server)."""
    value = request.cookies.get(COOKIE, "")
    text, _, signature = value.rpartition(".")
    if not text or not hmac.compare_digest(signature, _sign(request, text)):
        return ""
    try:
        return base64.urlsafe_b64decode(text.encode()).decode()
    except ValueError:
        return ""


def clear(request: Request, response: Response) -> None:
    if COOKIE in request.cookies:
        response.delete_cookie(COOKIE, httponly=True, samesite="strict")
