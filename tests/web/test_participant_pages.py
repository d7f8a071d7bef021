"""The participant's personal page, decisions and "my contacts", through real HTTP requests."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.web.conftest import seat_event


def test_personal_page_shows_event_plan_and_live_config(web: TestClient, db: Session) -> None:
    seated = seat_event(db)
    me = seated.people[0]
    page = web.get(f"/p/{seated.tokens[me.id]}")
    assert page.status_code == 200
    assert "Dag van de partners" in page.text
    assert me.name in page.text
    assert 'id="sm-live"' in page.text
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "script-src 'self'" in page.headers["content-security-policy"]


def test_unknown_link_gets_a_readable_404_page(web: TestClient, db: Session) -> None:
    page = web.get("/p/not-a-real-token")
    assert page.status_code == 404
    assert "not valid" in page.text
    assert page.headers["content-type"].startswith("text/html")


def test_errors_participants_meet_come_in_their_language(web: TestClient, db: Session) -> None:
    dutch = web.get("/p/not-a-real-token", headers={"Accept-Language": "nl-BE,nl;q=0.9"})
    assert dutch.status_code == 404
    assert "Deze persoonlijke link is niet geldig." in dutch.text
    german = web.get("/register/no-such-event", headers={"Accept-Language": "de"})
    assert german.status_code == 404
    assert "Zu diesem Anmeldelink gibt es keine Veranstaltung." in german.text


def test_dutch_browser_gets_dutch_page_and_picker_overrides(web: TestClient, db: Session) -> None:
    seated = seat_event(db)
    url = f"/p/{seated.tokens[seated.people[0].id]}"
    dutch = web.get(url, headers={"Accept-Language": "nl-BE,nl;q=0.9,en;q=0.5"})
    assert '<html lang="nl">' in dutch.text
    assert "Planning voor vandaag" in dutch.text
    german = web.get(url + "?lang=de", headers={"Accept-Language": "nl"})
    assert '<html lang="de">' in german.text
    # The choice sticks (cookie) on the next page without ?lang.
    again = web.get(url, headers={"Accept-Language": "nl"})
    assert '<html lang="de">' in again.text


def test_both_saying_yes_shows_each_other_under_my_contacts(web: TestClient, db: Session) -> None:
    seated = seat_event(db, started_rounds=1)
    ana, bo = seated.people[0], seated.people[1]
    ana_url, bo_url = f"/p/{seated.tokens[ana.id]}", f"/p/{seated.tokens[bo.id]}"
    assert f'id="met-{bo.id}"' in web.get(ana_url).text

    saved = web.post(
        f"{ana_url}/decisions/{bo.id}", data={"share": "yes", "met": "yes", "note": "KA2"}
    )
    assert saved.status_code == 200  # followed the redirect back to the page
    assert f'data-contact="{bo.id}"' not in web.get(f"{ana_url}/contacts").text

    web.post(f"{bo_url}/decisions/{ana.id}", data={"share": "yes", "met": "yes"})
    ana_contacts = web.get(f"{ana_url}/contacts").text
    bo_contacts = web.get(f"{bo_url}/contacts").text
    assert f'data-contact="{bo.id}"' in ana_contacts
    assert bo.email in ana_contacts
    assert f'data-contact="{ana.id}"' in bo_contacts
    assert "KA2" not in bo_contacts


def test_decision_about_someone_never_met_is_refused(web: TestClient, db: Session) -> None:
    seated = seat_event(db, started_rounds=1)
    ana, stranger = seated.people[0], seated.people[3]
    answer = web.post(f"/p/{seated.tokens[ana.id]}/decisions/{stranger.id}", data={"share": "yes"})
    assert answer.status_code == 404
    assert "did not share a room" in answer.text


def test_language_picked_by_participant_is_remembered_on_any_device(
    web: TestClient, db: Session
) -> None:
    seated = seat_event(db)
    url = f"/p/{seated.tokens[seated.people[0].id]}"
    assert '<html lang="da">' in web.get(url + "?lang=da").text
    web.cookies.clear()  # another device: no cookie, an English browser
    again = web.get(url, headers={"Accept-Language": "en-GB,en"})
    assert '<html lang="da">' in again.text
    assert "Dagens plan" in again.text


def test_my_contacts_download_links_work(web: TestClient, db: Session) -> None:
    seated = seat_event(db, started_rounds=1)
    ana, bo = seated.people[0], seated.people[1]
    ana_token, bo_token = seated.tokens[ana.id], seated.tokens[bo.id]
    web.post(f"/p/{ana_token}/decisions/{bo.id}", data={"share": "yes"})
    web.post(f"/p/{bo_token}/decisions/{ana.id}", data={"share": "yes"})
    web.cookies.clear()
    fragment = web.get(f"/p/{ana_token}/contacts").text
    vcard_href = f"/api/v1/me/contacts.vcf?token={ana_token}"
    assert vcard_href in fragment
    vcard = web.get(vcard_href)
    assert vcard.status_code == 200
    assert bo.name in vcard.text
    assert "BEGIN:VCARD" in vcard.text
