"""Errors a person running `speedmatch` can fix themselves, and how to say what they are."""

from alembic.util import CommandError
from sqlalchemy.exc import DBAPIError

from app.db import SchemaNotCurrent, describe, reason
from app.settings import SettingsError, UnsafeSettings, get_settings

OPERATOR_ERRORS = (SettingsError, UnsafeSettings, SchemaNotCurrent, DBAPIError, CommandError)


def explain(error: BaseException) -> str:
    """One message for `error`, without SQL, tracebacks or the database password."""
    if isinstance(error, DBAPIError):
        return f"the database {describe(get_settings().effective_database_url)}: {reason(error)}"
    return str(error)
