"""The public case pages: home, the filtered list, a case, and the reader's display preferences."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt

from awards.selectors import best_cases, current_notice, library_stats, prefectures_with_counts
from cases.feedback.forms import FeedbackForm
from cases.filters import CaseFilter
from cases.models import Case
from cases.search import highlight, is_partial_match
from cases.search.outcome import one_word
from cases.selectors import SORTS, list_cases, neighbours, related_cases, themes_with_counts
from cases.sharing import qr_svg
from portal import memo, paging
from portal.origin import same_site_posts_only
from portal.preferences import CONTRAST, COOKIE_MAX_AGE, TEXT_SIZE
from portal.query import reads_query

PAGE_SIZE = paging.PAGE_SIZE  # read here by case_list (tests lower it)
# Related cases shown under a case (after leaving out its neighbours in the notice's order).
RELATED_SHOWN = 5


def _home() -> dict | None:
    notice = current_notice()
    if notice is None:
        return None
    return {
        "notice": notice,
        "stats": library_stats(notice),
        "best_cases": list(best_cases(notice)),
        "prefectures": [p for p in prefectures_with_counts() if p.case_count],
        "themes": [t for t in themes_with_counts() if t.case_count],
    }


@reads_query()
def home(request):
    # Everything on the home page depends only on the library: read once per library version.
    content = memo.get("home", None, _home)
    if content is None:
        raise Http404("案例库尚未载入通报")
    return render(request, "home.html", {**content, "nav_current": "home"})


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


def _searched_key(searched) -> tuple:
    """What ``highlight`` reads of a search: the query, its correction and the words it marks."""
    if isinstance(searched, str):
        return (searched,)
    return (
        searched.query,
        getattr(searched, "corrected", None),
        tuple(getattr(searched, "surfaces", ()) or ()),
    )


class _Deferred:
    """The list's queryset for a paginator, built (the search run) only when a count or a page is not
    kept: a kept search page reads nothing."""

    def __init__(self, listing):
        self.listing = listing

    def __getitem__(self, index):
        # A page's slice stays unread until its cases are not kept (``_page_cases``).
        return (self.listing, index) if isinstance(index, slice) else self.listing.queryset[index]

    def count(self) -> int:
        return self.listing.queryset.count()


def _page_cases(listing, page) -> list[Case]:
    """The page's cases, with their search passages and partial-match marks for a search."""
    _, bounds = page.object_list
    objects = listing.queryset[bounds]
    if listing.query:
        # highlight() reads the sections; fetch them for the whole page at once.
        objects = objects.prefetch_related("sections")
    cases = list(objects)
    if listing.query:
        searched = listing.outcome or listing.query
        what = _searched_key(searched)
        for case in cases:
            # A case's passages for one search: marked once per library version (portal.memo).
            case.snippets = memo.get("snippets", (case.pk, what), lambda c=case: highlight(c, searched))
            case.partial_match = is_partial_match(listing.outcome, getattr(case, "search_rank", None))
    return cases


@reads_query("page", "sort", filterset=CaseFilter, numbers=["page"])
def case_list(request):
    listing = list_cases(request.GET)
    messages = listing.messages
    paginator = Paginator(_Deferred(listing), PAGE_SIZE)
    # The list depends only on the library, the cleaned filters and search words, and the sort: its
    # length and each page's cases (with their passages and partial-match marks) are read once per
    # library version (portal.memo).
    paginator.count = memo.get("list_count", listing.key, paginator.object_list.count)
    page = paging.choose_page(paginator, request.GET.get("page"), messages)
    page.object_list = memo.get("list_page", (listing.key, page.number), lambda: _page_cases(listing, page))
    cases = page.object_list
    # Partial matches come after the full ones (relevance order): shown apart, under a heading.
    partial_cases = [c for c in cases if getattr(c, "partial_match", False)]
    full_cases = [c for c in cases if not getattr(c, "partial_match", False)]
    split = bool(partial_cases and full_cases and listing.sort == "relevance")

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
    # What the search box carries along so that a new search keeps the filters.
    search_keep = [(f.name, o.value) for f in listing.facets for o in f.selected] + [
        (a.name, a.value) for a in listing.active if a.name in ("unit", "notice")
    ]
    suggestions = [
        {"text": s, "url": _querystring(state, drop=("sort",), q=s)}
        for s in (outcome.suggestions if outcome else [])
    ]
    response = render(
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
            "cases": cases,
            "page_partial": bool(partial_cases),
            # A one-word query's notice says "this word or a synonym", never "all the words".
            "one_word": bool(outcome and outcome.partial and one_word(outcome)),
            "full_cases": full_cases if split else None,
            "partial_cases": partial_cases if split else None,
            "partial_start": page.start_index() + len(full_cases),
            "messages_list": messages,
            "page_query": page_query,
            # A few pages around this one and both ends (every page while there are few): at 20,000
            # cases a link to each of the 1,000 pages was most of the page's time.
            # Page links append "page=N" to the state.
            **paging.page_links(page, reverse("cases:list") + (f"{page_query}&" if page_query else "?")),
            "has_filters": bool(listing.active or listing.query),
            "active_count": len(listing.active),
            "search_keep": search_keep,
            "groups": _prefecture_groups(cases, listing, page) if listing.sort == "prefecture" else None,
            "nav_current": "cases",
        },
    )
    if messages:
        # A page that corrected the reader's input (a made-up filter value, a bad page number) is
        # not kept by shared caches: such addresses are unbounded and should not fill the page cache.
        patch_cache_control(response, private=True)
    return response


