"""JSON shapes of notices, tiers, prefectures, units and organizing awards in the read-only API."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from awards.models import AwardTier, Notice, OrganizingAward, Prefecture, Unit


@extend_schema_field(OpenApiTypes.URI)
class WebUrlField(serializers.Field):
    """Absolute address of the object's public page."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "网页地址")
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return self.context["request"].build_absolute_uri(value.get_absolute_url())


# --- Short references embedded in other objects -------------------------------------------------


class TierRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = AwardTier
        fields = ["slug", "name"]


class NoticeRefSerializer(serializers.ModelSerializer):
    date = serializers.DateField(source="issued_on", help_text="发文日期")
    url = serializers.HyperlinkedIdentityField(view_name="api:notice-detail", lookup_field="slug")

    class Meta:
        model = Notice
        fields = ["number", "date", "url"]


class PrefectureRefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:prefecture-detail", lookup_field="code")

    class Meta:
        model = Prefecture
        fields = ["code", "name", "url"]


class UnitRefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:unit-detail")

    class Meta:
        model = Unit
        fields = ["id", "name", "level", "url"]


# --- Full objects -------------------------------------------------------------------------------


class NoticeSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:notice-detail", lookup_field="slug")
    web_url = WebUrlField()

    class Meta:
        model = Notice
        fields = ["slug", "url", "web_url", "number", "title", "issuer", "issued_on", "year"]


class NoticeDetailSerializer(NoticeSerializer):
    class Meta(NoticeSerializer.Meta):
        fields = [*NoticeSerializer.Meta.fields, "text"]


class TierSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:tier-detail")
    web_url = WebUrlField()
    notice = NoticeRefSerializer()

    class Meta:
        model = AwardTier
        fields = [
            "id",
            "url",
            "web_url",
            "slug",
            "name",
            "notice",
            "list_title",
            "attachment_number",
            "declared_count",
            "order",
        ]


class PrefectureSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:prefecture-detail", lookup_field="code")
    web_url = WebUrlField()
    case_count = serializers.IntegerField(read_only=True, help_text="已发布案例数")

    class Meta:
        model = Prefecture
        fields = ["code", "url", "web_url", "name", "full_name", "short_name", "kind", "order", "case_count"]


class UnitSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:unit-detail")
    web_url = WebUrlField()
    prefecture = PrefectureRefSerializer()
    aliases = serializers.ListField(child=serializers.CharField(), help_text="来源中出现的其他写法")

    class Meta:
        model = Unit
        fields = ["id", "url", "web_url", "name", "level", "prefecture", "county", "township", "aliases"]


class OrganizingAwardSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:organizing-award-detail")
    notice = NoticeRefSerializer()
    tier = TierRefSerializer()
    unit = UnitRefSerializer()
    prefecture = PrefectureRefSerializer(source="unit.prefecture")

    class Meta:
        model = OrganizingAward
        fields = ["id", "url", "order", "notice", "tier", "unit", "prefecture"]
