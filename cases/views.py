"""The public case pages: home, the filtered list, a case, and the reader's text-size choice."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from awards.selectors import best_cases, current_notice, library_stats, prefectures_with_counts
from cases.models import Case
from cases.search import highlight
from cases.selectors import SORTS, list_cases, neighbours, related_cases, themes_with_counts

PAGE_SIZE = 20

TEXT_SIZES = {"large": "大", "medium": "中", "small": "小"}
# "pref_" cookies are part of the page-cache key (portal/cache.py), so each size is cached apart.
TEXT_SIZE_COOKIE = "pref_text_size"


def home(request):
    notice = current_notice()
    if notice is None:
        raise Http404("案例库尚未载入通报")
    return render(
        request,
        "home.html",
        {
            "notice": notice,
            "stats": library_stats(notice),
            "best_cases": best_cases(notice),
            "prefectures": [p for p in prefectures_with_counts() if p.case_count],
            "themes": [t for t in themes_with_counts() if t.case_count],
            "nav_current": "home",
        },
    )


def _querystring(data, *, drop=(), remove=None, **changes) -> str:
    """The list's query string with ``remove`` = (name, value) taken out and ``changes`` set."""
    query = data.copy()
    for name in ("page", *drop):
        query.pop(name, None)
    if remove:
        name, value = remove
        query.setlist(name, [v for v in query.getlist(name) if v != value])
    for name, value in changes.items():
        query[name] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else ""


def _page(paginator: Paginator, raw: str | None, messages: list[str]):
    if raw in (None, ""):
        return paginator.page(1)
    raw = raw.strip()
    if not raw.isdigit() or len(raw) > 6:
        messages.append("页码应为正整数，已显示第 1 页。")
        return paginator.page(1)
    number = int(raw)
    if number < 1:
        messages.append("页码应为正整数，已显示第 1 页。")
        return paginator.page(1)
    if number > paginator.num_pages:
        messages.append(f"页码超出范围（共 {paginator.num_pages} 页），已显示最后一页。")
        return paginator.page(paginator.num_pages)
    return paginator.page(number)


def case_list(request):
    listing = list_cases(request.GET)
    messages = listing.messages
    queryset = listing.queryset
    if listing.query:
        # highlight() reads the sections; fetch them for the whole page at once.
        queryset = queryset.prefetch_related("sections")
    paginator = Paginator(queryset, PAGE_SIZE)
    page = _page(paginator, request.GET.get("page"), messages)
    cases = list(page.object_list)
    if listing.query:
        for case in cases:
            case.snippets = highlight(case, listing.outcome or listing.query)

    # The state the links carry: the cleaned filters, never the values that were dropped.
    state = listing.filterset.data.copy()
    for active in listing.active:
        active.remove_url = _querystring(state, remove=(active.name, active.value))
    query_remove_url = _querystring(state, drop=("q", "sort")) if listing.query else ""
    sorts = [
        {"value": value, "label": label, "selected": value == listing.sort}
        for value, label in SORTS.items()
        if value != "relevance" or listing.query
    ]
    page_query = _querystring(state)
    outcome = listing.outcome
    suggestions = [
        {"text": s, "url": _querystring(state, drop=("sort",), q=s)}
        for s in (outcome.suggestions if outcome else [])
    ]
    return render(
        request,
        "cases/case_list.html",
        {
            "listing": listing,
            "facets": listing.facets,
            "active": listing.active,
            "query": listing.query,
            "outcome": outcome,
            "suggestions": suggestions,
            "query_remove_url": query_remove_url,
            "sorts": sorts,
            "sort": listing.sort,
            "page": page,
            "paginator": paginator,
            "cases": cases,
            "messages_list": messages,
            "page_query": page_query,
            # Page links append "page=N" to the state.
            "page_prefix": f"{page_query}&" if page_query else "?",
            "has_filters": bool(listing.active or listing.query),
            "nav_current": "cases",
        },
    )


def gbt7714_reference(case: Case, url: str) -> str:
    """A GB/T 7714—2015 style reference to the case as an online report within the notice."""
    notice = case.notice
    accessed = timezone.localdate().isoformat()
    return (
        f"{case.unit.name}. {case.title}[R/OL]//{notice.issuer}. {notice.title}: "
        f"{case.citation_label}. ({notice.issued_on.isoformat()})[{accessed}]. {url}."
    )


def render_case_page(request, case: Case, *, preview: bool = False):
    """Render a case page; the admin's staff preview calls this with ``preview=True`` for drafts."""
    if not case.is_published and not preview:
        raise Http404("案例未发布")
    sections = list(case.sections.order_by("order"))
    url = request.build_absolute_uri(case.get_absolute_url())
    previous, following = neighbours(case)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "themes": list(case.themes.all()),
            "sections": sections,
            "toc": [s for s in sections if s.heading],
            "previous": previous,
            "next": following,
            "related": related_cases(case),
            "reference": gbt7714_reference(case, url),
            "canonical_url": url,
            "preview": preview,
            "nav_current": "cases",
        },
    )


def case_detail(request, slug):
    case = get_object_or_404(
        Case.objects.published().select_related("notice", "tier", "unit__prefecture"), slug=slug
    )
    return render_case_page(request, case)


# No CSRF token: the form is on every page, and a token would set a cookie that keeps every page out of
# the page cache. The worst a forged post can do is change the reader's text size.
@csrf_exempt
@require_POST
def set_text_size(request):
    """Store the reader's text size (适老化) in a cookie and go back; works without JavaScript."""
    size = request.POST.get("size", "")
    target = request.POST.get("next", "")
    if not target.isprintable() or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=False
    ):
        target = reverse("cases:home")
    response = HttpResponseRedirect(target)
    if size in TEXT_SIZES:
        response.set_cookie(TEXT_SIZE_COOKIE, size, max_age=365 * 24 * 3600, samesite="Lax")
    return response
