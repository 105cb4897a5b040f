"""A URLconf for the error tests: views that fail as a lost database or a bug would, under /api/ and not."""

import sqlite3

import psycopg
from django.db import OperationalError
from django.urls import include, path

from portal.query import reads_query

# What Django raises for each kind of database failure: its OperationalError wrapping the driver's.
DATABASE_ERRORS = {
    "refused": psycopg.OperationalError("connection failed: 10.0.1.10:5432 refused, database caselib"),
    "admin-shutdown": psycopg.errors.lookup("57P01")("terminating connection due to administrator command"),
    "too-many-connections": psycopg.errors.lookup("53300")("sorry, too many clients already"),
    "connection-failure": psycopg.errors.lookup("08006")("connection failure"),
    "statement-timeout": psycopg.errors.lookup("57014")("canceling statement due to statement timeout"),
    "lock-timeout": psycopg.errors.lookup("55P03")("canceling statement due to lock timeout"),
    "sqlite-locked": sqlite3.OperationalError("database is locked"),
    "sqlite-no-table": sqlite3.OperationalError("no such table: cases_case"),
    "no-driver-error": None,
}


def raise_database_error(kind: str):
    cause = DATABASE_ERRORS[kind]
    if cause is None:
        raise OperationalError("raised by our own code, not by a driver")
    raise OperationalError(*cause.args) from cause


@reads_query()
def database_gone(request):
    raise_database_error("refused")


@reads_query()
def database_error(request, kind):
    raise_database_error(kind)


@reads_query()
def bug(request):
    raise RuntimeError("secret detail /srv/caselib/app")


# The site's error handlers, as the real URLconf has them.
from portal.urls import handler400, handler403, handler404, handler500  # noqa: E402, F401, I001

urlpatterns = [
    path("api/v1/test-database-gone/", database_gone),
    path("api/v1/test-bug/", bug),
    path("test-database-gone/", database_gone),
    path("test-bug/", bug),
    path("api/v1/test-database/<str:kind>/", database_error),
    path("test-database/<str:kind>/", database_error),
    path("", include("portal.urls")),
]
