"""A URLconf for the declaration tests: a view that declares one parameter and tries to read another."""

from django.http import JsonResponse
from django.urls import include, path

from portal.query import reads_query


@reads_query("colour")
def reads_more_than_declared(request):
    return JsonResponse({"colour": request.GET.get("colour"), "size": request.GET.get("size")})


# The site's error handlers, as the real URLconf has them.
from portal.urls import handler400, handler403, handler404, handler500  # noqa: E402, F401, I001

urlpatterns = [path("declared/", reads_more_than_declared), path("", include("portal.urls"))]
