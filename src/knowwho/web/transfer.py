"""What the Import / export page can offer: the importers and exporters present in this installation.

The importers and exporters live in their own packages; a missing one makes
its row on the page say so instead of breaking the page.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from knowwho.core import Knowwho
from knowwho.errors import InvalidInput

IMPORT_LABELS = {
    "linkedin": ("LinkedIn export", "The .zip LinkedIn sends you, or Connections.csv / messages.csv", ".zip,.csv"),
    "vcard": ("vCard address book", "A .vcf file from your phone, Apple, Google or Outlook", ".vcf,.vcard"),
    "csv": ("Contacts CSV", "A Google Contacts or Outlook export", ".csv"),
    "ics": ("Calendar", "An .ics file: meetings with attendees become conversations", ".ics"),
    "mail": ("Email", "An mbox file or a single .eml message (headers only are read)", ".mbox,.eml,.mbx,.txt"),
    "json": ("knowwho backup", "A JSON export from knowwho, into an empty database", ".json"),
}
EXPORTS = {
    "json": ("Everything (JSON)", "knowwho.json", "application/json", "export_json"),
    "vcard": ("Contacts (vCard 4.0)", "contacts.vcf", "text/vcard", "export_vcard"),
    "csv": ("Contacts (CSV)", "contacts.csv", "text/csv", "export_csv"),
    "ics": ("Follow-ups (iCalendar)", "follow-ups.ics", "text/calendar", "export_ics"),
    "network": ("Who knows whom (JSON graph)", "network.json", "application/json", "export_network"),
    "backup": ("Database backup (SQLite)", "knowwho-backup.db", "application/vnd.sqlite3", "backup"),
}


@dataclass(frozen=True, slots=True)
class ImportKind:
    kind: str
    label: str
    hint: str
    accept: str
    available: bool


def import_kinds() -> list[ImportKind]:
    """Every import kind the page can offer, each marked available when its importer is installed."""
    try:
        registry: dict[str, str] = importlib.import_module("knowwho.services.imports").IMPORTERS
    except ImportError:
        registry = {}
    kinds = []
    for kind, (label, hint, accept) in IMPORT_LABELS.items():
        module = registry.get(kind)
        available = bool(module) and importlib.util.find_spec(f"knowwho.importers.{module}") is not None
        kinds.append(ImportKind(kind, label, hint, accept, available))
    return kinds


def exports_available() -> bool:
    return importlib.util.find_spec("knowwho.services.exports") is not None


def export_function(kind: str) -> Callable[..., Any]:
    if kind not in EXPORTS:
        raise InvalidInput(f"unknown export {kind!r}: use one of {', '.join(EXPORTS)}")
    try:
        module = importlib.import_module("knowwho.services.exports")
    except ImportError as missing:
        raise InvalidInput("exports are not available in this installation") from missing
    function: Callable[..., Any] = getattr(module, EXPORTS[kind][3])
    return function


def run_export(kw: Knowwho, kind: str) -> tuple[Path, str, str]:
    """Write the export into a fresh temporary folder: (path, download name, media type)."""
    function = export_function(kind)
    folder = Path(tempfile.mkdtemp(prefix="knowwho-export-"))
    _label, filename, media_type, _name = EXPORTS[kind]
    target = folder / filename
    function(kw, target)
    return target, filename, media_type


def upload_folder(filename: str) -> Path:
    """A private temporary path for an upload, keeping only a safe suffix of its name (importers look at it)."""
    suffix = Path(filename or "upload").suffix.lower()
    if not re.fullmatch(r"\.[a-z0-9]{1,8}", suffix):
        suffix = ""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", Path(filename or "upload").stem)[:60] or "upload"
    return Path(tempfile.mkdtemp(prefix="knowwho-import-")) / f"{stem}{suffix}"
