"""The participants import over the API with hypothesis-made files: all rows or none, no 5xx."""

from __future__ import annotations

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.conftest import FuzzTarget

GOOD_ROW = ["{id}", "Ana Costa", "{id}@escola.example.pt", "Escola", "PT", "primary", "pt;en"]
HEADER = ["id", "name", "email", "school", "country", "sector", "languages"]


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([HEADER, *rows])
    return out.getvalue().encode()


@st.composite
def import_files(draw: st.DrawFn) -> bytes:
    """Mostly valid files with one cell or the encoding broken, or arbitrary bytes."""
    kind = draw(st.sampled_from(["rows", "bytes"]))
    if kind == "bytes":
        return draw(st.binary(max_size=400))
    n = draw(st.integers(min_value=1, max_value=5))
    ident = draw(st.integers(min_value=0, max_value=10**9))
    rows = [[cell.format(id=f"f{ident}x{i}") for cell in GOOD_ROW] for i in range(n)]
    if draw(st.booleans()):
        row = draw(st.integers(min_value=0, max_value=n - 1))
        column = draw(st.integers(min_value=0, max_value=len(HEADER) - 1))
        rows[row][column] = draw(st.text(max_size=80))
    data = csv_bytes(rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"]))
    return data.decode().encode(encoding, errors="replace")


def count(target: FuzzTarget, event_id: str, auth: dict[str, str]) -> int:
    response = target.client.get(f"/api/v1/events/{event_id}/participants", headers=auth)
    assert response.status_code == 200
    return len(response.json())


def test_import_is_all_or_nothing_for_any_file(fuzz_target: FuzzTarget) -> None:
    auth = {"Authorization": f"Bearer {fuzz_target.event.api_token}"}
    created = fuzz_target.client.post(
        "/api/v1/events",
        headers=auth,
        json={"name": "Import fuzz", "starts_at": "2031-05-01T10:00:00"},
    )
    assert created.status_code == 201, created.text
    event_id = created.json()["id"]
    statuses: set[int] = set()

    @settings(
        max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(import_files())
    def one(data: bytes) -> None:
        before = count(fuzz_target, event_id, auth)
        response = fuzz_target.client.post(
            f"/api/v1/events/{event_id}/participants/import",
            headers={**auth, "content-type": "text/csv"},
            content=data,
        )
        statuses.add(response.status_code)
        after = count(fuzz_target, event_id, auth)
        if response.status_code == 201:
            assert after == before + response.json()["imported"]
        else:
            assert response.status_code in (400, 409, 413, 415, 422), response.text
            assert response.json()["detail"]
            assert after == before  # nothing imported from a refused file

    one()
    assert 201 in statuses
    assert statuses - {201}
