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
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "reversion",
    "import_export",
    "axes",
    "awards",
    "cases",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: refuses locked-out (username, address) pairs before any password is checked.
    "portal.auth.RequestAwareAxesBackend",
    "django.contrib.auth.backends.ModelBackend",
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
# Our additions to Django's Chinese (the admin's JavaScript strings its zh_Hans catalogue lacks).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "static/"  # the production block below prefixes it with DJANGO_URL_PREFIX
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# Where the notice's source document and the generated fixtures live.
LIBRARY_SOURCE = BASE_DIR / "fixtures" / "source" / "chuanzhenggonghan-2022-35.txt"
LIBRARY_FIXTURE = BASE_DIR / "fixtures" / "library.json"

# What the footer of a government site shows (政府网站发展指引; issue 14). Each is shown only when set.
SITE_ORGANIZER = env_str("SITE_ORGANIZER", "").strip()  # 主办单位
SITE_CONTACT = env_str("SITE_CONTACT", "").strip()  # 联系方式 (telephone, e-mail or address, as one line)
SITE_ID_CODE = env_str("SITE_ID_CODE", "").strip()  # 网站标识码: ten digits
SITE_ICP_NUMBER = env_str("SITE_ICP_NUMBER", "").strip()  # ICP备案号, e.g. 蜀ICP备12345678号
SITE_PSB_NUMBER = env_str("SITE_PSB_NUMBER", "").strip()  # 公安机关备案号, e.g. 川公网安备51010402000000号
if SITE_ID_CODE and not re.fullmatch(r"[0-9]{10}", SITE_ID_CODE):
    raise ImproperlyConfigured(f"SITE_ID_CODE (网站标识码) is ten digits, got {SITE_ID_CODE!r}")

# Read-only JSON API (/api/v1/, issue 6). Anonymous only: no sessions, so no CSRF and no cookies.
API_ANON_RATE = env_str("API_ANON_RATE", "120/min").strip() or None
if API_ANON_RATE and not re.fullmatch(r"[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)", API_ANON_RATE):
    raise ImproperlyConfigured(
        f"API_ANON_RATE must look like 120/min (or 10/s, 1000/hour, 5000/day), got {API_ANON_RATE!r}"
    )
# Reverse proxies in front of the app that append to X-Forwarded-For (1 for the nginx in
# docs/deploy.md): the client's address for the admin lockout, the access log (portal.client_ip)
# and the API throttle. API_NUM_PROXIES is this setting's earlier, API-only name.
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", env_int("API_NUM_PROXIES", 0))
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"DJANGO_TRUSTED_PROXY_COUNT must be 0 or more, got {TRUSTED_PROXY_COUNT}")
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["portal.api.AnonThrottle"],
    "DEFAULT_PAGINATION_CLASS": "portal.api.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "portal.api.exception_handler",
    "UNAUTHENTICATED_USER": None,
    # Proxies in front of the site that append to X-Forwarded-For; 0 = use the connecting address,
    # so a client cannot dodge the rate limit by sending its own X-Forwarded-For.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "四川省镇村便民服务“三化”建设案例库 API",
    "DESCRIPTION": (
        "只读 JSON 接口：川政公函〔2022〕35号 通报的获奖案例、获奖单位、市（州）、奖项类别、主题与优秀组织单位。"
        "整库下载（CSV、JSON）与数据字典见 /api/v1/data/。"
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No call-out to the online validator at validator.swagger.io: nothing leaves our host.
    # No deep links: Swagger UI puts them inside each operation's toggle button (a link inside a
    # button is nested interactive content, which screen readers and keyboards cannot use). No syntax
    # colouring of examples: its colours fall below 4.5:1.
    "SWAGGER_UI_SETTINGS": {
        "deepLinking": False,
        "validatorUrl": None,
        "syntaxHighlight": {"activated": False},
    },
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "portal.api.schema_parameter_values",
        "portal.api.schema_error_responses",
    ],
}
# Anyone may read the API from a browser on another site; nothing else is shared.
CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_HEADERS = ["accept", "accept-language", "if-none-match", "if-modified-since"]
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After"]

# ---------------------------------------------------------------------------------------------------
# Production (issue 7): serving, security headers, cache, replicas, health, logs.
# Every value comes from the environment; defaults are safe for production and relaxed only when
# DJANGO_DEBUG=1 or under pytest. docs/deploy.md lists every variable.
# ---------------------------------------------------------------------------------------------------

# Secure unless this is a development server or the test suite (which talks plain HTTP).
_PRODUCTION = not (DEBUG or TESTING)

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
# A form posted without a valid token (an old page, cookies blocked): a page in Chinese that says what to do.
CSRF_FAILURE_VIEW = "cases.feedback.views.csrf_failure"

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
# Redis down or frozen costs at most one short timeout per DJANGO_CACHE_RETRY_SECONDS and process: the
# backend's circuit breaker then answers every operation as a miss, so pages, the API throttle and
# sessions carry on from the database (portal/redis_cache.py).
CACHE_TIMEOUT_SECONDS = env_int("DJANGO_CACHE_TIMEOUT_MS", 250) / 1000
CACHE_RETRY_SECONDS = env_int("DJANGO_CACHE_RETRY_SECONDS", 5)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "portal.redis_cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("DJANGO_CACHE_PREFIX", "portal"),
            "TIMEOUT": 600,
            "OPTIONS": {
                "socket_connect_timeout": CACHE_TIMEOUT_SECONDS,
                "socket_timeout": CACHE_TIMEOUT_SECONDS,
                "retry_after": CACHE_RETRY_SECONDS,
            },
        }
    }
    # Reads come from Redis; the database copy keeps editors signed in if Redis is flushed or down.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal"}}
