"""Secrets of the web server: the calendar feed token, the API token and the session-signing key.

Each is a random value made on first use and kept in the `settings` table, so
a calendar subscription, a script's token and a browser's login survive a
restart. Regenerating one revokes the old value at once.
"""

from __future__ import annotations

import hmac
import secrets

from knowwho.services.context import ServiceContext
from knowwho.storage import access as access_store

FEED_TOKEN = "web.feed_token"
API_TOKEN = "web.api_token"
SESSION_KEY = "web.session_key"
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
