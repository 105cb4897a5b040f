"""Every write an admin page makes asks the editorial policy first (portal.admin.policy).

``PolicyAdminMixin`` routes the model admin's write paths through ``write_decision``: the add and
change forms (and list_editable rows) carry the decision made in their ``clean``; the delete page
and the bulk 删除所选 action ask before deleting. A refused write is a form error or an error
message; a held one goes to ``hold_write``, which the admin of a record that can be held (a case,
its sections and errata) implements by filing a change for review. Nothing is written around it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.utils import unquote
from django.http import HttpResponseRedirect
from django.urls import reverse

from portal.admin.forms import PolicyCheckedForm
from portal.admin.policy import Action, Decision, PolicyRefused, decide

# Set on an instance whose save was held for review: the message for the user.
HELD = "_editorial_held"

# Said on a confirmation page, before anything is done (the held result says 已提交 afterwards).
HELD_DELETE_WARNING = "所选内容属于已公开的案例：确认后不会直接删除，而是作为“待审核的修改”提交，审核发布人员发布后才会从公众网站上删除。"


class PolicyAdminMixin:
    # The policy.

    def write_decision(self, request, action: Action, *, target=None, proposed=None) -> Decision:
        return decide(user=request.user, action=action, target=target, proposed=proposed)

    def hold_write(self, request, action: Action, *, target=None, proposed=None) -> tuple[str, str]:
        """File a held write for review; returns (message, URL to show it). Records that cannot
        be held are never held by the policy, so by default this refuses."""
        raise PolicyRefused("这类记录的修改不能提交审核，请联系审核发布人员。")

    def hold_delete(self, request, objects) -> tuple[str, str]:
        result = ("", "")
        for obj in objects:
            result = self.hold_write(request, Action.DELETE, target=obj)
        return result

    # Forms: the decision is made in the form's clean (a refusal is a form error).

    def _checked(self, form_class, request):
        return type(form_class.__name__, (PolicyCheckedForm, form_class), {"editor": request.user})

    def get_form(self, request, obj=None, change=False, **kwargs):
        return self._checked(super().get_form(request, obj, change, **kwargs), request)

    def get_changelist_form(self, request, **kwargs):
        return self._checked(super().get_changelist_form(request, **kwargs), request)

    def _stored(self, obj):
        return self.model._default_manager.filter(pk=obj.pk).first() if obj.pk is not None else None

    def save_model(self, request, obj, form, change):
        decision = getattr(form, "decision", None)
        if decision is None:  # a form built without the check: ask now (the final gate)
            action = Action.CHANGE if change else Action.ADD
            decision = self.write_decision(request, action, target=self._stored(obj), proposed=obj)
        if decision.refused:
            raise PolicyRefused(decision.message)
        if decision.held:
            setattr(obj, HELD, None)  # filed by save_related, which also sees the inlines
            return
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if not hasattr(form.instance, HELD):
            return super().save_related(request, form, formsets, change)
        for formset in formsets:
            # Nothing of the formsets is saved; the admin's change message reads these lists.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        setattr(form.instance, HELD, self.hold_form_save(request, form, formsets, change))

    def hold_form_save(self, request, form, formsets, change) -> tuple[str, str]:
        action = Action.CHANGE if change else Action.ADD
        return self.hold_write(request, action, target=self._stored(form.instance), proposed=form.instance)

    def log_addition(self, request, obj, message):
        if hasattr(obj, HELD):
            return None  # nothing was added; the held change is its own record
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        if hasattr(obj, HELD):
            return ModelAdmin.log_change(self, request, obj, "提交待审核的修改（未公开）")
        return super().log_change(request, obj, message)

    def _held_response(self, request, obj):
        message, url = getattr(obj, HELD)
        self.message_user(request, message, messages.WARNING)
        return HttpResponseRedirect(url)

    def response_add(self, request, obj, post_url_continue=None):
        if hasattr(obj, HELD):
            return self._held_response(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if hasattr(obj, HELD):
            return self._held_response(request, obj)
        return super().response_change(request, obj)

    # Deleting.

    def _change_url(self, obj):
        opts = self.model._meta
        return reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=(obj.pk,))

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_delete_permission(request, obj):
            return super().delete_view(request, object_id, extra_context)
        decision = self.write_decision(request, Action.DELETE, target=obj)
        if decision.refused:
            self.message_user(request, decision.message, messages.ERROR)
            return HttpResponseRedirect(self._change_url(obj))
        if decision.held:
            if request.method == "POST":
                message, url = self.hold_delete(request, [obj])
                self.message_user(request, message, messages.WARNING)
                return HttpResponseRedirect(url)
            self.message_user(request, HELD_DELETE_WARNING, messages.WARNING)
        return super().delete_view(request, object_id, extra_context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _, name, description = actions["delete_selected"]
            actions["delete_selected"] = (checked_delete_selected, name, description)
        return actions


def checked_delete_selected(modeladmin, request, queryset):
    """Django's 删除所选, asking the policy for every selected record once the user confirms.

    One refused record refuses the whole action (nothing is deleted); held ones are filed for
    review; the rest are deleted the usual way (with a history record, see HistoryAdmin).
    """
    if not request.POST.get("post"):
        # The confirmation page says before the click what will happen to held records.
        if any(modeladmin.write_decision(request, Action.DELETE, target=obj).held for obj in queryset):
            modeladmin.message_user(request, HELD_DELETE_WARNING, messages.WARNING)
        return delete_selected(modeladmin, request, queryset)
    decisions = [(obj, modeladmin.write_decision(request, Action.DELETE, target=obj)) for obj in queryset]
    refused = [(obj, d) for obj, d in decisions if d.refused]
    if refused:
        reasons = "；".join(f"“{obj}”：{d.message}" for obj, d in refused[:5])
        modeladmin.message_user(request, f"没有删除任何记录。{reasons}", messages.ERROR)
        return None
    held = [obj for obj, d in decisions if d.held]
    if held:
        message, _ = modeladmin.hold_delete(request, held)
        modeladmin.message_user(request, message, messages.WARNING)
    applied = [obj.pk for obj, d in decisions if d.applies]
    if applied:
        return delete_selected(modeladmin, request, queryset.filter(pk__in=applied))
    return None
