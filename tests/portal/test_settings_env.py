"""Settings come from the environment only; production is safe by default."""

import json
import re
import secrets

from tests.portal.conftest import run_manage, run_python

KEY = secrets.token_urlsafe(50)
PRODUCTION = {"DJANGO_SECRET_KEY": KEY, "DJANGO_ALLOWED_HOSTS": "anli.example.gov.cn"}


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", env={}, check=False)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_check_deploy_reports_nothing_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "DEBUG", env=PRODUCTION, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


def test_check_deploy_clean_with_redis_replicas_and_prefix_too():
    env = {
        **PRODUCTION,
        "REDIS_URL": "redis://127.0.0.1:6379/5",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/portal_prod",
        "DATABASE_REPLICA_URLS": "postgres://postgres@10.0.0.2:5432/portal,postgres://postgres@10.0.0.3/portal",
        "DJANGO_URL_PREFIX": "/anli",
        "DJANGO_ADMIN_PATH": "guanli/",
    }
    result = run_manage("check", "--deploy", "--fail-level", "DEBUG", env=env, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


SHOW = """
import json, django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
try:
    admin_css = static("admin/css/base.css")
except ValueError:  # production storage before collectstatic: no manifest in this STATIC_ROOT
    admin_css = None
print(json.dumps({
    "debug": settings.DEBUG,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "hsts": settings.SECURE_HSTS_SECONDS,
    "secure_cookies": settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE,
    "cache": settings.CACHES["default"]["BACKEND"],
    "session_engine": settings.SESSION_ENGINE,
    "databases": sorted(settings.DATABASES),
    "replica_host": settings.DATABASES.get("replica_0", {}).get("HOST"),
    "case_url": reverse("cases:detail", kwargs={"slug": "2021-best-01"}),
    "admin_url": reverse("admin:index"),
    "static_url": settings.STATIC_URL,
    "admin_css": admin_css,
    "session_cookie_path": settings.SESSION_COOKIE_PATH,
    "trusted": settings.CSRF_TRUSTED_ORIGINS,
    "storage": settings.STORAGES["staticfiles"]["BACKEND"],
    "page_cache": settings.PAGE_CACHE_ENABLED,
    "proxies": [settings.TRUSTED_PROXY_COUNT, settings.REST_FRAMEWORK["NUM_PROXIES"]],
}))
"""


def show(env: dict) -> dict:
    result = run_python(SHOW, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_defaults_are_secure(tmp_path):
    run_manage("collectstatic", "--noinput", "-v0", env={**PRODUCTION, "DJANGO_STATIC_ROOT": str(tmp_path)})
    values = show({**PRODUCTION, "DJANGO_STATIC_ROOT": str(tmp_path)})
    assert values["debug"] is False
    assert values["ssl_redirect"] is True
    assert values["hsts"] >= 31536000
    assert values["secure_cookies"] is True
    assert values["cache"].endswith("LocMemCache")
    assert values["databases"] == ["default"]
    assert values["page_cache"] is True  # off only under pytest, or with DJANGO_PAGE_CACHE=0
    assert values["storage"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    # Hashed names (cacheable for a year) with gzip and brotli copies beside them.
    hashed = values["admin_css"].removeprefix("/static/")
    assert re.fullmatch(r"admin/css/base\.[0-9a-f]{12}\.css", hashed)
    assert (tmp_path / hashed).exists()
    assert (tmp_path / f"{hashed}.gz").exists() and (tmp_path / f"{hashed}.br").exists()


def test_debug_only_when_asked_for():
    assert show({"DJANGO_DEBUG": "1"})["debug"] is True
    assert show({**PRODUCTION, "DJANGO_DEBUG": "0"})["debug"] is False


def test_redis_replicas_and_trusted_origins_from_the_environment():
    values = show(
        {
            **PRODUCTION,
            "REDIS_URL": "redis://127.0.0.1:6379/5",
            "DATABASE_REPLICA_URLS": "postgres://u@10.0.0.2:5432/lib, postgres://u@10.0.0.3:5432/lib",
            "DJANGO_CSRF_TRUSTED_ORIGINS": "https://anli.example.gov.cn,https://www.sc.gov.cn",
        }
    )
    assert values["cache"] == "portal.redis_cache.ResilientRedisCache"
    assert values["session_engine"] == "django.contrib.sessions.backends.cached_db"
    assert values["databases"] == ["default", "replica_0", "replica_1"]
    assert values["replica_host"] == "10.0.0.2"
    assert values["trusted"] == ["https://anli.example.gov.cn", "https://www.sc.gov.cn"]


def test_path_prefix_carries_into_links_static_files_and_cookies():
    values = show({**PRODUCTION, "DJANGO_URL_PREFIX": "/anli/"})
    assert values["case_url"] == "/anli/cases/2021-best-01/"
    assert values["static_url"] == "/anli/static/"
    assert values["session_cookie_path"] == "/anli/"


def test_admin_path_is_configurable():
    assert show(PRODUCTION)["admin_url"] == "/admin/"
    assert show({**PRODUCTION, "DJANGO_ADMIN_PATH": "/guanli/houtai/"})["admin_url"] == "/guanli/houtai/"
    assert show({**PRODUCTION, "DJANGO_URL_PREFIX": "/anli", "DJANGO_ADMIN_PATH": "guanli"})["admin_url"] == (
        "/anli/guanli/"
    )


def test_middleware_order(settings):
    """Probes and cache hits short-circuit inside the header middleware and outside sessions/auth."""
    order = settings.MIDDLEWARE
    assert order[0] == "portal.middleware.RequestLogMiddleware"
    chain = [
        "django.middleware.security.SecurityMiddleware",
        "csp.middleware.CSPMiddleware",
        "portal.middleware.SecurityHeadersMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "portal.middleware.HealthCheckMiddleware",
        "portal.middleware.PageCacheMiddleware",
        "portal.middleware.PrimaryDatabaseMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
    ]
    positions = [order.index(name) for name in chain]
    assert positions == sorted(positions)


def test_one_proxy_count_for_the_lockout_the_log_and_the_api_throttle():
    assert show(PRODUCTION)["proxies"] == [0, 0]
    assert show({**PRODUCTION, "DJANGO_TRUSTED_PROXY_COUNT": "1"})["proxies"] == [1, 1]
    # The earlier, API-only name still works.
    assert show({**PRODUCTION, "API_NUM_PROXIES": "2"})["proxies"] == [2, 2]
    result = run_python(SHOW, env={**PRODUCTION, "DJANGO_TRUSTED_PROXY_COUNT": "-1"})
    assert result.returncode != 0 and "DJANGO_TRUSTED_PROXY_COUNT must be 0 or more" in result.stderr
