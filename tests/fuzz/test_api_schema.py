"""Schemathesis over every operation of the app's own OpenAPI schema: no 5xx, responses conform.

Requests carry the organiser's API token and a participant's link token, and their ids point at a
real event, so generated bodies reach the services rather than stopping at "not found".
Examples per operation: SPEEDMATCH_FUZZ_EXAMPLES (default 12; CI budget about a minute).
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from app.main import create_app
from tests.fuzz.conftest import FuzzTarget

EXAMPLES = int(os.environ.get("SPEEDMATCH_FUZZ_EXAMPLES", "12"))

# Operations whose real-id version would delete the event everything else is fuzzed against:
# they are fuzzed with generated ids only.
DESTRUCTIVE = {
    ("DELETE", "/api/v1/events/{event_id}"),
    ("POST", "/api/v1/events/{event_id}/purge"),
    ("DELETE", "/api/v1/events/{event_id}/participants/{participant_id}"),
    ("POST", "/api/v1/events/{event_id}/participants/{participant_id}/erase"),
    ("DELETE", "/api/v1/me/data"),
    ("PUT", "/api/v1/events/{event_id}/export-closed"),
}


# The schema is the app's own, read without a database; the operations become test ids.
SCHEMA = schemathesis.openapi.from_dict(create_app().openapi())
OPERATIONS = {op.ok().label: op.ok() for op in SCHEMA.get_all_operations()}  # type: ignore[union-attr]


def aim_at_real_objects(case: schemathesis.Case[Any], target: FuzzTarget) -> None:
    if (case.method.upper(), case.path) in DESTRUCTIVE:
        return
    real = {
        "event_id": target.event.event_id,
        "participant_id": target.mate_id,
        "other_id": target.mate_id,
    }
    params = case.path_parameters or {}
    for name, value in real.items():
        if name in params:
            params[name] = value
    if case.query is not None and "token" in case.query:
        case.query["token"] = target.event.tokens[target.participant_id]


@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_api_answers_every_generated_request_without_5xx_and_as_documented(
    label: str, fuzz_target: FuzzTarget
) -> None:
    operation = OPERATIONS[label]
    auth = {"Authorization": f"Bearer {fuzz_target.event.api_token}"}

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(case: schemathesis.Case[Any]) -> None:
        aim_at_real_objects(case, fuzz_target)
        response = case.call(app=fuzz_target.app, headers=auth)
        case.validate_response(
            response,
            checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
            headers=auth,
        )

    fuzz()
