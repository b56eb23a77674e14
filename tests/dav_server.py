"""The Radicale CardDAV/CalDAV server of the sync tests (`tools/local_servers/radicale.py`), as pytest fixtures;
a test skips, saying how to install it, when Radicale is missing."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tools.local_servers import radicale as server_module
from tools.local_servers.radicale import PASSWORD, USER, DavServer, calendar_text, free_port, with_uid

__all__ = ["PASSWORD", "USER", "DavServer", "calendar_text", "free_port", "radicale", "with_uid"]


@contextmanager
def radicale(folder: Path, *, tls: tuple[Path, Path] | None = None) -> Iterator[DavServer]:
    try:
        with server_module.radicale(folder, tls=tls) as server:
            yield server
    except server_module.ServerMissing as missing:
        pytest.skip(str(missing))


@pytest.fixture(scope="session")
def dav_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DavServer]:
    with radicale(tmp_path_factory.mktemp("radicale")) as server:
        yield server


@pytest.fixture(scope="session")
def dav_server_tls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DavServer]:
    """The same server over https, with a self-signed certificate that nobody trusts."""
    folder = tmp_path_factory.mktemp("radicale-tls")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    with radicale(folder, tls=(folder / "cert.pem", folder / "key.pem")) as server:
        yield server
