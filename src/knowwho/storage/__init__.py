"""The data-access package: every SQL statement of knowwho lives below here."""

from knowwho.storage.database import Database, default_path

__all__ = ["Database", "default_path"]
