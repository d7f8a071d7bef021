"""Unusual but legal organiser sequences during a live round, seen from real clients."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import httpx
from sqlmodel import Session, col, select

from app.db import make_engine
from app.models import AttendanceStatus, Participant, Room, Round
from tests.fixtures.live_server import LiveServer
from tests.live.helpers import Client, LiveEvent, create_live_event, post, read_event


def set_phase(base_url: str, live: LiveEvent, phase: str) -> httpx.Response:
    return httpx.post(
        f"{base_url}/api/v1/events/{live.event_id}/phase",
        headers=live.headers(),
        json={"phase": phase},
        timeout=60,
    )


def stored_links(live: LiveEvent) -> dict[int, set[str]]:
    """Each round's room links as stored now."""
    engine = make_engine(live.database_url)
    try:
        with Session(engine) as session:
            rows = session.exec(
                select(Round.number, Room.link)
                .join(Room, col(Room.round_id) == col(Round.id))
                .where(Round.event_id == live.event_id)
            ).all()
    finally:
        engine.dispose()
    links: dict[int, set[str]] = {}
    for number, link in rows:
        links.setdefault(number, set()).add(link or "")
    return links


def test_finishing_the_event_during_a_round_ends_that_round_for_everyone(
    running: LiveServer,
) -> None:
    live = create_live_event(running.database_url, 4, rounds=3, auto_advance=True)
    pid = next(iter(live.tokens))

    async def scenario() -> str:
        client = await Client.participant(running.ws_url, live.tokens[pid])
        await client.recv()
        assert post(running.base_url, live, "start-round").status_code == 200
        await client.recv_type("assignment")
        # The organiser closes the event in round 1 of 3 (the programme ran late).
        assert set_phase(running.base_url, live, "finished").status_code == 200
        # Open pages hear that it is over, not only a snapshot whose clock still runs.
        await client.recv_type("event_finished")
        await client.close()
        again = await Client.participant(running.ws_url, live.tokens[pid])
        state = await again.recv()
        assert state["phase"] == "finished"
        assert state["round"]["status"] == "ended"
        assert state["round"]["remaining_s"] is None
        await again.close()
        ends_at: str = state["round"]["ends_at"]
        return ends_at

    ended = datetime.fromisoformat(asyncio.run(scenario()))
    # The round cannot be extended or paused any more: the event is over.
    for action in ("extend", "pause"):
        assert post(running.base_url, live, action).status_code == 409
    event = read_event(live.database_url, live.event_id)
    assert event.phase == "finished"
    assert event.finished_at is not None
    assert ended == event.finished_at.replace(tzinfo=UTC)  # it ended when the event did


def test_a_message_sent_again_is_the_latest_one_a_reconnecting_page_shows(
    running: LiveServer,
) -> None:
    live = create_live_event(running.database_url, 4, rounds=2)
    staying, returning = list(live.tokens)[:2]

    async def scenario() -> None:
        # Someone stays connected, so the process serves states from its cached view.
        keep = await Client.participant(running.ws_url, live.tokens[staying])
        await keep.recv()
        assert post(running.base_url, live, "start-round").status_code == 200
        await keep.recv_type("assignment")
        texts = ["Back to the main room, please", "Sorry: stay two more minutes"]
        for text in [*texts, texts[0]]:
            assert post(running.base_url, live, "broadcast", {"text": text}).status_code == 200
            assert (await keep.recv_type("broadcast"))["text"] == text
        # A page that was reconnecting meanwhile shows the last message of its state.
        back = await Client.participant(running.ws_url, live.tokens[returning])
        state = await back.recv()
        assert [b["text"] for b in state["broadcasts"]] == [*texts, texts[0]]
        for client in (keep, back):
            await client.close()

    asyncio.run(scenario())


def test_someone_left_out_who_arrives_mid_round_shows_as_late_to_the_organiser(
    running: LiveServer,
) -> None:
    live = create_live_event(running.database_url, 6, rounds=2)
    late = next(iter(live.tokens))

    async def scenario() -> None:
        org = await Client.organiser(running.ws_url, live.event_id, live.api_token)
        await org.recv()
        # A no-show (never connected): "mark absent" would stick (test_marked_absent_sticks).
        engine = make_engine(live.database_url)
        with Session(engine) as session:
            person = session.get(Participant, late)
            assert person is not None
            person.attendance = AttendanceStatus.EXPECTED
            session.add(person)
            session.commit()
        engine.dispose()
        assert post(running.base_url, live, "start-round").status_code == 200
        arrived = await Client.participant(running.ws_url, live.tokens[late])
        assert (await arrived.recv())["room"] is None  # round 1 runs without them
        # The organiser's list stops calling them absent (the live page offers only people not
        # absent for a move), so they can be seated now instead of waiting for round 2.
        async with asyncio.timeout(30):
            while True:
                state = await org.recv_type("state")
                entry = next(p for p in state["presence"] if p["participant_id"] == late)
                if entry["attendance"] == "late":
                    break
        for client in (org, arrived):
            await client.close()

    asyncio.run(scenario())


