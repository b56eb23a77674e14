"""The web UI and JSON API (`knowwho serve`): server-rendered pages over the same services as the CLI."""
