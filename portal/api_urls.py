"""/api/v1/ — the read-only JSON API (see cases/api.py and awards/api.py)."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import routers
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
from portal.api import ConditionalGetMixin, not_found
from portal.query import Flag

app_name = "api"


class APIRootView(ConditionalGetMixin, routers.APIRootView):
    """The list of endpoints at /api/v1/."""


class Router(DefaultRouter):
    APIRootView = APIRootView


router = Router(trailing_slash=True)
router.include_format_suffixes = False
router.register("cases", CaseViewSet, basename="case")
router.register("prefectures", PrefectureViewSet, basename="prefecture")
router.register("units", UnitViewSet, basename="unit")
router.register("tiers", TierViewSet, basename="tier")
router.register("organizing-awards", OrganizingAwardViewSet, basename="organizing-award")
router.register("notices", NoticeViewSet, basename="notice")
router.register("themes", ThemeViewSet, basename="theme")


class SchemaView(ConditionalGetMixin, SpectacularAPIView):
    """The OpenAPI schema (YAML, or JSON by Accept or ?format=json); its errors are JSON like the API's.

    Reads only ``format``: ``lang`` and ``version`` would make any number of variants of one schema.
    """

    @classmethod
    def query_parameters(cls, action: str) -> frozenset[str]:
        return frozenset({"format"})

    def _get_filename(self, request, version):
        # Plain ASCII (the title is Chinese: Django would MIME-encode the whole header value).
        return "schema." + self.perform_content_negotiation(request, force=True)[0].format


class DocsView(ConditionalGetMixin, SpectacularSwaggerSplitView):
    """Swagger UI in the site's page; ``?script`` serves its start-up script as a file: no inline
    <script> (CSP). Our copy of that script renders no CSRF token (the API is read-only GET): a token
    sets a cookie, and a response that sets one is kept by no cache."""

    @classmethod
    def query_parameters(cls, action: str) -> frozenset[str]:
        return frozenset({Flag("script")})


urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path(
        "docs/",
        DocsView.as_view(
            url_name="api:schema",
            template_name="api/swagger_ui.html",
            template_name_js="api/swagger_ui_start.js",
        ),
        name="docs",
    ),
    path("suggest/", SuggestView.as_view(), name="suggest"),
    path("data/", opendata.data_dictionary, name="opendata"),
    path("data/library.csv", opendata.library_csv, name="opendata-csv"),
    path("data/library.json", opendata.library_json, name="opendata-json"),
    *router.urls,
    # Anything else under /api/v1/ is a JSON 404, not the site's HTML page (new lines too: "." alone
    # would not match them). Only addresses ending in "/", so that APPEND_SLASH still redirects
    # /api/v1/cases to /api/v1/cases/; any other unknown /api/ address gets the JSON 404 of
    # portal.errors.page_not_found.
    re_path(r"^[\s\S]*/$", not_found),
]
