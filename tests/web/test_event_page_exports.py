"""The organiser's event page links every export, and the event report speaks the page's
language (it used to be reachable only by typing /api/v1/... and was always English)."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.factories import PASSWORD
from tests.web.conftest import Seated, seat_event

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def signed_in_event(web: TestClient, db: Session) -> Seated:
    seated = seat_event(db, started_rounds=1)
    answer = web.post(
        "/organiser/sign-in",
        data={"email": seated.organiser.email, "password": PASSWORD, "next": "/organiser"},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    return seated


def export_links(page: str) -> list[str]:
    section = page.split('id="exports"', 1)[1].split("</section>", 1)[0]
    return [html.unescape(href) for href in re.findall(r'href="([^"]+)"', section)]


def test_the_event_page_links_each_export_and_each_answers(web: TestClient, db: Session) -> None:
    seated = signed_in_event(web, db)
    page = web.get(f"/organiser/events/{seated.event.id}")
    assert page.status_code == 200
    links = export_links(page.text)
    base = f"/api/v1/events/{seated.event.id}/exports/"
    expected = {
        "report.html": "text/html",
        **{f"{kind}.{fmt}": "text/csv" if fmt == "csv" else XLSX
           for kind in ("meetings", "contact-pairs", "participants")
           for fmt in ("csv", "xlsx")},
    }  # fmt: skip
    assert sorted(link.split("?")[0] for link in links) == sorted(base + f for f in expected)
    for link in links:
        answer = web.get(link)  # with the page's session cookie, as a click sends it
        assert answer.status_code == 200, (link, answer.text[:200])
        wanted = expected[link.split("?")[0].removeprefix(base)]
        assert answer.headers["content-type"].startswith(wanted), link


def test_the_report_is_in_the_organisers_language(web: TestClient, db: Session) -> None:
    seated = signed_in_event(web, db)
    page = web.get(f"/organiser/events/{seated.event.id}", params={"lang": "nl"})
    report_link = next(link for link in export_links(page.text) if "report.html" in link)
    text = html.unescape(web.get(report_link).text)
    assert '<html lang="nl">' in text
    assert "<th>Land</th><th>Deelnemers</th>" in text
    assert "<th>Country</th>" not in text


def test_the_report_names_kinds_of_school_in_words(web: TestClient, db: Session) -> None:
    seated = signed_in_event(web, db)
    web.cookies.set("sm_lang", "nl")  # the language picker's choice
    text = html.unescape(web.get(f"/api/v1/events/{seated.event.id}/exports/report.html").text)
    sectors = text.split("<th>Deelnemers</th></tr></thead><tbody>")[2].split("</tbody>", 1)[0]
    assert re.findall(r"<tr><td>([^<]+)</td>", sectors)
    for code in ("primary", "secondary", "specialised"):
        assert code not in sectors
