"""Every label an organiser reads comes in the page's language, not as a code identifier."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.events.schemas import WEIGHT_NAMES
from tests.web.test_organiser_pages import sign_in


def test_matching_weights_are_labelled_in_the_organisers_language(
    web: TestClient, db: Session
) -> None:
    sign_in(web, db)
    page = web.get("/organiser/events/new", headers={"Accept-Language": "nl"})
    labels = dict(re.findall(r'<label for="f-weight_(\w+)">([^<]*)</label>', page.text))
    assert sorted(labels) == sorted(WEIGHT_NAMES)
    assert labels["same_sector"] == "Hetzelfde soort school"
    assert labels["fairness"].startswith("Eerlijkheid")
    # No label is the bare identifier with its underscores turned into spaces.
    assert not any(label == name.replace("_", " ") for name, label in labels.items())
