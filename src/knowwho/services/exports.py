"""Taking everything out: JSON backup and restore, vCard, CSV, iCalendar, and database backups.

Exports read one consistent snapshot of the database and write their file
atomically. A restore goes into an empty database in one transaction: on any
problem nothing is written.
"""

from __future__ import annotations

import io
import os
import re
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from knowwho.errors import ImportFailed, InvalidInput
from knowwho.exporters import (
    Contact,
    EventEntry,
    ExportFailed,
    Reminder,
    atomic_write,
    is_stream,
    write_bytes_atomically,
)
from knowwho.storage import access as access_store
from knowwho.storage import dump, removed_rows
from knowwho.storage import exports as export_store

if TYPE_CHECKING:
    from knowwho.core import Knowwho
    from knowwho.exporters.json_backup import BackupFile

Progress = Callable[[int, int | None], None]  # (done, total or None)
_CHUNK = 500
_PROGRESS_EVERY = 2000


@dataclass(frozen=True, slots=True)
class ExportResult:
    kind: str
    path: Path
    count: int  # people, rows, calendar items, or bytes for a database backup
    tables: dict[str, int] = field(default_factory=dict)  # rows per table (JSON backup and restore)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "path": str(self.path), "count": self.count, "tables": self.tables}


# -- JSON backup ------------------------------------------------------------------
def export_json(
    kw: Knowwho, path: str | Path, *, recipients: Sequence[str] = (), passphrase: str | None = None
) -> ExportResult:
    """Every table (see storage/dump.py for what is left out: derived tables, removed people...), deterministic.

    Plain JSON, or an age-encrypted file for `recipients` (public keys) or under `passphrase`.
    """
    from knowwho.exporters.json_backup import write_backup

    if recipients and passphrase is not None:
        raise InvalidInput("give --encrypt-to or --passphrase, not both")
    target = _output_path(kw, path)
    conn = kw.db.conn
    sealed = bool(recipients) or passphrase is not None
    buffer = io.StringIO(newline="\n")  # an encrypted export is sealed whole, in memory: no plain copy on disk
    with dump.read_snapshot(conn), removed_rows.left_out(conn) as filters:
        specs = dump.table_specs(conn)
        tables = ((spec.name, dump.iter_rows(conn, spec, filters.get(spec.name))) for spec in specs)
        if sealed:
            counts = write_backup(buffer, schema_version=kw.db.schema_version, tables=tables)
        else:
            with atomic_write(target, newline="\n") as out:
                counts = write_backup(out, schema_version=kw.db.schema_version, tables=tables)
    if sealed:
        from knowwho.exporters import age_file

        plain = buffer.getvalue().encode()
        write_bytes_atomically(target, age_file.encrypt(plain, recipients=recipients, passphrase=passphrase))
    return ExportResult("json (age)" if sealed else "json", target, sum(counts.values()), counts)


def restore_json(
    kw: Knowwho, path: str | Path, *, progress: Progress | None = None, identity: Path | None = None
) -> ExportResult:
    """Restore a JSON backup into this (empty) database, ids and all, in one transaction.

    An age-encrypted backup is decrypted in memory, with the key in `identity` or a passphrase.
    """
    source = Path(path).expanduser()
    if not source.is_file():
        raise ImportFailed(f"{source}: no such file" if not source.exists() else f"{source} is not a file")
    try:
        return _restore(kw, source, progress, _decrypted(source, identity))
    except RecursionError as error:  # json gives up on a value nested thousands deep
        raise ImportFailed(
            f"{source}: a value is nested too deeply for a backup row (the file is damaged or not a knowwho backup)"
        ) from error


def _decrypted(source: Path, identity: Path | None) -> bytes | None:
    """The plain content of an age-encrypted backup; None for a plain file."""
    from knowwho.exporters import age_file

    if not age_file.is_age(source):
        return None
    passphrase = None
    if identity is None and age_file.needs_passphrase(source.read_bytes()[:200]):
        from knowwho.services.privacy import typed_passphrase

        passphrase = typed_passphrase(f"Passphrase of {source}: ")
    return age_file.decrypt(source, identity=identity, passphrase=passphrase)


