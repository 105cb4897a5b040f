"""Read-only API views for cases and themes (/api/v1/cases/, /api/v1/themes/)."""

from __future__ import annotations

from django.db.models import Count, Max, Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets

from awards.models import Unit
from cases import selectors
from cases.filters import ORDERINGS, CaseFilter
from cases.models import Case, Theme
from cases.serializers import CaseDetailSerializer, CaseSerializer, ThemeSerializer
from portal.api import ConditionalGetMixin, ErrorSerializer, StrictFilterBackend, ValidationErrorSerializer

RELATED_LIMIT = 5


def related_cases(case: Case) -> list[Case]:
    """The same related cases as the case page shows."""
    return selectors.related_cases(case, limit=RELATED_LIMIT)


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
        OpenApiTypes.STR,
        description="排序，逗号分隔，前加 - 为倒序。可用：" + "、".join(ORDERINGS),
    ),
]

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

    def filter_queryset(self, queryset):
        # Filters belong to the list; a detail address is the same whatever the query string.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def list(self, request, *args, **kwargs):
        self.last_modified = cases_last_modified()
        return super().list(request, *args, **kwargs)

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
