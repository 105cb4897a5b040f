"""The public pages about prefectures, units, award tiers and the notice."""

from django.shortcuts import render

from awards import selectors
from portal import memo
from portal.query import reads_query


@reads_query()
def prefecture_list(request):
    return render(
        request,
        "awards/prefecture_list.html",
        {"prefectures": selectors.prefectures_with_counts(), "nav_current": "prefectures"},
    )


@reads_query()
def prefecture_detail(request, code):
    return render(
        request,
        "awards/prefecture_detail.html",
        # Depends only on the library: read once per library version for each prefecture (an unknown
        # code raises Http404 before anything is kept).
        {
            "page": memo.get("prefecture_page", code, lambda: selectors.prefecture_page(code)),
            "nav_current": "prefectures",
        },
    )


@reads_query()
def unit_detail(request, pk):
    return render(request, "awards/unit_detail.html", {"page": selectors.unit_page(pk)})


@reads_query()
def tier_detail(request, notice_slug, slug):
    return render(request, "awards/tier_detail.html", {"page": selectors.tier_page(notice_slug, slug)})


@reads_query()
def notice_detail(request, slug):
    page = selectors.notice_page(slug)
    # Editors read the errata here too; signed-in pages are never served from the page cache.
    errata = selectors.notice_errata(page.notice) if request.user.is_staff else None
    return render(
        request, "awards/notice_detail.html", {"page": page, "errata": errata, "nav_current": "notice"}
    )
