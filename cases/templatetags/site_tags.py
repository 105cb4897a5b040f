"""Template helpers shared by every public page."""

import re

from django import template
from django.conf import settings
from django.db import DatabaseError
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from cases.downloads import notice_source_path
from cases.selectors import case_last_published_change, notice_last_published_change
from portal import memo
from portal.preferences import CONTRAST, TEXT_SIZE, preference

register = template.Library()


@register.simple_tag(takes_context=True)
def text_size(context) -> str:
    """The reader's chosen text size (cookie), ``medium`` when none was chosen."""
    return preference(context.get("request"), TEXT_SIZE)


@register.simple_tag(takes_context=True)
def display_preferences(context) -> dict:
    """The reader's text size and contrast with the switch's choices (适老化; see portal/preferences.py).

    ``{"size": "large", "contrast": "high", "sizes": [{value, label, current}], "high_contrast": bool}``
    """
    request = context.get("request")
    size = preference(request, TEXT_SIZE)
    contrast = preference(request, CONTRAST)
    return {
        "size": size,
        "contrast": contrast,
        "high_contrast": contrast == "high",
        "sizes": [
            {"value": value, "label": label, "current": value == size}
            for value, label in TEXT_SIZE.choices.items()
        ],
    }


@register.simple_tag
def site_notice():
    """The notice the navigation links to; None when the database cannot answer."""
    from awards.selectors import current_notice

    try:
        return memo.get("current_notice", None, current_notice)
    except DatabaseError:
        return None


@register.simple_tag
def site_identity() -> dict:
    """What a government site shows in its footer (settings SITE_*, each empty when not set).

    ``{"organizer", "contact", "id_code", "icp", "psb", "psb_code"}``; ``psb_code`` is the digits of
    the 公安备案 number, which its query page takes.
    """
    psb = settings.SITE_PSB_NUMBER
    return {
        "organizer": settings.SITE_ORGANIZER,
        "contact": settings.SITE_CONTACT,
        "id_code": settings.SITE_ID_CODE,
        "icp": settings.SITE_ICP_NUMBER,
        "psb": psb,
        "psb_code": "".join(ch for ch in psb if ch.isdigit()),
    }


@register.filter
def last_published_change(case):
    """``{{ case|last_published_change|date:"Y-m-d" }}``: the case's 更新日期 (cases.selectors)."""
    return case_last_published_change(case)


@register.simple_tag
def notice_last_change(tiers):
    """The notice page's 更新日期: the last published change among its tiers' ``public_cases``."""
    return notice_last_published_change(case for tier in tiers for case in getattr(tier, "public_cases", []))


@register.simple_tag
def notice_source_url(notice) -> str:
    """The address of the notice's source document, ``""`` when the repository holds none."""
    return reverse("cases:notice_source", kwargs={"slug": notice.slug}) if notice_source_path(notice) else ""


@register.filter
def identifier_breaks(name: str) -> str:
    """A field name such as ``prefecture_code`` that may wrap after its underscores, never inside a word."""
    return mark_safe(escape(name).replace("_", "_<wbr>"))


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
