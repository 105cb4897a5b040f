"""The two roles from the data migration: an editor edits and drafts, a publisher also publishes."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from reversion.models import Version

from awards.models import Notice
from cases.editorial import EDITOR_GROUP, PUBLISHER_GROUP
from cases.models import Case

from .conftest import form_data

pytestmark = pytest.mark.django_db


def codes(group_name):
    group = Group.objects.get(name=group_name)
    return {
        f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")
    }


def test_roles_exist_with_the_agreed_permissions(library):
    editor, publisher = codes(EDITOR_GROUP), codes(PUBLISHER_GROUP)
    for perm in ("cases.add_case", "cases.change_case", "cases.change_casesection", "cases.add_theme"):
        assert perm in editor
    assert "awards.change_unit" in editor
    assert "cases.publish_case" not in editor
    assert "awards.delete_notice" not in editor
    assert not any(p.startswith("auth.") for p in editor | publisher)
    assert publisher == editor | {"cases.publish_case"}


def action(client, name, cases):
    return client.post(
        reverse("admin:cases_case_changelist"),
        {"action": name, "_selected_action": [c.pk for c in cases], "index": 0},
        follow=True,
    )


def test_editor_cannot_publish_by_action(editor_client):
    case = Case.objects.get(slug="2021-best-02")
    Case.objects.filter(pk=case.pk).update(status=Case.Status.DRAFT)
    response = editor_client.get(reverse("admin:cases_case_changelist"))
    assert "publish_selected" not in response.text
    action(editor_client, "publish_selected", [case])
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFT


def test_editor_cannot_publish_through_the_form(editor_client):
    case = Case.objects.get(slug="2021-best-02")
    Case.objects.filter(pk=case.pk).update(status=Case.Status.DRAFT)
    url = reverse("admin:cases_case_change", args=(case.pk,))
    page = editor_client.get(url)
    assert "status" not in page.context["adminform"].form.fields  # shown read-only
    data = form_data(page)
    data["status"] = "published"  # a forged field is ignored
    data["title"] = case.title + "（编辑稿）"
    response = editor_client.post(url, data)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.title.endswith("（编辑稿）")
    assert case.status == Case.Status.DRAFT


def test_editor_creates_a_draft(editor_client, library):
    page = editor_client.get(reverse("admin:cases_case_add"))
    data = form_data(page)
    tier = library.tiers.get(slug="excellent")
    data.update(
        notice=library.pk,
        tier=tier.pk,
        number=35,
        title="新增的测试案例",
        unit=Case.objects.first().unit_id,
        slug="2021-excellent-35",
        status="published",
    )
    response = editor_client.post(reverse("admin:cases_case_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    case = Case.objects.get(slug="2021-excellent-35")
    assert case.status == Case.Status.DRAFT


def test_editor_cannot_delete_a_notice(editor_client, library):
    url = reverse("admin:awards_notice_delete", args=(library.pk,))
    assert editor_client.get(url).status_code == 403
    assert editor_client.post(url, {"post": "yes"}).status_code == 403
    assert Notice.objects.filter(pk=library.pk).exists()


def test_editor_cannot_open_user_admin(editor_client):
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert editor_client.get(reverse("admin:auth_group_changelist")).status_code == 403
    assert editor_client.get("/admin/axes/accessattempt/").status_code == 403


def test_superuser_manages_users(superuser_client):
    assert superuser_client.get(reverse("admin:auth_user_changelist")).status_code == 200


def test_publisher_publishes_and_unpublishes(publisher_client, publisher):
    case = Case.objects.get(slug="2021-best-03")
    Case.objects.filter(pk=case.pk).update(status=Case.Status.DRAFT)
    response = action(publisher_client, "publish_selected", [case])
    assert "已发布 1 个案例" in response.text
    case.refresh_from_db()
    assert case.status == Case.Status.PUBLISHED
    latest = Version.objects.get_for_object(case).first()
    assert latest.revision.user == publisher
    assert "发布" in latest.revision.comment

    action(publisher_client, "unpublish_selected", [case])
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFT


def test_publisher_can_set_status_in_the_form(publisher_client):
    case = Case.objects.get(slug="2021-best-04")
    url = reverse("admin:cases_case_change", args=(case.pk,))
    data = form_data(publisher_client.get(url))
    data["status"] = "draft"
    assert publisher_client.post(url, data).status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFT
