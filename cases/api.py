"""Read-only API views for cases and themes (/api/v1/cases/, /api/v1/themes/)."""

from __future__ import annotations

import functools

from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.utils.functional import cached_property
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from awards.models import Unit
from cases.filters import ORDERINGS, CaseFilter
from cases.models import Case, Theme
from cases.search import complete, is_partial_match
from cases.search.outcome import searched_form
from cases.serializers import CaseDetailSerializer, CaseSerializer, ThemeSerializer
from portal import memo
from portal.api import (
    ConditionalGetMixin,
    ErrorSerializer,
    PageNumberPagination,
    StrictFilterBackend,
    ValidationErrorSerializer,
)
from portal.query import parse_positive_int


def cases_last_modified():
    # Over every case, drafts included: withdrawing a case changes the lists it leaves.
    return Case.objects.aggregate(latest=Max("updated"))["latest"]


def _array_parameter(name: str, description: str, items: dict | None = None) -> OpenApiParameter:
    return OpenApiParameter(
        name,
        {"type": "array", "items": items or {"type": "string"}},
        explode=True,
        style="form",
        description=description,
    )


# The orderings the API accepts, exactly as the filter reads them: a comma-separated list of names, each
# maybe with a leading "-"; empty items are skipped (``ordering=title,`` is ``title``), so they are allowed.
# The schema states this pattern and no enum: an enum of single names would call ``title,-updated``
# invalid although the API accepts it (schemathesis: schema-violating request accepted).
_ORDERING_NAME = "(?:-?(?:" + "|".join(ORDERINGS) + "))?"
ORDERING_PATTERN = f"^{_ORDERING_NAME}(?:,{_ORDERING_NAME})*$"

CASE_LIST_PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="全文搜索；有搜索词且未指定排序时按相关度排序"),
    _array_parameter("tier", "奖项类别标识，如 best、excellent；可多值（或）"),
    _array_parameter("prefecture", "市（州）行政区划代码，如 513400；可多值"),
    _array_parameter(
        "level",
        "单位层级：prefecture 市州级、county 县级、township 乡镇街道级、village 村社区级；可多值",
        {"type": "string", "enum": list(Unit.Level.values)},
    ),
    _array_parameter("theme", "主题标识（见 /api/v1/themes/）；可多值"),
    _array_parameter("unit", "获奖单位 id；可多值"),
    _array_parameter("notice", "通报文号，如 川政公函〔2022〕35号；可多值"),
    OpenApiParameter(
        "ordering",
        {"type": "string", "pattern": ORDERING_PATTERN},
        description="排序，逗号分隔，前加 - 为倒序。可用：" + "、".join(ORDERINGS),
    ),
]


def search_info(outcome, shown=None) -> dict | None:
    """What the search did; ``partial`` says whether any of the ``shown`` cases (the page) holds
    only part of the query (all of the outcome's cases when not given)."""
    if outcome is None:
        return None
    if shown is None:
        partial = outcome.partial
    else:
        partial = any(is_partial_match(outcome, getattr(case, "search_rank", None)) for case in shown)
    searched = searched_form(outcome)
    return {
        "query": outcome.query,
        # What was searched: the correction, the pinyin or near-word readings put in, or the query;
        # in simplified characters, a question as its content words (search.outcome.searched_form).
        "searched": searched,
        "truncated": outcome.truncated,
        "partial": partial,
        "full_matches": outcome.full_matches if outcome.partial else None,
        # A pinyin or near-word reading is a correction too: the query searched instead.
        "corrected": searched if outcome.corrected or outcome.readings else None,
        "readings": [{"typed": typed, "read_as": read_as} for typed, read_as in outcome.readings],
        "suggestions": list(outcome.suggestions),
    }


class KeptPaginator(Paginator):
    """A paginator whose count and pages are read once per library version under ``memo_key``."""

    def __init__(self, *args, memo_key: tuple, **kwargs):
        super().__init__(*args, **kwargs)
        self.memo_key = memo_key

    @cached_property
    def count(self) -> int:
        return memo.get("api_case_count", self.memo_key, lambda: Paginator.count.real_func(self))

    def page(self, number):
        page = super().page(number)
        objects = page.object_list
        page.object_list = memo.get(
            "api_case_page", (self.memo_key, page.number, self.per_page), lambda: list(objects)
        )
        return page


