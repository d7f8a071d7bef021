"""A live action the round clock refuses (a Pause clicked in a second tab after the first) is
said in the organiser's language: the API's `message`, which the live page shows, is the
translated text with the round's status as its label; `detail` stays English. Before, both were
the clock's own English ("round 1's break is already on hold") whatever the language."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.web import i18n
from tests.live.helpers import LiveEvent, create_live_event


def act(client: TestClient, live: LiveEvent, action: str, language: str) -> dict[str, str]:
    answer = client.post(
        f"/api/v1/events/{live.event_id}/live/{action}",
        headers={**live.headers(), "Accept-Language": language},
    )
    body: dict[str, str] = answer.json()
    body["status"] = str(answer.status_code)
    return body


def test_holding_a_held_break_again_is_refused_in_german(
    configured: str, client: TestClient
) -> None:
    live = create_live_event(configured, 6, rounds=3, auto_advance=True, break_seconds=600)
    for action in ("start-round", "end-round", "pause"):  # the break after round 1, held
        assert act(client, live, action, "de")["status"] == "200"

    again = act(client, live, "pause", "de")  # the colleague's tab still offered Pause
    assert again["status"] == "409"
    assert again["type"] == "invalid_transition"
    assert again["detail"] == "The break before round 2 is on hold."
    assert again["message"] == "Die Pause vor Runde 2 ist angehalten."


def test_pausing_a_paused_round_is_refused_in_dutch(configured: str, client: TestClient) -> None:
    live = create_live_event(configured, 6, rounds=3)
    for action in ("start-round", "pause"):
        assert act(client, live, action, "nl")["status"] == "200"

    again = act(client, live, "pause", "nl")
    assert again["status"] == "409"
    template = "Round %(n)s is %(round_status)s: only a running round can be paused."
    assert again["detail"] == template % {"n": 1, "round_status": "paused"}
    nl = i18n.translations("nl").gettext
    assert again["message"] == nl(template) % {"n": 1, "round_status": nl("paused")}
    assert "gepauzeerd" in again["message"]  # the round's status in Dutch
