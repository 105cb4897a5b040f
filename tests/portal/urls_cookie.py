"""A URLconf for one test: a public page that sets a cookie (must never be cached)."""

from django.http import HttpResponse
from django.urls import include, path

from portal.query import reads_query


@reads_query()
def sets_cookie(request):
    response = HttpResponse("personal")
    response.set_cookie("seen", "1")
    return response


# The site's error handlers, as the real URLconf has them.
from portal.urls import handler400, handler403, handler404, handler500  # noqa: E402, F401, I001

urlpatterns = [path("sets-cookie/", sets_cookie), path("", include("portal.urls"))]
