"""The speedmatch service: HTTP, database, settings and pages."""
