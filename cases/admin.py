"""Editorial admin for cases, sections, themes and errata (issue 5).

Roles: 案例编辑 edits and creates drafts; 审核发布 also publishes (permission ``cases.publish_case``).
History: django-reversion, one revision per save (a case together with its sections and errata).
"""

from __future__ import annotations

import reversion
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from import_export.admin import ImportExportMixin

from cases import editorial
from cases.admin_forms import (
    CASE_CONTENT_FIELDS,
    CASE_LISTING_FIELDS,
    CaseAdminForm,
    CaseImportForm,
    CaseSectionInlineForm,
    ColumnExportForm,
)
from cases.admin_history import HistoryAdmin
from cases.feedback import admin as feedback_admin  # noqa: F401 - registers FeedbackAdmin
from cases.models import Case, CaseSection, Erratum, Theme
from cases.resources import EXPORT_FORMATS, IMPORT_FORMATS, CaseResource
from cases.search import apply_search
from cases.views import render_case_page

admin.site.site_header = "四川省镇村便民服务案例库 管理"
admin.site.site_title = "案例库管理"
admin.site.index_title = "编辑工作台"

# A case's revision holds its sections and errata too, so revert and "recover deleted" bring a
# whole case back. Registered before the admin classes, which otherwise register on their own.
if not reversion.is_registered(Case):
    reversion.register(Case, follow=("sections", "errata"))
for _model in (CaseSection, Erratum, Theme):
    if not reversion.is_registered(_model):
        reversion.register(_model)


def admin_link(obj, label=None):
    if obj is None:
        return "—"
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=(obj.pk,))
    return format_html('<a href="{}">{}</a>', url, label or str(obj))


def changelist_link(model, query: str, label: str):
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return format_html('<a href="{}?{}">{}</a>', url, query, label)


class CaseSectionInline(admin.StackedInline):
    model = CaseSection
    form = CaseSectionInlineForm
    extra = 0
    ordering = ("order",)
    verbose_name = "章节"
    verbose_name_plural = "章节（按“顺序”排列；标题留空的是导语）"


class ErratumInline(admin.TabularInline):
    model = Erratum
    fk_name = "case"
    extra = 0
    fields = ("kind", "location", "original", "corrected", "reason", "notice")
    verbose_name_plural = "勘误（本案例）"


class StatusFilter(admin.SimpleListFilter):
    title = "状态"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Case.Status.choices

    def queryset(self, request, queryset):
        if self.value() in Case.Status.values:
            return queryset.filter(status=self.value())
        return queryset


class PendingEditFilter(admin.SimpleListFilter):
    title = "待审核的修改"
    parameter_name = "pending"

    def lookups(self, request, model_admin):
        return [("yes", "有待审核的修改")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pk__in=editorial.cases_with_pending_edits())
        return queryset


