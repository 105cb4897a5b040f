"""Admin for the parts of a case (sections, errata), themes, and the case list's inlines and filters.

Sections and errata of a published case are public content: a non-publisher's add, change,
delete, revert or recover of one is held as a change of the whole case (``hold_write``), on every
path the section and erratum pages offer — the form, 删除, 删除所选, 历史 and 恢复已删除的….
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html

from awards.models import Unit
from cases.editorial import history, services
from cases.editorial.forms import (
    CaseSectionInlineForm,
    ErratumAdminForm,
    ErratumInlineForm,
    StandaloneSectionForm,
)
from cases.editorial.payload import MAX_ORDER
from cases.editorial.policy import HELD_MESSAGE, can_publish
from cases.models import Case, CaseChange, CaseSection, Erratum, Theme
from cases.versioning import aggregate_root
from portal.admin import HistoryAdmin, changelist_link
from portal.admin.policy import Action

history.register_models()


# The one message after a held write (the form, a section or erratum page, revert, import).
SUBMITTED = '已提交审核，发布人员审核后公开（<a href="{}">待审核的修改 #{}</a>）。'


def held_result(case: Case, change: CaseChange | None) -> tuple[str, str]:
    """(message, URL) after a write was held: the held change's page, or the case when the
    submitted content equals the live one."""
    if change is None:
        return "没有提交：您提交的内容与当前公开的内容相同。", reverse(
            "admin:cases_case_change", args=(case.pk,)
        )
    url = reverse("admin:cases_case_change_detail", args=(case.pk, change.pk))
    return format_html(SUBMITTED, url, change.pk), url


class SectionFormSet(BaseInlineFormSet):
    """A case's sections: two with the same 顺序 are a form error, and a reorder (2↔3) is saved in
    one go: the rows whose number changes move out of the way first (the number is unique per case),
    inside the admin's transaction."""

    def clean(self):
        # Before Django's own unique check, whose message names the field "order".
        seen: dict[int, str] = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE") or (form.instance.pk is None and not form.has_changed()):
                continue
            order = data.get("order")
            if order is None:
                continue
            if order in seen:
                form.add_error(
                    "order",
                    f"顺序 {order} 在本案例中被多个章节同时使用："
                    f"与章节“{seen[order]}”的顺序相同，请改为不同的数字。",
                )
            seen[order] = data.get("heading") or "导语"
        if any(form.errors for form in self.forms):
            raise ValidationError("章节的顺序有误，请看标出的章节。")
        super().clean()

    def save_existing_objects(self, commit=True):
        moving = [
            form.instance.pk
            for form in self.initial_forms
            if form.instance.pk and ("order" in form.changed_data or self._should_delete_form(form))
        ]
        for index, pk in enumerate(moving):
            CaseSection.objects.filter(pk=pk).update(order=MAX_ORDER + 1 + index)
        return super().save_existing_objects(commit)


class CaseSectionInline(admin.StackedInline):
    model = CaseSection
    form = CaseSectionInlineForm
    formset = SectionFormSet
    extra = 0
    ordering = ("order",)
    verbose_name = "章节"
    verbose_name_plural = "章节（按“顺序”排列，可用“上移”“下移”调整；标题留空的是导语）"


class ErratumInline(admin.StackedInline):
    """Stacked, so every field fits at 1440 and 390 px and its error shows beside it; the notice
    is the case's own unless chosen otherwise."""

    model = Erratum
    form = ErratumInlineForm
    fk_name = "case"
    extra = 0
    fields = ("kind", "location", "original", "corrected", "reason", "notice")
    verbose_name = "勘误"
    verbose_name_plural = "勘误（本案例）"
    classes = ("errata-inline",)


class StatusFilter(admin.SimpleListFilter):
    title = "状态"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Case.Status.choices

    def queryset(self, request, queryset):
        if self.value() in Case.Status.values:
            return queryset.filter(status=self.value())
        return queryset


class PendingChangeFilter(admin.SimpleListFilter):
    """The review queue on the list: cases with a change waiting, or the user's own waiting ones."""

    title = "待审核的修改"
    parameter_name = "pending"

    def lookups(self, request, model_admin):
        return [("yes", "有待审核的修改"), ("mine", "我提交的、待审核的")]

    def queryset(self, request, queryset):
        pending = CaseChange.objects.filter(state=CaseChange.State.PENDING)
        if self.value() == "yes":
            return queryset.filter(pk__in=pending.values("case_id"))
        if self.value() == "mine":
            return queryset.filter(pk__in=pending.filter(submitted_by=request.user).values("case_id"))
        return queryset


