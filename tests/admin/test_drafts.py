"""A draft is not on the public site; staff preview it from the admin."""

import pytest
from django.urls import reverse

from cases.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(library):
    case = Case.objects.get(slug="2021-best-05")
    case.status = Case.Status.DRAFT
    case.save()
    return case


def test_draft_is_not_published(draft):
    assert draft not in Case.objects.published()
    assert Case.objects.published().count() == 43


def test_draft_is_invisible_on_the_public_site(client, draft):
    assert client.get(reverse("cases:detail", kwargs={"slug": draft.slug})).status_code == 404
    for name in ("cases:list", "cases:home"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert draft.title not in response.text
    visible = Case.objects.published().exclude(pk=draft.pk).first()
    assert visible.title in client.get(reverse("cases:list")).text


def test_staff_preview_a_draft(editor_client, draft):
    response = editor_client.get(reverse("admin:cases_case_preview", args=(draft.pk,)))
    assert response.status_code == 200
    assert draft.title in response.text
    assert "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]


def test_view_on_site_of_a_draft_opens_the_preview(editor_client, draft):
    page = editor_client.get(reverse("admin:cases_case_change", args=(draft.pk,)))
    assert reverse("admin:cases_case_preview", args=(draft.pk,)) in page.text


def test_preview_is_staff_only(client, draft):
    response = client.get(reverse("admin:cases_case_preview", args=(draft.pk,)))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_preview_of_a_missing_case_is_404(editor_client):
    assert editor_client.get(reverse("admin:cases_case_preview", args=(999999,))).status_code == 404


def test_a_case_unpublished_in_the_admin_leaves_the_api(publisher_client, library):
    """Through the admin, not the ORM: the publisher withdraws a case and the API stops showing it."""
    from django.test import Client

    client = Client()  # an anonymous reader (publisher_client is logged in)
    case = Case.objects.get(slug="2021-best-05")
    assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 200
    response = publisher_client.post(
        reverse("admin:cases_case_changelist"),
        {"action": "unpublish_selected", "_selected_action": [case.pk]},
        follow=True,
    )
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFT
    assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 404
    listed = client.get("/api/v1/cases/?page_size=100").json()
    assert listed["count"] == 43 and case.pk not in [c["id"] for c in listed["results"]]
    assert case.title not in client.get("/api/v1/data/library.csv").content.decode("utf-8-sig")