@admin.register(Case)
class CaseAdmin(ImportExportMixin, HistoryAdmin):
    form = CaseAdminForm
    inlines = (CaseSectionInline, ErratumInline)
    list_display = (
        "tier_name",
        "number_label",
        "title",
        "unit_link",
        "prefecture_link",
        "status_label",
        "updated",
    )
    list_display_links = ("title",)
    list_filter = (
        "notice",
        "tier",
        ("unit__prefecture", admin.RelatedOnlyFieldListFilter),
        "unit__level",
        "themes",
        StatusFilter,
        PendingEditFilter,
    )
    list_select_related = ("notice", "tier", "unit__prefecture")
    list_per_page = 50
    search_fields = ("title",)  # shows the search box; the search itself is cases.search
    search_help_text = "按标题、单位和正文搜索（与公众网站使用同一搜索）"
    autocomplete_fields = ("unit",)
    filter_horizontal = ("themes",)
    readonly_fields = ("related_links", "created", "updated")
    actions = ("publish_selected", "unpublish_selected")
    fieldsets = (
        ("名单信息", {"fields": (*CASE_LISTING_FIELDS, "loaded_version")}),
        ("内容", {"fields": CASE_CONTENT_FIELDS}),
        ("相关链接与记录", {"fields": ("related_links", "created", "updated")}),
    )
    # import-export
    resource_classes = (CaseResource,)
    import_formats = IMPORT_FORMATS
    export_formats = EXPORT_FORMATS
    import_form_class = CaseImportForm
    export_form_class = ColumnExportForm
    import_template_name = "admin/cases/case/import.html"

    class Media:
        css = {"all": ("admin_editorial/editorial.css",)}

    # Lists and links.

    @admin.display(description="奖项类别", ordering="tier__order")
    def tier_name(self, case):
        return case.tier.name

    @admin.display(description="序号", ordering="number")
    def number_label(self, case):
        return case.number

    @admin.display(description="获奖单位", ordering="unit__name")
    def unit_link(self, case):
        return admin_link(case.unit)

    @admin.display(description="市（州）", ordering="unit__prefecture__order")
    def prefecture_link(self, case):
        return admin_link(case.unit.prefecture)

    @admin.display(description="状态", ordering="status")
    def status_label(self, case):
        return case.get_status_display()

    @admin.display(description="相关链接")
    def related_links(self, case):
        if case is None or case.pk is None:
            return "保存后显示"
        links = [
            ("通报", admin_link(case.notice)),
            ("奖项类别", admin_link(case.tier)),
            ("获奖单位", admin_link(case.unit)),
            ("市（州）", admin_link(case.unit.prefecture)),
            ("勘误", changelist_link(Erratum, f"case__id__exact={case.pk}", "查看本案例的勘误")),
            ("预览", format_html('<a href="{}">以公众页面样式预览</a>', self.preview_url(case))),
        ]
        if case.is_published:
            links.append(("公众页面", format_html('<a href="{0}">{0}</a>', case.get_absolute_url())))
        return format_html_join("", "<div>{}：{}</div>", links)

    def preview_url(self, case):
        return reverse("admin:cases_case_preview", args=(case.pk,))

    def view_on_site(self, case):
        # Drafts are not on the public site: "在站点上查看" opens the staff preview instead.
        return case.get_absolute_url() if case.is_published else self.preview_url(case)

    # Search: the same search as the public site, never a plain icontains.

    def get_search_results(self, request, queryset, search_term):
        if not (search_term or "").strip():
            return queryset, False
        return apply_search(queryset, search_term).queryset, False

    # Publishing.

    def has_publish_permission(self, request):
        return editorial.can_publish(request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            fields.append("status")
        return fields

    def _holds_for_review(self, request, obj, change) -> bool:
        """An editor's change to a published case waits for a publisher instead of going live."""
        if not change or self.has_publish_permission(request):
            return False
        stored = Case.objects.filter(pk=obj.pk).values_list("status", flat=True).first()
        return stored == Case.Status.PUBLISHED

    def save_model(self, request, obj, form, change):
        if not self.has_publish_permission(request):
            stored = (
                Case.objects.filter(pk=obj.pk).values_list("status", flat=True).first() if change else None
            )
            if obj.status != (stored or Case.Status.DRAFT):
                raise PermissionDenied("没有发布权限")
        if self._holds_for_review(request, obj, change):
            request._case_held_for_review = True
            return  # filed by save_related, with the edited sections
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if not getattr(request, "_case_held_for_review", False):
            return super().save_related(request, form, formsets, change)
        sections, skipped = [], False
        for formset in formsets:
            # Nothing of the formsets is saved; the change message reads these lists.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            if formset.model is not CaseSection:
                skipped = skipped or formset.has_changed()
                continue
            for section_form in formset.forms:
                if section_form.instance.pk is None or formset._should_delete_form(section_form):
                    skipped = (
                        skipped or section_form.has_changed() or formset._should_delete_form(section_form)
                    )
                    continue
                sections.append(section_form.instance)  # holds the edited values, unsaved
        case = editorial.with_themes(form.instance, form.cleaned_data.get("themes"))
        editorial.save_pending_edit(case, sections, user=request.user, based_on=case.version)
        request._case_held_skipped = skipped

    def log_change(self, request, obj, message):
        if not getattr(request, "_case_held_for_review", False):
            return super().log_change(request, obj, message)
        entry = admin.ModelAdmin.log_change(self, request, obj, f"{editorial.PENDING_MARK}（未公开）")
        reversion.set_comment(editorial.pending_comment(obj.version))
        return entry

    def response_change(self, request, obj):
        if not getattr(request, "_case_held_for_review", False):
            return super().response_change(request, obj)
        self.message_user(
            request,
            "本案例已发布，您的修改没有直接公开：已作为“待审核的修改”存入修改历史，公众页面仍显示原内容。"
            "请审核发布人员在“历史”中查看差异，打开该版本并保存即可发布。",
            messages.WARNING,
        )
        if getattr(request, "_case_held_skipped", False):
            self.message_user(
                request,
                "新增或删除章节、修改勘误未包含在待审核的修改中：已发布案例的这些操作请由审核发布人员完成。",
                messages.WARNING,
            )
        return HttpResponseRedirect(reverse("admin:cases_case_change", args=(obj.pk,)))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            case = self.get_object(request, unquote(object_id))
            pending = editorial.pending_edit(case) if case is not None else None
            if pending is not None:
                who = pending.revision.user.get_username() if pending.revision.user else "编辑"
                self.message_user(
                    request,
                    f"{who} 提交的修改正在等待审核发布（见“历史”），下面显示的是当前公开的内容。",
                    messages.INFO,
                )
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description="发布所选案例", permissions=["publish"])
    def publish_selected(self, request, queryset):
        count = editorial.set_status(
            queryset, Case.Status.PUBLISHED, user=request.user, comment="发布（公众可见）"
        )
        self.message_user(request, f"已发布 {count} 个案例。", messages.SUCCESS)

    @admin.action(description="撤回发布（改为草稿）", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        count = editorial.set_status(
            queryset, Case.Status.DRAFT, user=request.user, comment="撤回发布（改为草稿）"
        )
        self.message_user(request, f"已撤回 {count} 个案例，公众不再可见。", messages.SUCCESS)

    # Import: previewed, one transaction, recorded in the history.

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def add_data_read_fail_error_to_form(self, form, e):
        # Our formats raise ValueError with a Chinese explanation; anything else gets a plain one.
        message = (
            str(e) if isinstance(e, ValueError) and str(e) else "无法读取文件，请确认文件格式与所选格式一致。"
        )
        form.add_error("import_file", message)

    def process_import(self, request, **kwargs):
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment("从表格导入案例名单")
            return super().process_import(request, **kwargs)

    # Staff preview.

    def get_urls(self):
        return [
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="cases_case_preview",
            )
        ] + super().get_urls()

    def preview_view(self, request, object_id):
        case = self.get_object(request, unquote(object_id))
        if case is None:
            raise Http404("没有这个案例")
        if not self.has_view_or_change_permission(request, case):
            raise PermissionDenied
        response = _render_preview(request, case)
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response


