"""History for every admin page: django-reversion versions, a field-by-field difference view, and
reverting or recovering through the editorial policy.

Every model admin of the project derives from ``HistoryAdmin``: each save in the admin becomes a
revision (who, when, the change message); the history page lists them newest first with a link to
the differences against the version before. "恢复" opens a confirmation page (what would change,
what can no longer be restored, and whether it applies now, waits for review or is refused) and
its POST goes through ``revert_version`` / ``recover_version``, which ask the policy like every
other write. django-reversion's own revert form is not used: it writes old rows raw, around the
policy, the search index and the page cache.
"""

from __future__ import annotations

import reversion
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from reversion.admin import VersionAdmin
from reversion.errors import RevertError
from reversion.models import Version

from portal.admin.diff import field_changes, previous_version, related_versions
from portal.admin.forms import stale_versions, stored_version
from portal.admin.links import SafeAutocompleteSelect
from portal.admin.policy import Action
from portal.admin.restore import (
    ALREADY_RECOVERED,
    AlreadyRecovered,
    RestoreError,
    lock_for_recover,
    record_before_delete,
    restored_data,
    restored_instance,
    save_restored,
)
from portal.admin.writes import PolicyAdminMixin

# The comment of the first version of every record loaded from the notice's data (the starting
# point every later difference is measured from); written by cases.editorial.history.
INITIAL_COMMENT = "初始版本（从通报数据载入）"


def _changes(version, previous):
    try:
        new = version.field_dict
        old = previous.field_dict if previous is not None else None
    except RevertError:
        return None
    return field_changes(version._model, old, new)


def stored_data(obj) -> dict:
    """A record's stored values in the shape of ``Version.field_dict``."""
    data = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
    for m2m in obj._meta.many_to_many:
        data[m2m.name] = list(getattr(obj, m2m.name).values_list("pk", flat=True))
    return data


def revert_comment(version) -> str:
    when = timezone.localtime(version.revision.date_created).strftime("%Y-%m-%d %H:%M:%S")
    return f"恢复到 {when} 的版本"


