"""Imports run in a background thread so the page can show their progress and then their summary.

When the server stops, running imports are stopped first (as Ctrl+C stops one
on the command line: the open batch rolled back, what was committed kept) and
only then are the connections closed; the uploaded copies are removed either way.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from knowwho.errors import Interrupted, KnowwhoError
from knowwho.services.upkeep import refresh_statistics

if TYPE_CHECKING:
    from knowwho.web.state import KnowwhoPool

KEEP_SECONDS = 6 * 3600  # finished jobs are forgotten after this
log = logging.getLogger(__name__)


class ServerStopping(KeyboardInterrupt):
    """Raised in a stopping import's progress report: its session then ends it as it ends one on Ctrl+C."""


@dataclass
class Job:
    id: str
    kind: str
    filename: str
    state: str = "running"  # running, done, failed
    done: int = 0
    total: int | None = None
    report: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    started: float = field(default_factory=time.time)
    finished: float | None = None
    folder: Path | None = None  # the private temporary folder holding the upload
    stopping: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "kind": self.kind, "filename": self.filename, "state": self.state, "done": self.done,
            "total": self.total, "report": self.report, "error": self.error,
        }  # fmt: skip


class Jobs:
    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def start(self, pool: KnowwhoPool, kind: str, path: Path, filename: str, **options: Any) -> Job:
        """Run the import of `path` (a temporary copy of the upload, removed afterwards) in a thread."""
        job = Job(id=secrets.token_urlsafe(12), kind=kind, filename=filename, folder=path.parent)
        with self._lock:
            self._forget_old()
            self._jobs[job.id] = job
        job.thread = threading.Thread(target=self._run, args=(job, pool, path, options), daemon=True, name="import")
        job.thread.start()
        return job

    def stop_all(self, timeout: float) -> None:
        """Stop the running imports and wait for them (up to `timeout` seconds in all); remove their uploads."""
        with self._lock:
            running = [job for job in self._jobs.values() if job.state == "running"]
        for job in running:
            job.stopping.set()
        deadline = time.monotonic() + timeout
        for job in running:
            if job.thread is not None:
                job.thread.join(max(0.0, deadline - time.monotonic()))
            if job.folder is not None:  # gone already unless the import is still busy past the timeout
                shutil.rmtree(job.folder, ignore_errors=True)

    def _run(self, job: Job, pool: KnowwhoPool, path: Path, options: dict[str, Any]) -> None:
        from knowwho.services.imports import run_import

        def progress(done: int, total: int | None) -> None:
            job.done, job.total = done, total
            if job.stopping.is_set():
                raise ServerStopping

        try:
            with pool.borrow() as kw:
                report = run_import(kw, job.kind, path, progress=progress, **options)
                refresh_statistics(kw.ctx)  # the tables may have grown a lot
            job.report = _named(report.to_dict(), path, job.filename)
            # Each problem with its file and place apart, for the summary's table.
            job.report["problem_list"] = [
                {
                    "file": _shown_file(p.file, path, job.filename),
                    "where": p.where,
                    "message": _named(p.message, path, job.filename),
                }
                for p in report.problems
            ]
            job.state = "done"
        except Interrupted as error:  # stopped with the server, inside the import's session
            job.error, job.state = f"{job.filename}: the server stopped; {error}", "failed"
        except ServerStopping:  # stopped with the server, after the import's last batch
            job.error, job.state = f"{job.filename}: the server stopped as the import ended; run it again", "failed"
        except KnowwhoError as error:  # without a command line's option to get past it: no help here
            job.error, job.state = _named(error.plain, path, job.filename), "failed"
        except Exception:  # an importer bug must not kill the server, nor show the user its Python words
            log.exception("import of %s (%s) failed", job.filename, job.kind)
            job.error, job.state = _unreadable(job), "failed"
        finally:
            job.finished = time.time()
            shutil.rmtree(path.parent, ignore_errors=True)

    def _forget_old(self) -> None:
        now = time.time()
        for key in [k for k, j in self._jobs.items() if j.finished and now - j.finished > KEEP_SECONDS]:
            del self._jobs[key]


def _unreadable(job: Job) -> str:
    """What to tell the user when an importer met something it did not expect (the details go to the log)."""
    where = f"record {job.done + 1:,}" if job.done else "its first records"
    return (
        f"{job.filename}: the import stopped near {where}, on a value it could not read (a number, date or "
        "field in a form it does not know). What came before it is imported, and Undo takes it back; "
        "the server's log has the details for a bug report."
    )


def _shown_file(file: str, path: Path, filename: str) -> str:
    """The uploaded file's name, or the name of a file inside it (an export zip holds several)."""
    shown = str(_named(file, path, filename)).lstrip("/\\")
    return shown or filename


def _named(value: Any, path: Path, filename: str) -> Any:
    """Messages name the file the user uploaded, not the temporary copy the importer read."""
    if isinstance(value, str):
        return value.replace(str(path), filename).replace(str(path.parent), "")
    if isinstance(value, list):
        return [_named(v, path, filename) for v in value]
    if isinstance(value, dict):
        return {k: _named(v, path, filename) for k, v in value.items()}
    return value
