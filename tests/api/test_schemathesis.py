"""Property-based run of schemathesis against the project's own OpenAPI schema, in process (WSGI).

Every operation gets a bounded number of generated requests (fixed seed, so the run is the same
every time); each response goes through every check schemathesis has (server errors, status codes,
content types, headers and bodies against the schema, negative data rejected and positive data
accepted, unsupported methods, Allow headers, ...).
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, seed, settings
from schemathesis.checks import CHECKS, load_all_checks

from portal.wsgi import application

load_all_checks()
ALL_CHECKS = CHECKS.get_all()


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


def test_schemathesis_runs_every_check():
    names = {check.__name__ for check in ALL_CHECKS}
    assert {"not_a_server_error", "response_schema_conformance", "negative_data_rejection"} <= names
    assert len(names) >= 14


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
            case.validate_response(response, checks=ALL_CHECKS)

        check()
