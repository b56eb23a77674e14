"""The service layer: every rule of knowwho, used alike by the CLI, the web UI and the API."""
