import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/6")


def redis_reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def redis_cache(settings):
    """Django's Redis cache backend against the real Redis (DB 6 unless TEST_REDIS_URL), isolated by prefix."""
    if not redis_reachable():
        if os.environ.get("CI"):
            pytest.fail(f"Redis at {TEST_REDIS_URL} is not reachable; CI must run these tests against it")
        pytest.skip(f"Redis at {TEST_REDIS_URL} is not reachable (start redis-server; CI never skips)")
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": TEST_REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield cache
    import redis

    client = redis.Redis.from_url(TEST_REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@pytest.fixture
def page_cache(settings):
    """The page cache is off under pytest by default (see settings); these tests turn it on."""
    settings.PAGE_CACHE_ENABLED = True


@pytest.fixture(autouse=True)
def _fresh_local_cache():
    from portal.cache import local_pages

    cache.clear()  # tests on the local-memory cache start empty
    local_pages.clear()
    yield


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture
def postgres(db):
    if not is_postgres():
        pytest.skip("PostgreSQL only (pg_dump, a second server database); runs in CI's PostgreSQL pass")


def run_manage(*args: str, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """Run manage.py in a fresh process with the given environment (on top of a minimal one)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE", "REDIS_URL"))}
    base.pop("PYTEST_CURRENT_TEST", None)
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check and result.returncode:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def run_python(code: str, env: dict | None = None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE", "REDIS_URL"))}
    base.pop("PYTEST_CURRENT_TEST", None)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )


def database_url_of(alias_settings: dict, name: str) -> str:
    """A postgres:// URL for another database on the same server as the test database."""
    user = alias_settings.get("USER") or "postgres"
    password = alias_settings.get("PASSWORD") or ""
    host = alias_settings.get("HOST") or "127.0.0.1"
    port = alias_settings.get("PORT") or 5432
    auth = f"{user}:{password}@" if password else f"{user}@"
    return f"postgres://{auth}{host}:{port}/{name}"


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """A STATIC_ROOT with the production manifest, for subprocesses that render pages with
    production settings (hashed static names need collectstatic first, as in a real deploy)."""
    root = tmp_path_factory.mktemp("static")
    run_manage(
        "collectstatic",
        "--noinput",
        "-v0",
        env={"DJANGO_SECRET_KEY": "x" * 60, "DJANGO_STATIC_ROOT": str(root)},
    )
    return root
