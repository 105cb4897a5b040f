from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from portal.health import benchmark_urls

urlpatterns = [
    path(settings.ADMIN_PATH, admin.site.urls),
    path("api/v1/", include("portal.api_urls")),
    path("", include("awards.urls")),
    path("", include("cases.urls")),
    path("", include("cases.insight_urls")),
    *benchmark_urls(),
]
