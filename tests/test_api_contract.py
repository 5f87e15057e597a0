"""REST API v1 against its own contract: Schemathesis reads /api/v1/openapi.json from
the app (in-process, on the suite's database) and sends every operation generated
requests, valid and not, with the token of a member of a company holding records.
No answer may be a 5xx, and each must have a documented status code, its documented
content type, headers and body schema. Bounded (a few examples per operation, no
shrinking) and derandomized so that `make test` stays short and repeatable."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis import checks as common_checks
from schemathesis.specs.openapi import checks as openapi_checks

from tests.api_support import bearer, issue_token

EXAMPLES = 100  # per operation: the file stays under a minute on two cores
CHECKS = [
    common_checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
    openapi_checks.response_headers_conformance,
]


@pytest.fixture
def token(app, tenants, client):
    token = issue_token(app, tenants.a.id, tenants.a.admin_membership_id)
    # Records to find: the ids 1 and 2 of each kind belong to this company, so the
    # generated ids often hit a real third party, contact, event or task, not only 404s.
    for name in ("Dupont SA", "Martin"):
        tiers = client.post("/api/v1/tiers/", json={"name": name}, headers=bearer(token))
        assert tiers.status_code == 201, tiers.json
        contact = client.post("/api/v1/contacts/", headers=bearer(token),
                              json={"last_name": f"Durand {name}", "tiers_id": tiers.json["id"]})
        assert contact.status_code == 201, contact.json
        event = client.post("/api/v1/events/", headers=bearer(token), json={
            "title": f"RDV {name}", "starts_at": "2030-03-10T10:00"})
        task = client.post("/api/v1/tasks/", headers=bearer(token),
                           json={"label": f"Appeler {name}", "due_date": "2030-03-10"})
        assert event.status_code == task.status_code == 201, (event.json, task.json)
    # The token's rate limit is tested elsewhere (tests/test_api_tiers.py); here it
    # would only answer 429 once the examples outnumber it.
    before, app.config["API_RATE_LIMIT"] = app.config["API_RATE_LIMIT"], "100000/minute"
    yield token
    app.config["API_RATE_LIMIT"] = before


# One test walking the operations (pytest's subtests), not Schemathesis' pytest
# plugin: its lazy loader (schemathesis.pytest.from_fixture) renames pytest 9's nodes
# by an attribute they no longer have.
def test_every_operation_keeps_its_contract(app, token, subtests):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 28  # five resources of five operations, three lists
    for operation in operations:
        cases = operation.as_strategy(GenerationMode.POSITIVE) | \
            operation.as_strategy(GenerationMode.NEGATIVE)

        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  phases=[Phase.explicit, Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(case=cases)
        def keeps_contract(case):
            case.call_and_validate(headers=bearer(token), checks=CHECKS)

        with subtests.test(msg=operation.label):
            keeps_contract()
