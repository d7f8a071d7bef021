"""An event created while a colleague removes its account: a clear 401, never a 500 or an
event without an owner."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlmodel import Session, func, select

from app.errors import Unauthorized
from app.events import service
from app.models import Event, Organiser
from app.organisers import colleagues
from tests.factories import make_organiser
from tests.fixtures.database import BOTH_DATABASES


@BOTH_DATABASES
def test_an_event_created_as_its_account_is_removed_is_refused_cleanly(
    session: Session, organiser: Organiser
) -> None:
    leaving = make_organiser(session, email="leaving@agency.example", name="Leaving")
    # The request had checked the session; the removal commits before its insert.
    colleagues.remove(session, actor=organiser, organiser_id=leaving.id)
    data = {"name": "Webinar", "starts_at": datetime(2027, 3, 4, 10, 0)}

    with pytest.raises(Unauthorized, match="removed at the same moment"):
        service.create_event(session, organiser=leaving, data=data)

    assert session.exec(select(func.count()).select_from(Event)).one() == 0
    assert service.create_event(session, organiser=organiser, data=data).name == "Webinar"
