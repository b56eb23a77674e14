"""`knowwho serve`: the web UI and JSON API over the same database."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from knowwho.cli.app import SERVER, DbOption, app
from knowwho.cli.key_option import KeyFileOption
from knowwho.cli.render import console

PASSWORD_ENV = "KNOWWHO_PASSWORD"


@app.command(rich_help_panel=SERVER)
def serve(
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (beyond 127.0.0.1 needs a password).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on.")] = 8765,
    password_file: Annotated[
        Path | None, typer.Option("--password-file", help=f"A file holding the password (or set {PASSWORD_ENV}).")
    ] = None,
    open_browser: Annotated[bool, typer.Option("--open", help="Open the web UI in your browser.")] = False,
    sync_every: Annotated[
        int,
        typer.Option("--sync-every", min=0, max=24 * 60, help="Sync every source this often, in minutes (0: never)."),
    ] = 15,
    key_file: KeyFileOption = None,
    db: DbOption = None,
) -> None:
    """Start the web UI and the JSON API (at /api, described at /openapi.json)."""
    import uvicorn

    from knowwho.errors import InvalidInput
    from knowwho.storage import default_path
    from knowwho.web.app import create_app
    from knowwho.web.security import check_listen

    host = host.strip()
    if host.startswith("[") and host.endswith("]"):  # an IPv6 address as written in a URL: [::1]
        host = host[1:-1]
    if not host:
        raise InvalidInput("--host is empty: give an address such as 127.0.0.1")
    password = os.environ.get(PASSWORD_ENV) or None
    if password_file is not None:
        try:
            password = password_file.read_text(encoding="utf-8").strip() or None
        except (OSError, UnicodeDecodeError) as error:
            reason = error.strerror if isinstance(error, OSError) else "not text"
            raise InvalidInput(f"{password_file}: cannot read the password file ({reason})") from None
    check_listen(host, password)
    port = _free_port(host, port)
    from knowwho.services.privacy import key_file_named

    with key_file_named(key_file):  # an encrypted database's key is read once, here
        web = create_app(db or default_path(), host=host, password=password, sync_every=sync_every * 60 or None)
    shown = f"[{host}]" if ":" in host else host
    address = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else shown}:{port}/"
    console.print(f"knowwho is at {address}  (Ctrl+C stops it)")
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.0, webbrowser.open, args=(address,)).start()
    uvicorn.run(web, host=host, port=port, log_level="warning", proxy_headers=False, server_header=False)


def _free_port(host: str, port: int) -> int:
    """The port to listen on: `port`, or one the system picks for --port 0 (so the address shown is the real one).

    Fails in one line, before anything starts, when the address is taken or cannot be used.
    """
    import errno
    import socket

    from knowwho.errors import InvalidInput

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server itself binds
        try:
            probe.bind((host.strip("[]"), port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise InvalidInput(f"port {port} is already in use on {host}; choose another with --port") from None
            if isinstance(error, socket.gaierror) or error.errno == errno.EADDRNOTAVAIL:
                raise InvalidInput(f"--host {host}: not an address of this computer") from None
            if error.errno == errno.EACCES:
                raise InvalidInput(
                    f"port {port} needs administrator rights; choose one above 1023 with --port"
                ) from None
            raise InvalidInput(f"cannot listen on {host} port {port} ({error.strerror or 'refused'})") from None
        return int(probe.getsockname()[1])
