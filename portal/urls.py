from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("portal.api_urls")),
    path("", include("awards.urls")),
    path("", include("cases.urls")),
    path("", include("cases.insight_urls")),
]
