"""Participants: list, add, edit, CSV import, personal links (stored hashed); removal.py removes."""

from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app import audit, versions
from app.errors import Conflict, NotFound, for_organisers
from app.models import AttendanceStatus, Event, EventPhase, Participant, utcnow
from app.participants import csv_import
from app.participants.checks import check_refs, check_unique, next_external_id, require_changeable
from app.security import PARTICIPANT_COOKIE, hash_token, new_token, sign_cookie
from app.settings import Settings


def personal_link(settings: Settings, token: str) -> str:
    """The participant's personal page; the token in it is their only credential."""
    return f"{settings.base_url.rstrip('/')}/p/{token}"


def session_cookie(participant: Participant, *, settings: Settings) -> str:
    """Signed participant session cookie; re-issuing the link (token_version) revokes it."""
    return sign_cookie(
        {"p": participant.id, "v": participant.token_version},
        secret_key=settings.secret_key,
        kind=PARTICIPANT_COOKIE,
    )


def list_participants(session: Session, *, event_id: str) -> list[Participant]:
    statement = (
        select(Participant)
        .where(Participant.event_id == event_id, col(Participant.deleted).is_(False))
        .order_by(col(Participant.created_at), col(Participant.external_id))
    )
    return list(session.exec(statement))


def get_participant(session: Session, *, event_id: str, participant_id: str) -> Participant:
    participant = session.get(Participant, participant_id)
    if participant is None or participant.event_id != event_id or participant.deleted:
        raise NotFound(
            for_organisers("Participant %(id)s does not exist in this event."),
            id=repr(participant_id),
        )
    return participant


def _stage_change(
    session: Session,
    participant: Participant,
    *,
    event_id: str,
    actor: str,
    action: str,
    **detail: object,
) -> None:
    """Adds the participant, the audit entry and the event's version bump (pages showing them
    refresh) to the session; the caller commits."""
    session.add(participant)
    audit.record(
        session,
        actor=actor,
        action=action,
        event_id=event_id,
        detail={"participant_id": participant.id, **detail},
    )
    versions.bump(session, event_id)


def add_participant(
    session: Session, *, event: Event, data: dict[str, Any], actor: str
) -> Participant:
    """Adds one participant; during a live event they join from the next round."""
    require_changeable(event)
    for _ in range(3):
        values = dict(data)
        values["external_id"] = values.get("external_id") or next_external_id(
            session, event_id=event.id
        )
        # Checked again on each try: the 409 then names what another request took meanwhile.
        check_unique(
            session,
            event_id=event.id,
            email=values["email"],
            external_id=values["external_id"],
            exclude="",
        )
        for field in ("requests", "avoid"):
            refs = values.get(field, [])
            check_refs(
                session, event_id=event.id, refs=refs, field=field, own=values["external_id"]
            )
        participant = Participant(event_id=event.id, **values)
        if event.phase == EventPhase.LIVE:
            participant.attendance = AttendanceStatus.LATE
            participant.joined_round = event.current_round + 1
        # A live page names them when they connect.
        _stage_change(
            session, participant, event_id=event.id, actor=actor, action="participant.add"
        )
        try:
            session.commit()
        except IntegrityError:
            # Stored by another request since the checks: a double-click, or two teachers
            # registering at once (a generated id is then simply the next one).
            session.rollback()
            continue
        session.refresh(participant)
        return participant
    raise Conflict(
        for_organisers("Participants were being added at the same moment; please try again.")
    )


def update_participant(
    session: Session, *, event: Event, participant: Participant, changes: dict[str, Any], actor: str
) -> Participant:
    """Edits a participant's details."""
    require_changeable(event)
    check_unique(
        session,
        event_id=event.id,
        email=changes.get("email"),
        external_id=None,
        exclude=participant.id,
    )
    for field in ("requests", "avoid"):
        if changes.get(field):
            refs = changes[field]
            check_refs(
                session, event_id=event.id, refs=refs, field=field, own=participant.external_id
            )
    for key, value in changes.items():
        if value is None and key not in ("role", "phone", "locale"):
            continue
        setattr(participant, key, value)
    # Room-mates and organisers see the new details.
    _stage_change(
        session,
        participant,
        event_id=event.id,
        actor=actor,
        action="participant.update",
        fields=sorted(changes),
    )
    try:
        session.commit()
    except IntegrityError:
        # The e-mail (or id) was taken by another request since the check: an add or an edit
        # at the same moment. Checked again, the 409 names what was taken.
        session.rollback()
        check_unique(
            session,
            event_id=event.id,
            email=changes.get("email"),
            external_id=None,
            exclude=participant.id,
        )
        raise Conflict(
            for_organisers(
                "This participant was changed at the same moment elsewhere; nothing was changed "
                "here. Reload and try again."
            )
        ) from None
    session.refresh(participant)
    return participant


