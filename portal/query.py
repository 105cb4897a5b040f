"""What each public page reads from its query string, declared once, and the rules for reading it.

A public view declares the parameters it reads, next to the code that reads them:
- function views with ``@reads_query("page", "sort", filterset=CaseFilter)``;
- API views (``portal.api.ConditionalGetMixin``) through ``query_parameters(action)``: their filter
  set's filters and their paginator's parameters, so a new filter is declared by being added.

``portal.middleware.RequestGuardMiddleware`` rewrites every request to such a view to its canonical
query string (``canonical_query``: declared names only, sorted by name, empty values dropped, each
value in its canonical form: see ``parameter_rules``) before sessions, the page cache or the view see
it, so requests that mean the same page (?page=0001 and ?page=1, ?theme=a&theme=b and
?theme=b&theme=a&theme=a) are one page and one cache entry. A view therefore cannot read a parameter it did not
declare, and the page cache, which keys on the rewritten query, covers everything a page can read.
A request to a view without a declaration (the admin, an unknown address) is left as it is and is
never stored in the page cache.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, wraps

from django.http import QueryDict

from portal import errors

ATTRIBUTE = "query_parameters"
# The methods any address of the site may answer; the request guard refuses the rest (TRACE, CONNECT,
# WebDAV's) with a 405 before any view runs.
HTTP_METHODS = ("GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE")

# ASCII digits only: str.isdigit() also accepts ², ① and ₂, which int() refuses, and int() accepts
# full-width and other scripts' digits that no link of ours writes.
_WHOLE_NUMBER = re.compile(r"[0-9]{1,18}")
_DIGITS = re.compile(r"[0-9]+")
MAX_WHOLE_NUMBER = 10**18 - 1


def parse_positive_int(raw: str | None) -> int | None:
    """``raw`` as a whole number from 1 to 10**18 - 1 written in ASCII digits, else None.

    Surrounding white space is allowed. Every parameter or form value that is a page number, a page
    size or a database id goes through this function.
    """
    if raw is None:
        return None
    raw = raw.strip()
    if not _DIGITS.fullmatch(raw):
        return None
    digits = raw.lstrip("0")  # leading zeros (?page=0001) do not make a number larger
    if not _WHOLE_NUMBER.fullmatch(digits):
        return None
    number = int(digits)
    return number if number >= 1 else None


class Flag(str):
    """A parameter whose presence alone counts (``?script``): kept even when empty."""


def reads_query(
    *names: str, filterset=None, methods: Iterable[str] = ("GET", "HEAD"), numbers: Iterable[str] = ()
):
    """Declare the query parameters a public function view reads: ``names`` and ``filterset``'s filters.

    The view also answers only ``methods`` (405 otherwise): a page that is only ever read never runs
    for TRACE, PROPFIND and the like. ``numbers`` are the names read with ``parse_positive_int``.
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
        wrapper.query_filterset = filterset
        wrapper.query_numbers = frozenset(numbers)
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


# How a parameter's values are read, and so written canonically.
SINGLE = "single"  # one value: the last one given (what request.GET.get and DRF's query_params.get read)
MULTIPLE = "multiple"  # a set of values (django-filter's multiple choice filters): sorted, once each
NUMBER = "number"  # one whole number (parse_positive_int): written without leading zeros or spaces
NUMBERS = "numbers"  # a set of whole numbers (ids)
SEARCH = "search"  # the search text: written as the search reads it (cases.search.normalize_query)
# Or a function: the value as the view reads it (a view's ``query_readers``, {name: function}).


def _filter_rules(filterset) -> dict[str, str]:
    from django import forms

    rules = {}
    for name, filter_ in (filterset.base_filters if filterset is not None else {}).items():
        field_class = getattr(filter_, "field_class", None)
        if not isinstance(field_class, type):
            continue
        if issubclass(field_class, forms.ModelMultipleChoiceField):
            rules[name] = NUMBERS  # ids (the model's primary key)
        elif issubclass(field_class, forms.MultipleChoiceField):
            rules[name] = MULTIPLE
        elif getattr(filter_, "method", None) == "filter_search":
            rules[name] = SEARCH
    return rules


@cache
def parameter_rules(view) -> dict:
    """How ``view`` (a resolved view function) reads each declared parameter: from its filter set's
    filters, its paginator's page and page size, its ``numbers`` and its ``query_readers``; every
    other one is SINGLE."""
    cls = getattr(view, "cls", None)
    rules = _filter_rules(getattr(cls, "filterset_class", None) or getattr(view, "query_filterset", None))
    paginator = getattr(cls, "pagination_class", None)
    for attr in ("page_query_param", "page_size_query_param"):
        name = getattr(paginator, attr, None)
        if name:
            rules[name] = NUMBER
    for name in getattr(view, "query_numbers", ()):
        rules[name] = NUMBER
    rules.update(getattr(cls, "query_readers", None) or getattr(view, "query_readers", None) or {})
    return rules


def _number(value: str) -> str:
    number = parse_positive_int(value)
    return str(number) if number is not None else value  # not a number: the view refuses it as given


def _search(value: str) -> str:
    from cases.search import normalize_query

    normalized, truncated = normalize_query(value)
    return value if truncated else normalized  # a cut query keeps its length, so the page can say so


def canonical_values(values: list[str], rule) -> list[str]:
    """The values of one parameter as the view reads them, in one written form."""
    if rule in (MULTIPLE, NUMBERS):
        written = [_number(v) for v in values] if rule == NUMBERS else values
        return sorted(set(written))
    value = values[-1]
    if rule == NUMBER:
        value = _number(value)
    elif rule == SEARCH:
        value = _search(value)
    elif callable(rule):
        value = rule(value)
    return [value]


def canonical_query(query: QueryDict, names: frozenset[str], rules: dict | None = None) -> str:
    """The query string with only ``names``, sorted by name, empty values dropped (``?page=`` is no
    page number, ``?tier=`` no tier) unless the name is a ``Flag``, and each parameter's values in the
    canonical form its ``rules`` entry gives (``parameter_rules``)."""
    rules = rules or {}
    canonical = QueryDict(mutable=True)
    for name in sorted(names):
        values = [value for value in query.getlist(name) if value != "" or isinstance(name, Flag)]
        if values and not isinstance(name, Flag):
            values = [v for v in canonical_values(values, rules.get(name, SINGLE)) if v != ""]
        if values:
            canonical.setlist(name, values)
    return canonical.urlencode()


def rewrite_query(request, names: frozenset[str], view=None) -> None:
    """Make ``request`` (GET, get_full_path(), build_absolute_uri()) carry only the canonical query."""
    canonical = canonical_query(request.GET, names, parameter_rules(view) if view is not None else None)
    if canonical != request.META.get("QUERY_STRING", ""):
        request.META["QUERY_STRING"] = canonical
        request.__dict__.pop("GET", None)  # a cached_property, read again from QUERY_STRING
