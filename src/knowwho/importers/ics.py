"""`knowwho import ics`: meetings from calendar files become conversations.

A meeting with attendees becomes one interaction (kind meeting, mutual) per
occurrence with everyone in it who is not me; recurring meetings are expanded
up to now. All-day, cancelled, declined and future events, and events without
other attendees, are skipped and counted. Events are read one at a time (with
the time zones they use), so one broken event is reported with its line and
the rest of the file still imports.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import combinations
from pathlib import Path
from typing import Any

from knowwho.clock import to_stamp
from knowwho.errors import ImportFailed, InvalidInput
from knowwho.importers.base import ImportReport, ImportSession, Progress
from knowwho.importers.mail_headers import person_name
from knowwho.importers.reading import utf16_without_bom
from knowwho.storage import provenance as provenance_store

SOURCE = "ics"
KNOWS_SOURCE = "same-event"
MAX_CO_ATTENDEES = 10  # a bigger meeting says little about who knows whom
MAX_OCCURRENCES = 10_000  # per recurring event: 27 years of a daily meeting

SKIP_ALL_DAY = "all-day events"
SKIP_NO_ATTENDEES = "events without other attendees"
SKIP_DECLINED = "declined by you"
SKIP_CANCELLED = "cancelled"
SKIP_NOT_INVITED = "events you were not invited to"
SKIP_FUTURE = "still to come"

_BEGIN_CALENDAR = re.compile(r"\A\s*BEGIN:VCALENDAR\s*$", re.IGNORECASE | re.MULTILINE)
_UID = re.compile(r"^UID[;:](?:[^:\r\n]*:)?(.*)$", re.IGNORECASE | re.MULTILINE)
_TZID = re.compile(r"TZID=\"?([^\":;]+)", re.IGNORECASE)
_FOLD = re.compile(r"\r?\n[ \t]")
# Exchange writes "BYDAY=MO, TU, WE": spaces the standard does not allow inside a rule.
_RULE_SPACES = re.compile(r"^(?:RRULE|EXRULE)[;:].*$", re.IGNORECASE | re.MULTILINE)
_CHECKED = ("DTSTART", "DTEND", "DURATION", "RECURRENCE-ID", "RRULE", "EXDATE", "RDATE")
_SINGLE = ("UID", "SUMMARY", "ORGANIZER", "STATUS", "DTEND", "DURATION", "RECURRENCE-ID", "SEQUENCE", "DTSTAMP")
_ROOMS = ("ROOM", "RESOURCE")


@dataclass(slots=True)
class EventGroup:
    """The VEVENTs of one UID (a series and its changed occurrences), as text."""

    line: int
    uid: str
    blocks: list[str]
    events: list[Any] = field(default_factory=list)  # parsed, when the whole file parses at once


def import_path(
    kw: Any, path: Path, *, progress: Progress | None = None, me: Iterable[str] | str | None = None, **_: Any
) -> ImportReport:
    files = find_calendars(Path(path))
    given = _my_addresses([me] if isinstance(me, str) else list(me or []))
    mine = frozenset(provenance_store.my_emails(kw.db.conn) | set(given))
    if not mine:
        raise InvalidInput("which addresses are yours? Pass --me you@example.com (once; it is remembered)")
    texts = [(file, read_calendar(file)) for file in files]  # every file checked before anything is written
    report = ImportReport(kind=SOURCE, files=[str(f) for f in files])
    now = kw.ctx.now()
    total = sum(len(text) for _f, text in texts)
    done = 0
    with ImportSession(kw, source=SOURCE, report=report) as session:
        for address in given:
            provenance_store.add_my_email(session.conn, address)
        for file, text in texts:
            session.file = str(file)
            for index, count in import_text(session, text, mine, now):
                if progress is not None:
                    progress(done + len(text) * index // max(1, count), total)
            done += len(text)
    return report


def import_text(
    session: ImportSession, text: str, mine: frozenset[str], now: datetime, *, parsed: Any = None
) -> Iterator[tuple[int, int]]:
    """One calendar's events (a file's text, or a CalDAV item's) into the session: (events done, events) after each.

    `parsed`: the text already parsed by `parse_calendar` (a calendar sync reads each item once)."""
    timezones, groups, order = split_calendar(text, session)
    zones = _parse_whole(text, order, parsed)
    for index, group in enumerate(groups, start=1):
        try:
            if zones is None:  # the text as a whole does not parse: each event on its own
                group.events, zones_here = _parse_group(group, timezones)
            else:
                zones_here = zones
            _import_events(session, group, zones_here, mine, now)
        except sqlite3.Error:
            raise
        except Exception as error:  # a broken event must not stop the others
            session.problem(f"line {group.line}", f"event {group.uid or '(no UID)'} skipped: {_reason(error)}")
        session.record_done()
        yield index, len(groups)


@dataclass(frozen=True, slots=True)
class Upcoming:
    """An occurrence still to come, with the people in it who are not me: (address, name)."""

    start: datetime
    summary: str
    people: list[tuple[str, str]]


def parse_calendar(text: str) -> Any:
    """The calendar's text parsed as a whole (what `upcoming` and `import_text` take), or None when it does not."""
    import icalendar

    try:
        return icalendar.Calendar.from_ical(_unfolded(text))
    except Exception:  # icalendar raises many kinds; the callers read it another way
        return None


