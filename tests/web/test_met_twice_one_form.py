"""Someone sat with in two rounds gets one "People you met" form: two forms with the same ids
sent a click on the second form's labels to the first one."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.contacts.conftest import make_world, seat
from tests.factories import make_organiser


def test_a_person_met_twice_has_one_form(web: TestClient, db: Session) -> None:
    w = make_world(db, make_organiser(db), ["A", "B", "C", "D"])
    seat(db, w, [[["A", "B"], ["C", "D"]], [["A", "C"], ["B", "D"]], [["A", "B"], ["C", "D"]]])
    page = web.get(f"/p/{w.tokens['A']}")
    assert page.status_code == 200
    forms = re.findall(r'<form [^>]*id="met-([^"]+)"', page.text)
    assert sorted(forms) == sorted([w.id("B"), w.id("C")])
    assert page.text.count(f'id="share-yes-{w.id("B")}"') == 1
    # The one form is about the first meeting.
    assert re.search(rf'id="met-title-{w.id("B")}">[^<]*<span class="hint">— round 1,', page.text)
