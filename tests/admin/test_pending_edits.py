"""An editor's change to a published case stays off the public site until a publisher publishes it."""

import pytest
from django.urls import reverse
from reversion.models import Version

from cases.editorial import PENDING_MARK
from cases.models import Case, Theme

from .conftest import form_data

pytestmark = pytest.mark.django_db


def test_editor_change_to_a_published_case_waits_for_a_publisher(client, editor, publisher):
    case = Case.objects.get(slug="2021-best-01")
    old_title, old_version = case.title, case.version
    section = case.sections.order_by("order").last()
    old_paragraphs = section.paragraphs
    new_theme = Theme.objects.exclude(cases=case).first()
    url = reverse("admin:cases_case_change", args=(case.pk,))

    client.force_login(editor)
    data = form_data(client.get(url))
    data["title"] = "编辑改过但未审核的标题"
    data["themes"] = [str(new_theme.pk)]
    prefix = next(k for k, v in data.items() if k.endswith("-id") and v == str(section.pk))[: -len("-id")]
    data[f"{prefix}-paragraphs"] = "编辑改写的段落。"
    response = client.post(url, data, follow=True)
    assert "待审核的修改" in response.text

    # Nothing public changed ...
    case.refresh_from_db()
    section.refresh_from_db()
    assert (case.title, case.version, section.paragraphs) == (old_title, old_version, old_paragraphs)
    assert new_theme not in case.themes.all()
    public = client.get(reverse("cases:detail", kwargs={"slug": case.slug}))
    assert old_title in public.text and "编辑改过但未审核的标题" not in public.text

    # ... the change is in the history, complete, under the editor's name.
    pending = Version.objects.get_for_object(case).first()
    assert pending.revision.comment.startswith(PENDING_MARK)
    assert pending.revision.user == editor
    assert pending.field_dict["title"] == "编辑改过但未审核的标题"
    assert pending.field_dict["themes"] == [new_theme.pk]
    section_version = pending.revision.version_set.get(
        object_id=str(section.pk), content_type__model="casesection"
    )
    assert section_version.field_dict["paragraphs"] == ["编辑改写的段落。"]
    assert "等待审核发布" in client.get(url).text
    listed = client.get(reverse("admin:cases_case_changelist"), {"pending": "yes"})
    assert list(listed.context["cl"].result_list) == [case]

    # A publisher reviews the difference and publishes it by saving that version.
    client.force_login(publisher)
    diff = client.get(reverse("admin:cases_case_version_diff", args=(case.pk, pending.pk)))
    assert "编辑改过但未审核的标题" in diff.text
    revision_url = reverse("admin:cases_case_revision", args=(case.pk, pending.pk))
    assert client.post(revision_url, form_data(client.get(revision_url))).status_code == 302
    case.refresh_from_db()
    section.refresh_from_db()
    assert case.title == "编辑改过但未审核的标题"
    assert section.paragraphs == ["编辑改写的段落。"]
    assert list(case.themes.all()) == [new_theme]
    assert case.version > old_version
    assert "编辑改过但未审核的标题" in client.get(reverse("cases:detail", kwargs={"slug": case.slug})).text
    listed = client.get(reverse("admin:cases_case_changelist"), {"pending": "yes"})
    assert list(listed.context["cl"].result_list) == []


def test_publisher_changes_to_a_published_case_go_live(publisher_client):
    case = Case.objects.get(slug="2021-best-01")
    url = reverse("admin:cases_case_change", args=(case.pk,))
    data = form_data(publisher_client.get(url))
    data["title"] = "审核发布人员直接修改的标题"
    assert publisher_client.post(url, data).status_code == 302
    case.refresh_from_db()
    assert case.title == "审核发布人员直接修改的标题"
