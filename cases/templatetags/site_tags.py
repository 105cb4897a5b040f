"""Template helpers shared by every public page."""

import re

from django import template
from django.db import DatabaseError
from django.utils.html import format_html

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


# "图1 群众视角": a figure's caption left in the text (the figures themselves are not in the source).
FIGURE_CAPTION = re.compile(r"^图\s*\d+")
# "（一）整合资源，创新服务模式。" opening a paragraph: the point the paragraph makes.
LEAD_SENTENCE = re.compile(r"^（[一二三四五六七八九十]+）[^。！？]{1,60}[。！？]")


@register.filter
def case_paragraph(text: str) -> str:
    """One paragraph of a case as HTML: captions set apart, a numbered point's first sentence bold."""
    if FIGURE_CAPTION.match(text) and len(text) <= 60:
        return format_html('<p class="figure-caption">{}</p>', text)
    match = LEAD_SENTENCE.match(text)
    if match:
        return format_html("<p><strong>{}</strong>{}</p>", match.group(0), text[match.end() :])
    return format_html("<p>{}</p>", text)
