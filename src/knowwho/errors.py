"""User-facing errors: each type maps to one message, an exit code and an HTTP status."""


class KnowwhoError(Exception):
    """A mistake the user can fix; shown as one line, never a traceback.

    The message is the command line's; `plain` is the same without what only the command line can do (a command
    to run, an option to give), which the web and the API show instead.
    """

    exit_code = 1
    http_status = 400

    def __init__(self, *args: object, plain: str | None = None) -> None:
        super().__init__(*args)
        self.plain = str(self) if plain is None else plain


class NotFound(KnowwhoError):
    exit_code = 1
    http_status = 404


class Ambiguous(KnowwhoError):
    """A name matched several records; `candidates` lists them."""

    exit_code = 2
    http_status = 409

    def __init__(self, message: str, candidates: list[str]) -> None:
        super().__init__(message)
        self.candidates = candidates


class InvalidInput(KnowwhoError):
    exit_code = 2
    http_status = 422


class InvalidSetting(InvalidInput):
    """A setting refused: `field` names it and `problem` says what is wrong.

    The message names the command-line option (`--port 70000 is not a port
    number`); a form or the API names the field instead (`port: 70000 is not...`).
    """

    def __init__(self, field: str, problem: str, *, option: str | None = None) -> None:
        self.field, self.problem = field, problem
        option = f"--{field.replace('_', '-')}" if option is None else option
        super().__init__(f"{option} {problem}".strip(), plain=f"{field.replace('_', ' ')} {problem}")


class ImportFailed(KnowwhoError):
    """A file that cannot be read at all (missing, wrong format)."""

    exit_code = 2
    http_status = 422


class NothingToUndo(KnowwhoError):
    exit_code = 1
    http_status = 409


class AlreadyKnown(KnowwhoError):
    """Adding someone whose email or profile URL is already another person's."""

    exit_code = 2
    http_status = 409

    def __init__(self, message: str, person_id: int) -> None:
        super().__init__(message)
        self.person_id = person_id


class DatabaseBusy(KnowwhoError):
    """Another program held the database's write lock for longer than we wait."""

    exit_code = 2
    http_status = 503
    retry_after = 5  # seconds an API client should wait before trying again


class Interrupted(KnowwhoError):
    """The user stopped a long command (Ctrl+C); the message says what was kept."""

    exit_code = 130
    http_status = 503


class DatabaseLocked(KnowwhoError):
    """The database is encrypted and no key (or a wrong one) was given."""

    exit_code = 2
    http_status = 503


class SyncFailed(KnowwhoError):
    """A sync source could not be synced (wrong password, unreachable server, refused certificate...)."""

    exit_code = 3
    http_status = 502


class SyncRunning(SyncFailed):
    """Another sync of the same database is running (from the server or the command line)."""

    http_status = 409
