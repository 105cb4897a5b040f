"""Middleware for production: request ids and the access log, security headers, health probes, page cache.

Their order is set in portal/settings.py (production block).
"""

import logging
import re
import time
import uuid

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.http.request import split_domain_port
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe

from portal import errors, health
from portal.cache import etag_for, get_page, page_key, personal_cookie_names, store_page
from portal.client_ip import client_ip
from portal.logging import request_id_var
from portal.query import HTTP_METHODS, declared_parameters, rewrite_query
from portal.routers import pinned_to_primary

access_log = logging.getLogger("portal.access")
logger = logging.getLogger(__name__)

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class RequestLogMiddleware:
    """Outermost: takes X-Request-ID from the load balancer (or makes one), echoes it, logs the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        path = request.get_full_path()  # as sent: the request guard may drop undeclared parameters
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            duration_ms = round((time.perf_counter() - started) * 1000, 2)
            access_log.info(
                "%s %s %s",
                request.method,
                path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "bytes": len(response.content) if not response.streaming else None,
                    "cache": response.get("X-Page-Cache", ""),
                    "remote_addr": client_ip(request),
                    "user_agent": request.headers.get("User-Agent", "")[:200],
                },
            )
            return response
        finally:
            request_id_var.reset(token)


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set, on every response (static files and probes too).

    Sits inside csp.middleware.CSPMiddleware so the path-scoped CSP additions it attaches are applied.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = ", ".join(
            f"{feature}={allow}" for feature, allow in settings.PERMISSIONS_POLICY.items()
        )
        self.csp_updates = sorted(settings.CSP_PATH_UPDATES.items(), key=lambda item: -len(item[0]))

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        # Short-circuited responses (cache hits, probes, static files) never reach Django's
        # XFrameOptionsMiddleware; honour @xframe_options_exempt like it does.
        if not getattr(response, "xframe_options_exempt", False):
            response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        path = request.path_info.lstrip("/")
        for prefix, update in self.csp_updates:
            if path.startswith(prefix) and getattr(response, "_csp_update", None) is None:
                response._csp_update = update
                break
        return response


class HealthCheckMiddleware:
    """Answers /healthz and /readyz before host checks, sessions or the cache (load balancers probe by IP)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            return health.healthz(request)
        if request.path_info == "/readyz":
            return health.readyz(request)
        return self.get_response(request)


