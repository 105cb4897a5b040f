"""JSON shapes of cases and themes in the read-only API (see docs/ for the schema)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from awards.serializers import (
    NoticeRefSerializer,
    PrefectureRefSerializer,
    TierRefSerializer,
    UnitRefSerializer,
    WebUrlField,
)
from cases.models import Case, CaseSection, Theme
from cases.selectors import related_cases
from portal import memo
from portal.api import link_base

# As many related cases as the case page shows.
RELATED_LIMIT = 5


class ThemeRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["slug", "name"]


class ThemeSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:theme-detail", lookup_field="slug")
    case_count = serializers.IntegerField(read_only=True, help_text="已发布案例数")

    class Meta:
        model = Theme
        fields = ["slug", "url", "name", "description", "order", "case_count"]


class SectionSerializer(serializers.ModelSerializer):
    heading = serializers.CharField(help_text="章节标题；导语为空字符串")
    paragraphs = serializers.ListField(child=serializers.CharField(), help_text="段落")

    class Meta:
        model = CaseSection
        fields = ["heading", "paragraphs"]


class RelatedCaseSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:case-detail")

    class Meta:
        model = Case
        fields = ["id", "url", "title"]


class CaseSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:case-detail", help_text="本案例的 API 地址")
    web_url = WebUrlField(help_text="本案例的网页地址")
    title = serializers.CharField(help_text="案例标题（以通报附件名单为准）")
    title_in_compendium = serializers.CharField(help_text="案例汇编中的标题；与附件名单相同时为空")
    tier = TierRefSerializer()
    notice = NoticeRefSerializer()
    unit = UnitRefSerializer()
    prefecture = PrefectureRefSerializer(source="unit.prefecture")
    county = serializers.CharField(source="unit.county", help_text="县（市、区）；市州级单位为空")
    themes = ThemeRefSerializer(many=True)
    page = serializers.IntegerField(allow_null=True, help_text="案例汇编页码")
    summary = serializers.CharField(help_text="导语")

    class Meta:
        model = Case
        fields = [
            "id",
            "url",
            "web_url",
            "slug",
            "title",
            "title_in_compendium",
            "tier",
            "number",
            "notice",
            "unit",
            "prefecture",
            "county",
            "themes",
            "page",
            "summary",
            "updated",
        ]

    # The name its representations are kept under in portal.memo (one per serializer class).
    memo_name = "api-case"

    def to_representation(self, instance):
        """A published case's JSON, built once per library version for each site address (portal.memo).

        Everything in it depends only on the library and on what the links start from (scheme, host
        and format override: portal.api.link_base; the script prefix is part of every memo key). Serializing field by field, with a
        ``reverse()`` for each link, was most of an API list page's time. The value is shared between
        requests: nothing downstream changes it (the renderer only reads it).
        """
        request = self.context.get("request")
        if request is None or instance.status != Case.Status.PUBLISHED:
            return super().to_representation(instance)
        return memo.get(
            self.memo_name,
            (instance.pk, *link_base(request)),
            lambda: super(CaseSerializer, self).to_representation(instance),
        )


class CaseDetailSerializer(CaseSerializer):
    sections = SectionSerializer(many=True)
    related = serializers.SerializerMethodField(help_text="相关案例")

    memo_name = "api-case-detail"

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "sections", "related"]

    @extend_schema_field(RelatedCaseSerializer(many=True))
    def get_related(self, case: Case) -> list[dict]:
        return RelatedCaseSerializer(
            related_cases(case, limit=RELATED_LIMIT), many=True, context=self.context
        ).data