def upcoming(text: str, me: frozenset[str], start: datetime, end: datetime, *, parsed: Any = None) -> list[Upcoming]:
    """The meetings of one calendar's text starting in [start, end), by the rules of the import (expanded,
    cancelled, declined and all-day ones and those without others left out); ValueError if it cannot be read."""
    import icalendar
    import recurring_ical_events

    try:
        calendar = parsed if parsed is not None else icalendar.Calendar.from_ical(_unfolded(text))
        occurrences = recurring_ical_events.of(calendar).between(start, end)
    except Exception as error:
        raise ValueError("it could not be read as a calendar") from error
    found = []
    for event in occurrences:
        moment = event.decoded("DTSTART")
        others, not_mine = _met(event, me)
        if isinstance(moment, datetime) and not not_mine and start <= _utc(moment) < end:
            people = [(address, name) for address, name, _status in others]
            found.append(Upcoming(_utc(moment), " ".join(str(event.get("SUMMARY", "")).split())[:300], people))
    return sorted(found, key=lambda u: u.start)


def _my_addresses(given: list[str]) -> list[str]:
    addresses = []
    for value in given:
        address = value.strip().strip("<>").lower()
        if address.startswith("mailto:"):
            address = address[7:]
        if "@" not in address or " " in address:
            raise InvalidInput(f"--me {value!r} is not an email address")
        addresses.append(address)
    return addresses


class EventProblem(ValueError):
    """What is wrong with one event, worded for the person importing it."""


def _reason(error: Exception) -> str:
    """Our own words for an event problem; a library's exception text is never shown."""
    if isinstance(error, EventProblem):
        return " ".join(str(error).split())[:200]
    return "it could not be read as a calendar event"


# -- reading files ---------------------------------------------------------------------------


def find_calendars(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.suffix.lower() in (".ics", ".ical", ".ifb") and p.is_file())
        if not files:
            raise ImportFailed(f"{path}: no calendar files (.ics) in this folder")
        for file in files:
            read_calendar(file, head_only=True)
        return files
    read_calendar(path, head_only=True)
    return [path]


def read_calendar(path: Path, *, head_only: bool = False) -> str:
    """The text of a calendar file (BOM removed, any of the usual encodings); ImportFailed if it is not one."""
    try:
        with path.open("rb") as stream:
            data = stream.read(4096) if head_only else stream.read()
    except OSError as error:
        raise ImportFailed(f"{path}: cannot read it ({error.strerror or error})") from error
    text = _decode(data, partial=head_only)
    if not _BEGIN_CALENDAR.match(text):
        raise ImportFailed(f"{path}: not an iCalendar file (it does not start with BEGIN:VCALENDAR)")
    return text