class CaseListPagination(PageNumberPagination):
    """count/next/previous/results as on every list, plus ``search``: what the search did."""

    def paginate_queryset(self, queryset, request, view=None):
        # Without a search, a page depends only on the library and the validated filters and ordering:
        # its cases are read once per library version (their JSON is kept too, see CaseSerializer).
        filterset = getattr(request, "case_filterset", None)
        if filterset is not None and filterset.search_outcome is None:
            key = tuple((name, tuple(filterset.data.getlist(name))) for name in filterset.filters)
            self.django_paginator_class = functools.partial(KeptPaginator, memo_key=key)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        filterset = getattr(self.request, "case_filterset", None)
        shown = list(self.page.object_list) if getattr(self, "page", None) is not None else None
        response.data["search"] = search_info(filterset.search_outcome if filterset else None, shown)
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["search"] = {
            "type": "object",
            "nullable": True,
            "description": "搜索词 q 的处理情况；没有 q 时为 null",
            "properties": {
                "query": {"type": "string", "description": "规范化后的搜索词（可能被截短），即读者输入的词"},
                "searched": {
                    "type": "string",
                    "description": (
                        "实际搜索的词：有纠错或改读（拼音、相近词，如 pengshan → 彭山）时为 corrected，否则同 query；"
                        "繁体字写成简体（便民服務 → 便民服务），长问句只列实际搜索的实词（农村老人在哪里领养老金 → 农村 老人 领养老金）"
                    ),
                },
                "truncated": {"type": "boolean", "description": "搜索词过长，只按前 100 个字搜索"},
                "partial": {
                    "type": "boolean",
                    "description": "本页有只包含部分搜索词的结果（部分匹配排在包含全部搜索词的结果之后）",
                },
                "full_matches": {
                    "type": "integer",
                    "nullable": True,
                    "description": (
                        "全部结果（不只本页；partial 只说本页）中有部分匹配时，包含全部搜索词（或其同义词）的结果数"
                        "（按相关度排序时排在最前，count 减去它即部分匹配数）；全部结果都包含全部搜索词时为 null"
                    ),
                },
                "corrected": {
                    "type": "string",
                    "nullable": True,
                    "description": (
                        "实际搜索的词：原搜索词找不到结果时自动纠错后的词，或按拼音、相近词读出的词"
                        "（pengshan → 彭山，一网通半 → 一网通办，见 readings）；未改读时为 null"
                    ),
                },
                "readings": {
                    "type": "array",
                    "description": "搜索词中被读作另一个词的部分（拼音、错字）：typed 为原词，read_as 为实际搜索的词",
                    "items": {
                        "type": "object",
                        "properties": {"typed": {"type": "string"}, "read_as": {"type": "string"}},
                        "required": ["typed", "read_as"],
                    },
                },
                "suggestions": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "您是不是要找：相近的搜索词",
                },
            },
            "required": [
                "query",
                "searched",
                "truncated",
                "partial",
                "full_matches",
                "corrected",
                "readings",
                "suggestions",
            ],
        }
        return schema


ERRORS = {
    404: OpenApiResponse(ErrorSerializer, description="不存在（含页码超出范围）"),
    429: OpenApiResponse(ErrorSerializer, description="请求过于频繁；见 Retry-After"),
}


