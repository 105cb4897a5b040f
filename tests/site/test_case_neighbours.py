"""A case's previous and next cases in the notice's order: right for every case, read as two rows.

Reading every published case's title into Python to find the two next to one (20,000 rows at 20,000
cases) was most of a computed case page; the database now returns only the two neighbours.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case
from cases.selectors import neighbours

pytestmark = pytest.mark.django_db


def _row(case):
    return {
        "pk": case.pk,
        "slug": case.slug,
        "title": case.title,
        "number": case.number,
        "tier__name": case.tier.name,
    }


def test_every_case_has_the_cases_before_and_after_it_in_the_notices_order(library):
    ordered = list(Case.objects.published().in_notice_order().select_related("tier"))
    for index, case in enumerate(ordered):
        previous, following = neighbours(case)
        assert previous == (_row(ordered[index - 1]) if index else None), case.slug
        assert following == (_row(ordered[index + 1]) if index + 1 < len(ordered) else None), case.slug


def test_a_draft_has_no_neighbours(library):
    case = Case.objects.published().order_by("pk").first()
    Case.objects.filter(pk=case.pk).update(status=Case.Status.DRAFT)
    assert neighbours(Case.objects.get(pk=case.pk)) == (None, None)


def test_the_neighbours_are_read_in_one_query_of_two_rows(library):
    case = Case.objects.published().in_notice_order()[10]
    with CaptureQueriesContext(connection) as captured:
        neighbours(case)
    assert len(captured) == 1
    with connection.cursor() as cursor:  # the query as run, again: how many rows it sends back
        cursor.execute(captured[0]["sql"])
        assert len(cursor.fetchall()) == 2
