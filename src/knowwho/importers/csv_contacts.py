"""Contacts CSV import: Google Contacts and Outlook exports, recognised by their headers, or any CSV.

A generic CSV is read through its column names ("Name", "Email", "Company"...)
or through `--map 'column=field'` options. A file with no header we can read
and no mapping is refused before anything is written.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from knowwho.errors import ImportFailed, InvalidInput
from knowwho.importers.base import ImportReport, ImportSession, PersonCandidate, Progress, stable_external_id
from knowwho.importers.reading import allow_long_csv_fields, csv_problem, open_text_file, parse_date
from knowwho.services.normalize import normalize_phone

if TYPE_CHECKING:
    from knowwho.core import Knowwho

SOURCE = "csv"
FIELDS = ("name", "given", "family", "email", "phone", "organization", "title", "tags", "note", "link", "location",
          "birthday", "knowwho_id")  # fmt: skip
LIST_FIELDS = {"email", "phone", "tags", "link"}
_SYNONYMS = {
    "name": ("name", "full name", "display name", "contact", "contact name"),
    "given": ("first name", "given name", "first", "firstname", "forename"),
    "family": ("last name", "family name", "surname", "last", "lastname"),
    "email": ("email", "e-mail", "email address", "e-mail address", "mail", "emails"),
    "phone": ("phone", "telephone", "mobile", "phone number", "tel", "cell", "mobile phone"),
    "organization": ("company", "organization", "organisation", "employer", "org", "organization name"),
    "title": ("title", "job title", "position", "role", "organization title"),
    "tags": ("tags", "labels", "groups", "categories", "group membership"),
    "note": ("note", "notes", "comments", "comment"),
    "link": ("url", "website", "linkedin", "profile", "web page", "link", "linkedin url", "homepage"),
    "location": ("location", "city", "address"),
    "birthday": ("birthday", "birth date", "date of birth", "dob"),
    "knowwho_id": ("knowwho_id", "knowwho id"),  # knowwho's own exports: the person's id, matched first
}
_LOOKUP = {synonym: name for name, synonyms in _SYNONYMS.items() for synonym in synonyms}
_GOOGLE_VALUE = re.compile(
    r"^(e-mail|phone|address|website|relation|organization) (\d+) - (value|formatted|name|title)$"
)
_OUTLOOK_PHONE = re.compile(r"^(.*) (phone|fax)( \d)?$")
_OUTLOOK_ADDRESS = re.compile(r"^(business|home|other) (street|city|state|postal code|country/region|country)$")
_SYSTEM_LABELS = {"mycontacts", "starred", "my contacts"}
_HEADER_SEARCH_ROWS = 10


@dataclass
class Layout:
    """Which column feeds which field (and label), for one header."""

    kind: str  # google, outlook, generic
    columns: dict[int, str] = field(default_factory=dict)  # index -> field
    labels: dict[int, int | str] = field(default_factory=dict)  # value index -> label index, or a fixed label
    addresses: dict[str, list[int]] = field(default_factory=dict)  # label -> columns to join (Outlook)


def import_path(
    kw: Knowwho, path: Path, *, progress: Progress | None = None, mapping: list[str] | None = None, **_options: object
) -> ImportReport:
    if path.is_dir():
        raise ImportFailed(f"{path}: is a folder; give a CSV file")
    wanted = parse_mapping(mapping or [])
    allow_long_csv_fields()
    with open_text_file(path) as (text, note):
        reader = csv.reader(text)
        layout = _find_layout(reader, wanted, path)  # raises before anything is written
        report = ImportReport(kind=SOURCE, files=[str(path)])
        if note:
            report.notes.append(f"{path}: {note}")
        with ImportSession(kw, source=SOURCE, report=report) as session:
            session.file = str(path)
            done = 0
            for line, row in _rows(reader, session):
                _import_row(session, layout, row, f"line {line}")
                session.record_done()
                done += 1
                if progress and done % 500 == 0:
                    progress(done, None)
            if progress:
                progress(done, done)
    return report


def parse_mapping(items: list[str]) -> dict[str, str]:
    """'Column=field' options -> {lower-case column: field}."""
    wanted: dict[str, str] = {}
    for item in items:
        column, equals, name = item.rpartition("=")
        name = name.strip().lower()
        if not equals or not column.strip():
            raise InvalidInput(f"--map {item!r}: write it as 'column=field', e.g. 'Full name=name'")
        if name not in FIELDS:
            raise InvalidInput(f"--map {item!r}: unknown field {name!r}; use one of {', '.join(FIELDS)}")
        wanted[column.strip().lower()] = name
    return wanted


def _find_layout(reader: Iterator[list[str]], wanted: dict[str, str], path: Path) -> Layout:
    first: list[str] | None = None
    try:
        for _ in range(_HEADER_SEARCH_ROWS):
            header = next(reader, None)
            if header is None:
                break
            if not any(h.strip() for h in header):
                continue
            first = first or header
            layout = layout_for(header, wanted)
            if layout is not None:
                return layout
    except csv.Error as error:
        raise ImportFailed(f"{path}: not a CSV file we can read ({csv_problem(error)})") from error
    if wanted and first is not None:
        names = {h.strip().lower() for h in first}
        missing = [c for c in wanted if c not in names]
        raise ImportFailed(f"{path}: no column named {', '.join(repr(m) for m in missing)} in its header")
    plain = f"{path}: no header we recognise (a Google or Outlook contacts export, or columns like Name and Email)"
    raise ImportFailed(f"{plain}; say which column is what with --map 'Column=field'", plain=plain)


def layout_for(header: list[str], wanted: dict[str, str]) -> Layout | None:
    """How to read rows under this header, or None when it is not one we recognise."""
    names = [h.strip().lower() for h in header]
    if wanted:
        if not all(column in names for column in wanted):
            return None
        return Layout("mapped", {i: wanted[n] for i, n in enumerate(names) if n in wanted})
    if any(_GOOGLE_VALUE.match(n) for n in names):
        return _google(names)
    if "e-mail address" in names and ("job title" in names or "business phone" in names or "mobile phone" in names):
        return _outlook(names)
    layout = Layout("generic", {i: _LOOKUP[n] for i, n in enumerate(names) if n in _LOOKUP})
    identifying = {"name", "given", "family", "email"}
    return layout if identifying & set(layout.columns.values()) else None


def _google(names: list[str]) -> Layout:
    layout = Layout("google")
    simple = {"name": "name", "given name": "given", "first name": "given", "family name": "family",
              "last name": "family", "notes": "note", "birthday": "birthday", "location": "location",
              "group membership": "tags", "labels": "tags", "organization name": "organization",
              "organization title": "title", "knowwho_id": "knowwho_id"}  # fmt: skip
    for index, name in enumerate(names):
        if name in simple:
            layout.columns[index] = simple[name]
            continue
        found = _GOOGLE_VALUE.match(name)
        if not found:
            continue
        what, number, part = found.groups()
        target = {"e-mail": "email", "phone": "phone", "website": "link", "address": "address"}.get(what)
        if what == "organization" and number == "1":
            target = "organization" if part == "name" else "title"
        if target is None or (what == "address" and part != "formatted"):
            continue
        layout.columns[index] = target
        for label_name in (f"{what} {number} - type", f"{what} {number} - label"):
            if label_name in names:
                layout.labels[index] = names.index(label_name)
    return layout


def _outlook(names: list[str]) -> Layout:
    layout = Layout("outlook")
    simple = {"first name": "given", "last name": "family", "company": "organization", "job title": "title",
              "notes": "note", "birthday": "birthday", "categories": "tags", "web page": "link",
              "location": "location", "e-mail address": "email", "e-mail 2 address": "email",
              "e-mail 3 address": "email", "knowwho_id": "knowwho_id"}  # fmt: skip
    for index, name in enumerate(names):
        if name in simple:
            layout.columns[index] = simple[name]
        elif found := _OUTLOOK_PHONE.match(name):
            if found[2] == "phone" and name not in ("primary phone",):
                layout.columns[index] = "phone"
                layout.labels[index] = found[1].replace("company main", "work")
        elif found := _OUTLOOK_ADDRESS.match(name):
            layout.addresses.setdefault(found[1], []).append(index)
    return layout


def _rows(reader: Any, session: ImportSession) -> Iterator[tuple[int, list[str]]]:
    """(line number, row) of the rows after the header; a row the csv module cannot read is reported."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:  # a stray NUL, an endless field: report this row, go on
            session.problem(f"line {reader.line_num}", f"cannot be read as CSV ({csv_problem(error)}); left out")
            continue
        if any(cell.strip() for cell in row):
            yield reader.line_num, row


