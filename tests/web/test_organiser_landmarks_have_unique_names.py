"""Each landmark on the organiser's pages has its own name (axe: landmark-unique): a screen
reader's list of regions shows no name twice, and a table's scroll box stays reachable by
keyboard."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.web.test_schedule_pages import scheduled_event

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Landmarks(HTMLParser):
    """Regions (role=region, or a <section> with a name) and their accessible names."""

    def __init__(self) -> None:
        super().__init__()
        self.text: dict[str, list[str]] = {}  # id -> text inside
        self.open: list[tuple[str, str | None]] = []  # (tag, id) of the elements we are inside
        self.regions: list[tuple[str | None, str | None]] = []  # (aria-label, aria-labelledby)
        self.scroll_boxes: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        named = a.get("aria-label") is not None or a.get("aria-labelledby") is not None
        if a.get("role") == "region" or (tag == "section" and named and a.get("role") is None):
            self.regions.append((a.get("aria-label"), a.get("aria-labelledby")))
        if "table-scroll" in (a.get("class") or "").split():
            self.scroll_boxes.append(a)
        if tag in VOID:
            return
        self.open.append((tag, a.get("id")))
        if a.get("id"):
            self.text[str(a["id"])] = []

    def handle_endtag(self, tag: str) -> None:
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        for _, element in self.open:
            if element:
                self.text[element].append(data)

    def names(self) -> list[str]:
        def name(label: str | None, ids: str | None) -> str:
            if label is not None:
                return label.strip()
            return " ".join("".join(self.text.get(i, [])).strip() for i in (ids or "").split())

        return [name(label, ids) for label, ids in self.regions]


def landmarks(page: str) -> Landmarks:
    parser = Landmarks()
    parser.feed(page)
    return parser


def test_the_live_schedule_and_participants_pages_name_each_landmark_once(
    web: TestClient, db: Session
) -> None:
    event_id = scheduled_event(web, db)
    assert web.post(f"/organiser/events/{event_id}/schedule/generate").status_code == 200
    for path, table in (
        ("schedule", "Rooms per round"),
        ("live", "Rooms and who is connected"),
        ("participants", "6 participants"),
    ):
        page = web.get(f"/organiser/events/{event_id}/{path}")
        assert page.status_code == 200, path
        found = landmarks(page.text)
        names = found.names()
        assert table in names, (path, names)
        assert [n for n, count in Counter(names).items() if count > 1] == [], (path, names)
        # The scroll boxes around the tables are still reached with the keyboard.
        assert found.scroll_boxes, path
        assert all(box.get("tabindex") == "0" for box in found.scroll_boxes), path
