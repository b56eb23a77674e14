"""`knowwho encrypt` and `knowwho decrypt`: the database encrypted at rest, or plain again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from knowwho.cli.app import SERVER, DbOption, JsonOption, app, print_json
from knowwho.cli.key_option import KeyFileOption
from knowwho.cli.render import console

if TYPE_CHECKING:
    from knowwho.services.privacy import PrivacyResult


@app.command(rich_help_panel=SERVER)
def encrypt(key_file: KeyFileOption = None, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Encrypt the database at rest (SQLCipher); its key goes to your keyring, or to --key-file.

    A new database starts encrypted. The plain file is replaced only once the
    encrypted copy has been checked; stop `knowwho serve` first.
    """
    from knowwho.services.privacy import encrypt as run
    from knowwho.storage import default_path

    result = run(db or default_path(), key_file)
    if as_json:
        print_json(result.to_dict())
    else:
        report_encrypted(result)


@app.command(rich_help_panel=SERVER)
def decrypt(key_file: KeyFileOption = None, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Turn an encrypted database back into a plain SQLite file (its key stays where it is)."""
    from knowwho.services.privacy import decrypt as run
    from knowwho.storage import default_path

    result = run(db or default_path(), key_file)
    if as_json:
        print_json(result.to_dict())
        return
    console.print(
        f"{result.path} is a plain SQLite file again: anyone who can read it can read your network.", markup=False
    )


def report_encrypted(result: PrivacyResult) -> None:
    """Where the key is, and which older backups beside the database are still plain."""
    console.print(f"{result.path} is encrypted; its key: {result.key_place}.", markup=False)
    if result.plain_copies:
        names = ", ".join(p.name for p in result.plain_copies[:3]) + (" …" if len(result.plain_copies) > 3 else "")
        console.print(
            f"{len(result.plain_copies)} older backups beside it are still plain ({names}): "
            "delete them, or keep them somewhere safe.",
            markup=False,
        )
