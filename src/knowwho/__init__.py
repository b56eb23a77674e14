"""knowwho: a local-first networking companion."""

__version__ = "0.1.0"
