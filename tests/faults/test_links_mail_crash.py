"""SIGKILL the server while it e-mails personal links: nobody is left with a link they never got.

The real app runs in uvicorn; a real SMTP server on 127.0.0.1 takes three messages and then holds
the fourth unanswered, so the kill lands mid-batch with that one in flight.
"""

from __future__ import annotations

import asyncio
import html
import re
import threading
from typing import Any

import httpx
import pytest
from sqlmodel import Session

from app.db import make_engine
from tests.factories import PASSWORD, make_event, make_organiser, make_participants
from tests.fixtures.live_server import LiveServerFactory
from tests.web.test_mail_links import Inbox, MailServer

TAKEN_BEFORE_CRASH = 3


class HoldingInbox(Inbox):
    """Takes `hold_after` messages, then keeps the next one waiting, unanswered, until released."""

    def __init__(self, hold_after: int) -> None:
        super().__init__()
        self.hold_after: int | None = hold_after
        self.holding = threading.Event()
        self.released = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.hold_after is not None and len(self.messages) >= self.hold_after:
            self.holding.set()
            while not self.released.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 Not taken"  # the sender is gone by now: this one never went out
        return await super().handle_DATA(server, session, envelope)


def links_page(client: httpx.Client, event_id: str) -> str:
    page = client.get(f"/organiser/events/{event_id}/links")
    assert page.status_code == 200, page.text
    return html.unescape(page.text)


def mailed_links(inbox: Inbox) -> dict[str, str]:
    """Recipient -> the personal link in their message (path only)."""
    found = {}
    for message in inbox.messages:
        body = message.get_body(preferencelist=("plain",))
        assert body is not None
        found[str(message["To"])] = re.findall(r"https?://\S+(/p/\S+)", body.get_content())[0]
    return found


@pytest.mark.slow
def test_sigkill_mid_batch_leaves_the_unsent_to_email_missing_links_and_nobody_twice(
    live_server_factory: LiveServerFactory,
) -> None:
    smtp = MailServer()
    smtp.box = inbox = HoldingInbox(hold_after=TAKEN_BEFORE_CRASH)
    smtp.start()
    env = {
        "SPEEDMATCH_SMTP_HOST": "127.0.0.1",
        "SPEEDMATCH_SMTP_PORT": str(smtp.port),
        "SPEEDMATCH_SMTP_STARTTLS": "false",
    }
    try:
        server = live_server_factory(env=env)
        engine = make_engine(server.database_url)
        with Session(engine, expire_on_commit=False) as db:
            organiser = make_organiser(db)
            event = make_event(db, organiser, name="Partner day")
            people = make_participants(db, event, 6)
        engine.dispose()
        everyone = sorted(p.email for p in people)

        client = httpx.Client(base_url=server.base_url, timeout=60)
        signed_in = client.post(
            "/organiser/sign-in",
            data={"email": organiser.email, "password": PASSWORD, "next": "/organiser"},
        )
        assert signed_in.status_code == 303, signed_in.text
        answered: list[int] = []

        def press() -> None:  # the organiser's click; the answer never comes
            try:
                answered.append(
                    client.post(f"/organiser/events/{event.id}/links/email").status_code
                )
            except httpx.HTTPError:
                pass

        click = threading.Thread(target=press)
        click.start()
        assert inbox.holding.wait(timeout=60), server.log_tail()
        server.kill()
        click.join(timeout=60)
        assert answered == []
        inbox.hold_after = None
        inbox.released.set()
        first = mailed_links(inbox)
        assert len(first) == TAKEN_BEFORE_CRASH

        # A fresh process on the same database file.
        server.start()
        page = links_page(client, event.id)
        assert f"{TAKEN_BEFORE_CRASH} of 6 participants have a link." in page
        assert "E-mailed links never confirmed sent (sending stopped part-way): 3." in page

        answer = client.post(f"/organiser/events/{event.id}/links/email")
        assert answer.status_code == 200, answer.text
        assert "3 e-mails sent." in html.unescape(answer.text)
        assert inbox.recipients() == everyone  # each person once: the unsent, none of the sent
        page = links_page(client, event.id)
        assert "6 of 6 participants have a link." in page
        assert "never confirmed sent" not in page

        # Every link that went out opens its owner's page.
        for address, path in mailed_links(inbox).items():
            person = next(p for p in people if p.email == address)
            opened = httpx.get(server.base_url + path, timeout=30)
            assert opened.status_code == 200, address
            assert person.name in html.unescape(opened.text)
        client.close()
    finally:
        inbox.released.set()
        smtp.stop()