class HistoryAdmin(PolicyAdminMixin, VersionAdmin):
    object_history_template = "admin/history/object_history.html"
    restore_template = "admin/history/restore_confirm.html"
    history_latest_first = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _url_name(self, suffix: str) -> str:
        opts = self.model._meta
        return f"{opts.app_label}_{opts.model_name}_{suffix}"

    def _url(self, suffix: str, *args) -> str:
        return reverse(f"{self.admin_site.name}:{self._url_name(suffix)}", args=args)

    def get_urls(self):
        extra = [
            path(
                "<path:object_id>/history/<int:version_id>/diff/",
                self.admin_site.admin_view(self.version_diff_view),
                name=self._url_name("version_diff"),
            )
        ]
        return extra + super().get_urls()

    # Deleting: keep a finished revision of what is deleted, so "恢复已删除的…" can bring it back.

    def delete_model(self, request, obj):
        record_before_delete([obj], user=request.user, comment="删除（删除前的版本）")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        record_before_delete(queryset, user=request.user, comment="批量删除（删除前的版本）")
        super().delete_queryset(request, queryset)

    def get_deleted_objects(self, objs, request):
        """Django's list of what a delete takes along, without the rows of automatic many-to-many
        tables ("Case_themes object (125)"): a model internal, not something staff delete."""
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        through = [
            m2m.remote_field.through._meta
            for model in apps.get_models()
            for m2m in model._meta.local_many_to_many
            if m2m.remote_field.through._meta.auto_created
        ]
        prefixes = tuple(f"{capfirst(opts.verbose_name)}: " for opts in through)
        plurals = {str(opts.verbose_name_plural) for opts in through}

        def keep(items):
            kept = []
            for item in items:
                if isinstance(item, list):
                    kept.append(keep(item))
                elif not str(item).startswith(prefixes):
                    kept.append(item)
            return [k for k in kept if k != []]

        model_count = {name: count for name, count in model_count.items() if str(name) not in plurals}
        return keep(to_delete), model_count, perms_needed, protected

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and request.POST.get("action") and "_save" not in request.POST:
            # Admin actions record their own revisions; an enclosing one would swallow the
            # pre-delete revision (reversion drops versions of rows gone when it saves).
            return admin.ModelAdmin.changelist_view(self, request, extra_context)
        return super().changelist_view(request, extra_context)

    # History and differences.

    def history_view(self, request, object_id, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        object_id_raw = unquote(object_id)
        versions = Version.objects.get_for_object_reference(self.model, object_id_raw).select_related(
            "revision", "revision__user"
        )
        versions = self._reversion_order_version_queryset(request, versions)
        action_list = [
            {
                "revision": version.revision,
                "version": version,
                "url": self._url("revision", quote(version.object_id), version.pk),
                "diff_url": self._url("version_diff", quote(version.object_id), version.pk),
            }
            for version in versions
        ]
        context = {"action_list": action_list, "can_revert": self.has_change_permission(request)}
        context.update(extra_context or {})
        # Skip VersionAdmin.history_view: it builds a list without the difference links.
        return admin.ModelAdmin.history_view(self, request, object_id, context)

    def version_diff_view(self, request, object_id, version_id):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        version = get_object_or_404(
            Version.objects.select_related("revision__user"),
            pk=version_id,
            object_id=unquote(object_id),
            content_type=ContentType.objects.get_for_model(self.model),
        )
        previous = previous_version(version)
        changes = _changes(version, previous)
        related = []
        for other in related_versions(version):
            other_changes = _changes(other, previous_version(other))
            if other_changes is None:
                continue
            changed = [c for c in other_changes if c.changed]
            if changed:
                related.append(
                    {"label": other.content_type.name, "repr": other.object_repr, "changes": changed}
                )
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "title": f"修改对比：{version.object_repr}",
            "subtitle": None,
            "version": version,
            "previous": previous,
            "changes": changes,
            "changed": [c for c in changes or [] if c.changed],
            "initial_comment": INITIAL_COMMENT,
            "related": related,
            "object_id": object_id,
            "history_url": self._url("history", object_id),
            "revert_url": self._url("revision", object_id, version.pk),
            "can_revert": self.has_change_permission(request),
        }
        return TemplateResponse(request, "admin/history/version_diff.html", context)

    # Revert and recover: a confirmation page (GET), then the policy (POST).

    def _version(self, version_id, **lookup):
        return get_object_or_404(
            Version.objects.select_related("revision__user"),
            pk=version_id,
            content_type=ContentType.objects.get_for_model(self.model),
            **lookup,
        )

    def revision_view(self, request, object_id, version_id, extra_context=None):
        object_id = unquote(object_id)
        version = self._version(version_id, object_id=object_id)
        obj = self.get_object(request, object_id)
        if obj is None:
            self.message_user(request, "这条记录已被删除，请在“恢复已删除的…”中恢复。", messages.WARNING)
            return HttpResponseRedirect(self._url("recoverlist"))
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        if request.method == "POST":
            with transaction.atomic():
                stale = self._stale_revert(request, obj)
                if stale:
                    self.message_user(request, stale, messages.ERROR)
                    return HttpResponseRedirect(request.get_full_path())  # the preview, as it is now
                return self._finish(request, self.revert_version(request, version))
        return self._confirm(request, version, obj, Action.REVERT)

    # The revert confirmation carries the version it showed its differences against, like a form.

    def lock_root(self, obj):
        """(model, pk) of the record whose version guards ``obj`` (None: not version-locked)."""
        has_version = any(f.name == "version" for f in self.model._meta.concrete_fields)
        return (self.model, obj.pk) if has_version else None

    def _stale_revert(self, request, obj) -> str:
        """Why the confirmed revert must not run (the record changed since the page showed it, or
        the page's version is malformed); "" when it may."""
        try:
            stale = stale_versions(self.lock_root(obj), request.POST.get("loaded_version"))
        except ValidationError as error:
            return "未恢复：" + error.messages[0].removeprefix("未保存：")
        if stale is None:
            return ""
        return (
            f"未恢复：您打开这个确认页面后，这条记录又被修改了（现为第 {stale[1]} 版，页面显示的是第 {stale[0]} 版），"
            "您看到的差异已经不准确。下面是按最新内容重新列出的差异，请确认后再决定是否恢复。"
        )

    def recover_view(self, request, version_id, extra_context=None):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        version = self._version(version_id)
        live = self.model._default_manager.filter(pk=version.object_id).first()
        if live is not None:
            self.message_user(request, ALREADY_RECOVERED, messages.INFO)
            return HttpResponseRedirect(self._change_url(live))
        if request.method == "POST":
            return self._finish(request, self.recover_version(request, version))
        return self._confirm(request, version, None, Action.RECOVER)

    def _finish(self, request, result: tuple[str, str, str]):
        level, message, url = result
        self.message_user(request, message, getattr(messages, level.upper()))
        return HttpResponseRedirect(url)

    def revert_version(self, request, version) -> tuple[str, str, str]:
        """Bring the record back to ``version`` as the policy decides; (level, message, next URL)."""
        return self._restore(request, version, Action.REVERT)

    def recover_version(self, request, version) -> tuple[str, str, str]:
        return self._restore(request, version, Action.RECOVER)

    @transaction.atomic
    def _restore(self, request, version, action) -> tuple[str, str, str]:
        back = (
            self._url("history", quote(version.object_id))
            if action is Action.REVERT
            else self._url("recoverlist")
        )
        try:
            if action is Action.RECOVER:
                lock_for_recover(version)  # a second click waits, then is told it is done
            restored = restored_instance(version)
        except AlreadyRecovered as error:
            return "info", str(error), self._change_url(error.live)
        except RestoreError as error:
            return "error", str(error), back
        decision = self.write_decision(request, action, target=restored.live, proposed=restored.instance)
        if decision.refused:
            return "error", decision.message, back
        skipped = "".join(restored.skipped)
        if decision.held:
            message, url = self.hold_write(request, action, target=restored.live, proposed=restored.instance)
            return "warning", format_html("{}{}", message, skipped), url  # the message's link stays a link
        try:
            with reversion.create_revision():
                reversion.set_user(request.user)
                reversion.set_comment(
                    revert_comment(version) if action is Action.REVERT else "从删除记录中恢复"
                )
                obj = save_restored(restored)
        except AlreadyRecovered as error:
            return "info", str(error), self._change_url(error.live)
        except RestoreError as error:
            return "error", str(error), back
        done = "已恢复到所选版本。" if action is Action.REVERT else f"已恢复“{obj}”。"
        return ("warning" if skipped else "success"), done + skipped, self._change_url(obj)

    def restore_preview(self, request, version, obj, action) -> dict:
        """What the confirmation page shows: differences, left-out values, the policy's answer."""
        context = {"changes": None, "related": [], "skipped": [], "decision": None, "error": ""}
        try:
            restored = restored_instance(version)
        except RestoreError as error:
            context["error"] = str(error)
            return context
        new = restored_data(restored)  # as it would be saved: deleted relations kept, no lock number
        old = stored_data(obj) if obj is not None else None
        context["changes"] = [c for c in field_changes(self.model, old, new) if c.changed or old is None]
        context["skipped"] = restored.skipped
        context["decision"] = self.write_decision(
            request, action, target=restored.live, proposed=restored.instance
        )
        return context

    def _confirm(self, request, version, obj, action):
        opts = self.model._meta
        verb = "恢复到此版本" if action is Action.REVERT else "恢复这条记录"
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "title": f"{verb}：{version.object_repr}",
            "subtitle": None,
            "version": version,
            "object": obj,
            "verb": verb,
            "back_url": self._url("history", quote(version.object_id)) if obj else self._url("recoverlist"),
            **self.restore_preview(request, version, obj, action),
        }
        root = self.lock_root(obj) if obj is not None else None
        context["loaded_version"] = stored_version(*root) if root is not None else None
        return TemplateResponse(request, self.restore_template, context)
