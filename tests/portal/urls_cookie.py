"""A URLconf for one test: a public page that sets a cookie (must never be cached)."""

from django.http import HttpResponse
from django.urls import include, path

from portal.query import reads_query


@reads_query()
def sets_cookie(request):
    response = HttpResponse("personal")
    response.set_cookie("seen", "1")
    return response


urlpatterns = [path("sets-cookie/", sets_cookie), path("", include("portal.urls"))]
