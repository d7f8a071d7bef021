"""Imports every sub-command module so that each registers itself on `cli`."""

from app.cli import db, demo, organiser, plan, serve  # noqa: F401
