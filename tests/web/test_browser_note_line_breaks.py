"""A private note that fills the note box with line breaks is saved: the browser counts each line
break once against the box's 1000-character limit but sends it as CR LF, and the server used to
answer that with a bare JSON "at most 1000 characters" error instead of saving."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.fixtures.live_server import LiveServer
from tests.web.test_browser_participant_live import LIVE_TIMEOUT_MS, live_event

pytestmark = pytest.mark.browser

LINE = "KA2 inclusion, job-shadowing in May; ask about eTwinning pilot."  # 63 characters


def test_a_full_note_with_line_breaks_is_saved_without_javascript(
    browser: Browser, live_server: LiveServer
) -> None:
    event = live_event(live_server)
    event.act("start-round")
    event.act("end-round")
    other = event.seated.people[1]
    # Without scripts the form is a plain post, as it is when the background save gives up.
    context = browser.new_context(base_url=live_server.base_url, java_script_enabled=False)
    page = context.new_page()
    page.goto(event.link(0))
    box = page.locator(f"#note-{other.id}")
    expected = "\n".join([LINE] * 15)  # 15 * 63 + 14 = 959 characters as the browser counts
    box.fill(expected + "\n" + "x" * 100)  # a script-set value is not cut to maxlength...
    box.press("End")
    box.press("x")  # ...but typing at the limit is refused: the box is full
    page.locator(f"#share-yes-{other.id}").check()
    page.locator(f"#save-{other.id}").click()

    expect(page.locator(f"#met-{other.id}")).to_contain_text("Saved.", timeout=LIVE_TIMEOUT_MS)
    meetings = httpx.get(
        f"{live_server.base_url}/api/v1/me/meetings",
        params={"token": event.seated.tokens[event.seated.people[0].id]},
        timeout=30,
    ).json()
    saved = {m["participant_id"]: m["decision"] for m in meetings if m["decision"]}
    assert saved[other.id]["share"] is True
    assert saved[other.id]["note"].startswith(expected)
    assert len(saved[other.id]["note"]) <= 1000
    context.close()
