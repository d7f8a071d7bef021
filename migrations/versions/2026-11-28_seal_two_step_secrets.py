"""seal two-step sign-in secrets at rest

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 00:30:00

Secrets stored in the clear by 0004 are sealed with the configured SPEEDMATCH_SECRET_KEY
(`app.organisers.sealed`); the column grows to hold the sealed form. Downgrading opens them
again with the same key.
"""

import re
from collections.abc import Callable, Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import context, op

from app.organisers.sealed import seal, unseal
from app.settings import Settings

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

organiser = sa.table(
    'organiser',
    sa.column('id', sa.String),
    sa.column('totp_secret', sa.String),
    sa.column('totp_enabled', sa.Boolean),
)
PLAIN = re.compile(r'[A-Z2-7]{16,64}')  # base32, as pyotp makes them; sealed values are not


def _rewrite(change: Callable[[str], str | None]) -> None:
    connection = op.get_bind()
    stored = organiser.c.totp_secret
    rows = connection.execute(sa.select(organiser.c.id, stored).where(stored.is_not(None))).all()
    for row_id, value in rows:
        new = change(value)
        if new != value:
            connection.execute(
                organiser.update().where(organiser.c.id == row_id).values(totp_secret=new)
            )


def _secret_key() -> str:
    """The caller's key (`app.cli.db.upgrade(secret_key=...)`), else the environment's, read
    afresh: caching the process settings here pinned them to whatever database the environment
    named before the caller chose its own."""
    given = context.config.attributes.get('secret_key')
    return given if given is not None else Settings().secret_key


def _resize(old: int, new: int) -> None:
    with op.batch_alter_table('organiser', schema=None) as batch_op:
        batch_op.alter_column(
            'totp_secret',
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=old),
            type_=sqlmodel.sql.sqltypes.AutoString(length=new),
            existing_nullable=True,
        )


def upgrade() -> None:
    _resize(64, 255)  # the sealed form is longer
    key = _secret_key()
    _rewrite(lambda value: seal(value, key) if PLAIN.fullmatch(value) else value)


def downgrade() -> None:
    key = _secret_key()
    # A secret that does not open (another key) cannot be kept in the clear: dropped, which
    # turns two-step sign-in off for that organiser rather than locking them out.
    _rewrite(lambda value: unseal(value, key))
    op.get_bind().execute(
        organiser.update().where(organiser.c.totp_secret.is_(None)).values(totp_enabled=False)
    )
    _resize(255, 64)
