"""Admin pages for held changes: what a change contains, and 发布 / 退回 for publishers.

Minimal on purpose (the review queue, preview and a finer difference view build on these):
a held change is reachable from the case's page (a notice at the top) and its 历史.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from cases.editorial import services
from cases.editorial.payload import PayloadError, case_snapshot, normalized, payload_apply, payload_changes
from cases.editorial.policy import can_publish
from cases.models import Case, CaseChange
from cases.views import render_case_page
from portal.admin import PolicyRefused


def pending_changes(case: Case | None) -> list[CaseChange]:
    if case is None:
        return []
    return list(
        CaseChange.objects.filter(case=case, state=CaseChange.State.PENDING)
        .select_related("submitted_by")
        .order_by("submitted_at", "pk")
    )


def change_url(change: CaseChange) -> str:
    return reverse("admin:cases_case_change_detail", args=(change.case_id, change.pk))


def pending_notice(change: CaseChange) -> str:
    who = change.submitted_by.get_username() if change.submitted_by else "编辑"
    when = timezone.localtime(change.submitted_at).strftime("%Y-%m-%d %H:%M")
    return format_html(
        '有一项待审核的修改（#{}，{} 于 {} 提交：{}），尚未公开；下面显示的是当前的内容。<a href="{}">查看并审核这项修改</a>',
        change.pk,
        who,
        when,
        change.summary or "修改",
        change_url(change),
    )


def change_rows(model_admin, object_id) -> list[dict]:
    """Held, decided and refused changes of a case, newest first, for its history page."""
    try:
        changes = list(
            CaseChange.objects.filter(case_id=object_id).select_related("submitted_by", "decided_by")
        )
    except (ValueError, TypeError):  # not a case id: the history page answers that itself
        return []
    return [{"change": c, "url": change_url(c)} for c in changes]


def _change_or_404(object_id, change_id) -> CaseChange:
    try:
        change = (
            CaseChange.objects.filter(pk=change_id, case_id=object_id)
            .select_related("submitted_by", "decided_by")
            .first()
        )
    except (ValueError, TypeError):  # not a case id
        change = None
    if change is None:
        raise Http404("没有这项修改")
    return change


class _Shown(Exception):
    """Carries the rendered preview out of the transaction that is rolled back."""


def change_preview(request, object_id, change_id):
    """The case page as it would look with this change published (预览待审核的修改).

    The change is written inside a transaction, the page rendered, and everything rolled back:
    the same code path as publishing, so the preview cannot differ from what would go live.
    """
    change = _change_or_404(object_id, change_id)
    case = Case.objects.filter(pk=change.case_id).first()
    if case is None:
        raise Http404("这个案例已被删除")
    label = f"预览：待审核的修改 #{change.pk}（{change.get_state_display()}，以下为这项修改发布后的样子，尚未公开）"
    try:
        with transaction.atomic():
            payload_apply(case, normalized(change.payload))
            response = render_case_page(request, case, preview=True, preview_label=label)
            raise _Shown(response)
    except _Shown as shown:
        response = shown.args[0]
    except PayloadError as error:
        messages.error(request, f"无法预览：{error}")
        return HttpResponseRedirect(change_url(change))
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def change_detail(model_admin, request, object_id, change_id):
    change = _change_or_404(object_id, change_id)
    case = Case.objects.filter(pk=change.case_id).first()
    if request.method == "POST":
        return _decide(request, change)
    live = case_snapshot(case) if case is not None else None
    stale = live is not None and live != normalized(change.base)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Case._meta,
        "title": f"待审核的修改 #{change.pk}",
        "subtitle": None,
        "change": change,
        "case": case,
        "groups": payload_changes(normalized(change.base), normalized(change.payload)),
        "stale": stale,
        "can_decide": change.is_pending and can_publish(request.user) and case is not None,
        "history_url": reverse("admin:cases_case_history", args=(change.case_id,)),
        "case_url": reverse("admin:cases_case_change", args=(change.case_id,)) if case else "",
        "preview_url": reverse("admin:cases_case_change_preview", args=(change.case_id, change.pk)),
    }
    return TemplateResponse(request, "admin/cases/case/change_detail.html", context)


def _decide(request, change: CaseChange):
    back = change_url(change)
    decision = request.POST.get("decision")
    try:
        if decision == "publish":
            notes = services.case_change_publish(user=request.user, change=change)
            messages.success(request, f"已发布待审核的修改 #{change.pk}，公众页面已更新。" + "".join(notes))
        elif decision == "return":
            services.case_change_return(user=request.user, change=change, note=request.POST.get("note", ""))
            messages.success(request, f"已退回待审核的修改 #{change.pk}，编辑可在这里看到您的说明。")
        else:
            messages.error(request, "请选择“发布”或“退回”。")
    except (services.EditorialError, PolicyRefused) as error:
        messages.error(request, str(error))
    return HttpResponseRedirect(back)
