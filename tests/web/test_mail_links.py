"""Personal links by e-mail, against a real local SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import email
import html
import re
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.fixtures.services import free_port
from tests.web.test_participants_pages import GOOD, _event_id

aiosmtpd_controller = pytest.importorskip("aiosmtpd.controller")

THREE = GOOD + "a3,Jens Berg,jens@schule.de,Schule am See,DE,primary,de;en,stem,etwinning,,\n"


class Inbox:
    """What the server took; it can refuse addresses, or break the connection after a while."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse: set[str] = set()
        self.drop_after: int | None = None  # messages taken before the connection breaks

    async def handle_RCPT(  # noqa: N802
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.drop_after is not None and len(self.messages) >= self.drop_after:
            server.transport.close()  # gone before answering: the message was not taken
            return "451 gone"
        message = email.message_from_bytes(envelope.content, policy=default)
        assert isinstance(message, EmailMessage)  # what the `default` policy builds
        self.messages.append(message)
        return "250 OK"

    def recipients(self) -> list[str]:
        return sorted(str(m["To"]) for m in self.messages)


class MailServer:
    """A real SMTP server on 127.0.0.1 that the test starts (and may start late)."""

    def __init__(self) -> None:
        self.box = Inbox()
        self.port = free_port()
        self.controller: Any = None

    def start(self) -> None:
        self.controller = aiosmtpd_controller.Controller(
            self.box, hostname="127.0.0.1", port=self.port
        )
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def mail_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[MailServer]:
    """Settings pointing at a port of our own; the server is not started yet."""
    server = MailServer()
    monkeypatch.setenv("SPEEDMATCH_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SPEEDMATCH_SMTP_PORT", str(server.port))
    monkeypatch.setenv("SPEEDMATCH_SMTP_STARTTLS", "false")
    monkeypatch.setenv("SPEEDMATCH_SMTP_SENDER", "Agency <agency@example.org>")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def inbox(mail_server: MailServer) -> Inbox:
    mail_server.start()
    return mail_server.box


def import_people(web: TestClient, event_id: str, csv_text: str = GOOD) -> None:
    web.post(
        f"/organiser/events/{event_id}/participants/import",
        files={"file": ("people.csv", csv_text.encode(), "text/csv")},
    )


def email_links(web: TestClient, event_id: str) -> str:
    """Press "E-mail missing links"; the page as text, its markup undone."""
    page = web.post(f"/organiser/events/{event_id}/links/email")
    assert page.status_code == 200, page.text
    return html.unescape(page.text)


def shown_links(page: str) -> int:
    """How many link cards the page shows (the links it still can: those that went out)."""
    return len(re.findall(r'<li class="card" data-person=', page))


def test_links_go_out_by_email_with_a_calendar_file(
    inbox: Inbox, web: TestClient, db: Session
) -> None:
    event_id = _event_id(web, db)
    import_people(web, event_id)
    page = email_links(web, event_id)
    assert "2 e-mails sent." in page
    assert inbox.recipients() == ["ines@escola.pt", "soren@skole.dk"]
    assert inbox.messages[0]["From"] == "Agency <agency@example.org>"
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


def test_issuing_missing_links_when_everyone_has_one_says_so(web: TestClient, db: Session) -> None:
    event_id = _event_id(web, db)
    url = f"/organiser/events/{event_id}/links"
    nobody = html.unescape(web.post(url).text)
    assert "There are no participants yet, so no link was issued." in nobody
    import_people(web, event_id)
    assert shown_links(web.post(url).text) == 2
    again = html.unescape(web.post(url).text)  # pressed once more: it used to show nothing
    assert "Everyone already has a link, so no new link was issued or sent." in again
    assert shown_links(again) == 0
    csv = web.post(url, data={"download": "csv"})  # not a CSV with a header and no one in it
    assert csv.headers["content-type"].startswith("text/html")
    assert "Everyone already has a link" in html.unescape(csv.text)


def test_a_refused_recipient_is_named_and_the_next_try_sends_only_to_them(
    inbox: Inbox, web: TestClient, db: Session
) -> None:
    event_id = _event_id(web, db)
    import_people(web, event_id)
    inbox.refuse = {"soren@skole.dk"}
    page = email_links(web, event_id)
    assert "1 e-mail sent." in page
    assert "Not sent to: Søren Ægidius <soren@skole.dk> (550 5.1.1 No such mailbox here)" in page
    assert "1 of 2 participants have a link." in page  # Søren's unsent link was withdrawn
    assert shown_links(page) == 1
    assert inbox.recipients() == ["ines@escola.pt"]
    # The address is fixed on the mail server's side: the same button reaches Søren, and only
    # him. It used to send nothing at all: his link existed, so nobody was "missing" one.
    inbox.refuse = set()
    again = email_links(web, event_id)
    assert "1 e-mail sent." in again
    assert "Not sent to" not in again
    assert inbox.recipients() == ["ines@escola.pt", "soren@skole.dk"]
    link = next(w for w in str(inbox.messages[1].get_body()).split() if "/p/" in w)
    assert "Søren Ægidius" in web.get(link.replace("http://127.0.0.1:8000", "")).text


def test_with_the_mail_server_down_nobody_keeps_an_unsent_link_and_the_next_try_sends_once(
    mail_server: MailServer, web: TestClient, db: Session
) -> None:
    event_id = _event_id(web, db)
    import_people(web, event_id)
    page = email_links(web, event_id)  # nothing listens on the port yet
    assert "The e-mail server could not be reached: " in page
    assert "0 e-mails sent." in page
    assert "Not sent to: Inês Marques <ines@escola.pt>, Søren Ægidius <soren@skole.dk>" in page
    assert "0 of 2 participants have a link." in page
    mail_server.start()
    again = email_links(web, event_id)
    assert "2 e-mails sent." in again
    assert mail_server.box.recipients() == ["ines@escola.pt", "soren@skole.dk"]
    third = email_links(web, event_id)  # a third press: nobody twice, and the page says why
    assert "Everyone already has a link, so no new link was issued or sent." in third
    assert "e-mails sent." not in third
    assert len(mail_server.box.messages) == 2


def test_a_connection_lost_midway_names_who_was_sent_and_the_next_try_sends_the_rest(
    inbox: Inbox, web: TestClient, db: Session
) -> None:
    event_id = _event_id(web, db)
    import_people(web, event_id, THREE)
    inbox.drop_after = 1  # the server takes one message, then the connection breaks
    page = email_links(web, event_id)
    # It used to say "could not be reached" (quit() failed after the loop), as if nobody had
    # been sent; and the two others could then never get their link by e-mail.
    assert "could not be reached" not in page
    assert "1 e-mail sent." in page
    assert len(inbox.messages) == 1
    first = str(inbox.messages[0]["To"])
    not_sent = re.search(r"Not sent to: (.*)</p>", page)
    assert not_sent is not None
    named = re.findall(r"<([^<>@\s]+@[^<>\s]+)>", not_sent.group(1))
    assert sorted([first, *named]) == ["ines@escola.pt", "jens@schule.de", "soren@skole.dk"]
    assert "1 of 3 participants have a link." in page
    assert shown_links(page) == 1
    inbox.drop_after = None
    assert "2 e-mails sent." in email_links(web, event_id)
    assert inbox.recipients() == ["ines@escola.pt", "jens@schule.de", "soren@skole.dk"]
