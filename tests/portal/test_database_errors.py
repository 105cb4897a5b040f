"""Only a database that cannot be reached is a 503 "try again"; every other database error is a 500.

A 503 with Retry-After tells the load balancer and readers the failure is passing. A bad query, a
constraint, a statement timeout or a value too long for its column is a bug: it must stay a 500 that
is logged (and then fixed), not be hidden as "try again later". The kinds are PostgreSQL's SQLSTATE
classes 08 (connection), 57P (operator intervention) and 53 (insufficient resources), and SQLite's
"cannot open / locked".
"""

from __future__ import annotations

import logging

import pytest
from django.db import InterfaceError, OperationalError, ProgrammingError
from django.test import Client

from portal.errors import database_unavailable
from tests.portal.urls_failing import DATABASE_ERRORS

UNAVAILABLE = {"refused", "admin-shutdown", "too-many-connections", "connection-failure", "sqlite-locked"}


@pytest.fixture
def failing(settings):
    settings.ROOT_URLCONF = "tests.portal.urls_failing"
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("kind", sorted(DATABASE_ERRORS))
@pytest.mark.parametrize("prefix", ["/api/v1/", "/"])
def test_only_connection_class_database_errors_answer_503(failing, db, caplog, kind, prefix):
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = failing.get(f"{prefix}test-database/{kind}/")
    expected = 503 if kind in UNAVAILABLE else 500
    assert response.status_code == expected, kind
    assert ("Retry-After" in response) == (expected == 503)
    assert caplog.records, "every 5xx is logged"


def test_errors_that_are_not_operational_are_never_unavailable():
    assert database_unavailable(InterfaceError("connection already closed"))
    assert not database_unavailable(ProgrammingError("syntax error"))
    assert not database_unavailable(OperationalError("no cause"))
    assert not database_unavailable(None)
