"""Every page names its icon, and /favicon.ico answers too (browsers and tools ask for it
whatever the page says; a 404 there was a console error on every page)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def test_pages_name_an_icon_that_is_served_and_favicon_ico_answers(web: TestClient) -> None:
    home = web.get("/")
    found = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', home.text)
    assert found is not None
    icon = web.get(found.group(1).replace("&amp;", "&"))
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.text.startswith("<svg")

    legacy = web.get("/favicon.ico")
    assert legacy.status_code == 200
    assert legacy.headers["content-type"].startswith("image/svg+xml")
    assert legacy.content == icon.content