class CountyFilter(admin.SimpleListFilter):
    title = "县区"
    parameter_name = "county"

    def lookups(self, request, model_admin):
        counties = (
            Unit.objects.filter(cases__isnull=False)
            .exclude(county="")
            .values_list("prefecture__name", "county")
            .distinct()
            .order_by("prefecture__order", "county")
        )
        return [(county, f"{county}（{prefecture}）") for prefecture, county in counties]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(unit__county=self.value())
        return queryset


class CasePartAdmin(HistoryAdmin):
    """A section or erratum admin: held writes become a change of the part's case."""

    source = CaseChange.Source.SECTION

    def lock_root(self, obj):
        return aggregate_root(obj)  # a part is guarded by its case's version (cases.versioning)

    def hold_write(self, request, action, *, target=None, proposed=None):
        part = proposed if proposed is not None else target
        case = Case.objects.get(pk=(target if target is not None else proposed).case_id)
        verb = {Action.ADD: "添加", Action.DELETE: "删除", Action.RECOVER: "恢复"}.get(action, "修改")
        change = services.case_parts_hold(
            user=request.user,
            case=case,
            parts=[part],
            delete=proposed is None,
            source=self.source,
            summary=f"{verb}{part._meta.verbose_name}“{part}”",
        )
        return held_result(case, change)

    def hold_delete(self, request, objects):
        by_case = defaultdict(list)
        for obj in objects:
            by_case[obj.case_id].append(obj)
        results = []
        for case_id, parts in by_case.items():
            case = Case.objects.get(pk=case_id)
            names = "、".join(f"“{p}”" for p in parts)
            change = services.case_parts_hold(
                user=request.user,
                case=case,
                parts=parts,
                delete=True,
                source=self.source,
                summary=f"删除{parts[0]._meta.verbose_name}{names}",
            )
            results.append(held_result(case, change))
        if len(results) == 1:
            return results[0]
        return (
            f"{HELD_MESSAGE}（涉及 {len(results)} 个已发布的案例，各自成为一项待审核的修改）",
            reverse("admin:cases_case_changelist") + "?pending=yes",
        )


@admin.register(CaseSection)
class CaseSectionAdmin(CasePartAdmin):
    form = StandaloneSectionForm
    list_display = ("case", "order", "__str__")
    list_filter = ("case__tier", "case__unit__prefecture")
    list_select_related = ("case__tier",)
    search_fields = ("heading", "case__title")
    autocomplete_fields = ("case",)
    fields = ("case", "order", "heading", "paragraphs", "loaded_version")


@admin.register(Erratum)
class ErratumAdmin(CasePartAdmin):
    form = ErratumAdminForm
    source = CaseChange.Source.ERRATUM
    list_display = ("location", "kind", "original", "corrected", "case", "unit")
    list_filter = ("notice", "kind")
    search_fields = ("location", "original", "corrected", "reason")
    autocomplete_fields = ("case", "unit")
    list_select_related = ("case__tier", "unit")


@admin.register(Theme)
class ThemeAdmin(HistoryAdmin):
    list_display = ("name", "slug", "order", "case_count")
    list_editable = ("order",)
    search_fields = ("name", "slug", "description")
    ordering = ("order", "slug")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(case_count=Count("cases"))

    def has_add_permission(self, request):
        # Themes are the publishers' (cases.editorial.policy refuses an editor's theme): no 添加
        # link on the admin index, no button on the list, no + beside a case's theme selector.
        return super().has_add_permission(request) and can_publish(request.user)

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        if not can_publish(request.user):
            # Themes are the publishers' (cases.editorial.policy): no inputs an editor can never save.
            changelist.list_editable = ()
        return changelist

    def get_changelist_form(self, request, **kwargs):
        base = super().get_changelist_form(request, **kwargs)

        class LabelledOrderForm(base):
            # The list's 显示顺序 inputs have no <label>: each is named after its theme.
            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, **form_kwargs)
                if "order" in self.fields:
                    name = self.instance.name if self.instance.pk else "新主题"
                    self.fields["order"].widget.attrs["aria-label"] = f"“{name}”的显示顺序"

        return LabelledOrderForm

    @admin.display(description="案例数", ordering="case_count")
    def case_count(self, theme):
        return changelist_link(Case, f"themes__id__exact={theme.pk}", str(theme.case_count))
