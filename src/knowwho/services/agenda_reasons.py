"""How today's actions are worded: each reason says what happened, with whom, and what the rule is.

Small pure functions, so a reason can be read and tested apart from the queries that feed it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta

from knowwho.wording import days_ago, span

# The kinds of action, in the order the list shows them (DESIGN 4.1). Rare, dated kinds come
# before keep-in-touch, an open-ended backlog that would otherwise push them off a large network's list.
PRIORITY = (
    "reply", "prepare", "thank-you", "follow-up", "nice-to-meet", "birthday", "event", "re-engage", "introduce",
    "give-back", "way-in", "keep-in-touch",
)  # fmt: skip
# How a count of each kind is worded: "3 replies", "9 keep in touch".
KIND_WORDS = {
    "reply": ("reply", "replies"), "thank-you": ("thank-you", "thank-yous"), "follow-up": ("follow-up", "follow-ups"),
    "nice-to-meet": ("nice to meet you", "nice to meet you"), "birthday": ("birthday", "birthdays"),
    "re-engage": ("re-engage", "re-engage"), "keep-in-touch": ("keep in touch", "keep in touch"),
    "event": ("event coming up", "events coming up"), "introduce": ("introduction", "introductions"),
    "give-back": ("give back", "give back"), "prepare": ("meeting to prepare", "meetings to prepare"),
    "way-in": ("way into a target", "ways into targets"),
}  # fmt: skip
# What "done" says it was: "reply to Zed Quinn".
_DONE_WORDS = {
    "reply": "reply to", "thank-you": "thank-you note to", "follow-up": "follow-up with",
    "nice-to-meet": "nice-to-meet-you note to", "birthday": "birthday wishes to", "re-engage": "re-engage with",
    "keep-in-touch": "keep in touch with", "event": "reminder of", "introduce": "introduction of",
    "give-back": "giving back to", "prepare": "preparing to meet", "way-in": "asking about a target:",
}  # fmt: skip
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # fmt: skip
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def counted(counts: Mapping[str, int]) -> str:
    """'3 replies, 9 keep in touch': the counts of each kind, in list order, zeros left out."""
    parts = []
    for action in PRIORITY:
        count = counts.get(action, 0)
        if count:
            one, many = KIND_WORDS[action]
            parts.append(f"{count:,} {one if count == 1 else many}")
    return ", ".join(parts)


def done_label(action: str, person: str) -> str:
    """'reply to Zed Quinn'; the action alone when nobody is named."""
    return f"{_DONE_WORDS.get(action, action)} {person}" if person else action


def keep_in_touch(
    *, last: date | None, added: date, today: date, cadence: int, own: bool, closeness: int | None, tier: str
) -> str:
    """Why someone is due a catch-up; a cadence the user never set is called the default it is."""
    if last is not None:
        since = f"last spoke {span((today - last).days)} ago" if own else f"no contact in {span((today - last).days)}"
    else:
        since = f"no conversation logged since you added them {span((today - added).days)} ago"
    if own:
        return f"{since}; you keep in touch every {cadence} days ({tier} tie)"
    return f"{since}; default for closeness {closeness} of 5: every {cadence} days"


def reengage(
    *,
    role: str,
    organization: str | None,
    stage: str,
    closed_on: str | None,
    interviewers: Sequence[str],
    contact: str,
    part: str | None,
    today: date,
) -> str:
    """'you interviewed with Rita for Senior Data Scientist at Nettle Care; rejected in May'."""
    what = f"{role or 'a role'} at {organization}" if organization else (role or "an application")
    if interviewers:
        about = f"you interviewed with {and_list(interviewers)} for {what}"
    elif contact and part:
        about = f"{what}, with {contact} ({part.replace('-', ' ')})"
    else:
        about = what
    return f"{about}; {_outcome(stage, closed_on, today)}"


def _outcome(stage: str, closed_on: str | None, today: date) -> str:
    if not closed_on:
        return stage if stage in ("rejected", "withdrawn", "accepted") else f"still {stage}"
    closed = date.fromisoformat(closed_on[:10])
    month = _MONTHS[closed.month - 1]
    return f"{stage} in {month}" if (today - closed).days < 300 else f"{stage} in {month} {closed.year}"


def and_list(names: Sequence[str]) -> str:
    """'Rita', 'Rita and Sam', 'Rita, Sam and Lee'."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def birthday(*, on: date, born: str, today: date) -> str:
    """'birthday in 3 days (Saturday 21 November); turns 37'; the age only when the year is known."""
    days = (on - today).days
    when = "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"
    text = f"birthday {when}"
    if days > 1:
        text += f" ({_WEEKDAYS[on.weekday()]} {on.day} {_MONTHS[on.month - 1]})"
    if not born.startswith("--"):
        age = on.year - int(born[:4])
        if age > 0:
            text += f"; turns {age}"
    return text


def prepare(at: datetime, summary: str) -> str:
    """Why a meeting tomorrow is on today's list: "“Weekly sync” tomorrow at 10:00; read the brief"."""
    what = f"“{summary}”" if summary else "a meeting"
    return f"{what} tomorrow at {at.astimezone():%H:%M}; read the brief (knowwho brief) before it"


def birthdays_between(today: date, days: int) -> dict[str, date]:
    """'MM-DD' -> the date it falls on, for today and the next `days` days.

    A 29 February birthday falls on the 28th in a year without one.
    """
    found: dict[str, date] = {}
    for offset in range(days + 1):
        day = today + timedelta(days=offset)
        found[f"{day.month:02d}-{day.day:02d}"] = day
        if (day.month, day.day) == (2, 28) and (day + timedelta(days=1)).month == 3:
            found["02-29"] = day
    return found


def way_in(*, organization: str, title: str, spoke: date | None, today: date) -> str:
    """Why to ask someone inside a target organization, and what to ask for (to learn, not for a job)."""
    role = f" as {title}" if title else ""
    known = f"you last spoke {days_ago((today - spoke).days)}" if spoke else "you have not really talked yet"
    return (
        f"works at {organization}{role}, one of your targets ({known}): ask for twenty minutes about their work "
        "there, to learn, not for a job"
    )
