"""Property-based run of schemathesis against the project's own OpenAPI schema, in process (WSGI).

Every operation gets a bounded number of generated requests (fixed seed, so the run is the same
every time); each response must not be a server error and must match the schema.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, seed, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from portal.wsgi import application

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


@pytest.fixture
def schema(library):
    # Requests go through the real WSGI handler, which closes "old" database connections at the
    # end of each request; inside the test's transaction that would drop the connection (Django's
    # own test client switches this off the same way).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_schema_has_every_endpoint(schema):
    paths = {op.ok().path for op in schema.get_all_operations()}
    for name in ["cases", "prefectures", "units", "tiers", "organizing-awards", "notices", "themes"]:
        assert f"/api/v1/{name}/" in paths
    assert "/api/v1/cases/{id}/" in paths


def test_schemathesis_finds_nothing(schema):
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 16
    for operation in operations:

        @seed(20220126)
        @settings(
            max_examples=25,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case):
            response = case.call()
            case.validate_response(response, checks=CHECKS)

        check()
