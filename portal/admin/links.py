"""Small admin helpers: links to a record's change page or to a filtered change list."""

from __future__ import annotations

from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html


def admin_link(obj, label=None):
    if obj is None:
        return "—"
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=(obj.pk,))
    return format_html('<a href="{}">{}</a>', url, label or str(obj))


def changelist_link(model, query: str, label: str):
    """A link to a change list; ``model`` is a model or its "app_label.model_name" label."""
    if isinstance(model, str):
        app_label, model_name = model.lower().split(".")
    else:
        app_label, model_name = model._meta.app_label, model._meta.model_name
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    return format_html('<a href="{}?{}">{}</a>', url, query, label)


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
