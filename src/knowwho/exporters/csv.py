"""Contacts as a CSV with Google Contacts' headers: one row per person.

Google Contacts, Outlook and most spreadsheets read these columns; lists
(emails, phones, addresses, websites) get as many numbered column groups as
the longest list needs, at least one each. A last column, `knowwho_id`,
carries each person's id: importing the file back finds them again.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import IO

from knowwho.exporters import Contact
from knowwho.exporters.ids import person_ref

MAIN_HEADERS = (
    "First Name", "Last Name", "File As", "Organization Name", "Organization Title",
    "Birthday", "Notes", "Labels",
)  # fmt: skip
ID_HEADER = "knowwho_id"
# Google joins labels with " ::: ".
LABEL_SEPARATOR = " ::: "
# A cell a spreadsheet would run as a formula (imported text is not trusted);
# phone numbers such as +44 20 ... are left alone.
_FORMULA = re.compile(r"^(?:[=@\t\r]|[+-](?![\d\s().-]*$))")


def headers(*, emails: int, phones: int, addresses: int, websites: int) -> list[str]:
    names = list(MAIN_HEADERS)
    names += [f"E-mail {n} - {part}" for n in range(1, max(emails, 1) + 1) for part in ("Label", "Value")]
    names += [f"Phone {n} - {part}" for n in range(1, max(phones, 1) + 1) for part in ("Label", "Value")]
    names += [f"Address {n} - {part}" for n in range(1, max(addresses, 1) + 1) for part in ("Label", "Formatted")]
    names += [f"Website {n} - {part}" for n in range(1, max(websites, 1) + 1) for part in ("Label", "Value")]
    return [*names, ID_HEADER]


def write_csv(
    out: IO[str], contacts: Iterable[Contact], *, emails: int, phones: int, addresses: int, websites: int
) -> int:
    """Write the header and one row per contact; returns how many rows."""
    columns = headers(emails=emails, phones=phones, addresses=addresses, websites=websites)
    writer = csv.DictWriter(out, fieldnames=columns, restval="", extrasaction="raise")
    writer.writeheader()
    count = 0
    for contact in contacts:
        writer.writerow({key: _inert(value) for key, value in _row(contact).items()})
        count += 1
    return count


def _row(contact: Contact) -> dict[str, str]:
    row = {
        "First Name": contact.given_name,
        "Last Name": contact.family_name,
        "File As": contact.display_name,
        "Organization Name": contact.organization,
        "Organization Title": contact.title,
        "Birthday": contact.birthday or "",
        "Notes": contact.note_text(),
        "Labels": LABEL_SEPARATOR.join(contact.tags),
        ID_HEADER: person_ref(contact.id, contact.created_at),
    }
    if not contact.given_name and not contact.family_name:
        row["First Name"] = contact.display_name
    _numbered(row, "E-mail", "Value", contact.emails)
    _numbered(row, "Phone", "Value", contact.phones)
    _numbered(row, "Address", "Formatted", contact.addresses)
    _numbered(row, "Website", "Value", [(url, kind) for url, kind in contact.links])
    return row


def _numbered(row: dict[str, str], group: str, value_part: str, items: list[tuple[str, str]]) -> None:
    for n, (value, label) in enumerate(items, start=1):
        row[f"{group} {n} - Label"] = label.capitalize()
        row[f"{group} {n} - {value_part}"] = value


def _inert(value: str) -> str:
    """Keep spreadsheets from evaluating a cell: a leading quote, as OWASP advises."""
    return "'" + value if _FORMULA.match(value) else value
