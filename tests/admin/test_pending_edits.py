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


def test_sections_of_a_published_case_cannot_be_edited_around_the_review(editor_client):
    section = Case.objects.get(slug="2021-best-01").sections.order_by("order").last()
    url = reverse("admin:cases_casesection_change", args=(section.pk,))
    data = form_data(editor_client.get(url))
    data["heading"] = "绕过审核的标题"
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "这个案例已发布" in response.text
    section.refresh_from_db()
    assert section.heading != "绕过审核的标题"


def test_list_editable_changes_are_recorded(superuser_client):
    theme = Theme.objects.order_by("order", "slug").first()
    if theme is None:
        theme = Theme.objects.create(slug="t", name="测试主题")
    page = superuser_client.get(reverse("admin:cases_theme_changelist"))
    formset = page.context["cl"].formset
    data = {"action": "", "_save": "保存", "index": "0"}
    for name in formset.management_form.fields:
        data[f"form-{name}"] = formset.management_form[name].value()
    for form in formset.forms:
        data[form.add_prefix("id")] = str(form.instance.pk)
        data[form.add_prefix("order")] = str(form.instance.order + (7 if form.instance.pk == theme.pk else 0))
    assert superuser_client.post(reverse("admin:cases_theme_changelist"), data).status_code == 302
    theme.refresh_from_db()
    assert Version.objects.get_for_object(theme).first().field_dict["order"] == theme.order