def _restore(kw: Knowwho, source: Path, progress: Progress | None, content: bytes | None) -> ExportResult:
    from knowwho.exporters.json_backup import BackupFile

    conn = kw.db.conn
    with BackupFile(source, content) as backup:
        if backup.header.schema_version > kw.db.schema_version:
            raise backup.fail(
                f"made by a newer knowwho (schema {backup.header.schema_version}, this one has "
                f"{kw.db.schema_version}); upgrade knowwho first"
            )
        specs = {spec.name: spec for spec in dump.table_specs(conn)}
        with dump.foreign_keys_off(conn), kw.db.transaction() as tx:
            busy = dump.tables_with_rows(tx, list(specs.values()))
            if busy:
                raise InvalidInput(
                    f"{kw.db.path} already holds data (in {', '.join(busy[:4])}); "
                    "restore into a new database instead, e.g. --db restored.db"
                )
            dump.clear_tables(tx, dump.ephemeral_tables(tx))
            counts = _insert_rows(tx, backup, specs, progress)
            # A seeded table the backup holds empty is empty after the restore, too.
            dump.clear_tables(tx, [t for t in backup.tables if t in dump.SEEDED_TABLES and t not in counts])
            # An older backup holds removed people and deleted conversations: they are not brought back.
            counts.subtract(removed_rows.drop(tx))
            problems = dump.broken_references(tx)
            if problems:
                raise backup.fail("; ".join(problems) + " (the file is damaged or incomplete)")
            dump.optimize_indexes(tx)
    total = sum(counts.values())
    if progress:
        progress(total, total)
    return ExportResult("json", source, total, dict(sorted((+counts).items())))


def _insert_rows(
    tx: sqlite3.Connection, backup: BackupFile, specs: dict[str, dump.TableSpec], progress: Progress | None
) -> Counter[str]:
    """Insert every row of the backup, checked against this schema; rows per table."""
    counts: Counter[str] = Counter()
    first_at: dict[str, int | str] = {}  # where each table's rows start, to number a refused row
    inserter = dump.RowInserter(tx)
    for total, row in enumerate(backup.rows(), start=1):
        spec = specs.get(row.table)
        if spec is None and row.table.startswith(dump.JOURNAL_PREFIX):
            continue  # an older backup's undo history: the restored network starts a fresh one
        if spec is None:
            raise backup.fail(f"unknown table {row.table!r}: not a backup of this knowwho", row.at)
        if row.table == "settings" and access_store.outside_backups(row.values.get("key")):
            continue  # an older backup's server secrets: this database keeps (or makes) its own
        unknown = sorted(set(row.values) - set(spec.columns))
        if unknown:
            raise backup.fail(f"unknown column {unknown[0]!r} in {row.table}", row.at)
        if row.table in dump.SEEDED_TABLES and row.table not in counts:
            dump.clear_tables(tx, [row.table])  # the backup's rows replace the defaults
        first_at.setdefault(row.table, row.at)
        try:
            inserter.add(row.table, row.values, row.at)
        except (dump.RowRejected, dump.MalformedDate) as rejected:
            raise _rejected(backup, rejected, first_at) from rejected
        counts[row.table] += 1
        if progress and total % _PROGRESS_EVERY == 0:
            progress(total, None)
    try:
        inserter.flush()
    except (dump.RowRejected, dump.MalformedDate) as rejected:
        raise _rejected(backup, rejected, first_at) from rejected
    return counts


def _rejected(
    backup: BackupFile, rejected: dump.RowRejected | dump.MalformedDate, first_at: dict[str, int | str]
) -> ImportFailed:
    """'notes row 3: created_at is missing', at the row's line (or its place in a rewritten file)."""
    where, first = rejected.where, first_at.get(rejected.table)
    if isinstance(where, int) and isinstance(first, int):
        number: int | str = where - first + 1  # a streamed table's rows are one per line
        at: int | str | None = where
    else:
        found = re.match(r"row (\d+) of ", str(where))
        number, at = (found[1] if found else "?"), None
    if isinstance(rejected, dump.MalformedDate):
        value = rejected.value
        shown = repr(value[:40]) if isinstance(value, str) else str(value)
        problem = f"{rejected.column} {shown} is not {_DATE_WORDS[rejected.kind]}"
    else:
        problem = _refusal(rejected.error)
    return backup.fail(f"{rejected.table} row {number}: {problem}", at)


_DATE_WORDS = {
    "day": "a date (YYYY-MM-DD)",
    "moment": "a date and time (YYYY-MM-DD HH:MM:SS)",
    "birthday": "a date (YYYY-MM-DD, or --MM-DD without the year)",
    "period": "a date (YYYY-MM-DD, YYYY-MM or YYYY)",
}