def _decode(data: bytes, *, partial: bool = False) -> str:
    """UTF-8 (with or without BOM), UTF-16 (with a BOM or without), else Windows-1252; `partial`: a file's start."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data[: len(data) // 2 * 2].decode("utf-16", errors="replace")
    utf16 = utf16_without_bom(data)
    if utf16:
        return data[: len(data) // 2 * 2].decode(utf16, errors="replace")
    try:
        return data.decode("utf-8-sig", errors="replace" if partial else "strict")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def split_calendar(text: str, session: ImportSession) -> tuple[dict[str, str], list[EventGroup], list[EventGroup]]:
    """Time zones by TZID; the events grouped by UID, with the line each starts on; each VEVENT's group in order."""
    timezones: dict[str, str] = {}
    groups: dict[str, EventGroup] = {}
    order: list[EventGroup] = []
    for line, kind, block in _components(text, session):
        unfolded = _unfolded(block)
        if kind == "VTIMEZONE":
            found = re.search(r"^TZID[;:](?:[^:\r\n]*:)?(.*)$", unfolded, re.IGNORECASE | re.MULTILINE)
            if found:
                timezones[found.group(1).strip()] = unfolded
            continue
        uid_match = _UID.search(unfolded)
        uid = uid_match.group(1).strip() if uid_match else ""
        key = uid or f"line {line}"
        if key not in groups:
            groups[key] = EventGroup(line, uid, [])
        groups[key].blocks.append(unfolded)
        order.append(groups[key])
    return timezones, list(groups.values()), order


def _unfolded(text: str) -> str:
    return _RULE_SPACES.sub(lambda m: m.group(0).replace(" ", ""), _FOLD.sub("", text))


def _parse_whole(text: str, order: list[EventGroup], parsed: Any = None) -> list[Any] | None:
    """Parse the file once (time zones too), handing each group its events; None when that is not possible."""
    calendar = parsed if parsed is not None else parse_calendar(text)
    if calendar is None:
        return None
    events = [c for c in calendar.subcomponents if c.name == "VEVENT"]
    if len(events) != len(order):  # something the line scan and the parser see differently: go one by one
        return None
    for group in order:
        group.events.clear()
    for group, event in zip(order, events, strict=True):
        group.events.append(event)
    return [c for c in calendar.subcomponents if c.name == "VTIMEZONE"]


def _parse_group(group: EventGroup, timezones: dict[str, str]) -> tuple[list[Any], list[Any]]:
    """One group's events and the time zones they use, parsed on their own."""
    import icalendar

    used = {tz for block in group.blocks for tz in _TZID.findall(block)}
    zones = "".join(text for tzid, text in timezones.items() if tzid in used)
    calendar = icalendar.Calendar.from_ical(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//knowwho//import//EN\r\n" + zones + "".join(group.blocks)
        + "END:VCALENDAR\r\n"
    )  # fmt: skip
    return calendar.walk("VEVENT"), calendar.walk("VTIMEZONE")


def _components(text: str, session: ImportSession) -> Iterator[tuple[int, str, str]]:
    """(first line, name, text) of each top-level VEVENT and VTIMEZONE."""
    depth = 0
    current: list[str] = []
    start, name = 0, ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().upper()
        if line.startswith("BEGIN:"):
            depth += 1
            if depth == 2 and line[6:] in ("VEVENT", "VTIMEZONE"):
                start, name, current = number, line[6:], []
        if name:
            current.append(raw)
        if line.startswith("END:"):
            if depth == 2 and name and line[4:] == name:
                yield start, name, "\r\n".join(current) + "\r\n"
                name = ""
            depth = max(0, depth - 1)
    if name:
        session.problem(f"line {start}", f"{name} is not closed (the file is cut short); skipped")


# -- one event and its occurrences ----------------------------------------------------------


