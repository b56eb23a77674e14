"""`knowwho serve`: the web UI and JSON API over the same database."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from knowwho.cli.app import DbOption, app
from knowwho.cli.render import console

PASSWORD_ENV = "KNOWWHO_PASSWORD"


@app.command()
def serve(
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (beyond 127.0.0.1 needs a password).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on.")] = 8765,
    password_file: Annotated[
        Path | None, typer.Option("--password-file", help=f"A file holding the password (or set {PASSWORD_ENV}).")
    ] = None,
    open_browser: Annotated[bool, typer.Option("--open", help="Open the web UI in your browser.")] = False,
    db: DbOption = None,
) -> None:
    """Start the web UI and the JSON API (at /api, described at /openapi.json)."""
    import uvicorn

    from knowwho.errors import InvalidInput
    from knowwho.storage import default_path
    from knowwho.web.app import create_app

    password = os.environ.get(PASSWORD_ENV) or None
    if password_file is not None:
        try:
            password = password_file.read_text(encoding="utf-8").strip() or None
        except OSError as error:
            raise InvalidInput(f"{password_file}: cannot read the password file ({error.strerror})") from error
    web = create_app(db or default_path(), host=host, password=password)
    shown = f"[{host}]" if ":" in host else host
    address = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else shown}:{port}/"
    console.print(f"knowwho is at {address}  (Ctrl+C stops it)")
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.0, webbrowser.open, args=(address,)).start()
    uvicorn.run(web, host=host, port=port, log_level="warning", proxy_headers=False, server_header=False)
