"""`knowwho import json PATH`: restore a knowwho JSON export into an empty database."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from knowwho.importers.base import ImportReport, Progress

if TYPE_CHECKING:
    from knowwho.core import Knowwho


def import_path(kw: Knowwho, path: Path, *, progress: Progress | None = None, **options: Any) -> ImportReport:
    from knowwho.services.exports import restore_json

    result = restore_json(kw, path, progress=progress)
    report = ImportReport(kind="json", files=[str(path)])
    report.added = result.tables.get("people", 0)
    report.interactions_added = result.tables.get("interactions", 0)
    report.knows_added = result.tables.get("knows", 0)
    report.notes.append(f"restored {result.count} rows in {len(result.tables)} tables")
    return report
