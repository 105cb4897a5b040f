"""An editor's change to a published case stays off the public site until a publisher publishes it."""

import pytest
from django.urls import reverse
from reversion.models import Version

from cases.models import Case, CaseChange, Theme

from .conftest import form_data

pytestmark = pytest.mark.django_db


def inline_prefix(data, pk):
    return next(k for k, v in data.items() if k.endswith("-id") and v == str(pk))[: -len("-id")]


def test_editor_change_to_a_published_case_waits_for_a_publisher(client, editor, publisher):
    case = Case.objects.get(slug="2021-best-01")
    old_title, old_version = case.title, case.version
    section = case.sections.order_by("order").last()
    old_paragraphs, old_count = section.paragraphs, case.sections.count()
    new_theme = Theme.objects.exclude(cases=case).first()
    url = reverse("admin:cases_case_change", args=(case.pk,))

    client.force_login(editor)
    data = form_data(client.get(url))
    data["title"] = "编辑改过但未审核的标题"
    data["themes"] = [str(new_theme.pk)]
    data[f"{inline_prefix(data, section.pk)}-paragraphs"] = "编辑改写的段落。"
    # A new section too: held changes carry added sections, not only edited ones.
    total = int(data["sections-TOTAL_FORMS"])
    data["sections-TOTAL_FORMS"] = str(total + 1)
    data.update({f"sections-{total}-order": "99", f"sections-{total}-heading": "新增的章节"})
    data[f"sections-{total}-paragraphs"] = "新增章节的段落。"
    response = client.post(url, data, follow=True)
    assert "待审核的修改" in response.text

    # Nothing public changed ...
    case.refresh_from_db()
    section.refresh_from_db()
    assert (case.title, case.version, section.paragraphs) == (old_title, old_version, old_paragraphs)
    assert case.sections.count() == old_count
    assert new_theme not in case.themes.all()
    public = client.get(reverse("cases:detail", kwargs={"slug": case.slug}))
    assert old_title in public.text and "编辑改过但未审核的标题" not in public.text

    # ... the change is held, complete, under the editor's name.
    held = CaseChange.objects.get(case=case, state=CaseChange.State.PENDING)
    assert held.submitted_by == editor
    assert held.payload["fields"]["title"] == "编辑改过但未审核的标题"
    assert held.payload["themes"] == [new_theme.pk]
    by_id = {s["id"]: s for s in held.payload["sections"]}
    assert by_id[section.pk]["paragraphs"] == ["编辑改写的段落。"]
    assert by_id[None]["heading"] == "新增的章节"
    assert "待审核的修改" in client.get(url).text
    listed = client.get(reverse("admin:cases_case_changelist"), {"pending": "yes"})
    assert list(listed.context["cl"].result_list) == [case]

    # A publisher finds it from the case page, reads it and publishes it.
    client.force_login(publisher)
    detail_url = reverse("admin:cases_case_change_detail", args=(case.pk, held.pk))
    assert detail_url in client.get(url).text
    detail = client.get(detail_url)
    assert "编辑改过但未审核的标题" in detail.text and "新增的章节" in detail.text
    assert client.post(detail_url, {"decision": "publish"}).status_code == 302
    case.refresh_from_db()
    section.refresh_from_db()
    assert case.title == "编辑改过但未审核的标题"
    assert section.paragraphs == ["编辑改写的段落。"]
    assert case.sections.filter(heading="新增的章节").exists()
    assert list(case.themes.all()) == [new_theme]
    assert case.version > old_version
    assert "编辑改过但未审核的标题" in client.get(reverse("cases:detail", kwargs={"slug": case.slug})).text
    # Recorded under its own name, never as a revert; the marker is gone only now.
    latest = Version.objects.get_for_object(case).first()
    assert latest.revision.comment.startswith(f"发布待审核的修改 #{held.pk}")
    assert latest.revision.user == publisher
    held.refresh_from_db()
    assert held.state == CaseChange.State.PUBLISHED and held.decided_by == publisher
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
    assert not CaseChange.objects.exists()


def test_a_section_edited_on_its_own_page_is_held_too(editor_client):
    section = Case.objects.get(slug="2021-best-01").sections.order_by("order").last()
    url = reverse("admin:cases_casesection_change", args=(section.pk,))
    data = form_data(editor_client.get(url))
    data["heading"] = "绕过审核的标题"
    response = editor_client.post(url, data, follow=True)
    assert "待审核的修改" in response.text
    section.refresh_from_db()
    assert section.heading != "绕过审核的标题"
    held = CaseChange.objects.get(state=CaseChange.State.PENDING)
    assert {s["heading"] for s in held.payload["sections"]} >= {"绕过审核的标题"}


def test_list_editable_changes_are_recorded(superuser_client):
    theme = Theme.objects.order_by("order", "slug").first()
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
