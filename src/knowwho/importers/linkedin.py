"""LinkedIn import: the data export zip, its folder, or its single CSV files.

- Connections.csv: people, with their current company and position as a role
  starting on the day we connected, their profile URL, and "LinkedIn" as how
  we met. Real exports start with a "Notes:" paragraph: the header is found,
  not assumed to be line 1.
- messages.csv: each message an interaction (kind message), outbound when I
  sent it, inbound otherwise.
- Invitations.csv: each invitation an interaction; people only invited are
  added with how the invitation went.

Rows are streamed; a bad row is reported with its file and line and the rest
imported. Every file is checked before anything is written.
"""

from __future__ import annotations

import csv
import functools
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from knowwho.errors import ImportFailed
from knowwho.importers.base import ImportReport, ImportSession, PersonCandidate, Progress
from knowwho.importers.reading import allow_long_csv_fields, csv_problem, open_text, parse_date, parse_stamp
from knowwho.services.normalize import normalize_linkedin_url

if TYPE_CHECKING:
    from knowwho.core import Knowwho

SOURCE = "linkedin"
# kind -> the columns its header must have (lower case). "Connected On" tells LinkedIn's connections from
# any contacts CSV with first and last names (exports before 2020 have no URL column).
REQUIRED = {
    "connections": {"first name", "last name", "company", "position", "connected on"},
    "invitations": {"from", "to", "sent at"},
    "messages": {"conversation id", "from", "date"},
}
EXPECTED = (
    "the header of LinkedIn's Connections.csv (First Name, Last Name, URL, Email Address, Company, Position, "
    "Connected On), messages.csv or Invitations.csv"
)
ORDER = ("connections", "invitations", "messages")  # people first, so conversations find them
_HEADER_SEARCH_ROWS = 30
_BATCH = 2000  # connections handed to the session at once
_COMMIT_EVERY = 5000  # rows per transaction: fewer commits, fewer full-text index flushes
_date = functools.lru_cache(maxsize=8192)(parse_date)


@dataclass
class ExportFile:
    """One CSV of the export: where it is and how to open it as bytes."""

    name: str
    open: Callable[[], IO[bytes]]
    in_zip: bool = False


class Table:
    """A CSV file's rows after its header, as dicts of lower-case column -> stripped value."""

    def __init__(
        self, kind: str, header: list[str], rows: Iterator[list[str]], line: Callable[[], int],
        unended: Callable[[], bool] = lambda: False,
    ) -> None:  # fmt: skip
        """`unended`: whether the row just read ended the file without a line break (the file may be cut short)."""
        self.kind = kind
        self.columns = [h.strip().lower() for h in header]
        self._rows = rows
        self.line = line
        self._unended = unended
        self.on_error: Callable[[int, str], None] = lambda _line, _message: None
        self.note: str | None = None  # about the file's encoding, when it had to be guessed

    def __iter__(self) -> Iterator[dict[str, str]]:
        width = len(self.columns)
        while True:
            try:
                row = next(self._rows)
            except StopIteration:
                return
            except csv.Error as error:  # a stray NUL, an endless field: report the row, go on
                self.on_error(self.line(), f"cannot be read as CSV ({csv_problem(error)}); left out")
                continue
            if not any(cell.strip() for cell in row):
                continue
            if len(row) < width:
                if self._unended():  # LinkedIn writes every column: the download stopped in this row
                    self.on_error(self.line(), "the file ends in the middle of this row (it was cut short); left out")
                    continue
                row += [""] * (width - len(row))
            yield {column: cell.strip() for column, cell in zip(self.columns, row, strict=False)}


def import_path(
    kw: Knowwho, path: Path, *, progress: Progress | None = None, me: list[str] | None = None, **_options: object
) -> ImportReport:
    allow_long_csv_fields()
    with ExitStack() as stack:
        files = _export_files(path, stack)
        kinds = [(_check(f), f) for f in files]
        for kind, file in kinds:
            if kind is None and (len(files) == 1 or _kind_by_name(file.name)):
                raise ImportFailed(f"{file.name}: not a LinkedIn file; expected {EXPECTED}")
        chosen = sorted(((k, f) for k, f in kinds if k), key=lambda kf: ORDER.index(kf[0]))
        report = ImportReport(kind=SOURCE, files=[f.name for _kind, f in chosen])
        mine = _my_identity([f for kind, f in chosen if kind == "messages"], me or [])
        with ImportSession(kw, source=SOURCE, report=report, batch_size=_COMMIT_EVERY) as session:
            done = 0
            for kind, file in chosen:
                session.file = file.name
                with _table(file) as table:
                    table.on_error = lambda line, message: session.problem(f"line {line}", message)
                    if table.note:
                        report.notes.append(f"{file.name}: {table.note}")
                    if kind == "connections":
                        done = _import_connections(session, table, done, progress)
                        continue
                    for row in table:
                        _IMPORTERS[kind](session, table, row, mine)
                        session.record_done()
                        done += 1
            if progress:
                progress(done, done)
    return report


