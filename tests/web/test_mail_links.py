"""Personal links by e-mail, against a real local SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import email
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.fixtures.services import free_port
from tests.web.test_participants_pages import GOOD, _event_id

aiosmtpd_controller = pytest.importorskip("aiosmtpd.controller")


class Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802
        raw = envelope.content  # type: ignore[attr-defined]
        message = email.message_from_bytes(raw, policy=default)
        assert isinstance(message, EmailMessage)  # what the `default` policy builds
        self.messages.append(message)
        return "250 OK"


@pytest.fixture
def inbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    box = Inbox()
    port = free_port()
    controller = aiosmtpd_controller.Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("SPEEDMATCH_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SPEEDMATCH_SMTP_PORT", str(port))
    monkeypatch.setenv("SPEEDMATCH_SMTP_STARTTLS", "false")
    monkeypatch.setenv("SPEEDMATCH_SMTP_SENDER", "agency@example.org")
    try:
        yield box
    finally:
        controller.stop()


def test_links_go_out_by_email_with_a_calendar_file(
    inbox: Inbox, web: TestClient, db: Session
) -> None:
    event_id = _event_id(web, db)
    web.post(
        f"/organiser/events/{event_id}/participants/import",
        files={"file": ("people.csv", GOOD.encode(), "text/csv")},
    )
    page = web.post(f"/organiser/events/{event_id}/links/email")
    assert "2 e-mails sent." in page.text
    assert sorted(m["To"] for m in inbox.messages) == ["ines@escola.pt", "soren@skole.dk"]
    message = next(m for m in inbox.messages if m["To"] == "ines@escola.pt")
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()
    assert "Dear Inês Marques" in text
    link = next(word for word in text.split() if "/p/" in word)
    calendar = next(
        p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"
    )
    ics = calendar.get_content()
    assert "BEGIN:VEVENT" in ics
    assert "DTSTART:" in ics
    assert link in ics.replace("\r\n ", "")
    # The e-mailed link opens Inês's own page.
    assert "Inês Marques" in web.get(link.replace("http://127.0.0.1:8000", "")).text


def test_without_smtp_the_page_says_to_download_the_csv(web: TestClient, db: Session) -> None:
    event_id = _event_id(web, db)
    page = web.get(f"/organiser/events/{event_id}/links")
    assert "E-mail sending is not set up" in page.text
    refused = web.post(f"/organiser/events/{event_id}/links/email")
    assert refused.status_code == 409