def _import_events(
    session: ImportSession, group: EventGroup, zones: list[Any], me: frozenset[str], now: datetime
) -> None:
    import icalendar
    import recurring_ical_events

    events = _latest_versions([_single_valued(event) for event in group.events])
    if not events:
        raise EventProblem("the event could not be read")
    for event in events:
        for name, _message in getattr(event, "errors", []):
            if name in _CHECKED:
                raise EventProblem(f"its {name} could not be read{_raw_value(group, name)}")
    calendar = icalendar.Calendar()
    for component in [*zones, *events]:
        calendar.add_component(component)
    master = next((e for e in events if e.get("RECURRENCE-ID") is None), events[0])
    if isinstance(master.decoded("DTSTART"), date) and not isinstance(master.decoded("DTSTART"), datetime):
        session.skip(SKIP_ALL_DAY)
        return
    if not any(_people(e, me) for e in events):
        session.skip(SKIP_NO_ATTENDEES)
        return
    if str(master.get("STATUS", "")).upper() == "CANCELLED" and len(events) == 1:
        session.skip(SKIP_CANCELLED)
        return
    uid = group.uid or _fallback_uid(master)
    first = min(_utc(e.decoded("DTSTART")) for e in events if e.get("DTSTART") is not None)
    if first.date() not in session.days:
        raise EventProblem(f"it starts on {first.date().isoformat()}, out of range ({session.days.span()})")
    if len(events) == 1 and master.get("RRULE") is None and master.get("RDATE") is None:
        occurrences: Iterable[Any] = [master] if first <= now else []  # a single meeting: nothing to expand
    else:
        occurrences = _occurrences(recurring_ical_events.of(calendar), first, now)
    seen = 0
    for occurrence in occurrences:
        if seen == MAX_OCCURRENCES:  # a rule repeating every minute must not run for ever
            session.problem(f"line {group.line}", f"event {uid}: only its first {MAX_OCCURRENCES:,} occurrences read")
            break
        seen += 1
        _import_occurrence(session, occurrence, uid, me)
    if not seen:
        session.skip(SKIP_FUTURE)


def _single_valued(event: Any) -> Any:
    """The event with one value for each property that takes one, or EventProblem when that is its start.

    Two UID or SUMMARY lines (some iTIP writers repeat them) keep the first;
    an event without a start, or with two, cannot be placed in time.
    """
    start = event.get("DTSTART")
    if start is None:
        raise EventProblem("it has no start time (no DTSTART line)")
    if isinstance(start, list):
        raise EventProblem(f"it has {len(start)} DTSTART lines, so when it starts is unclear")
    for name in _SINGLE:
        value = event.get(name)
        if isinstance(value, list) and value:
            event[name] = value[0]
    return event


def _latest_versions(events: list[Any]) -> list[Any]:
    """Of several versions of one event (an iTIP update beside the original), the latest by SEQUENCE."""
    masters = [(index, event) for index, event in enumerate(events) if event.get("RECURRENCE-ID") is None]
    if len(masters) < 2:
        return events
    _index, latest = max(masters, key=lambda pair: (_sequence(pair[1]), pair[0]))
    return [event for event in events if event is latest or event.get("RECURRENCE-ID") is not None]


def _sequence(event: Any) -> int:
    try:
        return int(str(event.get("SEQUENCE", 0)))
    except ValueError:
        return 0


def _raw_value(group: EventGroup, name: str) -> str:
    """' (the value as written)' for a property of the event, or ''."""
    pattern = re.compile(rf"^{re.escape(name)}[;:](?:[^:\r\n]*:)?(.*)$", re.IGNORECASE | re.MULTILINE)
    found = next((m for block in group.blocks if (m := pattern.search(block))), None)
    return f" ({found.group(1).strip()[:60]})" if found and found.group(1).strip() else ""


