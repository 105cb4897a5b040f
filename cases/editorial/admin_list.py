"""The case list's columns and filters (CaseAdmin): the review status, who edited last, filters
that a publisher opens the list for first, and unit / prefecture cells that filter the list."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from cases.editorial.admin_parts import CountyFilter, PendingChangeFilter, StatusFilter
from cases.editorial.queue import with_review_columns


class CaseListColumns:
    list_display = (
        "tier_name",
        "number_label",
        "title",
        "unit_link",
        "prefecture_link",
        "status_label",
        "last_edit",
    )
    list_display_links = ("title",)
    # The review filters first: they are what a publisher opens the list for.
    list_filter = (
        PendingChangeFilter,
        StatusFilter,
        ("unit__prefecture", admin.RelatedOnlyFieldListFilter),
        CountyFilter,
        "unit__level",
        "tier",
        "themes",
        "notice",
    )

    @admin.display(description="奖项类别", ordering="tier__order")
    def tier_name(self, case):
        return case.tier.name

    @admin.display(description="序号", ordering="number")
    def number_label(self, case):
        return case.number

    # A unit or prefecture cell filters the list (the record itself is one click away in the form).

    @admin.display(description="获奖单位", ordering="unit__name")
    def unit_link(self, case):
        return list_filter_link(f"unit__id__exact={case.unit_id}", str(case.unit), f"只看{case.unit}的案例")

    @admin.display(description="市（州）", ordering="unit__prefecture__order")
    def prefecture_link(self, case):
        prefecture = case.unit.prefecture
        return list_filter_link(
            f"unit__prefecture__id__exact={prefecture.pk}", prefecture.name, f"只看{prefecture.name}的案例"
        )

    @admin.display(description="状态", ordering="status")
    def status_label(self, case):
        label = format_html(
            '<span class="case-status case-status-{}">{}</span>', case.status, case.get_status_display()
        )
        if getattr(case, "has_pending", False):
            label += mark_safe(' <span class="case-status case-status-pending">待审核</span>')
        return label

    @admin.display(description="最后修改", ordering="last_edited")
    def last_edit(self, case):
        if not getattr(case, "last_edited", None):
            return "—"
        when = timezone.localtime(case.last_edited).strftime("%Y-%m-%d %H:%M")
        return f"{case.last_editor or '系统（载入）'}，{when}"

    def get_queryset(self, request):
        return with_review_columns(super().get_queryset(request))


def list_filter_link(query: str, label: str, title: str):
    url = reverse("admin:cases_case_changelist")
    return format_html('<a href="{}?{}" title="{}">{}</a>', url, query, title, label)
