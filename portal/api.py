"""Machinery shared by every /api/v1/ endpoint: errors, pagination, throttling, conditional GET.

Errors are always JSON of one shape: ``{"detail": "...", "code": "...", ...}``; bad query
parameters add ``"errors": [{"parameter", "messages", "allowed_values"}]``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.conf import settings
from django.http import Http404
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, pagination, serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from portal.client_ip import client_key
from portal.errors import api_error
from portal.preferences import vary_on_preferences
from portal.query import HTTP_METHODS, MAX_WHOLE_NUMBER, parse_positive_int, reads_query

# Public data that editors may correct: caches may keep it briefly, then must ask again
# (a conditional GET makes asking again cheap).
CACHE_CONTROL = {"public": True, "max_age": 60}

MAX_PAGE_SIZE = 100


class InvalidQueryParameters(exceptions.ValidationError):
    """400 naming each bad query parameter and, where the set is closed, its allowed values."""

    default_code = "invalid_parameter"

    def __init__(self, errors: list[dict]):
        super().__init__()
        self.errors = errors


def link_base(request) -> tuple[str, str | None]:
    """What every link in an API answer starts from: the site address (scheme and host) and the
    format override asked for (DRF keeps ``?format=json`` in the links it reverses). A memo of
    anything holding links keys on it (a case's JSON kept for ``?format=json`` was served with
    those links to plain requests)."""
    query = getattr(request, "query_params", request.GET)
    return request.build_absolute_uri("/"), query.get(api_settings.URL_FORMAT_OVERRIDE or "")


def invalid_parameter(name: str, messages: Iterable[str], allowed: list[str] | None = None) -> dict:
    error = {"parameter": name, "messages": [str(m) for m in messages]}
    if allowed is not None:
        error["allowed_values"] = allowed
    return error


def exception_handler(exc, context):
    """DRF's handler, with every error body carrying ``detail`` and a machine-readable ``code``."""
    if isinstance(exc, InvalidQueryParameters):
        return Response(
            {"detail": "查询参数无效。", "code": "invalid_parameter", "errors": exc.errors},
            status=status.HTTP_400_BAD_REQUEST,
        )
    # Imported here: rest_framework.views reads DEFAULT_THROTTLE_CLASSES (this module) when first
    # imported, so a module-level import is circular when DRF's checks import this module first.
    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, Http404):
        # Django's message names the model in English ("No Case matches …").
        response.data = {"detail": "未找到。"}
        code = "not_found"
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
    else:
        code = "error"
    data = response.data
    if isinstance(data, dict) and isinstance(data.get("detail"), str):
        response.data = {"detail": data["detail"], "code": code}
    else:
        response.data = {"detail": "请求无效。", "code": code, "errors": data}
    return response


@reads_query(methods=HTTP_METHODS)
def not_found(request, *args, **kwargs):
    """JSON 404 for any /api/v1/ address that matches no endpoint."""
    return api_error(404)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="说明")
    code = serializers.CharField(help_text="错误代码，如 not_found、invalid_parameter、throttled")


class ParameterErrorSerializer(serializers.Serializer):
    parameter = serializers.CharField(help_text="出错的查询参数")
    messages = serializers.ListField(child=serializers.CharField())
    allowed_values = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="该参数允许的取值"
    )


class ValidationErrorSerializer(ErrorSerializer):
    # Only a bad query parameter names its parameters; the request guard's 400 (a NUL, a method no
    # address answers) is the plain error, and both are the same status: errors is optional.
    errors = ParameterErrorSerializer(many=True, required=False)


class AnonThrottle(AnonRateThrottle):
    """Anonymous rate limit from ``settings.API_ANON_RATE`` (read per request, so it can be changed
    without re-importing DRF; ``None`` turns the limit off)."""

    def get_rate(self):
        return getattr(settings, "API_ANON_RATE", None)

    def get_ident(self, request):
        # The same client as the admin lockout counts (an IPv6 client per /64), behind the same
        # trusted proxies, instead of DRF's own reading of X-Forwarded-For.
        return client_key(request)


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        size = parse_positive_int(raw)
        if size is None or size > self.max_page_size:
            raise InvalidQueryParameters(
                [invalid_parameter("page_size", [f"每页条数应为 1 到 {self.max_page_size} 之间的整数。"])]
            )
        return size

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        number = parse_positive_int(raw)
        if number is None:
            raise InvalidQueryParameters([invalid_parameter("page", ["页码应为正整数。"])])
        return number

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["description"] = "页码，从 1 开始；不是正整数时返回 400，超出范围时返回 404。"
                parameter["schema"].update(minimum=1, maximum=MAX_WHOLE_NUMBER)
            elif parameter["name"] == self.page_size_query_param:
                parameter["description"] = f"每页条数，1 到 {self.max_page_size}，默认 {self.page_size}。"
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter, but a bad value is a 400 that names the parameter and its allowed values."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise InvalidQueryParameters(
                [
                    invalid_parameter(name, messages, allowed_values(filterset.filters.get(name)))
                    for name, messages in filterset.errors.items()
                ]
            )
        view.filterset = filterset
        return filterset.qs


def allowed_values(filter_) -> list[str] | None:
    """The values a filter accepts, from the same choices its form field validates against."""
    if filter_ is None:
        return None
    if "choices" in filter_.extra:
        choices = filter_.extra["choices"]
        return [str(value) for value, _label in (choices() if callable(choices) else choices)]
    if "queryset" in filter_.extra:
        return [str(pk) for pk in filter_.extra["queryset"].order_by("pk").values_list("pk", flat=True)]
    field = filter_.field
    if hasattr(field, "choices"):
        return [str(value) for value, _label in field.choices if value != ""]
    return None


