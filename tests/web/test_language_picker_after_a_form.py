"""The language picker on a page that answers a form (a POST) leads to the page the form is on,
in the new language, instead of sending a GET to an address that takes only POSTs (a 404
"participant 'import' does not exist", a 405 in raw JSON)."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session

from app.models import Organiser
from tests.factories import make_event, make_participants
from tests.web.test_organiser_pages import sign_in
from tests.web.test_participants_pages import BAD
from tests.web.test_schedule_pages import scheduled_event

PICKER = re.compile(
    r'<form class="lang-picker" method="get" action="([^"]*)"([^>]*)>(.*?)</form>', re.S
)
HIDDEN = re.compile(r'<input type="hidden" name="([^"]*)" value="([^"]*)">')


def switch_language(web: TestClient, page: Response, lang: str) -> Response:
    """Choose `lang` in the page's picker and press Change, as a browser sends that form."""
    found = PICKER.search(page.text)
    assert found is not None, "the page has a language picker"
    action, _, fields = found.groups()
    query = [(html.unescape(k), html.unescape(v)) for k, v in HIDDEN.findall(fields)]
    answer: Response = web.get(html.unescape(action), params=[*query, ("lang", lang)])
    return answer


def lands_in(answer: Response, lang: str) -> None:
    assert answer.status_code == 200, answer.text[:300]
    assert f'<html lang="{lang}">' in answer.text


def test_switching_after_a_refused_csv_import_shows_the_participants_page(
    web: TestClient, db: Session
) -> None:
    organiser = db.get(Organiser, sign_in(web, db))
    assert organiser is not None
    event_id = make_event(db, organiser).id
    review = web.post(
        f"/organiser/events/{event_id}/participants/import",
        files={"file": ("people.csv", BAD.encode(), "text/csv")},
    )
    assert review.status_code == 422

    switched = switch_language(web, review, "de")

    lands_in(switched, "de")
    assert str(switched.url.path) == f"/organiser/events/{event_id}/participants"


def test_switching_after_a_refused_schedule_change_shows_the_schedule(
    web: TestClient, db: Session
) -> None:
    event_id = scheduled_event(web, db)
    web.post(f"/organiser/events/{event_id}/schedule/generate")
    refused = web.post(
        f"/organiser/events/{event_id}/schedule/change", data={"round": "x", "a": "n1"}
    )
    assert refused.status_code >= 400

    switched = switch_language(web, refused, "nl")

    lands_in(switched, "nl")
    assert str(switched.url.path) == f"/organiser/events/{event_id}/schedule"


def test_switching_after_a_two_step_code_shows_the_account_page(
    web: TestClient, db: Session
) -> None:
    sign_in(web, db)
    web.post("/organiser/account/two-step/begin")
    wrong = web.post("/organiser/account/two-step/confirm", data={"code": "000000"})
    assert wrong.status_code == 422

    switched = switch_language(web, wrong, "es")

    lands_in(switched, "es")
    assert str(switched.url.path) == "/organiser/account"


def test_new_links_are_kept_the_switch_opens_a_new_tab(web: TestClient, db: Session) -> None:
    organiser = db.get(Organiser, sign_in(web, db))
    assert organiser is not None
    event = make_event(db, organiser)
    make_participants(db, event, 2)
    issued = web.post(f"/organiser/events/{event.id}/links")
    assert "These links are shown only now." in issued.text
    found = PICKER.search(issued.text)
    assert found is not None
    assert 'target="_blank"' in found.group(2)  # the page with the links stays in its tab
    assert "Opens in a new tab" in found.group(3)

    lands_in(switch_language(web, issued, "de"), "de")
    # The plain links page (nothing shown once) switches in place, as every other page does.
    plain = web.get(f"/organiser/events/{event.id}/links")
    found = PICKER.search(plain.text)
    assert found is not None
    assert "target" not in found.group(2)