def _prefecture_groups(cases: list[Case], listing, page) -> list[dict]:
    """The page's cases under one heading per prefecture (the list sorted by prefecture).

    Each group knows its number of cases in the whole list (the prefecture facet's count) and
    whether it began on an earlier page.
    """
    totals = {o.value: o.count for f in listing.facets if f.name == "prefecture" for o in f.options}
    groups: list[dict] = []
    start = page.start_index()
    for index, case in enumerate(cases):
        prefecture = case.unit.prefecture
        if not groups or groups[-1]["prefecture"].pk != prefecture.pk:
            groups.append(
                {
                    "prefecture": prefecture,
                    "cases": [],
                    "start": start + index,
                    "total": totals.get(prefecture.code, 0),
                    "continued": index == 0 and page.number > 1 and _continues(page, prefecture),
                }
            )
        groups[-1]["cases"].append(case)
    return groups


def _continues(page, prefecture) -> bool:
    """Whether the previous page ended with a case of ``prefecture`` (one query)."""
    last = page.paginator.object_list[page.start_index() - 2]
    return last.unit.prefecture_id == prefecture.pk


def gbt7714_reference(case: Case, url: str) -> str:
    """A GB/T 7714—2015 style reference to the case as an online report within the notice."""
    notice = case.notice
    accessed = timezone.localdate().isoformat()
    return (
        f"{case.unit.name}. {case.title}[R/OL]//{notice.issuer}. {notice.title}: "
        f"{case.citation_label}. ({notice.issued_on.isoformat()})[{accessed}]. {url}."
    )


def render_case_page(request, case: Case, *, preview: bool = False, preview_label: str = ""):
    """Render a case page; the admin's staff preview calls this with ``preview=True`` for drafts
    (and pending changes, with ``preview_label`` saying what is shown)."""
    if not case.is_published and not preview:
        raise Http404("案例未发布")
    # Read only when the case's text is drawn: a published case's text is kept once per library
    # version (the "case-text" fragment of the template), so most requests never read them.
    sections = SimpleLazyObject(lambda: list(case.sections.order_by("order")))
    url = request.build_absolute_uri(case.get_absolute_url())
    previous, following, related = _reading_on(case) if case.is_published else _reading_on_uncached(case)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "themes": SimpleLazyObject(lambda: list(case.themes.all())),
            "sections": sections,
            "toc": SimpleLazyObject(lambda: [s for s in sections if s.heading]),
            "previous": previous,
            "next": following,
            "related": related[:RELATED_SHOWN],
            "reference": gbt7714_reference(case, url),
            "canonical_url": url,
            "qr_code": qr_svg(url, label=f"本案例网址的二维码：{url}"),
            "feedback_url": reverse("cases:case_feedback", kwargs={"slug": case.slug}),
            "feedback_form": FeedbackForm(auto_id="case-feedback-%s"),
            "preview": preview,
            "preview_label": preview_label,
            "nav_current": "cases",
        },
    )


def _reading_on_uncached(case: Case) -> tuple:
    previous, following = neighbours(case)
    # The neighbours already have their own links under the text: never offer them twice.
    shown = {row["pk"] for row in (previous, following) if row}
    related = [c for c in related_cases(case, limit=RELATED_SHOWN + len(shown)) if c.pk not in shown]
    return previous, following, related


def _reading_on(case: Case) -> tuple:
    """(previous, next, related cases) of a published case: computed once per library version."""
    return memo.get("reading_on", case.pk, lambda: _reading_on_uncached(case))


@reads_query()
def case_detail(request, slug):
    case = get_object_or_404(
        Case.objects.published().select_related("notice", "tier", "unit__prefecture"), slug=slug
    )
    return render_case_page(request, case)


# No CSRF token: the form is on every page, and a token would set a cookie that keeps every page out of
# the page cache. Posts that a browser says came from another site are refused (portal/origin.py); the
# worst a forged post could do anyway is change the reader's text size or contrast.
@csrf_exempt
@same_site_posts_only
@reads_query(methods=["POST"])
def set_preferences(request):
    """Store the reader's text size and contrast (适老化) in cookies and go back; works without JavaScript.

    Form fields: ``size`` (大/中/小: large, medium, small), ``contrast`` (normal, high), ``next`` (a path
    on this site). Unknown values are ignored; a foreign or malformed ``next`` goes to the home page.
    """
    target = request.POST.get("next", "")
    if not target.isprintable() or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=False
    ):
        target = reverse("cases:home")
    response = HttpResponseRedirect(target)
    fields = {"size": TEXT_SIZE, "contrast": CONTRAST}
    for field, pref in fields.items():
        value = request.POST.get(field, "")
        if value in pref.choices:
            response.set_cookie(pref.cookie, value, max_age=COOKIE_MAX_AGE, samesite="Lax")
    return response
