"""A URLconf for the error tests: views that fail as a lost database or a bug would, under /api/ and not."""

from django.db import OperationalError
from django.urls import include, path

from portal.query import reads_query


@reads_query()
def database_gone(request):
    raise OperationalError("could not connect to server at 10.0.1.10:5432, database caselib")


@reads_query()
def bug(request):
    raise RuntimeError("secret detail /srv/caselib/app")


# The site's error handlers, as the real URLconf has them.
from portal.urls import handler400, handler403, handler404, handler500  # noqa: E402, F401, I001

urlpatterns = [
    path("api/v1/test-database-gone/", database_gone),
    path("api/v1/test-bug/", bug),
    path("test-database-gone/", database_gone),
    path("test-bug/", bug),
    path("", include("portal.urls")),
]
