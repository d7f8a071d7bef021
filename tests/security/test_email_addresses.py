"""E-mail addresses as organisers paste them: from an e-mail signature, a web page or a chat,
with invisible characters along; the colleague later types the address by hand."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.models import Organiser
from tests.factories import PASSWORD

NEW_PASSWORD = "lantern quietly oboe"


def _sign_in(client: TestClient, email: str) -> int:
    answer = client.post("/api/v1/auth/signin", json={"email": email, "password": NEW_PASSWORD})
    status: int = answer.status_code
    return status


@pytest.mark.parametrize(
    ("pasted", "typed"),
    [
        ("mia@school.be\u200b", "mia@school.be"),  # zero-width space after a copied address
        ("\ufeffmia@school.be", "mia@school.be"),  # byte-order mark from a pasted text file
        ("mia@school\u00ad.be", "mia@school.be"),  # soft hyphen from a hyphenated web page
        ("jose\u0301@escola.pt", "jos\u00e9@escola.pt"),  # é as e + accent (macOS) vs é
    ],
)
def test_a_colleague_invited_with_a_pasted_address_signs_in_with_the_typed_one(
    client: TestClient, organiser: Organiser, pasted: str, typed: str
) -> None:
    client.post("/api/v1/auth/signin", json={"email": organiser.email, "password": PASSWORD})
    invite = client.post("/api/v1/organisers/invites", json={"email": pasted, "name": "Mia"})
    assert invite.status_code == 201, invite.text
    client.cookies.clear()
    token = invite.json()["invite_link"].rsplit("/", 1)[1]
    assert client.post("/api/v1/auth/invite", json={"token": token}).status_code == 200
    new_password = client.put("/api/v1/organisers/me/password", json={"password": NEW_PASSWORD})
    assert new_password.status_code == 204
    client.post("/api/v1/auth/signout")

    assert _sign_in(client, typed) == 200
    assert client.get("/api/v1/organisers/me").json()["email"] == typed
    # And the same person cannot be invited a second time under the typed address.
    client.post("/api/v1/auth/signin", json={"email": organiser.email, "password": PASSWORD})
    again = client.post("/api/v1/organisers/invites", json={"email": typed, "name": "Mia"})
    assert again.status_code == 409
