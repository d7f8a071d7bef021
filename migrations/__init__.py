"""Alembic migrations: env.py and versions/ (`speedmatch db upgrade` runs them)."""
