"""A browser that opens an address the app refuses (a personal link without its token, an unknown
path, a CSV file over the upload limit) gets the site's error page in the reader's language, not
the API's raw JSON; `/api/` paths and clients that do not ask for HTML keep the JSON body."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, expect
from sqlmodel import Session

from app.db import make_engine
from app.models import Organiser
from app.settings import get_settings
from tests.factories import make_event, make_organiser
from tests.fixtures.live_server import LiveServer
from tests.web.browser import submit_sign_in
from tests.web.test_organiser_pages import sign_in

PAGE = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


@pytest.mark.parametrize("path", ["/p/", "/no-such-page", "/organiser/no-such-page"])
def test_an_unknown_address_is_a_page_in_the_readers_language(web: TestClient, path: str) -> None:
    answer = web.get(path, headers={**PAGE, "Accept-Language": "nl-NL,nl;q=0.9"})
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html")
    assert '<html lang="nl">' in answer.text
    assert "<h1>Niet gevonden</h1>" in answer.text
    assert "Naar de startpagina" in answer.text
    assert "no-store" in answer.headers["cache-control"]


def test_the_api_and_scripts_keep_json_errors(web: TestClient) -> None:
    api = web.get("/api/v1/no-such-thing", headers=PAGE)
    assert api.json() == {"type": "not_found", "detail": "Not Found"}
    script = web.get("/no-such-page", headers={"Accept": "application/json"})
    assert script.json() == {"type": "not_found", "detail": "Not Found"}
    plain = web.get("/p/")
    assert plain.json()["type"] == "not_found"


def _too_big() -> bytes:
    return b"name,email\n" + b"x" * (get_settings().max_body_bytes + 1)


def test_a_csv_over_the_limit_says_so_on_a_page(web: TestClient, db: Session) -> None:
    organiser = db.get(Organiser, sign_in(web, db))
    assert organiser is not None
    event_id = make_event(db, organiser).id
    answer = web.post(
        f"/organiser/events/{event_id}/participants/import",
        files={"file": ("people.csv", _too_big(), "text/csv")},
        headers={**PAGE, "Accept-Language": "en-GB"},
    )
    assert answer.status_code == 413
    assert answer.headers["content-type"].startswith("text/html")
    assert "The file is too large: files of up to 2 MB can be sent." in answer.text
    # The way back (and the language picker) lead to the page the form is on.
    assert f'href="/organiser/events/{event_id}/participants"' in answer.text
    assert f'action="/organiser/events/{event_id}/participants"' in answer.text
    api = web.post(
        f"/api/v1/events/{event_id}/participants/import",
        content=_too_big(),
        headers={**PAGE, "content-type": "text/csv"},
    )
    assert api.status_code == 413
    assert api.json()["type"] == "payload_too_large"


@pytest.mark.browser
def test_chromium_shows_the_too_large_page_after_choosing_a_big_file(
    browser: Browser, live_server: LiveServer, tmp_path: Path
) -> None:
    engine = make_engine(live_server.database_url)
    with Session(engine, expire_on_commit=False) as db:
        organiser = make_organiser(db)
        event = make_event(db, organiser, name="Inclusion contact seminar")
    engine.dispose()
    big = tmp_path / "people.csv"
    big.write_bytes(b"name,email\n" + b"x" * (3 * 1024 * 1024))
    page = browser.new_context(base_url=live_server.base_url, locale="en-GB").new_page()
    page.goto(f"/organiser/events/{event.id}/participants")
    submit_sign_in(page, organiser.email)

    page.get_by_label("CSV file (UTF-8)").set_input_files(str(big))
    page.get_by_role("button", name="Import").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Too large to send")
    expect(page.locator("main")).to_contain_text("files of up to 2 MB can be sent")
    page.get_by_role("link", name="Back to the page you came from").click()
    expect(page.get_by_role("heading", name="Import a CSV file")).to_be_visible()
    page.context.close()
