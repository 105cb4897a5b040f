"""The one settings module. Everything that differs between machines comes from the environment.

With nothing set it runs in development mode on a SQLite file in the project folder.
"""

import re
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from portal.env import admin_path, env_bool, env_int, env_list, env_str, url_prefix

BASE_DIR = Path(__file__).resolve().parent.parent

# Off unless asked for: a server started with nothing set is a production server.
DEBUG = env_bool("DJANGO_DEBUG", False)
TESTING = "pytest" in sys.modules

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it for production, or set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_filters",
    "awards",
    "cases",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"  # the production block below prefixes it with DJANGO_URL_PREFIX
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# Where the notice's source document and the generated fixtures live.
LIBRARY_SOURCE = BASE_DIR / "fixtures" / "source" / "chuanzhenggonghan-2022-35.txt"
LIBRARY_FIXTURE = BASE_DIR / "fixtures" / "library.json"


# ---------------------------------------------------------------------------------------------------
# Production (issue 7): serving, security headers, cache, replicas, health, logs.
# Every value comes from the environment; defaults are safe for production and relaxed only when
# DJANGO_DEBUG=1 or under pytest. docs/deploy.md lists every variable.
# ---------------------------------------------------------------------------------------------------

# Secure unless this is a development server or the test suite (which talks plain HTTP).
_PRODUCTION = not (DEBUG or TESTING)

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

# Mounted under a path of the provincial portal, e.g. DJANGO_URL_PREFIX=/anli: links, static files
# and cookies all carry the prefix (gunicorn.conf.py strips it from incoming paths).
URL_PREFIX = url_prefix("DJANGO_URL_PREFIX")
if URL_PREFIX:
    FORCE_SCRIPT_NAME = URL_PREFIX
    SESSION_COOKIE_PATH = CSRF_COOKIE_PATH = LANGUAGE_COOKIE_PATH = URL_PREFIX + "/"
STATIC_URL = f"{URL_PREFIX}/static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(STATIC_ROOT)))
ADMIN_PATH = admin_path("DJANGO_ADMIN_PATH", "admin/")

# Static files: whitenoise serves compressed (gzip, brotli), content-hashed files with far-future cache headers.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Files with a content hash in their name are cached "forever" (immutable); this is for the few without.
WHITENOISE_MAX_AGE = 3600

# HTTPS and cookies. Behind a TLS-terminating load balancer set DJANGO_TRUST_X_FORWARDED_PROTO=1.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", _PRODUCTION)
# Load balancers probe over plain HTTP (Django matches these against the path with the URL prefix).
SECURE_REDIRECT_EXEMPT = [
    rf"^{re.escape(URL_PREFIX.lstrip('/') + '/' if URL_PREFIX else '')}(healthz|readyz)$"
]
if env_bool("DJANGO_TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000 if _PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", _PRODUCTION)
SESSION_COOKIE_HTTPONLY = True
PERMISSIONS_POLICY = {
    feature: "()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

# Content-Security-Policy (django-csp 4): everything from this host, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Path-scoped additions, applied by portal.middleware.SecurityHeadersMiddleware: {path prefix: {directive:
# [sources]}} relative to the site root. Django's admin needs none (it has no inline script or style).
CSP_PATH_UPDATES: dict[str, dict[str, list[str]]] = {}

# Caches and sessions: Redis when REDIS_URL is set (shared by every app server), else local memory.
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("DJANGO_CACHE_PREFIX", "portal"),
            "TIMEOUT": 600,
        }
    }
    # Reads come from Redis; the database copy keeps editors signed in if Redis is flushed.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal"}}
# Anonymous GET pages and API responses, invalidated on every editor save (portal/cache.py).
# Off under pytest unless a test turns it on: tests change data inside transactions that never commit,
# so the invalidation (on commit) would not run and pages from earlier tests would be served.
PAGE_CACHE_ENABLED = env_bool("DJANGO_PAGE_CACHE", not TESTING)
PAGE_CACHE_SECONDS = env_int("DJANGO_PAGE_CACHE_SECONDS", 600)
PAGE_CACHE_APPS = ["awards", "cases"]  # a save or delete of any model of these apps invalidates
PAGE_CACHE_EXCLUDED_PATHS = [ADMIN_PATH, "healthz", "readyz", "bench/"]

# Read replicas: DATABASE_REPLICA_URLS=postgres://...,postgres://... adds replica_0, replica_1, ...
for _index, _url in enumerate(env_list("DATABASE_REPLICA_URLS", [])):
    DATABASES[f"replica_{_index}"] = dj_database_url.parse(
        _url, conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60), conn_health_checks=True
    )
    DATABASES[f"replica_{_index}"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["portal.routers.PrimaryReplicaRouter"]

# A trivial view at /bench/ceiling for benchmarks/load.sh only.
BENCHMARK_CEILING = env_bool("DJANGO_BENCH_CEILING", False)

INSTALLED_APPS += ["csp", "portal.apps.PortalConfig"]
# Order (outermost first): request id + access log, Django security, CSP, our headers, whitenoise,
# health probes, page cache, replica pinning, then the rest. Inserted here so other blocks can add to MIDDLEWARE freely.
MIDDLEWARE.insert(0, "portal.middleware.RequestLogMiddleware")
MIDDLEWARE[MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1 : 0] = [
    "csp.middleware.CSPMiddleware",
    "portal.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.HealthCheckMiddleware",
    "portal.middleware.PageCacheMiddleware",
    "portal.middleware.PrimaryDatabaseMiddleware",
]

# Logs: one JSON object per line on stdout (DJANGO_LOG_FORMAT=text for people reading a terminal).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "portal.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "portal.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": env_str("DJANGO_LOG_FORMAT", "json"),
        }
    },
    "root": {"handlers": ["stdout"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # The access log (portal.access) replaces these per-request lines.
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
    },
}
