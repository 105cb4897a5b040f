"""/api/v1/ — the read-only JSON API (see cases/api.py and awards/api.py)."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from awards.api import (
    NoticeViewSet,
    OrganizingAwardViewSet,
    PrefectureViewSet,
    TierViewSet,
    UnitViewSet,
)
from cases import opendata
from cases.api import CaseViewSet, SuggestView, ThemeViewSet
from portal.api import not_found

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_format_suffixes = False
router.register("cases", CaseViewSet, basename="case")
router.register("prefectures", PrefectureViewSet, basename="prefecture")
router.register("units", UnitViewSet, basename="unit")
router.register("tiers", TierViewSet, basename="tier")
router.register("organizing-awards", OrganizingAwardViewSet, basename="organizing-award")
router.register("notices", NoticeViewSet, basename="notice")
router.register("themes", ThemeViewSet, basename="theme")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: no inline <script> (CSP).
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
        name="docs",
    ),
    path("suggest/", SuggestView.as_view(), name="suggest"),
    path("data/", opendata.data_dictionary, name="opendata"),
    path("data/library.csv", opendata.library_csv, name="opendata-csv"),
    path("data/library.json", opendata.library_json, name="opendata-json"),
    *router.urls,
    # Anything else under /api/v1/ is a JSON 404, not the site's HTML page. Only addresses ending
    # in "/", so that APPEND_SLASH still redirects /api/v1/cases to /api/v1/cases/.
    re_path(r"^.*/$", not_found),
]
