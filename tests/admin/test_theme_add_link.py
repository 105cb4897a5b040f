"""Themes are the publishers' (issue 18): an editor, who could never save a new theme, is not
offered one: no add link on the admin index, no add button on the theme list, no + beside the
theme selector of a case. A publisher still has all three."""

import pytest
from django.urls import reverse

from cases.models import Case

pytestmark = pytest.mark.django_db

THEME_ADD = reverse("admin:cases_theme_add")


def theme_add_offers(client) -> dict[str, bool]:
    case = Case.objects.get(slug="2021-best-02")
    pages = {
        "admin index": reverse("admin:index"),
        "cases app index": reverse("admin:app_list", args=("cases",)),
        "theme list": reverse("admin:cases_theme_changelist"),
        "case form": reverse("admin:cases_case_change", args=(case.pk,)),
        "new case form": reverse("admin:cases_case_add"),
    }
    offers = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        offers[name] = THEME_ADD in response.text or 'id="add_id_themes"' in response.text
    return offers


def test_an_editor_is_offered_no_new_theme_anywhere(editor_client):
    assert not any(theme_add_offers(editor_client).values()), theme_add_offers(editor_client)
    assert editor_client.get(THEME_ADD).status_code == 403


def test_a_publisher_is_offered_a_new_theme_everywhere(publisher_client):
    assert all(theme_add_offers(publisher_client).values()), theme_add_offers(publisher_client)