def _refusal(error: sqlite3.Error) -> str:
    """What SQLite's refusal of a restored row means, in words."""
    text = " ".join(str(error).split())  # a CHECK's text may span lines
    found = re.match(r"NOT NULL constraint failed: \w+\.(\w+)", text)
    if found:
        return f"{found[1]} is missing"
    found = re.match(r"UNIQUE constraint failed: (.+)", text)
    if found:
        columns = ", ".join(c.split(".")[-1] for c in found[1].split(", "))
        return f"another row has the same {columns}"
    found = re.match(r"CHECK constraint failed: (.+)", text)
    if found:
        choice = re.fullmatch(r"(\w+) IN \((.+)\)", found[1].strip())
        if choice:
            return f"{choice[1]} must be one of {choice[2][:80]}"
        return f"a value breaks the rule {found[1][:80]!r}"
    if "datatype mismatch" in text:
        return "a value is of the wrong kind (text where a number belongs?)"
    return "the database refuses this row (the file is damaged or from another program)"


# -- contacts ---------------------------------------------------------------------
def export_vcard(kw: Knowwho, path: str | Path, version: str = "4.0") -> ExportResult:
    from knowwho.exporters.vcard import check_version, write_vcards

    version = check_version(version)
    target = _output_path(kw, path)
    conn = kw.db.conn
    with dump.read_snapshot(conn), atomic_write(target, newline="") as out:
        count = write_vcards(out, contacts(conn), version=version)
    return ExportResult(f"vcard {version}", target, count)


def export_csv(kw: Knowwho, path: str | Path) -> ExportResult:
    from knowwho.exporters.csv import write_csv

    target = _output_path(kw, path)
    conn = kw.db.conn
    with dump.read_snapshot(conn):
        most = export_store.max_list_lengths(conn)
        with atomic_write(target, newline="") as out:
            count = write_csv(
                out, contacts(conn), emails=most["person_emails"], phones=most["person_phones"],
                addresses=most["person_addresses"], websites=most["person_links"],
            )  # fmt: skip
    return ExportResult("csv", target, count)


def contacts(conn: sqlite3.Connection) -> Iterator[Contact]:
    """Every live contact with what an address book holds, by name, a chunk at a time."""
    ids = export_store.contact_ids(conn)
    for start in range(0, len(ids), _CHUNK):
        yield from contact_chunk(conn, ids[start : start + _CHUNK])


def contact_chunk(conn: sqlite3.Connection, ids: Sequence[int]) -> Iterator[Contact]:
    emails = export_store.labelled(conn, "person_emails", ids)
    phones = export_store.labelled(conn, "person_phones", ids)
    addresses = export_store.labelled(conn, "person_addresses", ids)
    links = export_store.links(conn, ids)
    tags = export_store.tags(conn, ids)
    roles = export_store.current_roles(conn, ids)
    notes = export_store.notes(conn, ids)
    for person in export_store.contact_rows(conn, ids):
        organization, title = roles.get(person.id, ("", ""))
        yield Contact(
            id=person.id, display_name=person.display_name, given_name=person.given_name,
            family_name=person.family_name, emails=emails.get(person.id, []), phones=phones.get(person.id, []),
            addresses=addresses.get(person.id, []), links=links.get(person.id, []), tags=tags.get(person.id, []),
            organization=organization, title=title, birthday=person.birthday, how_met=person.how_met,
            notes=notes.get(person.id, []), photo=bytes(person.photo) if person.photo is not None else None,
            photo_type=person.photo_type, created_at=person.created_at, updated_at=person.updated_at,
        )  # fmt: skip


# -- calendar ---------------------------------------------------------------------
def followups_ics(kw: Knowwho) -> str:
    """Open follow-ups and re-engagement reminders (VTODO) and upcoming events (VEVENT):
    the calendar feed of the web UI, and the content of `export ics`."""
    from knowwho.exporters.ics import calendar_text

    conn = kw.db.conn
    with dump.read_snapshot(conn):
        reminders, events = _calendar_items(conn, kw.ctx.today().isoformat())
    return calendar_text(reminders, events)


def export_ics(kw: Knowwho, path: str | Path) -> ExportResult:
    from knowwho.exporters.ics import calendar_text

    target = _output_path(kw, path)
    conn = kw.db.conn
    with dump.read_snapshot(conn):
        reminders, events = _calendar_items(conn, kw.ctx.today().isoformat())
    with atomic_write(target, newline="") as out:
        out.write(calendar_text(reminders, events))
    return ExportResult("ics", target, len(reminders) + len(events))


