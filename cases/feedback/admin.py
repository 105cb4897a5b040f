"""纠错反馈 in the admin: staff read readers' reports, mark them handled and note what was done.

Imported by cases/admin.py. What a reader sent cannot be edited afterwards, only the status and the reply
note (each change kept in the history, as for every model); staff may add a report received by
telephone or letter (permission ``cases.add_feedback``, which the editorial roles do not have).
"""

import reversion
from django.contrib import admin
from django.db import transaction

from cases.feedback.services import report_text
from cases.models import Feedback
from portal.admin import HistoryAdmin


@admin.register(Feedback)
class FeedbackAdmin(HistoryAdmin):
    list_display = ("created", "status", "case", "short_message", "contact")
    list_filter = ("status", "created")
    search_fields = ("message", "contact", "reply", "page", "case__title")
    date_hierarchy = "created"
    fields = ("status", "reply", "case", "page", "message", "contact", "created", "updated")
    list_select_related = ("case",)
    actions = ["mark_handled"]

    @admin.display(description="问题描述")
    def short_message(self, obj: Feedback) -> str:
        return obj.message if len(obj.message) <= 60 else obj.message[:60] + "…"

    @admin.action(description="标记为已处理", permissions=["change"])
    def mark_handled(self, request, queryset):
        # One save per report inside one revision, so that the history records each change.
        with transaction.atomic(), reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment("标记为已处理")
            pending = list(queryset.exclude(status=Feedback.Status.HANDLED))
            for feedback in pending:
                feedback.status = Feedback.Status.HANDLED
                feedback.save(update_fields=["status", "updated"])
        self.message_user(request, f"已将 {len(pending)} 条纠错标记为已处理。")

    def save_model(self, request, obj, form, change):
        if not change:  # taken down by staff: the same cleaning as a report from the form
            obj.message = report_text(obj.message, multiline=True)
            obj.contact = report_text(obj.contact, multiline=False)
        super().save_model(request, obj, form, change)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:  # a report taken down by staff
            return ("created", "updated")
        return ("case", "page", "message", "contact", "created", "updated")
