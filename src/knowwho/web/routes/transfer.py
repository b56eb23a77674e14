"""Import / export: upload a file per importer with a progress view and the summary; download exports."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, JSONResponse, Response
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from knowwho.errors import InvalidInput, NotFound
from knowwho.services import imports
from knowwho.services.file_kinds import HEAD_BYTES, detect_kind
from knowwho.web import transfer
from knowwho.web.jobs import Jobs
from knowwho.web.routes.common import Kw, done, wants_json
from knowwho.web.state import state_of
from knowwho.web.templating import render

router = APIRouter()
MISSING_ME = (
    "Which email addresses are yours? Mail and calendar imports need at least one, to tell what you sent "
    "from what you received and which meetings were yours. Type it above (it is remembered)."
)
JobId = Annotated[str, PathParam(max_length=40, pattern="^[A-Za-z0-9_-]+$")]


def _jobs(request: Request) -> Jobs:
    return state_of(request).jobs


@router.get("/transfer")
def transfer_page(request: Request, kw: Kw) -> Response:
    return _transfer_page(request, kw)


def _transfer_page(request: Request, kw: Kw, *, problem: tuple[str, str] | None = None, me: str = "") -> Response:
    """The page; `problem` is (import kind, message) for a form sent back to be corrected (to a script: its
    message, as JSON)."""
    if problem and wants_json(request):
        raise InvalidInput(problem[1])
    saved = ", ".join(imports.my_addresses(kw))
    return render(request, "transfer.html", {
        "active": "transfer", "title": "Import / export", "kinds": transfer.import_kinds(),
        "exports": transfer.EXPORTS, "exports_available": transfer.exports_available(),
        "max_mb": state_of(request).config.max_upload_bytes // (1024 * 1024),
        "needs_me": imports.NEEDS_MY_ADDRESSES, "my_addresses": me or saved, "problem": problem,
    }, status=400 if problem else 200)  # fmt: skip


@router.post("/transfer/import")
async def start_import(
    request: Request,
    kw: Kw,
    file: Annotated[UploadFile, File()],
    kind: Annotated[str, Form(max_length=20, description="An importer, or 'auto': recognise the file")] = "auto",
    me: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    if not file.filename:
        raise InvalidInput("choose a file to import")
    if kind == "auto":
        found = detect_kind(file.filename, await file.read(HEAD_BYTES))
        await file.seek(0)
        if found is None:
            problem = f"Which kind of file is {file.filename}? knowwho cannot tell: choose it under “What it is”."
            return _transfer_page(request, kw, problem=("auto", problem), me=me)
        kind = found
    available = {k.kind for k in transfer.import_kinds() if k.available}
    if kind not in available:
        raise InvalidInput(f"there is no {kind!r} importer in this installation")
    options: dict[str, Any] = {}
    if kind in imports.NEEDS_MY_ADDRESSES:
        # Checked before the upload is kept, so the form comes back with the fix to make.
        try:
            given = imports.parse_addresses(me)
        except InvalidInput as error:
            return _transfer_page(request, kw, problem=(kind, f"Your email addresses: {error}."), me=me)
        if not given and not imports.my_addresses(kw):
            return _transfer_page(request, kw, problem=(kind, MISSING_ME))
        options["me"] = given
    target = transfer.upload_folder(file.filename)
    try:
        await run_in_threadpool(_store, file, target)
        job = _jobs(request).start(state_of(request).pool, kind, target, file.filename, **options)
    except BaseException:  # the upload broke off, or the server is stopping: keep no copy of it
        shutil.rmtree(target.parent, ignore_errors=True)
        raise
    return done(request, f"/transfer/jobs/{job.id}", "Import started.", job=job.to_dict())


def _store(file: UploadFile, target: Path) -> None:
    """Keep the upload as a plain file (data for an importer to parse, never run)."""
    with target.open("wb") as out:
        shutil.copyfileobj(file.file, out)


@router.get("/transfer/jobs/{job_id}")
def job_page(request: Request, job_id: JobId) -> Response:
    job = _jobs(request).get(job_id)
    if job is None:
        raise NotFound("this import is not known (finished imports are forgotten after a few hours)")
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse(job.to_dict())
    return render(request, "import_job.html", {"active": "transfer", "title": "Import", "job": job})


@router.get("/transfer/export/{kind}")
def download(kw: Kw, kind: Annotated[str, PathParam(max_length=20)]) -> Response:
    path, filename, media_type = transfer.run_export(kw, kind)
    cleanup = BackgroundTask(shutil.rmtree, path.parent, ignore_errors=True)
    return FileResponse(path, media_type=media_type, filename=filename, background=cleanup)