def export_network(kw: Knowwho, path: str | Path) -> ExportResult:
    """Who knows whom: every person and every tie, recorded or inferred, with its basis and confidence."""
    from knowwho.exporters.network_json import write_network
    from knowwho.services.paths.ties import every_tie
    from knowwho.storage import network as network_store

    target = _output_path(kw, path)
    conn = kw.db.conn
    today = kw.ctx.today()
    with dump.read_snapshot(conn):
        people = network_store.all_nodes(conn)
        ties = every_tie(conn, today=today)
    with atomic_write(target, newline="\n") as out:
        count = write_network(out, (people[i] for i in sorted(people)), ties, exported_on=today.isoformat())
    return ExportResult("network", target, count)


def _calendar_items(conn: sqlite3.Connection, today: str) -> tuple[list[Reminder], list[EventEntry]]:
    reminders = [_followup_reminder(f) for f in export_store.open_followups(conn)]
    reminders += [_reengage_reminder(r) for r in export_store.pending_reengagements(conn)]
    events = [_event_entry(e) for e in export_store.upcoming_events(conn, today)]
    return reminders, events


def _followup_reminder(f: export_store.FollowupDue) -> Reminder:
    summary = (f"Follow up with {f.person}" if f.person else "Follow up") + (f": {f.note}" if f.note else "")
    return Reminder(
        uid=f"followup-{f.id}@knowwho", due_on=f.due_on, summary=summary,
        description=f.note, category=f.kind, created_at=f.created_at,
    )  # fmt: skip


def _reengage_reminder(r: export_store.ReengageDue) -> Reminder:
    what = r.organization + (f" ({r.role_title})" if r.role_title else "")
    return Reminder(
        uid=f"reengage-{r.opportunity_id}@knowwho", due_on=r.reengage_on,
        summary=f"Re-engage with {what or 'an opportunity'}", description=r.outcome,
        category="re-engage", created_at=r.created_at,
    )  # fmt: skip


def _event_entry(e: export_store.UpcomingEvent) -> EventEntry:
    return EventEntry(
        uid=f"event-{e.id}@knowwho", name=e.name, starts_on=e.starts_on, ends_on=e.ends_on,
        place=e.place, notes=e.notes, created_at=e.created_at,
    )  # fmt: skip


# -- database backup --------------------------------------------------------------
def backup(kw: Knowwho, path: str | Path | None = None) -> ExportResult:
    """A consistent copy of the database file (SQLite online backup), safe while others write.

    The server's secrets are wiped from the copy: a restored copy makes new ones.
    """
    database = kw.db.path
    if str(database) == ":memory:":
        raise InvalidInput("an in-memory database has no file to back up")
    if path is None:
        target = default_backup_path(kw)
    else:
        target = Path(path).expanduser()
        if target.is_dir():
            target = default_backup_path(kw, folder=target)
    _refuse_database(kw, target)
    if is_stream(target):  # the copy is put in place by a rename, which would replace the device itself
        raise ExportFailed(f"{target}: a pipe or a device, not a file; give a file name for the copy")
    target = Path(os.path.realpath(target)) if target.is_symlink() else target  # the link stays a link
    if not target.parent.is_dir():
        raise ExportFailed(f"{target}: the folder {target.parent} does not exist")
    try:
        kw.db.backup_to(target, scrub=access_store.delete_secrets)
    except (sqlite3.Error, OSError) as error:
        target.with_name(target.name + ".part").unlink(missing_ok=True)
        raise ExportFailed(f"{target}: the backup failed ({error})") from error
    return ExportResult("backup", target, target.stat().st_size)


def default_backup_path(kw: Knowwho, folder: Path | None = None) -> Path:
    """`<database name>-YYYYMMDD-HHMMSS.db` (local time) beside the database, or in `folder`."""
    database = kw.db.path
    stamp = kw.ctx.now().astimezone().strftime("%Y%m%d-%H%M%S")
    where = folder or database.parent
    target = where / f"{database.stem}-{stamp}.db"
    number = 2
    while target.exists():
        target = where / f"{database.stem}-{stamp}-{number}.db"
        number += 1
    return target


# -- helpers ----------------------------------------------------------------------
def _output_path(kw: Knowwho, path: str | Path) -> Path:
    target = Path(path).expanduser()
    if target.is_dir():
        raise ExportFailed(f"{target} is a folder: give the name of the file to write")
    _refuse_database(kw, target)
    return target


def _refuse_database(kw: Knowwho, target: Path) -> None:
    database = kw.db.path
    if str(database) == ":memory:":
        return
    own = {database.resolve(), *(database.resolve().with_name(database.name + s) for s in ("-wal", "-shm"))}
    if target.resolve() in own:
        raise InvalidInput(f"{target} is the database itself; write to another file")
