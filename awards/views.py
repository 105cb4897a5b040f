"""The public pages about prefectures, units, award tiers and the notice."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from awards import selectors
from portal import memo, paging
from portal.query import reads_query


@reads_query()
def prefecture_list(request):
    return render(
        request,
        "awards/prefecture_list.html",
        {"prefectures": selectors.prefectures_with_counts(), "nav_current": "prefectures"},
    )


def _render_cases_page(request, template: str, page, memo_key, extra: dict | None = None):
    """A page about ``page`` (a prefecture, unit or tier page of awards.selectors) with one page of its
    cases (``?page=``, as the case list reads it) and the links to the others.

    The cases are counted with the page's own row (``page.case_count``) and one page of them is read:
    a prefecture of thousands of cases costs what one of ten does.
    """
    messages: list[str] = []
    paginator = Paginator(page.cases(), paging.PAGE_SIZE)
    paginator.count = page.case_count
    current = paging.choose_page(paginator, request.GET.get("page"), messages)
    # One page of cases depends only on the library: read once per library version (portal.memo).
    current.object_list = memo.get(
        "cases_page", (memo_key, current.number), lambda: list(current.object_list)
    )
    response = render(
        request,
        template,
        {
            "page": page,
            "cases": current.object_list,
            "pages": paging.page_links(current, f"{request.path}?"),
            "messages_list": messages,
            **(extra or {}),
        },
    )
    if messages:
        # A corrected page number: such addresses are unbounded, keep them out of shared caches.
        patch_cache_control(response, private=True)
    return response


@reads_query("page", numbers=["page"])
def prefecture_detail(request, code):
    # The prefecture and its awards depend only on the library: read once per library version for each
    # prefecture (an unknown code raises Http404 before anything is kept).
    page = memo.get("prefecture_page", code, lambda: selectors.prefecture_page(code))
    return _render_cases_page(
        request, "awards/prefecture_detail.html", page, ("prefecture", code), {"nav_current": "prefectures"}
    )


@reads_query("page", numbers=["page"])
def unit_detail(request, pk):
    return _render_cases_page(request, "awards/unit_detail.html", selectors.unit_page(pk), ("unit", pk))


@reads_query("page", numbers=["page"])
def tier_detail(request, notice_slug, slug):
    page = selectors.tier_page(notice_slug, slug)
    return _render_cases_page(request, "awards/tier_detail.html", page, ("tier", page.tier.pk))


@reads_query()
def notice_detail(request, slug):
    page = selectors.notice_page(slug)
    # Editors read the errata here too; signed-in pages are never served from the page cache.
    errata = selectors.notice_errata(page.notice) if request.user.is_staff else None
    return render(
        request, "awards/notice_detail.html", {"page": page, "errata": errata, "nav_current": "notice"}
    )
