"""No-shows at a round start are taken out and the rounds re-planned; late arrivals are seated."""

from __future__ import annotations

import asyncio

from sqlmodel import Session, select

import matching
from app.db import make_engine
from app.live.noshow import compute_replan, stored_rounds
from app.models import AttendanceStatus, Event, EventPhase, Participant, Round, RoundStatus
from app.schedule.convert import settings_for, to_people
from tests.fixtures.live_server import LiveServer
from tests.live.helpers import Client, LiveEvent, create_live_event, member_ids, post


def stored_plan(
    live: LiveEvent,
) -> tuple[list[matching.Participant], matching.EventSettings, matching.Plan]:
    engine = make_engine(live.database_url)
    try:
        with Session(engine) as session:
            people = session.exec(
                select(Participant).where(Participant.event_id == live.event_id)
            ).all()
            event = session.get(Event, live.event_id)
            assert event is not None
            rounds = stored_rounds(session, live.event_id)
            plan = matching.Plan(tuple(rounds), matching.Score(0, 0, 0, 0, 0, 0), 0, 0.0)
            return to_people(list(people)), settings_for(event), plan
    finally:
        engine.dispose()


def test_no_shows_are_replanned_validly_and_the_people_affected_are_told(
    running: LiveServer,
) -> None:
    live = create_live_event(
        running.database_url, 20, rounds=3, attendance=AttendanceStatus.EXPECTED
    )
    everyone = list(live.tokens)
    no_shows = set(everyone[:4])
    here = [pid for pid in everyone if pid not in no_shows]
    planned_mates = {pid: set(live.room_of(1, pid) or []) - {pid} for pid in here}
    stranded = {pid for pid in here if planned_mates[pid] & no_shows}
    assert stranded, "the test plan must leave someone waiting for a no-show"

    async def scenario() -> None:
        clients = {pid: await Client.participant(running.ws_url, live.tokens[pid]) for pid in here}
        for client in clients.values():
            assert (await client.recv())["type"] == "state"
        response = post(running.base_url, live, "start-round")
        assert response.status_code == 200, response.text
        assert sorted(response.json()["details"]["absent"]) == sorted(no_shows)
        for pid, client in clients.items():
            message = await client.recv_type("assignment")
            mates = set(member_ids(message) or []) - {pid}
            assert not mates & no_shows  # nobody waits for someone who is not there
            assert message["room"] is not None
            assert mates  # and nobody is alone
            if pid in stranded:
                assert message["notice"]  # told that their room changed
        people, settings, plan = stored_plan(live)
        assert matching.validate_plan(people, settings, plan) == []
        seated = {p for r in plan.rounds for room in r.rooms for p in room.participants}
        assert not seated & no_shows

        # A no-show turns up during round 1: seated from round 2 on.
        late = next(iter(no_shows))
        late_client = await Client.participant(running.ws_url, live.tokens[late])
        state = await late_client.recv()
        assert state["room"] is None
        assert post(running.base_url, live, "end-round").status_code == 200
        assert post(running.base_url, live, "start-round").status_code == 200
        late_room = await late_client.recv_type("assignment")
        assert late_room["round"] == 2
        assert late_room["room"] is not None
        assert len(late_room["room"]["members"]) >= 2
        people, settings, plan = stored_plan(live)
        assert matching.validate_plan(people, settings, plan) == []
        for client in [*clients.values(), late_client]:
            await client.close()

    asyncio.run(scenario())


def test_a_played_round_that_now_breaks_a_rule_is_reported_once_in_the_replan(
    running: LiveServer,
) -> None:
    live = create_live_event(running.database_url, 12, rounds=3)
    engine = make_engine(running.database_url)
    try:
        with Session(engine) as session:
            event = session.get(Event, live.event_id)
            assert event is not None
            played = session.exec(
                select(Round).where(Round.event_id == live.event_id, Round.number == 1)
            ).one()
            played.status = RoundStatus.ENDED
            event.phase, event.current_round = EventPhase.LIVE, 1
            room = live.room_of(1, next(iter(live.tokens)))
            assert room is not None
            a, b = room[:2]
            first, second = session.get(Participant, a), session.get(Participant, b)
            assert first is not None
            assert second is not None
            first.avoid = [second.external_id]  # added after the two met in round 1
            no_show = next(pid for pid in live.tokens if pid not in (a, b))
            absent = session.get(Participant, no_show)
            assert absent is not None
            absent.attendance = AttendanceStatus.ABSENT
            session.add_all([played, event, first, absent])
            session.commit()
            replan = compute_replan(session, live.event_id, 2, set, time_limit_s=2)
    finally:
        engine.dispose()
    assert replan is not None
    kept_as_played = "played round kept as it was: "
    breaches = [w.removeprefix(kept_as_played) for w in replan.warnings if kept_as_played in w]
    assert any(f"{a} and {b}" in w or f"{b} and {a}" in w for w in breaches), replan.warnings
    assert not set(breaches) & set(replan.warnings)  # each said once, as kept from play
