"""The public search follows admin edits at once (the index is updated in the same transaction)."""

import pytest
from django.urls import reverse

from cases.models import Case
from cases.search import apply_search

from .conftest import form_data

pytestmark = pytest.mark.django_db

NEW_WORD = "鹦鹉螺号"  # in no case of the library


def test_title_changed_in_admin_is_found_by_search(publisher_client):
    assert not apply_search(Case.objects.all(), NEW_WORD).queryset.exists()
    case = Case.objects.get(slug="2021-best-10")
    url = reverse("admin:cases_case_change", args=(case.pk,))
    data = form_data(publisher_client.get(url))
    data["title"] = f"{NEW_WORD}便民服务驿站"
    assert publisher_client.post(url, data).status_code == 302
    found = apply_search(Case.objects.all(), NEW_WORD).queryset
    assert list(found.values_list("pk", flat=True)) == [case.pk]


def test_admin_search_uses_the_project_search(editor_client):
    case = Case.objects.get(slug="2021-best-01")
    response = editor_client.get(reverse("admin:cases_case_changelist"), {"q": case.unit.name})
    assert response.status_code == 200
    results = list(response.context["cl"].result_list)
    assert case in results
    # Same answer as the public search for the same words.
    expected = set(apply_search(Case.objects.all(), case.unit.name).queryset.values_list("pk", flat=True))
    assert {c.pk for c in results} == expected
