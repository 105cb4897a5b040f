"""The statistics page and robots.txt (thin: the figures come from ``cases.insights``)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from cases import insights
from portal import memo
from portal.query import reads_query


def _statistics() -> dict:
    prefectures = insights.counts_by_prefecture()
    prefecture_rows = [
        insights.FacetCount(row.code, row.prefecture.name, row.cases, row.url) for row in prefectures
    ]
    organizing = insights.organizing_awards_by_prefecture()
    return {
        "total": insights.published_total(),
        "prefectures_with_cases": sum(1 for row in prefectures if row.cases),
        "prefecture_count": len(prefectures),
        "by_prefecture": prefecture_rows,
        "by_tier": insights.counts_by_tier(),
        "by_level": insights.counts_by_level(),
        "by_theme": insights.counts_by_theme(),
        "organizing": organizing,
        "organizing_total": sum(len(group.awards) for group in organizing),
    }


@reads_query()
def statistics(request):
    # The figures depend only on the library: counted once per library version (portal.memo).
    figures = memo.get("statistics", None, _statistics)
    return render(request, "insights/statistics.html", {**figures, "nav_current": "statistics"})


@reads_query()
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("insights:sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", "Allow: /", "", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
