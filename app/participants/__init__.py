"""Participants: CRUD, CSV import, personal links."""
