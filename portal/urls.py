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

# JSON under /api/, a Chinese page elsewhere; a database that cannot be reached is a 503 (portal/errors.py).
handler400 = "portal.errors.bad_request"
handler403 = "portal.errors.permission_denied"
handler404 = "portal.errors.page_not_found"
handler500 = "portal.errors.server_error"
