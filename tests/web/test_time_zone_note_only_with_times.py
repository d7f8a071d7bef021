""" "Times are shown in your own time zone." is said on pages that show times, not at the foot of
an error page or a form without any (where it made no sense)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.web.conftest import seat_event
from tests.web.test_organiser_pages import sign_in

NOTE = "Times are shown in your own time zone."


def test_error_pages_and_forms_without_times_leave_it_out(web: TestClient, db: Session) -> None:
    html = {"Accept": "text/html", "Accept-Language": "en"}
    unknown_link = web.get("/p/not-a-real-token", headers=html)
    assert unknown_link.status_code == 404
    assert NOTE not in unknown_link.text
    unknown_path = web.get("/no-such-page", headers=html)
    assert unknown_path.status_code == 404
    assert NOTE not in unknown_path.text
    sign_in_form = web.get("/organiser/sign-in", headers=html)
    assert NOTE not in sign_in_form.text


def test_pages_with_times_still_say_it(web: TestClient, db: Session) -> None:
    seated = seat_event(db)
    own_page = web.get(
        f"/p/{seated.tokens[seated.people[0].id]}", headers={"Accept-Language": "en"}
    )
    assert own_page.status_code == 200
    assert NOTE in own_page.text
    sign_in(web, db)
    assert NOTE in web.get("/organiser", headers={"Accept-Language": "en"}).text