# Every parameter a paginator class may read.
_PAGINATION_PARAMETERS = (
    "page_query_param",
    "page_size_query_param",
    "limit_query_param",
    "offset_query_param",
    "cursor_query_param",
)


class ConditionalGetMixin:
    """What every /api/v1/ view of ours shares: conditional GET, JSON errors, declared query parameters.

    ETag (a hash of the body), Last-Modified where the view knows it, Cache-Control, and 304s. The
    ETag hashes the rendered body, so it changes whenever anything shown changes (a case, its unit's
    name, …) and not otherwise. Views may set ``self.last_modified`` (an aware datetime).

    Errors are rendered as JSON whatever the view's other renderers (the schema's YAML, the docs'
    HTML). ``query_parameters(action)`` declares what the view reads (see portal/query.py).
    """

    last_modified = None

    @classmethod
    def query_parameters(cls, action: str) -> frozenset[str]:
        """``format`` (DRF's format override) always; a list also reads its filters and paginator."""
        names = {api_settings.URL_FORMAT_OVERRIDE} - {None}
        if action == "list":
            filterset_class = getattr(cls, "filterset_class", None)
            if filterset_class is not None:
                names |= set(filterset_class.base_filters)
            if cls.pagination_class is not None:
                names |= {getattr(cls.pagination_class, attr, None) for attr in _PAGINATION_PARAMETERS}
                names.discard(None)
        return frozenset(names)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code >= 400 and isinstance(response, Response):
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        if response.status_code != 200:
            return response
        if hasattr(response, "render"):
            response.render()
        return conditional_get(request, response, self.last_modified)


def conditional_get(request, response, last_modified=None):
    """Add validators and caching headers to a 200 answer to GET/HEAD; answer 304 (or 412) when the
    client's copy is current. ``last_modified`` is an aware datetime or None."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    response["ETag"] = etag
    timestamp = None
    if last_modified is not None:
        timestamp = int(last_modified.timestamp())
        response["Last-Modified"] = http_date(timestamp)
    patch_cache_control(response, **CACHE_CONTROL)
    patch_vary_headers(response, ["Accept"])
    vary_on_preferences(request, response)  # the docs page is drawn in the reader's text size and contrast
    conditional = get_conditional_response(request, etag=etag, last_modified=timestamp, response=response)
    if conditional is not response:
        # A 304 keeps the validators and caching headers so caches can refresh their copy.
        for header in ("ETag", "Last-Modified", "Cache-Control", "Vary"):
            if header in response:
                conditional[header] = response[header]
    return conditional


# What the guard refuses in any value (portal/middleware.py), said in the schema so that every value
# the schema allows is one the API accepts.
NO_NUL = "^[^\\u0000]*$"


def schema_parameter_values(result, generator, request=None, public=True, **kwargs):
    """drf-spectacular hook: the schema's query parameters list the values the API accepts.

    A filter with a closed set (tiers, prefectures, themes, units, orderings, ...) gets an ``enum`` of
    the values its form field validates against now (``allowed_values``: the same list a 400 names);
    every other string parameter a pattern without NUL. Without a database (``manage.py check`` on a
    fresh machine) only the patterns are added.
    """
    from django.db import DatabaseError
    from django.urls import Resolver404, resolve

    for path, operations in result.get("paths", {}).items():
        try:
            filterset_class = getattr(getattr(resolve(path).func, "cls", None), "filterset_class", None)
        except Resolver404:
            filterset_class = None
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                target = schema.get("items", schema) if schema.get("type") == "array" else schema
                if target.get("type") != "string" or "enum" in target or "pattern" in target:
                    # A view that states its own constraint (``ordering``: a comma-separated list, which
                    # no enum of single values can say) knows its parameter better than its form field.
                    continue
                values = None
                if filterset_class is not None and parameter["in"] == "query":
                    try:
                        values = allowed_values(filterset_class(data={}).filters.get(parameter["name"]))
                    except DatabaseError:
                        values = None
                if values:
                    target["enum"] = values
                elif "pattern" not in target:
                    target["pattern"] = NO_NUL
    return result


# Answers any operation can give whatever its view says: the request guard's 400, the 404 of an
# unknown ?format=, a refused Accept header (406), the throttle (429), a database that cannot be
# reached (503), all as the JSON error; and the web server's 414 for an address longer than it reads
# (gunicorn's limit_request_line; its own short text, not ours).
COMMON_ERRORS = {
    "400": "请求无效：参数值不合要求，或地址、参数中含有无法处理的字符。",
    "404": "未找到。",
    "406": "无法按 Accept 请求头要求的格式返回。",
    "429": "请求过于频繁。",
    "503": "服务暂时不可用，请稍后再试（见 Retry-After）。",
}
URI_TOO_LONG = {"description": "地址过长：Web 服务器拒绝长于约 8 KB 的请求行。"}


def schema_error_responses(result, generator, request=None, public=True, **kwargs):
    """drf-spectacular hook: every operation declares the errors every address can answer, with the
    error schema; and every query parameter allows an empty value, which the request guard drops (an
    empty ``?page=`` or ``?tier=`` reads as the parameter not given, on every page and endpoint)."""
    error = {"$ref": "#/components/schemas/Error"}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status_code, description in COMMON_ERRORS.items():
                responses.setdefault(
                    status_code,
                    {"description": description, "content": {"application/json": {"schema": error}}},
                )
            responses.setdefault("414", URI_TOO_LONG)
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    parameter["allowEmptyValue"] = True
    return result
