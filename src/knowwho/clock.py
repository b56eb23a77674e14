"""Time in one place, so tests can freeze it.

Timestamps are stored as naive UTC text 'YYYY-MM-DD HH:MM:SS'; the user's
"today" is the local calendar date.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

Clock = Callable[[], datetime]

STAMP_FORMAT = "%Y-%m-%d %H:%M:%S"


NOW_VAR = "KNOWWHO_NOW"


def system_clock() -> datetime:
    return datetime.now(UTC)


def app_clock() -> Clock:
    """The clock the app runs on: the system's, or the moment `KNOWWHO_NOW` names (ISO 8601, UTC if naive).

    Setting it replays a day as it was or will be: a scripted tour, a demo
    frozen on one day, a test that must not depend on the calendar.
    """
    import os

    frozen = os.environ.get(NOW_VAR, "").strip()
    if not frozen:
        return system_clock
    try:
        return fixed_clock(datetime.fromisoformat(frozen))
    except ValueError:
        from knowwho.errors import InvalidInput

        raise InvalidInput(f"{NOW_VAR}={frozen!r} is not a date and time such as 2026-11-18T15:00") from None


def fixed_clock(moment: datetime) -> Clock:
    """A clock frozen at `moment` (naive values are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return lambda: moment


def to_stamp(moment: datetime) -> str:
    """Aware or naive-UTC datetime -> stored UTC text."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.strftime(STAMP_FORMAT)


def from_stamp(stamp: str) -> datetime:
    return datetime.strptime(stamp[:19], STAMP_FORMAT).replace(tzinfo=UTC)


def local_date(moment: datetime) -> date:
    return moment.astimezone().date()


def stamp_date(stamp: str | None) -> date | None:
    """The local calendar date of a stored timestamp."""
    return local_date(from_stamp(stamp)) if stamp else None
