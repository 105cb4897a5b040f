"""History for every admin page: django-reversion versions with a field-by-field difference view.

Every model admin of the project derives from ``HistoryAdmin``: each save in the admin becomes a
revision (who, when, the change message), the history page lists them newest first with a link to
the differences against the version before, and "恢复" opens reversion's revert form.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import quote, unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from reversion.admin import VersionAdmin
from reversion.errors import RevertError
from reversion.models import Version

from cases import editorial


def _changes(version, previous):
    try:
        new = version.field_dict
        old = previous.field_dict if previous is not None else None
    except RevertError:
        return None
    return editorial.field_changes(version._model, old, new)


class SafeAutocompleteSelect(AutocompleteSelect):
    """Re-rendering a form whose autocomplete field holds garbage ("abc") must not crash.

    Django's widget looks the submitted value up to show it again; a value that is not a valid key
    raises ValueError there (a 500) instead of the form's own "选择一个有效的选项" message.
    """

    def optgroups(self, name, value, attr=None):
        target = self.field.remote_field.model._meta.get_field(self.field.remote_field.field_name)
        valid = []
        for item in value:
            try:
                target.to_python(item)
            except (ValidationError, TypeError, ValueError):
                continue
            valid.append(item)
        return super().optgroups(name, valid, attr)


class HistoryAdmin(VersionAdmin):
    object_history_template = "admin/history/object_history.html"
    history_latest_first = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _url_name(self, suffix: str) -> str:
        opts = self.model._meta
        return f"{opts.app_label}_{opts.model_name}_{suffix}"

    def get_urls(self):
        extra = [
            path(
                "<path:object_id>/history/<int:version_id>/diff/",
                self.admin_site.admin_view(self.version_diff_view),
                name=self._url_name("version_diff"),
            )
        ]
        return extra + super().get_urls()

    # Optimistic locking (models with a ``version`` field and an OptimisticLockForm).

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"editor": request.user})

    def save_model(self, request, obj, form, change):
        floor = getattr(request, "_version_floor", None)
        if floor:
            # A revert restores an old version number; keep numbers rising so old forms stay stale.
            obj.version = max(obj.version, floor)
        super().save_model(request, obj, form, change)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        if any(f.name == "version" for f in self.model._meta.concrete_fields):
            request._version_floor = (
                self.model._default_manager.filter(pk=unquote(object_id))
                .values_list("version", flat=True)
                .first()
            )
        return super().revision_view(request, object_id, version_id, extra_context)

    # Deleting: keep a finished revision of what is deleted, so "恢复已删除的…" can bring it back.

    def delete_model(self, request, obj):
        editorial.record_before_delete([obj], user=request.user, comment="删除（删除前的版本）")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        editorial.record_before_delete(queryset, user=request.user, comment="批量删除（删除前的版本）")
        super().delete_queryset(request, queryset)

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and request.POST.get("action") and "_save" not in request.POST:
            # Admin actions record their own revisions; an enclosing one would swallow the
            # pre-delete revision (reversion drops versions of rows gone when it saves).
            return admin.ModelAdmin.changelist_view(self, request, extra_context)
        return super().changelist_view(request, extra_context)

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
                "url": reverse(
                    f"{self.admin_site.name}:{self._url_name('revision')}",
                    args=(quote(version.object_id), version.pk),
                ),
                "diff_url": reverse(
                    f"{self.admin_site.name}:{self._url_name('version_diff')}",
                    args=(quote(version.object_id), version.pk),
                ),
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
        previous = editorial.previous_version(version)
        changes = _changes(version, previous)
        related = []
        for other in editorial.related_versions(version):
            other_changes = _changes(other, editorial.previous_version(other))
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
            "related": related,
            "object_id": object_id,
            "history_url": reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_history", args=(object_id,)
            ),
            "revert_url": reverse(
                f"{self.admin_site.name}:{self._url_name('revision')}", args=(object_id, version.pk)
            ),
            "can_revert": self.has_change_permission(request),
        }
        return TemplateResponse(request, "admin/history/version_diff.html", context)
