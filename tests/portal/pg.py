"""Helpers for tests that need more PostgreSQL databases next to the test database."""

import subprocess

import psycopg
from django.db import connection

from tests.portal.conftest import database_url_of


def server_url(name: str) -> str:
    return database_url_of(connection.settings_dict, name)


def admin_execute(sql: str) -> None:
    with psycopg.connect(server_url("postgres"), autocommit=True) as conn:
        conn.execute(sql)


def create_database(name: str) -> str:
    drop_database(name)
    admin_execute(f'CREATE DATABASE "{name}"')
    return server_url(name)


def drop_database(name: str) -> None:
    admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def copy_test_database(name: str) -> str:
    """A copy of what the test database holds (committed rows: the library loaded for the session)."""
    url = create_database(name)
    dump = subprocess.run(
        ["pg_dump", "--no-owner", "--dbname", server_url(connection.settings_dict["NAME"])],
        capture_output=True,
        check=True,
    )
    subprocess.run(
        ["psql", "-q", "-v", "ON_ERROR_STOP=1", "--dbname", url],
        input=dump.stdout,
        check=True,
        capture_output=True,
    )
    return url


def fetch_one(url: str, sql: str, params=()):
    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchone()
