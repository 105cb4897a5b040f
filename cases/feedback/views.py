"""The 纠错 pages: the form on its own small page, and the thank-you page.

Why a page of its own: the form needs a CSRF token, and a token in a page would either be shared by
everyone the page cache serves it to, or keep the page out of the cache. So the case pages (cached)
only link here. This page sets the CSRF cookie and is never cached (portal.middleware.PageCacheMiddleware
stores no response that sets a cookie); after a report is stored the cookie is dropped again (unless
the reader is signed in), so the reader's next pages come from the cache as before.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from cases.feedback.forms import FeedbackForm
from cases.feedback.services import FeedbackRefused, feedback_create
from cases.models import Case, Feedback
from portal.client_ip import client_ip
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


@reads_query("page", methods=["GET", "HEAD", "POST"])
def feedback(request, slug: str | None = None):
    """``/cases/<slug>/feedback/`` (a case) or ``/feedback/?page=<path>`` (any page): report an error."""
    case = None
    if slug is not None:
        case = get_object_or_404(
            Case.objects.published().select_related("tier", "unit__prefecture"), slug=slug
        )
        page = case.get_absolute_url()
    else:
        page = local_path(request, request.POST.get("page") or request.GET.get("page", ""))
    form = FeedbackForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
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
    response = HttpResponseRedirect(url, status=303)
    if not request.user.is_authenticated:
        # The token has done its work; without the cookie the reader's next pages are cached again.
        response.delete_cookie(
            settings.CSRF_COOKIE_NAME, path=settings.CSRF_COOKIE_PATH, domain=settings.CSRF_COOKIE_DOMAIN
        )
    return response


@reads_query("back")
def feedback_sent(request):
    """The thank-you page (no form, no token: cacheable like any page)."""
    return render(
        request, "cases/feedback_sent.html", {"back": local_path(request, request.GET.get("back", ""))}
    )


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: a form posted without a valid token (an old page, or cookies blocked)."""
    return render(request, "403_csrf.html", {"back": local_path(request, request.path)}, status=403)
