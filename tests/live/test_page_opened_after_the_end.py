"""Opening one's page after the event has finished (to download contacts) does not change
attendance: the exports and the report count it as it was during the event."""

from __future__ import annotations

import asyncio

from sqlmodel import Session

from app.db import make_engine
from app.models import AttendanceStatus, Event, EventPhase, Participant
from tests.fixtures.live_server import LiveServer
from tests.live.helpers import Client, create_live_event


def test_a_no_show_who_opens_their_page_after_the_end_stays_a_no_show(
    running: LiveServer,
) -> None:
    live = create_live_event(
        running.database_url, 6, rounds=2, attendance=AttendanceStatus.EXPECTED
    )
    never_came, left_out = list(live.tokens)[:2]
    engine = make_engine(running.database_url)
    try:
        with Session(engine) as session:
            event = session.get(Event, live.event_id)
            out = session.get(Participant, left_out)
            assert event is not None
            assert out is not None
            event.phase = EventPhase.FINISHED
            out.attendance = AttendanceStatus.ABSENT  # taken out as a no-show at a start
            session.add_all([event, out])
            session.commit()

        async def open_pages() -> None:
            for pid in (never_came, left_out):
                client = await Client.participant(running.ws_url, live.tokens[pid])
                assert (await client.recv())["type"] == "state"
                await client.close()

        asyncio.run(open_pages())
        with Session(engine) as session:
            first = session.get(Participant, never_came)
            second = session.get(Participant, left_out)
            assert first is not None
            assert second is not None
            assert first.attendance == AttendanceStatus.EXPECTED
            assert second.attendance == AttendanceStatus.ABSENT
    finally:
        engine.dispose()
