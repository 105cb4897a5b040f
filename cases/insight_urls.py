from django.contrib.sitemaps.views import sitemap
from django.urls import path

from cases import insight_views
from cases.feeds import LatestCasesFeed
from portal.query import declare_query
from portal.sitemaps import SITEMAPS

app_name = "insights"

urlpatterns = [
    path("statistics/", insight_views.statistics, name="statistics"),
    path("feeds/cases.atom", declare_query(LatestCasesFeed()), name="feed"),
    path(
        "sitemap.xml",
        declare_query(sitemap, "p"),  # ?p= is the page of a long sitemap
        {"sitemaps": SITEMAPS, "template_name": "insights/sitemap.xml"},
        name="sitemap",
    ),
    path("robots.txt", insight_views.robots_txt, name="robots"),
]