def _import_connections(session: ImportSession, table: Table, done: int, progress: Progress | None) -> int:
    """Connections go to the session in batches: new people are then written set-at-a-time."""
    batch: list[tuple[PersonCandidate, str]] = []
    rows = 0

    def flush() -> None:
        session.upsert_people(batch)
        for _ in range(rows):
            session.record_done()
        batch.clear()

    for row in table:
        rows += 1
        found = _connection(session, table, row)
        if found:
            batch.append(found)
        if rows >= _BATCH:
            flush()
            done += rows
            rows = 0
            if progress:
                progress(done, None)
    flush()
    return done + rows


# -- finding and checking the files ---------------------------------------------------------
def _export_files(path: Path, stack: ExitStack) -> list[ExportFile]:
    if path.is_dir():
        found = sorted(p for p in path.rglob("*.csv") if p.is_file() and _kind_by_name(p.name))
        if not found:
            raise ImportFailed(f"{path}: no Connections.csv, messages.csv or Invitations.csv in this folder")
        return [ExportFile(str(p), _opener(p)) for p in found]
    if zipfile.is_zipfile(path):
        try:
            archive = stack.enter_context(zipfile.ZipFile(path))
            members = [m for m in archive.infolist() if not m.is_dir() and _kind_by_name(m.filename)]
        except (zipfile.BadZipFile, OSError) as error:
            raise ImportFailed(f"{path}: the zip file cannot be read (it is damaged or cut short)") from error
        if not members:
            raise ImportFailed(f"{path}: no Connections.csv, messages.csv or Invitations.csv in this zip file")
        return [ExportFile(f"{path}:{m.filename}", functools.partial(archive.open, m), in_zip=True) for m in members]
    return [ExportFile(str(path), _opener(path))]


def _opener(path: Path) -> Callable[[], IO[bytes]]:
    return lambda: path.open("rb")


def _kind_by_name(name: str) -> str | None:
    base = name.replace("\\", "/").rsplit("/", 1)[-1].lower()
    return next((kind for kind in ORDER if base.endswith(f"{kind}.csv")), None)


def _check(file: ExportFile) -> str | None:
    """The kind of a file, read from its header; None when it has no header we know."""
    try:
        with _table(file) as table:
            kind = table.kind
    except _NoHeader:
        return None
    if file.in_zip:  # a damaged member shows only at its end: read it through before writing anything
        try:
            with file.open() as raw:
                while raw.read(1 << 20):
                    pass
        except (OSError, EOFError, zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError) as error:
            raise ImportFailed(f"{file.name}: cannot be read from the zip file (it is damaged or cut short)") from error
    return kind


class _NoHeader(Exception):
    pass


class _Lines:
    """A text's lines, noting whether the latest had no line break: only a file's last line can lack one."""

    def __init__(self, text: Iterable[str]) -> None:
        self._text = text
        self.unended = False

    def __iter__(self) -> Iterator[str]:
        for line in self._text:
            self.unended = not line.endswith(("\n", "\r"))
            yield line