def _occurrences(query: Any, first: datetime, now: datetime) -> Iterator[Any]:
    """The occurrences that started by `now`, in order, expanded a window at a time.

    Windows start at an hour and double up to a year, so a rule repeating every
    second is cut short after a few thousand occurrences rather than expanded
    into millions at once; an occurrence spanning two windows is given once.
    """
    low, span, given = first, timedelta(hours=1), set()
    while low <= now:
        high = min(low + span, now + timedelta(seconds=1))
        found = [(_utc(o.decoded("DTSTART")), o) for o in query.between(low, high)]
        for start, occurrence in sorted(found, key=lambda pair: pair[0]):
            if low <= start < high and start not in given:
                given.add(start)
                yield occurrence
        low, span = high, min(span * 2, timedelta(days=366))


def _met(event: Any, me: frozenset[str]) -> tuple[list[tuple[str, str, str]], str]:
    """Whom an occurrence is a meeting with (not me, not those who declined), or why it is not a meeting of mine."""
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        return [], SKIP_CANCELLED
    people = _people(event, me)
    mine = [p for p in people if p[0] in me]
    if any(p[2] == "DECLINED" for p in mine):
        return [], SKIP_DECLINED
    if not mine and _address(event.get("ORGANIZER")) not in me:
        return [], SKIP_NOT_INVITED
    others = [p for p in people if p[0] not in me and p[2] != "DECLINED"]
    return others, "" if others else SKIP_NO_ATTENDEES


def _import_occurrence(session: ImportSession, event: Any, uid: str, me: frozenset[str]) -> None:
    others, not_mine = _met(event, me)
    if not_mine:
        session.skip(not_mine)
        return
    start = event.decoded("DTSTART")
    key = event.get("RECURRENCE-ID")
    identity = _utc(key.dt if key is not None else start)
    ids = [pid for address, name, _status in others if (pid := session.person_for_email(address, name)) is not None]
    ids = list(dict.fromkeys(ids))
    if not ids:
        return
    session.add_interaction(
        external_id=f"{uid}/{identity:%Y%m%dT%H%M%SZ}",
        occurred_at=to_stamp(_utc(start)),
        kind="meeting",
        direction="mutual",
        person_ids=ids,
        subject=" ".join(str(event.get("SUMMARY", "")).split())[:300],
    )
    if len(ids) <= MAX_CO_ATTENDEES:
        for a, b in combinations(ids, 2):
            session.add_knows(a, b, source=KNOWS_SOURCE)


def _people(event: Any, me: frozenset[str]) -> list[tuple[str, str, str]]:
    """(address, name, participation status) of the organizer and attendees; rooms and resources left out."""
    found: dict[str, tuple[str, str, str]] = {}
    organizer = event.get("ORGANIZER")
    address = _address(organizer)
    if address:
        found[address] = (address, _name(organizer), "ACCEPTED")
    attendees = event.get("ATTENDEE") or []
    for attendee in attendees if isinstance(attendees, list) else [attendees]:
        address = _address(attendee)
        params = getattr(attendee, "params", {})
        if not address or str(params.get("CUTYPE", "")).upper() in _ROOMS:
            continue
        status = str(params.get("PARTSTAT", "")).upper()
        found[address] = (address, _name(attendee) or found.get(address, ("", "", ""))[1], status)
    if len(found) == 1 and organizer is not None and not attendees:
        return []  # an organizer alone is not a meeting
    return list(found.values())


def _address(value: Any) -> str:
    if value is None:
        return ""
    text = str(value).strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    text = text.strip().strip("<>").lower()
    return text if "@" in text and " " not in text else ""


def _name(value: Any) -> str:
    params = getattr(value, "params", {})
    return person_name(str(params.get("CN", "")))


def _utc(moment: date) -> datetime:
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day)
    if moment.tzinfo is None:
        moment = moment.astimezone()  # floating time: the computer's local time
    return moment.astimezone(UTC)


def _fallback_uid(event: Any) -> str:
    """A stable identity for an event without UID: its summary, start and organizer."""
    key = "\x1f".join(str(event.get(name, "")) for name in ("SUMMARY", "DTSTART", "ORGANIZER"))
    return "sha1:" + hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()
