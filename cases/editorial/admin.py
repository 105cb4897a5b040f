"""The case admin: lists, the case form with its sections and errata, publishing, held changes,
revert and recover, import and export. Thin: every write asks the policy (through HistoryAdmin's
hooks) or a service in cases.editorial.services.

Roles: 案例编辑 edits and creates drafts; 审核发布 also publishes (permission ``cases.publish_case``).
"""

from __future__ import annotations

import reversion
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from import_export.admin import ExportActionMixin, ImportExportMixin
from import_export.results import RowResult

from cases.editorial import history, prefill, services, views
from cases.editorial.admin_list import CaseListColumns
from cases.editorial.admin_parts import CaseSectionInline, ErratumInline, held_result
from cases.editorial.forms import (
    CASE_CONTENT_FIELDS,
    CASE_LISTING_FIELDS,
    CaseAdminForm,
    CaseImportForm,
    payload_from_forms,
)
from cases.editorial.payload import case_snapshot, normalized, payload_changes
from cases.editorial.policy import can_publish, decide
from cases.editorial.resources import CaseResource
from cases.models import Case, CaseChange, Erratum
from cases.search import apply_search, batched
from cases.views import render_case_page
from portal.admin import (
    EXPORT_FORMATS,
    IMPORT_FORMATS,
    ColumnExportForm,
    HistoryAdmin,
    PolicyRefused,
    SpreadsheetAdminMixin,
    admin_link,
    changelist_link,
)
from portal.admin.policy import Action

admin.site.site_header = "四川省镇村便民服务案例库 管理"
admin.site.site_title = "案例库管理"
admin.site.index_title = "编辑工作台"

# Before the admin classes, which otherwise register the models on their own.
history.register_models()


FORM_HOLDS = "本案例已公开：您保存的修改不会直接公开，将提交审核，审核发布人员发布后才会出现在公众网站上。"


