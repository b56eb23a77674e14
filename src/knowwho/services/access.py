"""Secrets of the web server: the calendar feed token, the API token, the session-signing key, the sessions.

Each is a random value made on first use and kept in the `settings` table, so
a calendar subscription, a script's token and a browser's login survive a
restart. Regenerating one revokes the old value at once. Sessions are kept
here too, so signing out ends one for good. None of them is ever exported.
"""

from __future__ import annotations

import hmac
import json
import secrets

from knowwho.services.context import ServiceContext
from knowwho.storage import access as access_store

FEED_TOKEN = "web.feed_token"
API_TOKEN = "web.api_token"
SESSION_KEY = "web.session_key"
SESSIONS = "web.sessions"  # the signed-in browsers: {session id: expiry (Unix time)}, as JSON
_KEYS = (FEED_TOKEN, API_TOKEN, SESSION_KEY)


class AccessService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def secret(self, key: str) -> str:
        """The value of `key`, made (once, even with concurrent callers) when missing."""
        if key not in _KEYS:
            raise ValueError(f"unknown secret {key!r}")
        found = access_store.get_setting(self.ctx.db.conn, key)
        if found is not None:
            return found
        with self.ctx.db.transaction() as conn:
            access_store.insert_setting_if_missing(conn, key, secrets.token_urlsafe(32))
            value = access_store.get_setting(conn, key)
        assert value is not None
        return value

    def regenerate(self, key: str) -> str:
        if key not in _KEYS:
            raise ValueError(f"unknown secret {key!r}")
        value = secrets.token_urlsafe(32)
        with self.ctx.db.transaction() as conn:
            access_store.set_setting(conn, key, value)
        return value

    def check(self, key: str, offered: str) -> bool:
        """Whether `offered` is the current value of `key` (constant-time)."""
        return bool(offered) and hmac.compare_digest(offered.encode(), self.secret(key).encode())

    # -- sign-in sessions --------------------------------------------------------------
    def sessions(self, now: float) -> dict[str, int]:
        """The sessions not yet ended or expired: id -> expiry."""
        raw = access_store.get_setting(self.ctx.db.conn, SESSIONS)
        try:
            kept = json.loads(raw) if raw else {}
        except ValueError:
            kept = {}
        if not isinstance(kept, dict):
            return {}
        return {str(k): int(v) for k, v in kept.items() if isinstance(v, int) and v > now}

    def start_session(self, expires: int, now: float) -> str:
        session_id = secrets.token_urlsafe(18)
        with self.ctx.db.transaction():
            live = self.sessions(now)
            live[session_id] = expires
            self._save(live)
        return session_id

    def end_session(self, session_id: str, now: float) -> None:
        with self.ctx.db.transaction():
            live = self.sessions(now)
            if live.pop(session_id, None) is not None:
                self._save(live)

    def end_all_sessions(self) -> None:
        with self.ctx.db.transaction():
            self._save({})

    def _save(self, live: dict[str, int]) -> None:
        access_store.set_setting(self.ctx.db.conn, SESSIONS, json.dumps(live, sort_keys=True))
