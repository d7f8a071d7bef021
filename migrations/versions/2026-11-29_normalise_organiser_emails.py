"""normalise stored organiser e-mail addresses

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 03:00:00

Releases before 2026-11-28 stored addresses only trimmed and lower-cased, so one invited with
an accent typed as two characters (macOS does) or with an invisible character from a copied
address (zero-width space, soft hyphen, BOM) could never sign in: sign-in looks up the address
normalised (NFC, without format characters). Each such address is rewritten in that form, unless
another account already has it: then both stay as they are and the migration names them, for
whoever runs it to merge by hand (events belong to accounts). Downgrading keeps the normalised
addresses: every release since reads them.
"""

import logging
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger('alembic.runtime.migration')
organiser = sa.table('organiser', sa.column('id', sa.String), sa.column('email', sa.String))


def normalise(email: str) -> str:
    """As `app.validators.normalise_email` does it on 2026-11-29 (kept here as it was)."""
    composed = unicodedata.normalize('NFC', email)
    return ''.join(c for c in composed if unicodedata.category(c) != 'Cf').strip().lower()


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.select(organiser.c.id, organiser.c.email)).all()
    taken = {email: row_id for row_id, email in rows}
    for row_id, email in rows:
        wanted = normalise(email)
        if wanted == email:
            continue
        if wanted in taken:
            log.warning(
                'organiser %s (%r) and organiser %s share the address %s once normalised: '
                'left as they are, merge them by hand',
                row_id, email, taken[wanted], wanted,
            )
            continue
        connection.execute(
            organiser.update().where(organiser.c.id == row_id).values(email=wanted)
        )
        del taken[email]
        taken[wanted] = row_id


def downgrade() -> None:
    pass
