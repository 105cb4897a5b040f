"""Template helpers shared by every public page."""

from django import template
from django.db import DatabaseError

from cases.views import TEXT_SIZE_COOKIE, TEXT_SIZES

register = template.Library()


@register.simple_tag(takes_context=True)
def text_size(context) -> str:
    """The reader's chosen text size (cookie), ``medium`` when none was chosen."""
    request = context.get("request")
    size = request.COOKIES.get(TEXT_SIZE_COOKIE, "") if request is not None else ""
    return size if size in TEXT_SIZES else "medium"


@register.simple_tag(takes_context=True)
def text_size_choices(context) -> list[dict]:
    current = text_size(context)
    return [
        {"value": value, "label": label, "current": value == current} for value, label in TEXT_SIZES.items()
    ]


@register.simple_tag
def site_notice():
    """The notice the navigation links to; None when the database cannot answer."""
    from awards.selectors import current_notice

    try:
        return current_notice()
    except DatabaseError:
        return None
