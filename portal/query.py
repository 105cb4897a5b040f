"""What each public page reads from its query string, declared once, and the rules for reading it.

A public view declares the parameters it reads, next to the code that reads them:
- function views with ``@reads_query("page", "sort", filterset=CaseFilter)``;
- API views (``portal.api.ConditionalGetMixin``) through ``query_parameters(action)``: their filter
  set's filters and their paginator's parameters, so a new filter is declared by being added.

``portal.middleware.RequestGuardMiddleware`` rewrites every request to such a view to its canonical
query string (``canonical_query``: declared names only, sorted by name, empty values dropped) before
sessions, the page cache or the view see it. A view therefore cannot read a parameter it did not
declare, and the page cache, which keys on the rewritten query, covers everything a page can read.
A request to a view without a declaration (the admin, an unknown address) is left as it is and is
never stored in the page cache.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import wraps

from django.http import QueryDict

from portal import errors

ATTRIBUTE = "query_parameters"
# The methods any address of the site may answer; the request guard refuses the rest (TRACE, CONNECT,
# WebDAV's) with a 405 before any view runs.
HTTP_METHODS = ("GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE")

# ASCII digits only: str.isdigit() also accepts ², ① and ₂, which int() refuses, and int() accepts
# full-width and other scripts' digits that no link of ours writes.
_WHOLE_NUMBER = re.compile(r"[0-9]{1,18}")
MAX_WHOLE_NUMBER = 10**18 - 1


def parse_positive_int(raw: str | None) -> int | None:
    """``raw`` as a whole number from 1 to 10**18 - 1 written in ASCII digits, else None.

    Surrounding white space is allowed. Every parameter or form value that is a page number, a page
    size or a database id goes through this function.
    """
    if raw is None:
        return None
    raw = raw.strip()
    if not _WHOLE_NUMBER.fullmatch(raw):
        return None
    number = int(raw)
    return number if number >= 1 else None


class Flag(str):
    """A parameter whose presence alone counts (``?script``): kept even when empty."""


def reads_query(*names: str, filterset=None, methods: Iterable[str] = ("GET", "HEAD")):
    """Declare the query parameters a public function view reads: ``names`` and ``filterset``'s filters.

    The view also answers only ``methods`` (405 otherwise): a page that is only ever read never runs
    for TRACE, PROPFIND and the like.
    """
    declared = frozenset(names) | (
        frozenset(filterset.base_filters) if filterset is not None else frozenset()
    )
    allowed = sorted(set(methods))

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in allowed:
                return errors.method_not_allowed(request, allowed)
            return view(request, *args, **kwargs)

        setattr(wrapper, ATTRIBUTE, declared)
        return wrapper

    return decorate


def declare_query(view, *names: str):
    """Declare the parameters of a view we do not write (e.g. Django's sitemap view)."""
    return reads_query(*names, methods=("GET", "HEAD"))(view)


def declared_parameters(view, method: str) -> frozenset[str] | None:
    """The parameters ``view`` (a resolved view function) reads for ``method``, or None if undeclared."""
    declared = getattr(view, ATTRIBUTE, None)
    if declared is not None:
        return frozenset(declared)
    cls = getattr(view, "cls", None)  # Django REST framework's as_view()
    reader = getattr(cls, ATTRIBUTE, None)
    if callable(reader):
        actions = getattr(view, "actions", None) or {}
        return frozenset(reader(actions.get(method.lower(), method.lower())))
    return None


def canonical_query(query: QueryDict, names: frozenset[str]) -> str:
    """The query string with only ``names``, sorted by name (values in their order), empty values
    dropped (``?page=`` is no page number, ``?tier=`` no tier) unless the name is a ``Flag``."""
    canonical = QueryDict(mutable=True)
    for name in sorted(names):
        values = [value for value in query.getlist(name) if value != "" or isinstance(name, Flag)]
        if values:
            canonical.setlist(name, values)
    return canonical.urlencode()


def rewrite_query(request, names: frozenset[str]) -> None:
    """Make ``request`` (GET, get_full_path(), build_absolute_uri()) carry only the canonical query."""
    canonical = canonical_query(request.GET, names)
    if canonical != request.META.get("QUERY_STRING", ""):
        request.META["QUERY_STRING"] = canonical
        request.__dict__.pop("GET", None)  # a cached_property, read again from QUERY_STRING