def import_csv(session: Session, *, event: Event, data: bytes, actor: str) -> list[Participant]:
    """Imports every row of a participants CSV, or none (InvalidInput lists each problem)."""
    require_changeable(event)
    try:
        return _import_rows(session, event=event, data=data, actor=actor)
    except IntegrityError:
        # Another request stored some of these people since the checks (an upload sent twice):
        # checked again, the rows that clash are named.
        session.rollback()
        return _import_rows(session, event=event, data=data, actor=actor)


def _import_rows(session: Session, *, event: Event, data: bytes, actor: str) -> list[Participant]:
    existing = list_participants(session, event_id=event.id)
    rows = csv_import.parse(
        data,
        existing_ids={p.external_id for p in existing},
        existing_emails={p.email.lower() for p in existing},
    )
    late = event.phase == EventPhase.LIVE
    created = [
        Participant(
            event_id=event.id,
            external_id=row.person.id,
            name=row.person.name,
            email=row.person.email.strip().lower(),
            school=row.person.school,
            country=row.person.country,
            sector=row.person.sector.value,
            languages=sorted(row.person.languages),
            interests=sorted(row.person.interests),
            programmes=sorted(row.person.programmes),
            requests=sorted(row.person.requests),
            avoid=sorted(row.person.avoid),
            role=row.role,
            phone=row.phone,
            attendance=AttendanceStatus.LATE if late else AttendanceStatus.EXPECTED,
            joined_round=event.current_round + 1 if late else 1,
        )
        for row in rows
    ]
    session.add_all(created)
    audit.record(
        session,
        actor=actor,
        action="participant.import",
        event_id=event.id,
        detail={"count": len(created)},
    )
    versions.bump(session, event.id)
    session.commit()
    for participant in created:
        session.refresh(participant)
    return created


def issue_link(session: Session, *, participant: Participant, actor: str) -> str:
    """A new personal-link token; the old link and every session made from it stop working."""
    token = new_token()
    participant.token_hash = hash_token(token)
    participant.token_version += 1
    participant.link_mail_pending_since = None  # shown to the organiser, not e-mailed
    session.add(participant)
    audit.record(
        session,
        actor=actor,
        action="participant.link",
        event_id=participant.event_id,
        detail={"participant_id": participant.id, "version": participant.token_version},
    )
    session.commit()
    return token


def needs_link(participant: Participant) -> bool:
    """No link, or one e-mailed that the SMTP server never confirmed taking (a crash mid-batch)."""
    return participant.token_hash is None or participant.link_mail_pending_since is not None


def issue_links(
    session: Session, *, event: Event, actor: str, reissue: bool = False, for_mail: bool = False
) -> list[tuple[Participant, str]]:
    """Links for everyone who `needs_link` (or for everyone when `reissue`, revoking old links).

    Only hashes are stored, so an unconfirmed e-mailed link cannot be sent again: it is replaced
    (and revoked, should the message have arrived after all). `for_mail` marks the new links
    pending until `app.web.mail` records that the server took each message.
    """
    issued: list[tuple[Participant, str]] = []
    pending_since = utcnow() if for_mail else None
    for participant in list_participants(session, event_id=event.id):
        if not needs_link(participant) and not reissue:
            continue
        token = new_token()
        participant.token_hash = hash_token(token)
        participant.token_version += 1
        participant.link_mail_pending_since = pending_since
        session.add(participant)
        issued.append((participant, token))
    audit.record(
        session,
        actor=actor,
        action="participant.links",
        event_id=event.id,
        detail={"count": len(issued), "reissue": reissue},
    )
    session.commit()
    return issued


def update_me(session: Session, *, participant: Participant, changes: dict[str, Any]) -> None:
    """A participant's own choices: which contact details to share, and their language."""
    for key, value in changes.items():
        if value is None and key != "locale":  # null leaves the choice as it is ([] shares none)
            continue
        setattr(participant, key, value)
    session.add(participant)
    session.commit()
