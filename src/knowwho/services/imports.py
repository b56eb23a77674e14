"""Running an import of any kind: check the input, dispatch to its importer, return the report."""

from __future__ import annotations

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
    try:
        module = import_module(f"knowwho.importers.{IMPORTERS[kind]}")
    except ModuleNotFoundError as missing:
        raise ImportFailed(f"the {kind} importer is not available in this installation ({missing})") from missing
    report: ImportReport = module.import_path(kw, source, progress=progress, **options)
    return report
