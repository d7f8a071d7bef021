"""The agency's organiser accounts: who has access, and taking it away (a colleague who left,
an invite sent to a wrong address).

Organisers are colleagues with equal rights, so any of them may remove another account, except
their own and one that still owns events: an event belongs to one account, and removing its
owner would leave it with none. The database's foreign key from event to organiser has the last
word: an event the account creates while it is being removed makes the delete fail, which is
answered with the same refusal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app import audit
from app.errors import Conflict, NotFound, for_organisers
from app.models import ApiToken, Event, Organiser, utcnow
from app.settings import Settings

REMOVE_ACTION = "organiser.remove"
NOT_YOURSELF = for_organisers(
    "You cannot remove your own account. Ask a colleague to remove it if you leave."
)
OWNS_EVENTS = for_organisers(
    "The account of %(email)s still owns events (%(n)s). An event belongs to one account: "
    "delete those events first (finish a live one before deleting it)."
)
CHANGED = for_organisers(
    "The account changed at the same moment, so nothing was removed. Please try again."
)
NO_SUCH_ACCOUNT = for_organisers("This organiser account does not exist (any more).")


class Status(StrEnum):
    INVITED = "invited"  # invite link not used yet
    INVITE_EXPIRED = "invite_expired"  # link not used, and too old to work
    ACTIVE = "active"  # signed in at least once, or given a password


@dataclass(frozen=True)
class Removed:
    id: str
    name: str
    email: str


@dataclass(frozen=True)
class Colleague:
    organiser: Organiser
    status: Status
    events: int  # events the account owns
    invite_expires_at: datetime | None  # naive UTC; only while invited


def list_colleagues(session: Session, *, settings: Settings) -> list[Colleague]:
    """Every organiser account, oldest first, with its status and number of events."""
    statement = select(Organiser).order_by(col(Organiser.created_at), col(Organiser.id))
    organisers = list(session.exec(statement))
    counted = select(Event.organiser_id, func.count()).group_by(col(Event.organiser_id))
    counts = {owner: int(n) for owner, n in session.exec(counted)}
    now = utcnow()
    colleagues = []
    for organiser in organisers:
        status, expires = Status.ACTIVE, None
        if _invited(organiser):
            # A link from before issue times were stored was sent when the account was made.
            sent = organiser.invite_issued_at or organiser.created_at
            expires = sent + timedelta(days=settings.invite_days)
            status = Status.INVITED if now <= expires else Status.INVITE_EXPIRED
        colleagues.append(Colleague(organiser, status, counts.get(organiser.id, 0), expires))
    return colleagues


def _invited(organiser: Organiser) -> bool:
    return organiser.invite_token_hash is not None and organiser.password_hash is None


def events_owned(session: Session, organiser_id: str) -> int:
    statement = select(func.count()).select_from(Event).where(Event.organiser_id == organiser_id)
    return int(session.exec(statement).one())


def remove(session: Session, *, actor: Organiser, organiser_id: str) -> Removed:
    """Deletes an organiser account (an unused invite included) with its API tokens: its
    session cookies and tokens stop working at once. Sign-in attempts are kept (they are
    counted per e-mail address, and expire)."""
    if organiser_id == actor.id:
        raise Conflict(NOT_YOURSELF)
    target = session.get(Organiser, organiser_id)
    if target is None:
        raise NotFound(NO_SUCH_ACCOUNT)
    removed = Removed(target.id, target.name, target.email)
    owned = events_owned(session, organiser_id)
    if owned:
        raise Conflict(OWNS_EVENTS, email=removed.email, n=owned)
    connection = session.connection()
    try:
        connection.execute(delete(ApiToken).where(col(ApiToken.organiser_id) == organiser_id))
        # Refused by the foreign key if an event of theirs was created since the count.
        gone = connection.execute(delete(Organiser).where(col(Organiser.id) == organiser_id))
    except IntegrityError:
        session.rollback()
        owned = events_owned(session, organiser_id)
        if owned:
            raise Conflict(OWNS_EVENTS, email=removed.email, n=owned) from None
        raise Conflict(CHANGED) from None  # e.g. an API token of theirs made at that moment
    if gone.rowcount != 1:  # a colleague removed it at the same moment
        session.rollback()
        raise NotFound(NO_SUCH_ACCOUNT)
    audit.record(
        session,
        actor=audit.actor_for(actor),
        action=REMOVE_ACTION,
        detail={"organiser_id": removed.id, "email": removed.email},
    )
    session.commit()
    session.expunge(target)
    return removed