@contextmanager
def _table(file: ExportFile) -> Iterator[Table]:
    try:
        raw = file.open()
    except (OSError, EOFError, zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else "it is damaged or cut short"
        raise ImportFailed(f"{file.name}: cannot be read ({reason})") from error
    with raw, open_text(raw, file.name) as (text, note):
        lines = _Lines(text)
        reader = csv.reader(lines)
        try:
            for _ in range(_HEADER_SEARCH_ROWS):
                header = next(reader, None)
                if header is None:
                    break
                names = {h.strip().lower() for h in header}
                kind = next((k for k in ORDER if REQUIRED[k] <= names), None)
                if kind:
                    table = Table(kind, header, iter(reader), lambda: reader.line_num, lambda: lines.unended)
                    table.note = note
                    yield table
                    return
        except csv.Error as error:
            raise _NoHeader(str(error)) from error
    raise _NoHeader(file.name)


# -- me ------------------------------------------------------------------------------------
@dataclass
class Me:
    urls: set[str]
    names: set[str]

    def is_me(self, url: str, name: str) -> bool:
        return (bool(url) and normalize_linkedin_url(url) in self.urls) or name.strip().lower() in self.names


def _my_identity(messages: list[ExportFile], given: list[str]) -> Me:
    """Who I am in messages.csv: the sender of the SENT folder, else whoever takes part in most messages."""
    me = Me({normalize_linkedin_url(g) for g in given if "linkedin.com" in g.lower()},
            {g.strip().lower() for g in given if "linkedin.com" not in g.lower()} | {"you"})  # fmt: skip
    sent: Counter[str] = Counter()
    present: Counter[str] = Counter()
    rows = 0
    for file in messages:
        with _table(file) as table:
            for row in table:
                rows += 1
                sender = row.get("sender profile url", "")
                if sender and row.get("folder", "").upper() == "SENT":
                    sent[normalize_linkedin_url(sender)] += 1
                for url in {sender, *_split_list(row.get("recipient profile urls", ""))}:
                    if url:
                        present[normalize_linkedin_url(url)] += 1
    if sent:
        me.urls.add(sent.most_common(1)[0][0])
    elif present:
        url, count = present.most_common(1)[0]
        if count * 2 >= rows:  # in my own inbox I take part in every message
            me.urls.add(url)
    return me


def _split_list(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


# -- rows --------------------------------------------------------------------------------------
def _connection(session: ImportSession, table: Table, row: dict[str, str]) -> tuple[PersonCandidate, str] | None:
    first, last = row.get("first name", ""), row.get("last name", "")
    where = f"line {table.line()}"
    if not first and not last:
        session.problem(where, "no first or last name; left out")
        return None
    raw_date = row.get("connected on", "")
    connected = _date(raw_date) if raw_date else None
    if raw_date and connected is None:
        session.problem(where, f"'Connected On' is not a date ({raw_date[:40]!r}); imported without it")
    elif connected and not session.keeps_date(connected, where, "'Connected On'", outcome="imported without it"):
        connected = None
    url, email = row.get("url", ""), row.get("email address", "")
    url = normalize_linkedin_url(url) if url else ""
    candidate = PersonCandidate(
        display_name=f"{first} {last}".strip(), given_name=first, family_name=last,
        emails=[email] if "@" in email else [], links=[url] if url else [],
        organization=row.get("company", ""), title=row.get("position", ""), role_start_on=connected,
        how_met="LinkedIn", first_met_on=connected,
    )  # fmt: skip
    return candidate, url or f"name:{first} {last}|{connected or ''}".lower()


def _invitation(session: ImportSession, table: Table, row: dict[str, str], me: Me) -> None:
    where = f"line {table.line()}"
    stamp = parse_stamp(row.get("sent at", ""))
    if stamp is None:
        session.problem(where, f"'Sent At' is not a date ({row.get('sent at', '')[:40]!r}); left out")
        return
    if not session.keeps_date(stamp, where, "'Sent At'"):
        return
    inviter = (row.get("inviterprofileurl", ""), row.get("from", ""))
    invitee = (row.get("inviteeprofileurl", ""), row.get("to", ""))
    direction = row.get("direction", "").upper()
    outgoing = direction == "OUTGOING" if direction else me.is_me(*inviter)
    url, name = invitee if outgoing else inviter
    how = "LinkedIn invitation (" + ("I invited them" if outgoing else "they invited me") + ")"
    person = _person(session, url, name, how_met=how, met_on=stamp[:10])
    if person is None:
        session.problem(where, "the other person has no name or profile URL; left out")
        return
    session.add_interaction(
        external_id=f"invitation|{normalize_linkedin_url(inviter[0]) or inviter[1]}|"
        f"{normalize_linkedin_url(invitee[0]) or invitee[1]}|{stamp}",
        occurred_at=stamp, kind="message", direction="out" if outgoing else "in", person_ids=[person],
        subject="LinkedIn invitation", notes=row.get("message", ""), channel=SOURCE,
    )  # fmt: skip


def _message(session: ImportSession, table: Table, row: dict[str, str], me: Me) -> None:
    where = f"line {table.line()}"
    if row.get("is message draft", "").lower() in ("yes", "true"):
        session.skip("draft messages")
        return
    stamp = parse_stamp(row.get("date", ""))
    if stamp is None:
        session.problem(where, f"'DATE' is not a date ({row.get('date', '')[:40]!r}); left out")
        return
    if not session.keeps_date(stamp, where, "'DATE'"):
        return
    sender = (row.get("sender profile url", ""), row.get("from", ""))
    outgoing = me.is_me(*sender)
    if outgoing:
        urls, names = _split_list(row.get("recipient profile urls", "")), _split_list(row.get("to", ""))
        others = [(u, names[i] if len(names) == len(urls) else "") for i, u in enumerate(urls)] or [
            ("", n) for n in names
        ]
    else:
        others = [sender]
    ids = [p for u, n in others if not me.is_me(u, n) and (p := _person(session, u, n, "LinkedIn message", stamp[:10]))]
    if not ids:
        session.problem(where, "no one but me in this message; left out")
        return
    session.add_interaction(
        external_id=f"{row.get('conversation id', '')}|{stamp}|{normalize_linkedin_url(sender[0]) or sender[1]}",
        occurred_at=stamp, kind="message", direction="out" if outgoing else "in", person_ids=list(dict.fromkeys(ids)),
        subject=row.get("subject", "") or row.get("conversation title", ""), notes=row.get("content", ""),
        channel=SOURCE,
    )  # fmt: skip


def _person(session: ImportSession, url: str, name: str, how_met: str, met_on: str) -> int | None:
    if url:
        return session.person_for_link(url, name, how_met=how_met, first_met_on=met_on)
    if name and name.lower() != "linkedin member":
        candidate = PersonCandidate(display_name=name, how_met=how_met, first_met_on=met_on)
        return session.upsert_person(candidate, external_id=f"name:{name.lower()}")
    return None


_IMPORTERS: dict[str, Callable[[ImportSession, Table, dict[str, str], Me], None]] = {
    "invitations": _invitation, "messages": _message,
}  # fmt: skip
