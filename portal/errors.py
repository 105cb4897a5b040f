"""Error answers for the whole site: JSON ``{"detail", "code"}`` under /api/, a Chinese page elsewhere.

Django calls these for errors no view answered itself (``handler400`` … ``handler500`` in portal/urls.py);
the request guard calls ``bad_request`` and ``method_not_allowed`` directly. A database that cannot be
reached (refused, terminated, out of connections) is a 503 "try again", not a 500; the details go to the
log only. Only those: any other database error (a bad query, a constraint, a value too long, a statement
timeout) is a bug to fix and stays a logged 500 (``database_unavailable``).
"""

from __future__ import annotations

import json
import sqlite3
import sys

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import requires_csrf_token

API_PREFIX = "/api/"
# Seconds a client should wait before trying again after a 503.
RETRY_AFTER = 30

# status: (code, detail, page title)
MESSAGES = {
    400: ("bad_request", "请求无效：地址或参数中含有无法处理的字符。", "请求无效"),
    403: ("permission_denied", "没有访问这个页面的权限。", "没有访问权限"),
    404: ("not_found", "未找到。", "页面不存在"),
    405: ("method_not_allowed", "不支持该请求方法。", "请求无效"),
    413: ("too_large", "内容过长：提交的内容超过了本站接收的大小，请删减后再提交。", "内容过长"),
    500: ("server_error", "服务器出错，请稍后再试。", "服务器出错"),
    503: ("service_unavailable", "服务暂时不可用，请稍后再试。", "服务暂时不可用"),
}
# Rendered without the request or the database (the failure may be the database itself); the 404
# page has the site's navigation and search box and is rendered with the request.
STATIC_TEMPLATES = {
    400: "400.html",
    403: "400.html",
    405: "400.html",
    413: "400.html",
    500: "500.html",
    503: "503.html",
}


def is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


# Addresses outside /api/ whose callers read JSON, not a page: the admin's autocomplete (select2 asks
# it for ``{"results": ...}``), which must not answer a refused term with the public HTML page.
JSON_VIEWS = ("admin:autocomplete",)


def answers_json(request) -> bool:
    """Whether errors for this request are the JSON ``{"detail", "code"}`` rather than a page."""
    if is_api(request):
        return True
    try:
        return resolve(request.path_info).view_name in JSON_VIEWS
    except Resolver404:
        return False


# SQLSTATE classes of a connection that could not be made or kept: 08 connection exception, 57P
# operator intervention (admin shutdown, crash shutdown, cannot connect now), 53 insufficient resources
# (too many connections, out of memory or disk).
UNAVAILABLE_SQLSTATES = ("08", "57P", "53")
# SQLite's counterparts: the file cannot be opened or is held by another writer.
UNAVAILABLE_SQLITE_MESSAGES = ("unable to open database", "database is locked", "disk i/o error")


def database_unavailable(exc: BaseException | None) -> bool:
    """A failure to reach or keep the database connection (not a bug in a query).

    Decided by the driver's error Django wraps: PostgreSQL's SQLSTATE class when the server sent one;
    a psycopg error without one (connection refused, server closed the connection) is a connection
    failure; an OperationalError with neither is not (it is most likely ours).
    """
    if isinstance(exc, InterfaceError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    if isinstance(cause, sqlite3.Error):
        return str(cause).lower().startswith(UNAVAILABLE_SQLITE_MESSAGES)
    if cause is None or not type(cause).__module__.startswith("psycopg"):
        return False
    sqlstate = getattr(cause, "sqlstate", None)
    return sqlstate is None or sqlstate.startswith(UNAVAILABLE_SQLSTATES)


def api_error(status: int, *, detail: str | None = None, code: str | None = None) -> HttpResponse:
    """The one JSON error body under /api/ that DRF does not render itself (the request guard, Django's
    handlers, a database that cannot be reached, an unknown address): ``{"detail", "code"}`` encoded as
    DRF's JSONRenderer encodes (UTF-8, Chinese as characters, compact), so every error reads the same."""
    default_code, default_detail, _title = MESSAGES[status]
    body = {"detail": detail or default_detail, "code": code or default_code}
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return HttpResponse(content, status=status, content_type="application/json")


def error_response(request, status: int, *, detail: str | None = None) -> HttpResponse:
    _code, default_detail, title = MESSAGES[status]
    detail = detail or default_detail
    if answers_json(request):
        response = api_error(status, detail=detail)
    elif status in STATIC_TEMPLATES:
        context = {"detail": detail, "title": title, "status": status}
        response = HttpResponse(loader.render_to_string(STATIC_TEMPLATES[status], context), status=status)
    else:
        response = HttpResponse(loader.render_to_string("404.html", {}, request), status=status)
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store" if status >= 500 else "no-cache"
    return response


def bad_request(request, exception=None, *, detail: str | None = None):
    if isinstance(exception, (RequestDataTooBig, TooManyFieldsSent)):
        return error_response(request, 413, detail=detail)  # a post of megabytes: 内容过长
    return error_response(request, 400, detail=detail)


def method_not_allowed(request, allowed: list[str]):
    response = error_response(request, 405)
    response["Allow"] = ", ".join(allowed)
    return response


@requires_csrf_token
def permission_denied(request, exception=None):
    return error_response(request, 403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return error_response(request, 404)


@requires_csrf_token
def server_error(request):
    # Django calls this inside its ``except`` block, so the exception is at hand.
    status = 503 if database_unavailable(sys.exc_info()[1]) else 500
    return error_response(request, status)
