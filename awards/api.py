"""Read-only API views for notices, tiers, prefectures, units and organizing awards."""

from __future__ import annotations

from django.db.models import Count, Q
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets

from awards.models import AwardTier, Notice, OrganizingAward, Prefecture
from awards.selectors import public_units
from awards.serializers import (
    NoticeDetailSerializer,
    NoticeSerializer,
    OrganizingAwardSerializer,
    PrefectureSerializer,
    TierSerializer,
    UnitSerializer,
)
from portal.api import ConditionalGetMixin, ErrorSerializer, ValidationErrorSerializer

ERRORS = {
    404: OpenApiResponse(ErrorSerializer, description="不存在（含页码超出范围）"),
    429: OpenApiResponse(ErrorSerializer, description="请求过于频繁；见 Retry-After"),
}


def documented(name: str, list_serializer, detail_serializer=None):
    detail_serializer = detail_serializer or list_serializer
    return extend_schema_view(
        list=extend_schema(
            summary=f"{name}列表",
            responses={
                200: list_serializer(many=True),
                400: OpenApiResponse(ValidationErrorSerializer, description="分页参数无效"),
                **ERRORS,
            },
        ),
        retrieve=extend_schema(summary=f"{name}详情", responses={200: detail_serializer, **ERRORS}),
    )


@documented("通报", NoticeSerializer, NoticeDetailSerializer)
class NoticeViewSet(ConditionalGetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Notice.objects.order_by("-issued_on", "pk")
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"

    def get_serializer_class(self):
        return NoticeDetailSerializer if self.action == "retrieve" else NoticeSerializer


@documented("奖项类别", TierSerializer)
class TierViewSet(ConditionalGetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = AwardTier.objects.select_related("notice").order_by("-notice__issued_on", "order", "pk")
    serializer_class = TierSerializer
    lookup_value_regex = r"[0-9]+"


@documented("市（州）", PrefectureSerializer)
class PrefectureViewSet(ConditionalGetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PrefectureSerializer
    lookup_field = "code"
    lookup_value_regex = r"[0-9]{6}"

    def get_queryset(self):
        return Prefecture.objects.annotate(
            case_count=Count("units__cases", filter=Q(units__cases__status="published"), distinct=True)
        ).order_by("order", "code")


@documented("获奖单位", UnitSerializer)
class UnitViewSet(ConditionalGetMixin, viewsets.ReadOnlyModelViewSet):
    """Public units only (awards.selectors.public_units): a unit with only drafts is a 404."""

    serializer_class = UnitSerializer
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return public_units().select_related("prefecture").order_by("prefecture__order", "name", "pk")


@documented("优秀组织单位", OrganizingAwardSerializer)
class OrganizingAwardViewSet(ConditionalGetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = OrganizingAward.objects.select_related("notice", "tier", "unit__prefecture").order_by(
        "-notice__issued_on", "order", "pk"
    )
    serializer_class = OrganizingAwardSerializer
    lookup_value_regex = r"[0-9]+"
