"""The public pages about prefectures, units, award tiers and the notice."""

from django.shortcuts import render

from awards import selectors
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
        {"page": selectors.prefecture_page(code), "nav_current": "prefectures"},
    )


@reads_query()
def unit_detail(request, pk):
    return render(request, "awards/unit_detail.html", {"page": selectors.unit_page(pk)})


@reads_query()
def tier_detail(request, notice_slug, slug):
    return render(request, "awards/tier_detail.html", {"page": selectors.tier_page(notice_slug, slug)})


@reads_query()
def notice_detail(request, slug):
    return render(
        request, "awards/notice_detail.html", {"page": selectors.notice_page(slug), "nav_current": "notice"}
    )
