"""Reading a datetime column straight from a migrated database, as a migration left it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import create_engine, text


def stored_times(url: str, query: str) -> dict[str, datetime | None]:
    """`query` selects (key, time) rows; the times as datetimes on both databases (SQLite hands
    back the stored text)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text(query)).all()
    finally:
        engine.dispose()
    return {
        str(key): at if at is None or isinstance(at, datetime) else datetime.fromisoformat(at)
        for key, at in rows
    }