@extend_schema_view(
    list=extend_schema(
        summary="案例列表",
        parameters=CASE_LIST_PARAMETERS,
        responses={
            200: CaseSerializer(many=True),
            400: OpenApiResponse(ValidationErrorSerializer, description="查询参数无效"),
            **ERRORS,
        },
    ),
    retrieve=extend_schema(summary="案例详情", responses={200: CaseDetailSerializer, **ERRORS}),
)
class CaseViewSet(ConditionalGetMixin, viewsets.ReadOnlyModelViewSet):
    """已发布的获奖案例。筛选条件与网站的案例列表相同：同一参数的多个值为“或”，不同参数之间为“且”。"""

    # (Published cases only; the FilterSet is cases.filters.CaseFilter, shared with the HTML list.)

    filter_backends = [StrictFilterBackend]
    filterset_class = CaseFilter
    pagination_class = CaseListPagination
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        queryset = (
            Case.objects.published()
            .in_notice_order()
            .select_related("tier", "notice", "unit__prefecture")
            .prefetch_related("themes")
        )
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("sections")
        return queryset

    def get_serializer_class(self):
        return CaseDetailSerializer if self.action == "retrieve" else CaseSerializer

    def get_object(self):
        # A published case with its sections and themes: read once per library version for each id
        # (an id that finds nothing raises Http404, and nothing is kept).
        pk = parse_positive_int(str(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, "")))
        if self.action != "retrieve" or pk is None:
            return super().get_object()
        case = memo.get("api_case_object", pk, super().get_object)
        self.check_object_permissions(self.request, case)
        return case

    def filter_queryset(self, queryset):
        # Filters belong to the list; a detail address is the same whatever the query string.
        if self.action != "list":
            return queryset
        queryset = super().filter_queryset(queryset)
        # The pagination reports what the search did (see CaseListPagination).
        self.request.case_filterset = getattr(self, "filterset", None)
        return queryset

    def list(self, request, *args, **kwargs):
        self.last_modified = memo.get("cases_last_modified", None, cases_last_modified)
        # The whole answer depends only on the library and the address as asked: its scheme and host
        # (the links are absolute), path and query string (filters, search, ordering, page, page size;
        # the script prefix is in every memo key). Kept once per library version; an answer that is
        # an error (400, 404) raises and is never kept, so a bad query is refused every time.
        key = (request.scheme, request.get_host(), request.get_full_path())
        data = memo.get(
            "api_case_list", key, lambda: super(CaseViewSet, self).list(request, *args, **kwargs).data
        )
        return Response(data)

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        self.last_modified = cases_last_modified()
        return response


@extend_schema_view(
    list=extend_schema(
        summary="主题列表",
        responses={
            200: ThemeSerializer(many=True),
            400: OpenApiResponse(ValidationErrorSerializer, description="分页参数无效"),
            **ERRORS,
        },
    ),
    retrieve=extend_schema(summary="主题详情", responses={200: ThemeSerializer, **ERRORS}),
)
class ThemeViewSet(ConditionalGetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ThemeSerializer
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"

    def get_queryset(self):
        return Theme.objects.annotate(
            case_count=Count("cases", filter=Q(cases__status=Case.Status.PUBLISHED), distinct=True)
        ).order_by("order", "slug")


class CompletionSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="建议的文字")
    kind = serializers.ChoiceField(
        choices=[("title", "案例标题"), ("place", "地区"), ("term", "搜索词")], help_text="类别"
    )
    url = serializers.CharField(help_text="站内地址：案例页，或以该词搜索的案例列表")


class SuggestResponseSerializer(serializers.Serializer):
    query = serializers.CharField(help_text="规范化后的输入")
    suggestions = CompletionSerializer(many=True)


@extend_schema(
    summary="搜索建议（自动补全）",
    description="按已输入的文字（汉字或拼音，如 pengs、ywtb）给出案例标题、地区和搜索词，最多 8 条。",
    parameters=[OpenApiParameter("q", OpenApiTypes.STR, description="已输入的文字，最多 50 字")],
    responses={200: SuggestResponseSerializer, 429: ERRORS[429]},
)
class SuggestView(ConditionalGetMixin, APIView):
    # The page cache keys the answer on ``q`` as the suggestions read it: spellings that read the same
    # (full-width, zero-width characters, beyond 50 characters) share one entry.
    query_readers = {"q": complete.read_input}

    @classmethod
    def query_parameters(cls, action: str) -> frozenset[str]:
        return super().query_parameters(action) | {"q"}

    def get(self, request):
        query, found = complete.complete(request.query_params.get("q", ""))
        return Response(
            {"query": query, "suggestions": [{"text": c.text, "kind": c.kind, "url": c.url} for c in found]}
        )
