"""The 纠错 pages: the short form on every case page posts here; the form on its own page (any page's
纠错 link, and where a refused report is shown again with its messages); the thank-you page.

No CSRF token (portal/origin.py says why): the case pages carry the form and are served from the page
cache. A post that a browser says came from another site is refused; the honeypot field and the limits
per address, network and site (cases/feedback/services.py) do the rest.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt

from cases.feedback.forms import FeedbackForm
from cases.feedback.services import FeedbackRefused, feedback_create
from cases.models import Case, Feedback
from portal.client_ip import client_ip
from portal.origin import same_site_posts_only
from portal.query import reads_query


def local_path(request, value: str) -> str:
    """``value`` if it is a path on this site (at most ``Feedback.PAGE_MAX`` characters), else ``""``."""
    if (
        not value
        or len(value) > Feedback.PAGE_MAX
        or not value.startswith("/")
        or not value.isprintable()
        or not url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()})
    ):
        return ""
    return value


TOO_LONG = (
    f"内容过长：问题描述最多 {Feedback.MESSAGE_MAX} 个字，联系方式最多 {Feedback.CONTACT_MAX} 个字，"
    "请删减后再提交。"
)


@csrf_exempt
@same_site_posts_only
@reads_query("page", methods=["GET", "HEAD", "POST"])
def feedback(request, slug: str | None = None):
    """``/cases/<slug>/feedback/`` (a case) or ``/feedback/?page=<path>`` (any page): report an error."""
    case = None
    if slug is not None:
        case = get_object_or_404(
            Case.objects.published().select_related("tier", "unit__prefecture"), slug=slug
        )
        page = case.get_absolute_url()
    posted = None
    too_long = False
    if request.method == "POST":
        try:
            posted = request.POST
        except (RequestDataTooBig, TooManyFieldsSent):
            # Megabytes of text: read nothing of it, say so in Chinese (never Django's bare 400).
            too_long = True
    if slug is None:
        page = local_path(request, (posted or {}).get("page") or request.GET.get("page", ""))
    form = FeedbackForm(posted)
    status = 200
    if too_long:
        form = FeedbackForm({})
        form.is_valid()
        form.add_error("message", TOO_LONG)
        status = 413
    elif request.method == "POST":
        if form.is_robot():
            # Tell a robot nothing: it sees the same answer as a person, and nothing is stored.
            return _sent(request, page)
        if form.is_valid():
            try:
                feedback_create(
                    message=form.cleaned_data["message"],
                    contact=form.cleaned_data["contact"],
                    page=page,
                    case=case,
                    client_address=client_ip(request),
                )
            except FeedbackRefused as refused:
                form.add_error(refused.field, refused.message)
            else:
                return _sent(request, page)
        status = 429 if form.non_field_errors() else 400
    return render(
        request,
        "cases/feedback.html",
        {"form": form, "case": case, "page": page, "nav_current": "cases" if case else None},
        status=status,
    )


def _sent(request, page: str):
    url = reverse("cases:feedback_sent") + (f"?{urlencode({'back': page})}" if page else "")
    return HttpResponseRedirect(url, status=303)


@reads_query("back")
def feedback_sent(request):
    """The thank-you page (no form, no token: cacheable like any page)."""
    return render(
        request, "cases/feedback_sent.html", {"back": local_path(request, request.GET.get("back", ""))}
    )


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: a form posted without a valid token (an old page, or cookies blocked)."""
    return render(request, "403_csrf.html", {"back": local_path(request, request.path)}, status=403)