def _render_preview(request, case):
    """The public case page in preview mode: drafts render with a banner and noindex."""
    return render_case_page(request, case, preview=True)


class StandaloneSectionForm(CaseSectionInlineForm):
    class Meta(CaseSectionInlineForm.Meta):
        fields = ["case", "order", "heading", "paragraphs"]

    editor = None

    def clean(self):
        cleaned = super().clean()
        case = cleaned.get("case")
        if case is not None and case.is_published and not editorial.can_publish(self.editor):
            # Otherwise this page would be a way around the review of edits to published cases.
            raise ValidationError(
                "这个案例已发布：请在案例页面修改它的章节，修改将交审核发布人员审核后公开。"
            )
        return cleaned


@admin.register(CaseSection)
class CaseSectionAdmin(HistoryAdmin):
    form = StandaloneSectionForm
    list_display = ("case", "order", "__str__")
    list_filter = ("case__tier", "case__unit__prefecture")
    list_select_related = ("case__tier",)
    search_fields = ("heading", "case__title")
    autocomplete_fields = ("case",)
    fields = ("case", "order", "heading", "paragraphs")


@admin.register(Theme)
class ThemeAdmin(HistoryAdmin):
    list_display = ("name", "slug", "order", "case_count")
    list_editable = ("order",)
    search_fields = ("name", "slug", "description")
    ordering = ("order", "slug")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(case_count=Count("cases"))

    @admin.display(description="案例数", ordering="case_count")
    def case_count(self, theme):
        return changelist_link(Case, f"themes__id__exact={theme.pk}", str(theme.case_count))


@admin.register(Erratum)
class ErratumAdmin(HistoryAdmin):
    list_display = ("location", "kind", "original", "corrected", "case", "unit")
    list_filter = ("notice", "kind")
    search_fields = ("location", "original", "corrected", "reason")
    autocomplete_fields = ("case", "unit")
    list_select_related = ("case__tier", "unit")
