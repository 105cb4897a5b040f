from django.contrib.sitemaps.views import sitemap
from django.urls import path

from cases import insight_views
from cases.feeds import LatestCasesFeed
from portal.sitemaps import SITEMAPS

app_name = "insights"

urlpatterns = [
    path("statistics/", insight_views.statistics, name="statistics"),
    path("feeds/cases.atom", LatestCasesFeed(), name="feed"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": SITEMAPS, "template_name": "insights/sitemap.xml"},
        name="sitemap",
    ),
    path("robots.txt", insight_views.robots_txt, name="robots"),
]
