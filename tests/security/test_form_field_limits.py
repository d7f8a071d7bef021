"""Over-long values on the sign-in and account forms get their page back with a message that
names the field (and what was typed), not FastAPI's raw JSON; the API still answers JSON."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session

from app.models import Organiser
from tests.factories import PASSWORD

SIGN_IN = "/organiser/sign-in"
LONG_EMAIL = "a" * 310 + "@agency.example"  # 325 characters: over 320


def assert_page(answer: Response, *messages: str) -> str:
    """The page again (422, HTML) with these messages; returns its text."""
    assert answer.status_code == 422, answer.text[:300]
    assert answer.headers["content-type"].startswith("text/html")
    for message in messages:
        assert message in answer.text
    return answer.text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", LONG_EMAIL, "“E-mail address” is too long: at most 320 characters."),
        ("password", "x" * 1001, "“Password” is too long: at most 1000 characters."),
        ("code", "1" * 13, "“Authenticator code” is too long: at most 12 characters."),
    ],
)
def test_an_overlong_sign_in_field_is_said_on_the_sign_in_page(
    client: TestClient, organiser: Organiser, field: str, value: str, message: str
) -> None:
    form = {"email": organiser.email, "password": PASSWORD, field: value}
    text = assert_page(client.post(SIGN_IN, data=form, follow_redirects=False), message)
    assert 'name="password"' in text  # the form, to try again
    assert f'value="{form["email"]}"' in text  # the e-mail stays in its field
    assert client.get("/organiser", follow_redirects=False).status_code == 303  # not signed in


def test_an_overlong_return_address_signs_in_to_the_dashboard(
    client: TestClient, organiser: Organiser
) -> None:
    """`next` is not typed by anyone (sign-in links carry the page that asked): too long, it
    is dropped rather than blocking the sign-in."""
    target = "/organiser/events?" + "q=x&" * 600
    form = {"email": organiser.email, "password": PASSWORD, "next": target}
    answer = client.post(SIGN_IN, data=form, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/organiser"
    page = client.get(f"{SIGN_IN}?next={quote(target)}")
    assert 'name="next" value="/organiser"' in page.text


def test_the_api_still_answers_json(client: TestClient) -> None:
    answer = client.post("/api/v1/auth/signin", json={"email": LONG_EMAIL, "password": "x"})
    assert answer.status_code == 422
    assert answer.json()["type"] == "invalid_input"


@pytest.fixture
def signed_in(client: TestClient, organiser: Organiser) -> TestClient:
    answer = client.post(
        SIGN_IN, data={"email": organiser.email, "password": PASSWORD}, follow_redirects=False
    )
    assert answer.status_code == 303
    return client


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("current_password", "Current password"),
        ("password", "New password"),
        ("again", "New password again"),
    ],
)
def test_an_overlong_password_is_said_on_the_account_page(
    signed_in: TestClient, session: Session, organiser: Organiser, field: str, label: str
) -> None:
    new = "violet tangerine obelisk harbour"
    form = {"current_password": PASSWORD, "password": new, "again": new, field: "y" * 1001}
    answer = signed_in.post("/organiser/account", data=form)
    text = assert_page(answer, f"“{label}” is too long: at most 1000 characters.")
    assert 'id="password-error"' in text
    before = organiser.password_hash
    session.refresh(organiser)
    assert organiser.password_hash == before  # nothing changed


@pytest.mark.parametrize("step", ["confirm", "off"])
def test_an_overlong_two_step_code_is_said_on_the_account_page(
    signed_in: TestClient, step: str
) -> None:
    signed_in.post("/organiser/account/two-step/begin")
    answer = signed_in.post(f"/organiser/account/two-step/{step}", data={"code": "1" * 13})
    text = assert_page(answer, "is too long: at most 12 characters.")
    assert 'id="two-step-error"' in text


def test_an_overlong_invite_link_gets_the_error_page(client: TestClient) -> None:
    answer = client.post(f"/organiser/invite/{'t' * 5000}", follow_redirects=False)
    assert answer.status_code == 401
    assert answer.headers["content-type"].startswith("text/html")
