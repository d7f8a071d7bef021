"""A teacher who types their country's name instead of its code gets back what they typed,
whole, next to the message asking for the two-letter code (the field used to cut "Nederland"
to "Nederlan" while they typed)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.fixtures.live_server import LiveServer
from tests.web.conftest import registration_page

pytestmark = pytest.mark.browser


def test_a_country_name_comes_back_whole_with_the_request_for_the_code(
    browser: Browser, live_server: LiveServer
) -> None:
    _, page = registration_page(browser, live_server)
    for label, value in (
        ("Name", "Lieke de Vries"),
        ("E-mail address", "lieke@school.nl"),
        ("School or organisation", "De Regenboog"),
        ("Languages you can hold a conversation in", "nl, en"),
    ):
        page.get_by_role("textbox", name=label, exact=True).fill(value)
    country = page.get_by_role("textbox", name="Country", exact=True)
    country.press_sequentially("Nederland")  # typed key by key, as the teacher does
    page.get_by_label("Kind of school").select_option("primary")
    page.get_by_role("button", name="Register").click()

    country = page.get_by_role("textbox", name="Country", exact=True)
    expect(country).to_have_value("Nederland")
    expect(page.locator("#f-country-error")).to_have_text(
        "Enter a two-letter country code, e.g. NL, BE or DE."
    )
    page.context.close()