# -- one row -----------------------------------------------------------------------------------
def _import_row(session: ImportSession, layout: Layout, row: list[str], where: str) -> None:
    c = PersonCandidate(display_name="")
    for index, name in layout.columns.items():
        raw = row[index].strip() if index < len(row) else ""
        if not raw:
            continue
        label_at = layout.labels.get(index, "")
        label = label_at if isinstance(label_at, str) else (row[label_at] if label_at < len(row) else "")
        _set(session, c, name, raw, _clean_label(label), where)
    for label, indexes in layout.addresses.items():
        parts = [row[i].strip() for i in indexes if i < len(row) and row[i].strip()]
        if parts:
            address = ", ".join(p.replace("\n", ", ") for p in parts)
            c.addresses.append(address)
            c.labels[address] = label
    if not c.display_name:
        formal = " ".join(p for p in (c.given_name, c.family_name) if p)
        c.display_name = (
            formal or (c.emails[0] if c.emails else "") or c.organization or (c.phones[0] if c.phones else "")
        )
    if not c.display_name:
        session.problem(where, "no name, email or phone; left out")
        return
    session.upsert_person(c, external_id=stable_external_id(c))


def _set(session: ImportSession, c: PersonCandidate, name: str, raw: str, label: str, where: str) -> None:
    values = [v.strip() for v in raw.split(" ::: ")] if name in LIST_FIELDS else [raw]
    for value in (v for v in values if v):
        if name == "email":
            emails = [e for e in re.split(r"[,;\s]+", value) if "@" in e]
            c.emails += emails
            c.labels.update({e.lower(): label for e in emails if label})
        elif name == "phone" and any(ch.isdigit() for ch in value):
            phone = normalize_phone(value)
            c.phones.append(phone)
            if label:
                c.labels[phone] = label
        elif name == "tags":
            c.tags += [t.strip().lstrip("* ") for t in re.split(r"[;,]", value)
                       if t.strip().lstrip("* ").lower() not in _SYSTEM_LABELS]  # fmt: skip
        elif name == "link":
            c.links.append(value)
        elif name == "birthday":
            c.birthday = parse_date(value)
            if c.birthday is None and not value.startswith("0/0/"):  # Outlook writes 0/0/00 for none
                session.problem(where, f"birthday {value[:40]!r} is not a date; imported without it")
            c.birthday = session.kept_birthday(c.birthday, where)
        elif name == "knowwho_id":
            c.knowwho_id = value
        elif name == "note":
            c.note = f"{c.note}\n{value}".strip()
        elif name == "address":
            address = value.replace("\n", ", ")
            c.addresses.append(address)
            if label:
                c.labels[address] = label
        elif name == "location" and not c.location:
            c.location = value.replace("\n", ", ")
        elif name in ("name", "given", "family", "organization", "title") and value:
            attribute = {"name": "display_name", "given": "given_name", "family": "family_name"}.get(name, name)
            if not getattr(c, attribute):
                setattr(c, attribute, value)


def _clean_label(label: str) -> str:
    return label.strip().lstrip("* ").lower()