@admin.register(Case)
class CaseAdmin(CaseListColumns, SpreadsheetAdminMixin, ImportExportMixin, HistoryAdmin):
    form = CaseAdminForm
    inlines = (CaseSectionInline, ErratumInline)
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
        js = ("admin_editorial/sections.js",)

    # Lists and links.

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

    # The form: status only for publishers; a held save files the whole submitted content.

    def has_publish_permission(self, request):
        return can_publish(request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            fields.append("status")
        return fields

    def hold_form_save(self, request, form, formsets, change):
        case = Case.objects.get(pk=form.instance.pk)
        live = case_snapshot(case)
        payload = payload_from_forms(form, formsets, live)
        back = reverse("admin:cases_case_change", args=(case.pk,))
        earlier = prefill.own_pending_change(request.user, case)
        # The same content again is nothing new only while the earlier submission is current: after a
        # publisher's change it can no longer be published, and this save files it on the live content.
        if (
            earlier is not None
            and normalized(earlier.payload) == payload
            and services.change_is_current(earlier, live)
        ):
            return f"没有新的修改：您提交审核的内容（待审核的修改 #{earlier.pk}）仍在等待审核。", back
        held = services.case_change_submit(
            user=request.user,
            case=case,
            payload=payload,
            source=CaseChange.Source.FORM,
            summary=change_summary(live, payload),
        )
        if earlier is not None:
            services.case_change_supersede(user=request.user, change=earlier, by=held)
        message, _ = held_result(case, held)
        # Back to the form, which now shows the submitted content (cases.editorial.prefill).
        return message, back

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        refused = getattr(form, "refused_versions", None)
        if request.method == "POST" and refused and obj is not None and obj.pk is not None:
            # A refused stale save: keep everything submitted (fields, themes, sections, errata).
            case = Case.objects.get(pk=obj.pk)
            formsets = [inline.formset for inline in context["inline_admin_formsets"]]
            payload = payload_from_forms(form, formsets, case_snapshot(case))
            services.case_change_archive_conflict(
                user=request.user, case=case, payload=payload, based_on=refused[0], current=refused[1]
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        case = self.get_object(request, unquote(object_id)) if request.method == "GET" else None
        context = dict(extra_context or {})
        if case is not None:
            # Said on the page before saving, not as stacked messages: what a save here does, and
            # what waits for review.
            held = decide(user=request.user, action=Action.CHANGE, target=case).held
            own = prefill.own_pending_change(request.user, case) if held else None
            request._own_pending_change = own
            if own is not None:
                live = case_snapshot(case)
                # Shown on top of the live content: a field changed since keeps its new value.
                request._own_pending_payload = prefill.rebased(own, live)
                context["own_pending_rebased"] = prefill.changed_since(own, live)
            context.update(
                form_holds=FORM_HOLDS if held else "",
                own_pending=own,
                other_pending=[c for c in views.pending_changes(case) if c != own],
            )
        return super().change_view(request, object_id, form_url, context)

    def get_object(self, request, object_id, from_field=None):
        case = super().get_object(request, object_id, from_field)
        own = getattr(request, "_own_pending_change", None)
        if case is not None and own is not None and request.method == "GET":
            return prefill.case_with_payload(case, request._own_pending_payload)
        return case

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        own = getattr(request, "_own_pending_change", None)
        if own is None or request.method != "GET":
            return form_class

        class PendingForm(form_class):
            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, **form_kwargs)
                self.initial["themes"] = list(request._own_pending_payload.get("themes", []))

        return PendingForm

    def _create_formsets(self, request, obj, change):
        formsets, inlines = super()._create_formsets(request, obj, change)
        own = getattr(request, "_own_pending_change", None)
        if own is not None and request.method == "GET" and obj is not None:
            prefill.prefill_formsets(formsets, Case.objects.get(pk=obj.pk), request._own_pending_payload)
        return formsets, inlines

    def history_view(self, request, object_id, extra_context=None):
        context = {"case_changes": views.change_rows(self, unquote(object_id)), **(extra_context or {})}
        return super().history_view(request, object_id, context)

    # Revert and recover through the services (the policy decides; drafts for non-publishers).

    def revert_version(self, request, version):
        back = self._url("history", quote(version.object_id))
        return _outcome(
            lambda: services.case_revert(user=request.user, version=version), back, "已恢复到所选版本。"
        )

    def recover_version(self, request, version):
        return _outcome(
            lambda: services.case_recover(user=request.user, version=version),
            self._url("recoverlist"),
            "已恢复这个案例。",
        )

    def restore_preview(self, request, version, obj, action):
        plan = services.case_revert_plan if action is Action.REVERT else services.case_recover_plan
        context = {"changes": None, "related": [], "skipped": [], "decision": None, "error": ""}
        try:
            planned = plan(user=request.user, version=version)
        except services.EditorialError as error:
            context["error"] = str(error)
            return context
        live = case_snapshot(obj) if obj is not None else None
        context.update(
            related=payload_changes(live, planned.payload), skipped=planned.notes, decision=planned.decision
        )
        return context

    # Bulk actions every editor has: export the selected cases (publishers also publish/unpublish).

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.has_export_permission(request):
            actions["export_selected"] = (
                ExportActionMixin.export_admin_action,
                "export_selected",
                "导出所选案例（Excel / CSV）",
            )
        return actions

    # Publishing.

    @admin.action(description="发布所选案例", permissions=["publish"])
    def publish_selected(self, request, queryset):
        count = services.case_publish(user=request.user, cases=queryset)
        self.message_user(request, f"已发布 {count} 个案例。", messages.SUCCESS)

    @admin.action(description="撤回发布（改为草稿）", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        count = services.case_unpublish(user=request.user, cases=queryset)
        self.message_user(request, f"已撤回 {count} 个案例，公众不再可见。", messages.SUCCESS)

    # Import: previewed, one transaction, recorded in the history; rows that change published
    # cases are held for review for non-publishers (CaseResource asks the policy).

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

    def process_dataset(self, dataset, form, request, **kwargs):
        result = super().process_dataset(dataset, form, request, **kwargs)
        for error in [*result.base_errors, *(e for _, errors in result.row_errors() for e in errors)]:
            # Our checks raise ValueError / ValidationError in Chinese; anything else is an internal
            # message (a database constraint, a library's English) that staff must not see.
            if not isinstance(error.error, ValueError | ValidationError) or isinstance(
                error.error, UnicodeError
            ):
                error.error = ValueError("这一行无法导入（内部错误），未导入任何内容。请检查表格后重新上传。")
        return result

    def process_import(self, request, **kwargs):
        with reversion.create_revision(), batched():
            reversion.set_user(request.user)
            reversion.set_comment("从表格导入案例名单")
            return super().process_import(request, **kwargs)

    def add_success_message(self, result, request):
        # Rows held for review were not skipped: said as 已提交审核, not counted as 忽略.
        held = [(line, change) for line, _, change in getattr(result, "held_rows", []) if change is not None]
        totals = result.totals
        skipped = max(0, totals[RowResult.IMPORT_TYPE_SKIP] - len(held))
        parts = [
            f"新增 {totals[RowResult.IMPORT_TYPE_NEW]} 条",
            f"更新 {totals[RowResult.IMPORT_TYPE_UPDATE]} 条",
        ]
        if held:
            parts.append(f"已提交审核 {len(held)} 条")
        parts.append(f"无变化 {skipped} 条")
        self.message_user(request, f"导入完成：{'，'.join(parts)}。", messages.SUCCESS)
        if held:
            lines = "、".join(str(line) for line, _ in held)
            self.message_user(
                request,
                f"第 {lines} 行修改的是已发布的案例：这些修改没有直接公开，已作为“待审核的修改”提交，"
                "审核发布人员发布后才会公开。",
                messages.WARNING,
            )

    # Staff preview and held changes.

    def get_urls(self):
        # The longest patterns first: <path:object_id> would swallow ".../changes/1".
        return [
            path(
                "<path:object_id>/changes/<int:change_id>/preview/",
                self.admin_site.admin_view(self.change_preview_view),
                name="cases_case_change_preview",
            ),
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="cases_case_preview",
            ),
            path(
                "<path:object_id>/changes/<int:change_id>/",
                self.admin_site.admin_view(self.change_detail_view),
                name="cases_case_change_detail",
            ),
        ] + super().get_urls()

    def preview_view(self, request, object_id):
        case = self.get_object(request, unquote(object_id))
        if case is None:
            raise Http404("没有这个案例")
        if not self.has_view_or_change_permission(request, case):
            raise PermissionDenied
        response = render_case_page(request, case, preview=True)
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def change_preview_view(self, request, object_id, change_id):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return views.change_preview(request, unquote(object_id), change_id)

    def change_detail_view(self, request, object_id, change_id):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return views.change_detail(self, request, unquote(object_id), change_id)


def _outcome(write, back: str, done: str) -> tuple[str, str, str]:
    """Run a revert/recover service; (message level, message, next URL) for HistoryAdmin."""
    try:
        result = write()
    except services.AlreadyRecoveredError as error:
        return "info", str(error), reverse("admin:cases_case_change", args=(error.case.pk,))
    except (services.EditorialError, PolicyRefused) as error:
        return "error", str(error), back
    notes = "".join(result.notes)
    if result.held:
        message, url = held_result(result.case, result.change)
        return "warning", format_html("{}{}", message, notes), url  # the message's link stays a link
    case_url = reverse("admin:cases_case_change", args=(result.case.pk,))
    draft = "" if result.case.is_published else "（草稿，公众不可见）"
    return ("warning" if notes else "success"), format_html("{}{}{}", done, draft, notes), case_url


def change_summary(live: dict, payload: dict) -> str:
    """A short line naming what a held change changes (for lists of held changes)."""
    parts = []
    for group in payload_changes(live, payload):
        if group["label"] == "案例":
            parts += [c.label for c in group["changes"]]
        else:
            parts.append(f"{group['kind']}{group['label']}“{group['repr']}”")
    return "修改：" + "、".join(parts) if parts else "（无修改）"
