"""A CSV import that is refused lists every problem of the file at once: the rows the planner
refuses and the e-mail address two rows share (until 2026-11-29 the shared address showed only
after the other problems were fixed and the file sent again)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Participant
from tests.web.test_import_problems_in_dutch import HEADER, new_event, problems_of, upload

FILE = (
    HEADER
    + "a1,Ana,ana@escola.pt,Escola X,PT,specialised,pt;en,,,,\n"
    + "a2,Søren,soren@skole.dk,Nørre Skole,XX,primary,da;en,,,,\n"
    + "a3,Jens,jens@schule.de,Schule,DE,kindergarten,de,,,,\n"
    + "a4,Eva,eva@skola.se,Skola,SE,primary,xx,,,,\n"
    + "a5,,noname@school.be,School,BE,primary,nl,,,,\n"
    + "a6,Piet,piet@school.nl,School,NL,primary,nl,,,nobody,\n"
    + "a7,Mia,same@school.nl,School,NL,primary,nl,,,,\n"
    + "a8,Max,Same@school.nl,Schule,DE,primary,de,,,,\n"
)


def test_row_problems_and_a_shared_address_are_listed_together(
    web: TestClient, db: Session
) -> None:
    status, page = upload(web, new_event(web, db), FILE, lang="en")
    assert status == 422
    assert "6 problem(s) in the file; nothing was imported." in page
    assert "'XX' is not an ISO 3166-1 alpha-2 code" in problems_of(page, 3)
    assert "unknown sector 'kindergarten'" in problems_of(page, 4)
    assert "'xx' is not an ISO 639-1 code" in problems_of(page, 5)
    assert "Name: is empty" in problems_of(page, 6)
    assert "unknown participant id 'nobody'" in problems_of(page, 7)
    assert "E-mail address: duplicate e-mail same@school.nl (first on row 8)" in problems_of(
        page, 9
    )
    assert db.exec(select(Participant)).all() == []
