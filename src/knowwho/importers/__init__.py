"""Importers: bring a real network in (LinkedIn, vCard, CSV, calendars, mail, JSON backups)."""