# Anonymous GET pages and API responses, invalidated on every editor save (portal/cache.py).
# Off under pytest unless a test turns it on: tests change data inside transactions that never commit,
# so the invalidation (on commit) would not run and pages from earlier tests would be served.
PAGE_CACHE_ENABLED = env_bool("DJANGO_PAGE_CACHE", not TESTING)
PAGE_CACHE_SECONDS = env_int("DJANGO_PAGE_CACHE_SECONDS", 600)
# In-process memos per library version (portal/memo.py). Off only to measure what a page costs when
# nothing is kept (benchmarks/load.sh's "computed" mode: every request as after an editor's save).
LIBRARY_MEMO_ENABLED = env_bool("DJANGO_LIBRARY_MEMO", True)
# How long a process reuses the library version it read from the database (portal/cache.py): an edit
# reaches the other app servers within this time. At most 1 s; 0 under pytest (every request reads it).
PAGE_CACHE_VERSION_SECONDS = min(env_int("DJANGO_PAGE_CACHE_VERSION_MS", 0 if TESTING else 1000), 1000) / 1000
# Per-process copy of recent pages in front of Redis (bodies only; the version is checked every time).
PAGE_CACHE_LOCAL_BYTES = env_int("DJANGO_PAGE_CACHE_LOCAL_BYTES", 32 * 1024 * 1024)
PAGE_CACHE_APPS = ["awards", "cases"]  # a save or delete of any model of these apps invalidates
# Text fields of these apps' models are cleaned of control characters on every save (portal/text.py).
CLEAN_TEXT_APPS = ["awards", "cases"]
PAGE_CACHE_EXCLUDED_PATHS = [ADMIN_PATH, "healthz", "readyz", "bench/"]

# Read replicas: DATABASE_REPLICA_URLS=postgres://...,postgres://... adds replica_0, replica_1, ...
for _index, _url in enumerate(env_list("DATABASE_REPLICA_URLS", [])):
    DATABASES[f"replica_{_index}"] = dj_database_url.parse(
        _url, conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60), conn_health_checks=True
    )
    DATABASES[f"replica_{_index}"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["portal.routers.PrimaryReplicaRouter"]
# A database that does not answer costs at most this many seconds per connection attempt (libpq would
# wait for the operating system, minutes), then the request gets the 503 page (portal/errors.py).
DB_CONNECT_TIMEOUT = env_int("DJANGO_DB_CONNECT_TIMEOUT", 5)
# SQLite (development, small installs): a writer waits up to DJANGO_SQLITE_TIMEOUT seconds for another
# instead of failing with "database is locked" (a 503), and a transaction takes the write lock when it
# begins (IMMEDIATE): two transactions that read and then write (the 纠错 limits) would otherwise
# deadlock, and SQLite answers that at once, whatever the timeout.
SQLITE_TIMEOUT = env_int("DJANGO_SQLITE_TIMEOUT", 20)
for _database in DATABASES.values():
    if "postgresql" in _database.get("ENGINE", ""):
        _database.setdefault("OPTIONS", {}).setdefault("connect_timeout", DB_CONNECT_TIMEOUT)
    elif "sqlite3" in _database.get("ENGINE", ""):
        _database.setdefault("OPTIONS", {}).setdefault("timeout", SQLITE_TIMEOUT)
        _database["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")

# A trivial view at /bench/ceiling for benchmarks/load.sh only.
BENCHMARK_CEILING = env_bool("DJANGO_BENCH_CEILING", False)

INSTALLED_APPS += ["csp", "portal.apps.PortalConfig"]
# Order (outermost first): request id + access log, Django security, CSP, our headers, whitenoise,
# health probes, the request guard (bad characters, undeclared query parameters), page cache, replica pinning, then the rest. Inserted here so other blocks can add to MIDDLEWARE freely.
MIDDLEWARE.insert(0, "portal.middleware.RequestLogMiddleware")
MIDDLEWARE[MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1 : 0] = [
    "csp.middleware.CSPMiddleware",
    "portal.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.HealthCheckMiddleware",
    "portal.middleware.RequestGuardMiddleware",
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
# Editorial admin (issue 5).
# The one rule every admin write path asks (apply now / hold for review / refuse): see docs/editorial.md.
# Named here so the shared admin classes (portal.admin) reach it without importing the cases app.
EDITORIAL_POLICY = "cases.editorial.policy.decide"
# django-axes: five failed logins lock that username from that address for 30 minutes;
# superusers see and clear locks under 管理 › Axes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
AXES_CLIENT_IP_CALLABLE = "portal.client_ip.client_key"  # an IPv6 client per /64, as the API throttle
# What of a typed username axes records: clean, cut to its 255-character column (portal/auth.py).
AXES_USERNAME_CALLABLE = "portal.auth.axes_username"
# Logs go to stdout; axes' start-up banner would land in the output of every management command.
AXES_VERBOSE = False
# import-export: importing needs the "add" permission, exporting the "view" one; each import is one
# transaction, so a file with one bad row changes nothing.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_IGNORE_BLANK_LINES = True
CASE_IMPORT_MAX_BYTES = env_int("CASE_IMPORT_MAX_BYTES", 2 * 1024 * 1024)