class RequestGuardMiddleware:
    """Before sessions, the page cache and any view: refuse what no page can use, and give each public
    view only the query parameters it declared.

    - a method no address answers (TRACE, CONNECT, WebDAV's): 405;
    - a NUL character in the path or any query parameter (PostgreSQL refuses it in text; a query
      with it would be a 500 on every path, the admin's searches and autocomplete included): 400, in
      Chinese or as the API's JSON error; cookies holding one are dropped (a site could set such a
      cookie for its sub-domains, and it must not lock a reader out);
    - the Host header in one spelling (``canonical_host``);
    - a request to a view that declares its parameters (portal/query.py) gets the canonical query
      string (declared names only, sorted, empty values dropped, values in canonical form); ``request.declared_query`` is the
      declared set, or None for views without a declaration (the admin, unknown addresses).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.declared_query = None
        if request.method not in HTTP_METHODS:
            return errors.method_not_allowed(request, list(HTTP_METHODS))
        if "\x00" in request.path_info or any(
            "\x00" in name or any("\x00" in value for value in values) for name, values in request.GET.lists()
        ):
            return errors.bad_request(request)
        for name in [n for n, value in request.COOKIES.items() if "\x00" in n or "\x00" in value]:
            del request.COOKIES[name]
        canonical_host(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        names = declared_parameters(match.func, request.method)
        if names is not None:
            rewrite_query(request, names, match.func)
            request.declared_query = names
            request.declared_view = match.func
        return self.get_response(request)


def canonical_host(request) -> None:
    """Host names are case-insensitive and may end in a dot: write the Host (and X-Forwarded-Host)
    header in lower case without it, so EXAMPLE.org. and example.org are one page, one cache entry,
    and the links a page writes use the one spelling."""
    for header in ("HTTP_HOST", "HTTP_X_FORWARDED_HOST"):
        raw = request.META.get(header)
        if raw and "," not in raw:  # a list of proxies' hosts is left to Django's host check
            domain, port = split_domain_port(raw)
            if domain:
                request.META[header] = domain.rstrip(".") + (f":{port}" if port else "")


class PageCacheMiddleware:
    """Caches anonymous GET responses of public pages and the API (see portal/cache.py for invalidation).

    Placed before sessions, CSRF and authentication, so a hit costs one cache round trip and no database query.
    Only views that declare their query parameters are cached, keyed on the canonical query the request
    guard made (portal/query.py). A hit answers conditional requests (If-None-Match, If-Modified-Since)
    with 304. When the cache cannot be reached every request is served uncached ("bypass").
    Adds X-Page-Cache: hit | miss | bypass.
    """

    # Vary headers the key already covers (Cookie: personal cookies bypass the cache, pref_* are keyed;
    # Accept: keyed as the API's content negotiation reads it; Origin: keyed by presence, and only
    # answers that allow every origin are stored).
    _KEYED_VARY = {"cookie", "accept", "origin", "accept-language", "accept-encoding"}

    def __init__(self, get_response):
        self.get_response = get_response
        self.excluded = tuple(settings.PAGE_CACHE_EXCLUDED_PATHS)
        self.personal = personal_cookie_names()

    def __call__(self, request):
        if not self._cacheable_request(request):
            response = self.get_response(request)
            response.headers.setdefault("X-Page-Cache", "bypass")
            return response
        try:
            host = request.get_host()
        except DisallowedHost:
            return self.get_response(request)  # Django answers 400 further in
        port = split_domain_port(host)[1]
        if port and port not in (request.get_port(), "80", "443"):
            # Any port number passes the host check and would be a new key for every page.
            response = self.get_response(request)
            response.headers.setdefault("X-Page-Cache", "bypass")
            return response
        try:
            key = page_key(request)
            version, cached = get_page(key)
        except Exception:  # a cache outage must not take the site down; serve uncached
            logger.exception("page cache unavailable")
            response = self.get_response(request)
            response.headers.setdefault("X-Page-Cache", "bypass")
            return response
        if version is None:  # the cache is down: serve from the database, store nothing
            response = self.get_response(request)
            response.headers.setdefault("X-Page-Cache", "bypass")
            return response
        if cached is not None:
            status, headers, content = cached
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return self._conditional(request, response)
        response = self.get_response(request)
        if request.method == "GET" and self._cacheable_response(response):
            if not response.has_header("ETag"):
                response["ETag"] = etag_for(response.content)
            headers = [(name, value) for name, value in response.items() if name.lower() != "x-page-cache"]
            try:
                store_page(key, version, response.status_code, headers, response.content)
            except Exception:
                logger.exception("page cache unavailable")
            response.headers.setdefault("X-Page-Cache", "miss")
            return self._conditional(request, response)
        response.headers.setdefault("X-Page-Cache", "miss")
        return response

    @staticmethod
    def _conditional(request, response):
        """304 when the client's copy (If-None-Match / If-Modified-Since) is current."""
        last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
        conditional = get_conditional_response(
            request, etag=response.get("ETag"), last_modified=last_modified, response=response
        )
        if conditional is not response:
            conditional["X-Page-Cache"] = response["X-Page-Cache"]
        return conditional

    def _cacheable_request(self, request) -> bool:
        if not settings.PAGE_CACHE_ENABLED or request.method not in ("GET", "HEAD"):
            return False
        if request.path_info.lstrip("/").startswith(self.excluded):
            return False
        if getattr(request, "declared_query", None) is None:
            return False
        if self.personal.intersection(request.COOKIES):
            return False
        return "Authorization" not in request.headers

    def _cacheable_response(self, response) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if response.has_header("Content-Encoding"):
            return False
        cache_control = response.get("Cache-Control", "").lower()
        if any(word in cache_control for word in ("private", "no-store", "no-cache")):
            return False
        if response.get("Access-Control-Allow-Origin", "*") != "*":
            return False  # an answer for one origin: the key has only whether an Origin was sent
        vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
        return "*" not in vary and vary <= self._KEYED_VARY


class PrimaryDatabaseMiddleware:
    """Pins the admin and every unsafe request to the primary database (see portal/routers.py)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_path = settings.ADMIN_PATH

    def __call__(self, request):
        pinned = request.method not in ("GET", "HEAD", "OPTIONS") or request.path_info.lstrip("/").startswith(
            self.admin_path
        )
        # Set for every request: worker threads are reused and must not inherit the last request's pin.
        with pinned_to_primary(pinned):
            return self.get_response(request)
