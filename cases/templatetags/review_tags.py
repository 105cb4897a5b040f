"""The admin index's review queue (templates/admin/index.html)."""

from django import template

from cases.editorial.queue import review_queue

register = template.Library()


@register.inclusion_tag("admin/review_queue.html", takes_context=True)
def review_queue_panel(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"queue": None}
    return {"queue": review_queue(user)}
