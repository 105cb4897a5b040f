"""Admin for notices, award tiers, prefectures, units and organizing awards, with full history.

Every write asks the editorial policy through HistoryAdmin (portal.admin): a unit that is on the
public site changes only by a publisher; notices, tiers, prefectures and awards only by superusers.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Count
from import_export.admin import ExportMixin

from awards.models import AwardTier, Notice, OrganizingAward, Prefecture, Unit
from awards.resources import OrganizingAwardResource
from awards.selectors import units_known_as
from portal.admin import (
    EXPORT_FORMATS,
    ColumnExportForm,
    HistoryAdmin,
    LinesField,
    OptimisticLockForm,
    SpreadsheetAdminMixin,
    admin_link,
    changelist_link,
)

# The cases app's change list, linked by name (this app never imports the cases app's admin).
CASES = "cases.case"


class UnitAdminForm(OptimisticLockForm):
    noun = "单位"

    aliases = LinesField(
        label="别名",
        help_text="来源中出现的其他写法，每行一个，可被搜索",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Unit
        fields = ("name", "prefecture", "county", "township", "level", "aliases")


class AwardTierInline(admin.TabularInline):
    model = AwardTier
    extra = 0
    fields = ("slug", "name", "list_title", "attachment_number", "declared_count", "order")


@admin.register(Notice)
class NoticeAdmin(HistoryAdmin):
    inlines = (AwardTierInline,)
    list_display = ("number", "title", "issuer", "issued_on", "year", "case_count")
    list_display_links = ("number", "title")
    search_fields = ("number", "title", "issuer")
    date_hierarchy = "issued_on"
    ordering = ("-issued_on",)  # Meta.ordering is dropped by the count annotation

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(case_count=Count("cases"))

    @admin.display(description="案例数", ordering="case_count")
    def case_count(self, notice):
        return changelist_link(CASES, f"notice__id__exact={notice.pk}", str(notice.case_count))


@admin.register(AwardTier)
class AwardTierAdmin(HistoryAdmin):
    list_display = ("name", "notice_link", "attachment_number", "declared_count", "case_count", "order")
    list_filter = ("notice", "slug")
    search_fields = ("name", "list_title", "notice__number")
    list_select_related = ("notice",)
    ordering = ("notice", "order")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(case_count=Count("cases"))

    @admin.display(description="通报", ordering="notice")
    def notice_link(self, tier):
        return admin_link(tier.notice, tier.notice.number)

    @admin.display(description="已录入案例", ordering="case_count")
    def case_count(self, tier):
        return changelist_link(CASES, f"tier__id__exact={tier.pk}", str(tier.case_count))


@admin.register(Prefecture)
class PrefectureAdmin(HistoryAdmin):
    list_display = ("code", "name", "full_name", "short_name", "kind", "order", "unit_count", "case_count")
    list_display_links = ("code", "name")
    list_filter = ("kind",)
    search_fields = ("code", "name", "full_name", "short_name")
    ordering = ("order", "code")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                unit_count=Count("units", distinct=True), case_count=Count("units__cases", distinct=True)
            )
        )

    @admin.display(description="获奖单位", ordering="unit_count")
    def unit_count(self, prefecture):
        return changelist_link(Unit, f"prefecture__id__exact={prefecture.pk}", str(prefecture.unit_count))

    @admin.display(description="案例", ordering="case_count")
    def case_count(self, prefecture):
        return changelist_link(
            CASES, f"unit__prefecture__id__exact={prefecture.pk}", str(prefecture.case_count)
        )


@admin.register(Unit)
class UnitAdmin(HistoryAdmin):
    form = UnitAdminForm
    list_display = ("name", "prefecture_link", "county", "township", "level", "case_count")
    list_filter = ("prefecture", "level")
    search_fields = (
        "name",
        "county",
        "township",
        "prefecture__name",
        "prefecture__full_name",
        "prefecture__short_name",
    )
    autocomplete_fields = ("prefecture",)
    list_select_related = ("prefecture",)
    ordering = ("prefecture__order", "name")

    def get_search_results(self, request, queryset, search_term):
        """The search fields, and the units known by the term under another form (aliases:
        variant spellings, official names; awards.selectors.units_known_as)."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        also = units_known_as(search_term)
        if not also:
            return found, may_have_duplicates
        ids = set(found.values_list("pk", flat=True)) | also
        return queryset.filter(pk__in=ids), False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(case_count=Count("cases"))

    @admin.display(description="市（州）", ordering="prefecture__order")
    def prefecture_link(self, unit):
        return admin_link(unit.prefecture)

    @admin.display(description="案例", ordering="case_count")
    def case_count(self, unit):
        return changelist_link(CASES, f"unit__id__exact={unit.pk}", str(unit.case_count))


@admin.register(OrganizingAward)
class OrganizingAwardAdmin(SpreadsheetAdminMixin, ExportMixin, HistoryAdmin):
    list_display = ("order", "unit_link", "prefecture", "notice")
    list_display_links = ("order",)
    list_filter = ("notice", ("unit__prefecture", admin.RelatedOnlyFieldListFilter))
    search_fields = ("unit__name",)
    autocomplete_fields = ("unit",)
    list_select_related = ("notice", "unit__prefecture")
    resource_classes = (OrganizingAwardResource,)
    export_formats = EXPORT_FORMATS
    export_form_class = ColumnExportForm

    @admin.display(description="单位", ordering="unit__name")
    def unit_link(self, award):
        return admin_link(award.unit)

    @admin.display(description="市（州）", ordering="unit__prefecture__order")
    def prefecture(self, award):
        return admin_link(award.unit.prefecture)
