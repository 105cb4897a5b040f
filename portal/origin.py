"""Forms that post without a CSRF token: refused when the browser says the post came from another site.

The 纠错 form sits on every case page and the display switch on every page; both pages are served from
the page cache, and a CSRF token would either be shared by everyone the cache serves the page to or
keep every page out of the cache (a token sets a cookie). So these few endpoints are ``csrf_exempt``
and guarded by what browsers send with every post instead: ``Sec-Fetch-Site`` (same-origin, or none
for a post the reader typed in) and, from browsers without it, ``Origin``. A post with neither comes
from no browser (curl, a robot), which CSRF is not about; the 纠错 endpoint also has its honeypot and
its rate limits (cases/feedback/services.py).
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.shortcuts import render

SAME_SITE_FETCH = ("same-origin", "none")


def from_another_site(request) -> bool:
    """Whether the browser says this request was sent by a page of another site (or of a sub-domain)."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site.strip().lower() not in SAME_SITE_FETCH
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    try:
        netloc = urlsplit(origin.strip()).netloc.lower()
    except ValueError:
        return True
    if not netloc:  # "null": a sandboxed frame, a redirect from elsewhere, a file
        return True
    trusted = {urlsplit(o).netloc.lower() for o in getattr(settings, "CSRF_TRUSTED_ORIGINS", [])}
    try:
        host = request.get_host().lower()
    except Exception:  # DisallowedHost: Django refuses the request anyway
        return True
    return netloc != host and netloc not in trusted


def same_site_posts_only(view):
    """Refuse (403, in Chinese) a POST that a page of another site sent; other methods pass."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if request.method == "POST" and from_another_site(request):
            return render(request, "403_cross_site.html", status=403)
        return view(request, *args, **kwargs)

    return guarded
