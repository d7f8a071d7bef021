"""Times and lengths on the pages add up: the rounds to come follow the real ones once the event
is live (also when it started early), rounds an early finish left out say "not played", and
lengths read in proper plurals, with seconds when they are not whole minutes."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Event, EventPhase, Round, RoundStatus, utcnow
from tests.factories import PASSWORD
from tests.web.conftest import Seated, seat_event
from tests.web.test_participant_plan_times import plan_starts


def first_round(db: Session, event: Event) -> Round:
    return db.exec(select(Round).where(Round.event_id == event.id, Round.number == 1)).one()


def play_first_round(db: Session, seated: Seated, *, seconds: float, running: bool) -> Round:
    """Round 1 started now; the event planned it for tomorrow (the organiser began early)."""
    event = seated.event
    event.starts_at = utcnow() + timedelta(days=1)
    event.phase = EventPhase.LIVE
    event.current_round = 1
    first = first_round(db, event)
    first.status = RoundStatus.RUNNING if running else RoundStatus.ENDED
    first.starts_at = utcnow().replace(microsecond=0)
    first.ends_at = first.starts_at + timedelta(seconds=seconds)
    db.add_all([event, first])
    db.commit()
    return first


def plan_items(page: str) -> list[str]:
    plan = page.split('class="plan-list"', 1)[1].split("</ol>", 1)[0]
    items = re.findall(r"<li data-round[^>]*>(.*?)</li>", plan, flags=re.S)
    return [html.unescape(re.sub(r"\s+", " ", item)) for item in items]


def visible(item: str) -> str:
    """The item's text less its hidden spans and tags."""
    item = re.sub(r"<span [^>]*hidden>[^<]*</span>", "", item)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item)).strip()


def test_rounds_to_come_follow_a_round_that_started_early(web: TestClient, db: Session) -> None:
    seated = seat_event(db)
    first = play_first_round(db, seated, seconds=seated.event.round_seconds, running=True)
    starts = plan_starts(web.get(f"/p/{seated.tokens[seated.people[0].id]}").text)
    # Round 2 follows round 1 and its break, not tomorrow's planned time.
    assert first.ends_at is not None
    assert starts[1] == first.ends_at + timedelta(seconds=seated.event.break_seconds)


def test_a_round_an_early_finish_left_out_is_not_played(web: TestClient, db: Session) -> None:
    seated = seat_event(db)
    play_first_round(db, seated, seconds=seated.event.round_seconds, running=False)
    seated.event.phase = EventPhase.FINISHED
    db.add(seated.event)
    db.commit()
    items = plan_items(web.get(f"/p/{seated.tokens[seated.people[0].id]}").text)
    assert "done" in visible(items[0])
    assert visible(items[1]) == "Round 2: not played (the event was finished before it)"
    assert "<time" not in items[1]


def test_a_short_played_round_shows_its_seconds(web: TestClient, db: Session) -> None:
    seated = seat_event(db)
    play_first_round(db, seated, seconds=20, running=False)  # ended after 20 seconds
    items = plan_items(web.get(f"/p/{seated.tokens[seated.people[0].id]}").text)
    assert "(20 s)" in visible(items[0])


def test_lengths_that_are_not_whole_minutes_show_seconds_everywhere(
    web: TestClient, db: Session
) -> None:
    seated = seat_event(db)
    seated.event.round_seconds = 90
    db.add(seated.event)
    db.commit()
    plan = plan_items(web.get(f"/p/{seated.tokens[seated.people[0].id]}").text)
    assert "(1 min 30 s)" in visible(plan[0])
    register = web.get(f"/register/{seated.event.registration_slug}").text
    assert "2 rounds of 1 min 30 s" in html.unescape(register)
    sign_in = {"email": seated.organiser.email, "password": PASSWORD, "next": "/organiser"}
    assert web.post("/organiser/sign-in", data=sign_in, follow_redirects=False).is_redirect
    page = html.unescape(web.get(f"/organiser/events/{seated.event.id}").text)
    assert "2 rounds of 1 min 30 s" in page
    assert "1 minutes" not in page


def test_one_minute_and_one_round_are_singular(web: TestClient, db: Session) -> None:
    seated = seat_event(db)
    seated.event.round_seconds = 60
    seated.event.rounds = 1
    db.add(seated.event)
    db.commit()
    register = html.unescape(web.get(f"/register/{seated.event.registration_slug}").text)
    assert "1 round of 1 minute" in register
    assert "1 minutes" not in register
    plan = plan_items(web.get(f"/p/{seated.tokens[seated.people[0].id]}").text)
    assert "(1 minute)" in visible(plan[0])
