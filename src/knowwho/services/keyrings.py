"""The operating system's keyring (the `keyring` package), loaded without a backend that cannot work here."""

from __future__ import annotations

import sys
from types import ModuleType


def keyring_module() -> ModuleType:
    """`import keyring`, without 30–40 ms of a 0.2 s keyring lookup on Linux.

    keyring imports every backend to choose one, and its macOS backend looks for Apple's libraries with
    `ctypes.util.find_library`, which on Linux runs `ldconfig` and a compiler. Off macOS that backend
    refuses to run whatever it finds, so its library lookup is skipped: the choice is the same.
    """
    if sys.platform != "darwin":
        sys.modules.setdefault("keyring.backends.macOS.api", None)  # type: ignore[arg-type]  # None: not importable
    import keyring

    return keyring
