"""纠错反馈 in the admin: staff read readers' reports, mark them handled and note what was done.

Imported by cases/admin.py. What the reader sent cannot be edited, only the status and the reply note;
nobody adds reports here (they come from the public form only).
"""

from django.contrib import admin
from django.utils import timezone

from cases.models import Feedback


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ("created", "status", "case", "short_message", "contact")
    list_filter = ("status", "created")
    search_fields = ("message", "contact", "reply", "page", "case__title")
    date_hierarchy = "created"
    fields = ("status", "reply", "case", "page", "message", "contact", "created", "updated")
    readonly_fields = ("case", "page", "message", "contact", "created", "updated")
    list_select_related = ("case",)
    actions = ["mark_handled"]

    @admin.display(description="问题描述")
    def short_message(self, obj: Feedback) -> str:
        return obj.message if len(obj.message) <= 60 else obj.message[:60] + "…"

    @admin.action(description="标记为已处理", permissions=["change"])
    def mark_handled(self, request, queryset):
        changed = queryset.exclude(status=Feedback.Status.HANDLED).update(
            status=Feedback.Status.HANDLED, updated=timezone.now()
        )
        self.message_user(request, f"已将 {changed} 条纠错标记为已处理。")

    def has_add_permission(self, request) -> bool:
        return False
