"""CaseFilter stays usable by the HTML list: form errors instead of exceptions, same results."""

import pytest
from django.http import QueryDict

from cases.filters import CaseFilter
from cases.models import Case

pytestmark = pytest.mark.django_db


def run(query):
    return CaseFilter(QueryDict(query), queryset=Case.objects.published().in_notice_order())


def test_valid_filters(library):
    assert run("tier=best").qs.count() == 10
    assert run("prefecture=513400").qs.count() == 3
    assert run("").qs.count() == 44


def test_ordering_is_optional_and_keeps_default_order(library):
    expected = list(Case.objects.published().in_notice_order().values_list("pk", flat=True))
    assert list(run("").qs.values_list("pk", flat=True)) == expected
    assert list(run("ordering=").qs.values_list("pk", flat=True)) == expected


def test_ordering_values(library):
    titles = list(run("ordering=-title").qs.values_list("title", flat=True))
    assert titles == sorted(titles, reverse=True)


@pytest.mark.parametrize(
    "query,field",
    [("ordering=bogus", "ordering"), ("unit=99999999999999999999999", "unit"), ("unit=abc", "unit")],
)
def test_bad_values_are_form_errors(library, query, field):
    filterset = run(query)
    assert not filterset.is_valid()
    assert field in filterset.errors
