"""schemathesis against /api/v1/openapi.json with a real token: no server error and no
answer outside the document (status codes, response schemas), on every operation."""

from __future__ import annotations

from collections import Counter

import schemathesis
from hypothesis import HealthCheck, given, settings

from motcua.accounts.service import create_token
from records_support import MARITAL, publish_form

EXAMPLES = 40  # per operation; derandomized, so every run sends the same requests
# Checks that judge the request side, not our answers: the token is fixed (so generated
# "invalid auth" is never sent), and a schema-valid code, cursor or procedure name that
# does not exist is rightly refused.
NOT_OURS = {"IgnoredAuth", "RejectedPositiveData"}


def test_the_api_answers_inside_its_document(app, users, ward_a):
    publish_form(ward_a, MARITAL)
    _, token = create_token(ward_a, users.admin_a)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures: Counter = Counter()
    statuses: Counter = Counter()
    for result in schema.get_all_operations():
        _fuzz(result.ok(), token, statuses, failures)
    assert sum(statuses.values()) >= EXAMPLES * 5
    assert not [code for code in statuses if code >= 500], statuses
    assert not failures, failures


def _fuzz(operation, token: str, statuses: Counter, failures: Counter) -> None:  # noqa: ANN001
    """Send the operation's generated requests; count statuses and our failures."""

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def call(case) -> None:  # noqa: ANN001
        response = case.call(headers={"Authorization": f"Bearer {token}"})
        statuses[response.status_code] += 1
        try:
            case.validate_response(response)
        except BaseException as found:  # noqa: BLE001 - schemathesis raises a FailureGroup
            for failure in getattr(found, "exceptions", [found]):
                if type(failure).__name__ not in NOT_OURS:
                    failures[f"{operation.label}: {type(failure).__name__} {getattr(failure, 'title', '')}"] += 1

    call()
