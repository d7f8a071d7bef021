"""Imports every sub-command module so that each registers itself on `cli`."""

from app.cli import db, serve  # noqa: F401
