"""An answer saved on one device shows on the person's other open pages (a laptop and a phone)
without a reload, except over an answer being typed there: that one is kept, and its Save is
then refused with the stored answers shown rather than silently undoing the newer one."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.fixtures.live_server import LiveServer
from tests.web.test_browser_participant_live import LIVE_TIMEOUT_MS, connected_page, live_event

pytestmark = pytest.mark.browser


def answer(page: Page, about: str, choice: str) -> None:
    page.locator(f"#share-{choice}-{about}").check()
    page.locator(f"#save-{about}").click()
    expect(page.locator(f"#met-{about}")).to_contain_text("Saved.", timeout=LIVE_TIMEOUT_MS)


def test_an_answer_saved_on_the_laptop_shows_on_the_phone(
    browser: Browser, live_server: LiveServer
) -> None:
    event = live_event(live_server)
    event.act("start-round")
    event.act("end-round")
    anna, eva = event.seated.people[0], event.seated.people[1]
    laptop = connected_page(browser, event, 0)
    phone = connected_page(browser, event, 0)
    eva_on_phone = phone.locator(f"#contacts-area [data-contact='{eva.id}']")

    answer(laptop, eva.id, "yes")  # Eva has not answered: Anna's contacts do not change
    expect(phone.locator(f"#share-yes-{eva.id}")).to_be_checked(timeout=LIVE_TIMEOUT_MS)

    shared = httpx.put(
        f"{live_server.base_url}/api/v1/me/decisions/{anna.id}",
        params={"token": event.seated.tokens[eva.id]},
        json={"share": True},
        timeout=30,
    )
    assert shared.status_code == 200, shared.text
    expect(eva_on_phone).to_have_count(1, timeout=LIVE_TIMEOUT_MS)

    phone.locator(f"#note-{eva.id}").fill("KA2 on inclusion")
    answer(laptop, eva.id, "no")
    expect(eva_on_phone).to_have_count(0, timeout=LIVE_TIMEOUT_MS)  # the phone heard of it...
    expect(phone.locator(f"#note-{eva.id}")).to_have_value("KA2 on inclusion")  # ...kept typing

    phone.locator(f"#save-{eva.id}").click()
    expect(phone.locator(f"#met-{eva.id}").get_by_role("alert")).to_contain_text(
        "you changed this answer on another device", timeout=LIVE_TIMEOUT_MS
    )
    expect(phone.locator(f"#share-no-{eva.id}")).to_be_checked()
    expect(phone.locator(f"#note-{eva.id}")).to_have_value("KA2 on inclusion")
    laptop.context.close()
    phone.context.close()
