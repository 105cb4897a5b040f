"""Downloads for readers: a case as a Word document and a notice's source document as text.

Both are plain GETs at stable addresses (``/cases/<slug>.docx``, ``/notices/<slug>/source.txt``) with
a Chinese file name (RFC 5987 ``filename*``); the page cache keeps them like any page.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header

from awards.models import Notice
from cases.docx_export import DOCX_CONTENT_TYPE, case_docx_bytes, docx_filename
from cases.models import Case
from cases.views import gbt7714_reference
from portal.query import reads_query


@reads_query()
def case_docx(request, slug):
    """``/cases/<slug>.docx``: the published case as .docx (404 for drafts and unknown slugs)."""
    case = get_object_or_404(
        Case.objects.published().select_related("notice", "tier", "unit__prefecture"), slug=slug
    )
    url = request.build_absolute_uri(case.get_absolute_url())
    body = case_docx_bytes(
        case,
        sections=case.sections.order_by("order"),
        url=url,
        reference=gbt7714_reference(case, url),
    )
    response = HttpResponse(body, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, docx_filename(case))
    return response


def notice_source_path(notice: Notice) -> Path | None:
    """The notice's source document in the repository (``fixtures/source/<slug>.txt``), if there is one."""
    path = Path(settings.LIBRARY_SOURCE).parent / f"{notice.slug}.txt"
    return path if path.is_file() else None


@reads_query()
def notice_source(request, slug):
    """``/notices/<slug>/source.txt``: the notice, its attachments and the case compendium as UTF-8 text,
    as converted from the published PDF (the site's own corrections are listed as errata, not made here)."""
    notice = get_object_or_404(Notice, slug=slug)
    path = notice_source_path(notice)
    if path is None:
        raise Http404("本通报没有保存原文")
    response = HttpResponse(path.read_bytes(), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(False, f"{notice.number} 原文.txt")
    return response
