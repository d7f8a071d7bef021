"""Teachers often press a button twice when the page answers slowly. The second press must not
turn a registration into "already registered": the first one's link would never be seen."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Error, Page, Route, expect

from tests.fixtures.live_server import LiveServer
from tests.web.conftest import registration_page

pytestmark = pytest.mark.browser


def wait_for_posts(page: Page, held: list[Route], count: int) -> bool:
    """Up to about a second for `count` posts to reach the route (a slow machine's margin)."""
    for _ in range(50):
        if len(held) >= count:
            return True
        page.wait_for_timeout(20)
    return False


def test_pressing_register_twice_on_a_slow_network_still_shows_the_link(
    browser: Browser, live_server: LiveServer
) -> None:
    event, page = registration_page(browser, live_server)
    for label, value in (
        ("Name", "Jens Berg"),
        ("E-mail address", "jens@schule.de"),
        ("School or organisation", "Schule Nord"),
        ("Country", "DE"),
        ("Languages you can hold a conversation in", "de, en"),
    ):
        page.get_by_role("textbox", name=label, exact=True).fill(value)
    page.get_by_label("Kind of school").select_option("primary")

    # A slow network: the post reaches the server, its answer comes back only later.
    held: list[Route] = []
    page.route(f"**/register/{event.registration_slug}", lambda route: held.append(route))
    page.get_by_role("button", name="Register").focus()
    page.keyboard.press("Enter")
    assert wait_for_posts(page, held, 1)
    answers = [held[0].fetch(max_redirects=0)]
    page.keyboard.press("Enter")  # nothing seems to happen yet, so the teacher presses again
    wait_for_posts(page, held, 2)  # a second post would arrive here; none must
    answers += [route.fetch(max_redirects=0) for route in held[1:]]
    for route, answer in zip(held, answers, strict=True):
        try:
            route.fulfill(response=answer)
        except Error:
            pass  # superseded by the later press: the browser dropped it

    expect(page.get_by_role("heading", level=1)).to_contain_text("you are registered")
    expect(page.locator("#personal-link")).to_be_visible()
    assert len(held) == 1
    page.context.close()
