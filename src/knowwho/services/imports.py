"""Running an import of any kind: check the input, dispatch to its importer, return the report."""

from __future__ import annotations

import re
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from knowwho.errors import ImportFailed, InvalidInput

if TYPE_CHECKING:
    from knowwho.core import Knowwho
    from knowwho.importers.base import ImportReport, Progress

# kind -> module under knowwho.importers with `import_path(kw, path, *, progress, **options) -> ImportReport`
IMPORTERS = {
    "linkedin": "linkedin",
    "vcard": "vcard",
    "csv": "csv_contacts",
    "ics": "ics",
    "mail": "mail",
    "json": "json_restore",
}


def run_import(
    kw: Knowwho, kind: str, path: str | Path, *, progress: Progress | None = None, **options: Any
) -> ImportReport:
    if kind not in IMPORTERS:
        raise InvalidInput(f"unknown import kind {kind!r}: use one of {', '.join(IMPORTERS)}")
    source = Path(path).expanduser()
    if not source.exists():
        raise ImportFailed(f"{source}: no such file or folder")
    if not (source.is_file() or source.is_dir()):  # a pipe (`<(...)`) cannot be read twice, and may never end
        raise ImportFailed(f"{source}: not a file but a pipe or a device; save it to a file and import that")
    try:
        module = import_module(f"knowwho.importers.{IMPORTERS[kind]}")
    except ModuleNotFoundError as missing:
        raise ImportFailed(f"the {kind} importer is not available in this installation ({missing})") from missing
    # One change with the refit it may bring: `knowwho undo` takes back both.
    with kw.db.journaled(f"imported {kind}", kw.ctx.now_stamp()):
        report: ImportReport = module.import_path(kw, source, progress=progress, **options)
        _learn_if_grown(kw)
    return report


def _learn_if_grown(kw: Knowwho) -> None:
    """Refit tie strength on the user's history once an import has grown it enough."""
    from knowwho.services import tie_strength
    from knowwho.services.calibration import refit_if_grown

    with kw.ctx.change("learned tie strength's weights from your history") as conn:
        refit_if_grown(conn, now_julian=tie_strength.julian(kw.ctx.now_stamp()))


# -- the user's own email addresses (mail and calendar imports tell sent from received with them) --------
NEEDS_MY_ADDRESSES = ("mail", "ics")


def parse_addresses(text: str) -> list[str]:
    """Addresses typed in one field, separated by commas, semicolons, spaces or lines; each checked."""
    found = []
    for value in re.split(r"[,;\s]+", text.strip()):
        address = value.strip().strip("<>").lower()
        if not address:
            continue
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", address):
            raise InvalidInput(f"{value!r} is not an email address")
        found.append(address)
    return list(dict.fromkeys(found))


def my_addresses(kw: Knowwho) -> list[str]:
    from knowwho.storage import provenance as provenance_store

    return sorted(provenance_store.my_emails(kw.db.conn))


def set_my_addresses(kw: Knowwho, addresses: list[str]) -> list[str]:
    """Replace the saved addresses (each checked first, so a typo changes nothing)."""
    from knowwho.storage import provenance as provenance_store

    checked = parse_addresses(" ".join(addresses))
    with kw.ctx.change("changed your email addresses") as conn:
        provenance_store.replace_my_emails(conn, checked)
    return my_addresses(kw)
