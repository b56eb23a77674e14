"""`--key-file`: the key of an encrypted database, for the commands that take it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from knowwho.cli.app import KeyFileOption, open_app

if TYPE_CHECKING:
    from knowwho.core import Knowwho

__all__ = ["KeyFileOption", "open_keyed"]


def open_keyed(db: Path | None, key_file: Path | None) -> Knowwho:
    """The database of `--db`, an encrypted one opening with the key in `--key-file` when one is named."""
    from knowwho.services.privacy import key_file_named

    if key_file is None:
        return open_app(db)
    with key_file_named(key_file):
        return open_app(db)
