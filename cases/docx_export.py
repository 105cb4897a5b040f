"""A case as a Word document (.docx, via python-docx), for readers who file or print cases in Word.

``case_docx_bytes(case, ...)`` gives the file: title, unit, tier, prefecture, dates, the notice's
citation and GB/T 7714 reference, then every section with its heading and paragraphs. python-docx is
the well-kept library for writing .docx; the Office Open XML format is too large to write by hand.
"""

from __future__ import annotations

import io
import re

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from cases.models import Case
from cases.selectors import case_last_published_change
from portal.text import clean_text

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Fonts Chinese government documents use; Word falls back to another CJK font where they are missing.
BODY_FONT = "宋体"
HEADING_FONT = "黑体"
# Characters no file system takes in a name, and control characters.
_UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


def docx_filename(case: Case) -> str:
    """``最佳案例第1号 <title>.docx``: a Chinese name that every file system accepts (≤ 80 characters)."""
    title = _UNSAFE_IN_NAME.sub("_", case.title).strip() or case.slug
    stem = f"{case.tier.name}第{case.number}号 {title}"
    return f"{stem[:75]}.docx"


def _set_font(style, name: str, size: float) -> None:
    style.font.name = name
    style.font.size = Pt(size)
    # Word picks the font for Chinese characters from the East Asian slot, not from font.name.
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _text(value: str, *, multiline: bool = False) -> str:
    # A .docx is XML 1.0: a control character left in an older row or written by SQL would make
    # python-docx refuse the whole file (ValueError, a 500), so every string passes the site's text rule.
    return clean_text(value or "", multiline=multiline)


def case_docx_bytes(case: Case, *, sections, url: str, reference: str) -> bytes:
    """The .docx file of a published case. ``sections`` in order; ``url`` is the case page's address."""
    document = Document()
    _set_font(document.styles["Normal"], BODY_FONT, 12)
    for level in (1, 2):
        _set_font(document.styles[f"Heading {level}"], HEADING_FONT, 16 if level == 1 else 14)
    properties = document.core_properties
    properties.title = _text(case.title)
    properties.author = _text(case.unit.name)
    properties.subject = _text(case.citation_label)
    properties.comments = url
    # Reproducible: the same case gives the same file until it changes.
    changed = case_last_published_change(case)
    properties.created = properties.modified = changed
    properties.last_modified_by = ""
    properties.revision = case.version

    title = document.add_heading(_text(case.title), level=1)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    place = case.unit.prefecture.name + (f" {case.unit.county}" if case.unit.county else "")
    facts = [
        ("获奖单位", case.unit.name),
        ("奖项类别", f"{case.tier.name}（第 {case.number} 号）"),
        ("市（州）", place),
        ("发布日期", case.notice.issued_on.isoformat()),
        ("更新日期", timezone.localtime(changed).date().isoformat()),
        ("出处", case.citation_label + (f"，案例汇编第 {case.page} 页" if case.page else "")),
        ("网址", url),
    ]
    for label, value in facts:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}：").bold = True
        paragraph.add_run(_text(value))
    paragraph = document.add_paragraph()
    paragraph.add_run("参考文献格式（GB/T 7714）：").bold = True
    paragraph.add_run(_text(reference))

    for section in sections:
        if section.heading:
            document.add_heading(_text(section.heading), level=2)
        for text in section.paragraphs:
            paragraph = document.add_paragraph(_text(text, multiline=True))
            paragraph.paragraph_format.first_line_indent = Pt(24)  # two characters, as in the source

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
