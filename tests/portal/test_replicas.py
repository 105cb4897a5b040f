"""DATABASE_REPLICA_URLS: reads go to a replica, writes, admin requests and transactions to the primary."""

import json

import pytest
from django.db import connection
from django.test import RequestFactory

from portal import routers
from portal.middleware import PrimaryDatabaseMiddleware
from tests.portal.conftest import run_python

SLUG = "2021-best-01"
REPLICA_TITLE = "只在副本中的标题"
PRIMARY_TITLE = "写入主库的新标题"

SCRIPT = f"""
import json, os
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()
from django.db import connections, transaction
from django.test import Client
from cases.models import Case
from portal.routers import pinned_to_primary

def title():
    return Case.objects.get(slug="{SLUG}").title

out = {{"aliases": sorted(connections)}}
with pinned_to_primary(False):
    out["read"] = title()
    out["page_from_replica"] = "{REPLICA_TITLE}" in Client().get("/cases/{SLUG}/").content.decode()
with pinned_to_primary(False):
    case = Case.objects.get(slug="{SLUG}")
    case.title = "{PRIMARY_TITLE}"
    case.save()
    out["read_after_write"] = title()
with pinned_to_primary(False):
    out["next_request_read"] = title()
    with transaction.atomic():
        out["read_in_transaction"] = title()
with pinned_to_primary(True):
    out["admin_read"] = title()
print(json.dumps(out, ensure_ascii=False))
"""


def test_replica_routing_against_real_postgresql(postgres, collected_static):
    from tests.portal import pg

    base = connection.settings_dict["NAME"]
    primary, replica = f"{base}_rt_primary", f"{base}_rt_replica"
    try:
        primary_url = pg.copy_test_database(primary)
        replica_url = pg.copy_test_database(replica)
        # Make the replica tell itself apart (as if replication had not caught up yet).
        with pg.psycopg.connect(replica_url) as conn:
            conn.execute("UPDATE cases_case SET title = %s WHERE slug = %s", (REPLICA_TITLE, SLUG))
        result = run_python(
            SCRIPT,
            env={
                "DATABASE_URL": primary_url,
                "DATABASE_REPLICA_URLS": replica_url,
                "DJANGO_SECRET_KEY": "x" * 60,
                "DJANGO_ALLOWED_HOSTS": "testserver",
                "DJANGO_SECURE_SSL_REDIRECT": "0",
                "DJANGO_PAGE_CACHE": "0",
                "DJANGO_LOG_LEVEL": "WARNING",
                "DJANGO_STATIC_ROOT": str(collected_static),
            },
        )
        assert result.returncode == 0, result.stderr
        out = json.loads(result.stdout.strip().splitlines()[-1])
        assert out["aliases"] == ["default", "replica_0"]
        assert out["read"] == REPLICA_TITLE  # an ordinary read went to the replica
        assert out["page_from_replica"] is True  # and so did a public page's
        assert out["read_after_write"] == PRIMARY_TITLE  # after a write the request reads the primary
        assert out["next_request_read"] == REPLICA_TITLE  # a new request reads the replica again
        assert out["read_in_transaction"] == PRIMARY_TITLE  # inside a transaction: the primary
        assert out["admin_read"] == PRIMARY_TITLE  # a pinned (admin) request: the primary
        # The write reached the primary only.
        assert (
            pg.fetch_one(primary_url, "SELECT title FROM cases_case WHERE slug = %s", (SLUG,))[0]
            == PRIMARY_TITLE
        )
        assert (
            pg.fetch_one(replica_url, "SELECT title FROM cases_case WHERE slug = %s", (SLUG,))[0]
            == REPLICA_TITLE
        )
    finally:
        pg.drop_database(primary)
        pg.drop_database(replica)


def pinned_during(method: str, path: str) -> bool:
    seen = {}

    def view(request):
        seen["pinned"] = routers._pinned.get()
        return None

    PrimaryDatabaseMiddleware(view)(getattr(RequestFactory(), method)(path))
    return seen["pinned"]


@pytest.mark.parametrize(
    ("method", "path", "pinned"),
    [
        ("get", "/cases/", False),
        ("head", "/api/v1/cases/", False),
        ("get", "/admin/cases/case/", True),
        ("post", "/cases/", True),
        ("delete", "/api/v1/cases/1/", True),
    ],
)
def test_admin_and_unsafe_requests_are_pinned_to_the_primary(method, path, pinned):
    assert pinned_during(method, path) is pinned
    assert routers._pinned.get() is False  # the pin ends with the request


def test_without_replicas_everything_uses_the_primary(db):
    router = routers.PrimaryReplicaRouter()
    assert routers.replica_aliases() == []
    assert router.db_for_read(None) == "default"
    assert router.db_for_write(None) == "default"
    assert router.allow_migrate("default", "cases") is True
    assert router.allow_migrate("replica_0", "cases") is False
