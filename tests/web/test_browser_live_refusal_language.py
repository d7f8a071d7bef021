"""The organiser's live page shows a refused action in the page's language, values filled in:
the API it calls sends the English `detail` and, for a Dutch reader, a Dutch `message`."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, WebSocketRoute, expect

from tests.fixtures.live_server import LiveServer
from tests.web.browser import submit_sign_in
from tests.web.test_browser_organiser_refusals import seated_event

pytestmark = pytest.mark.browser


def test_a_round_a_colleague_already_started_is_refused_in_dutch(
    browser: Browser, live_server: LiveServer
) -> None:
    seated = seated_event(live_server)
    page = browser.new_context(base_url=live_server.base_url, locale="nl-NL").new_page()
    page.goto("/organiser/sign-in")
    submit_sign_in(page, seated.organiser.email)
    page.wait_for_url("**/organiser")

    def unanswered(_ws: WebSocketRoute) -> None:
        """No live updates: the page still offers "start" after the colleague's start."""

    page.route_web_socket("**/ws/organiser/*", unanswered)
    page.goto(f"/organiser/events/{seated.event.id}/live")
    colleague = page.request.post(f"/api/v1/events/{seated.event.id}/live/start-round")
    assert colleague.status == 200
    page.locator('[data-action="start-round"]').click()
    expect(page.locator("#org-action-status")).to_have_text(
        "Ronde 1 loopt nog; beëindig die eerst."
    )
    page.context.close()