def test_a_blank_message_is_refused_and_the_last_real_one_stays_on_screen(
    running: LiveServer,
) -> None:
    live = create_live_event(running.database_url, 4, rounds=1)
    pid = next(iter(live.tokens))
    assert post(running.base_url, live, "start-round").status_code == 200
    assert post(running.base_url, live, "broadcast", {"text": "Rooms close at 10:40"}).is_success
    # An integration sends only white space (the live page trims): nothing to show anyone.
    blank = post(running.base_url, live, "broadcast", {"text": " \n\t "})
    assert blank.status_code == 422
    assert "text" in blank.json()["detail"]

    async def reconnect() -> list[str]:
        client = await Client.participant(running.ws_url, live.tokens[pid])
        state = await client.recv()
        await client.close()
        return [b["text"] for b in state["broadcasts"]]

    assert asyncio.run(reconnect()) == ["Rooms close at 10:40"]


def test_resync_gives_the_state_as_stored_after_a_change_made_on_another_page(
    running: LiveServer,
) -> None:
    live = create_live_event(running.database_url, 4, rounds=2)

    async def scenario() -> None:
        org = await Client.organiser(running.ws_url, live.event_id, live.api_token)
        assert (await org.recv())["phase"] == "scheduled"
        # On the event's page (which pushes nothing to this one) the organiser reopens
        # registration...
        assert set_phase(running.base_url, live, "open").status_code == 200
        # ...and coming back to the live page asks for a fresh snapshot: it must say "open",
        # not what this process last pushed (the start button follows the phase).
        await org.ws.send('{"type": "resync"}')
        assert (await org.recv_type("state"))["phase"] == "open"
        await org.close()

    asyncio.run(scenario())


def test_a_click_meant_for_an_earlier_round_does_not_act_on_the_next_one(
    running: LiveServer,
) -> None:
    live = create_live_event(running.database_url, 4, rounds=3)
    assert post(running.base_url, live, "start-round").status_code == 200
    assert post(running.base_url, live, "end-round?round=1").status_code == 200
    assert post(running.base_url, live, "start-round").status_code == 200
    # A co-host's "End round" and "Pause", clicked while round 1 was on, arrive now.
    for action in ("end-round", "pause", "extend"):
        stale = post(running.base_url, live, f"{action}?round=1")
        assert stale.status_code == 409, stale.text
        assert "Round 1 is no longer the live round" in stale.json()["detail"]
    status = httpx.get(
        f"{running.base_url}/api/v1/events/{live.event_id}/live", headers=live.headers()
    ).json()
    assert (status["current_round"], status["round_status"]) == (2, "running")
    assert post(running.base_url, live, "extend?round=2").status_code == 200


def test_a_wrong_video_link_can_be_fixed_while_a_round_runs(running: LiveServer) -> None:
    live = create_live_event(running.database_url, 4, rounds=3)
    pid = next(iter(live.tokens))
    event_url = f"{running.base_url}/api/v1/events/{live.event_id}"
    fixed = "https://zoom.example/j/{event}-{round}-{room}"

    async def scenario() -> None:
        client = await Client.participant(running.ws_url, live.tokens[pid])
        await client.recv()
        assert post(running.base_url, live, "start-round").status_code == 200
        assert post(running.base_url, live, "end-round?round=1").status_code == 200
        assert post(running.base_url, live, "start-round").status_code == 200
        assert (await client.recv_type("assignment"))["room"]["link"].startswith("https://meet.")
        # Participants report that the link leads nowhere: the organiser fixes the template.
        patched = httpx.patch(event_url, headers=live.headers(), json={"room_link_template": fixed})
        assert patched.status_code == 200, patched.text
        async with asyncio.timeout(30):  # the open page gets the new link (version tick)
            while (await client.recv_type("state"))["room"]["link"].startswith("https://meet."):
                pass
        await client.close()

    asyncio.run(scenario())
    links = stored_links(live)
    assert not any(link.startswith("https://zoom.") for link in links[1])  # played: as it was
    assert all(link.startswith("https://zoom.") for link in links[2] | links[3])
    # What shapes the plan stays frozen while live, and the refusal says what can change.
    refused = httpx.patch(event_url, headers=live.headers(), json={"rounds": 4})
    assert refused.status_code == 409
    assert "only the room link template and room names can" in refused.json()["detail"]
