"""Every admin change is recorded (who, when, what), shown field by field, and can be reverted;
a deleted case comes back with its sections."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from reversion.models import Version

from awards.models import Prefecture, Unit
from cases.models import Case, CaseSection, Theme

from .conftest import form_data

pytestmark = pytest.mark.django_db


def change(client, obj, **values):
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=(obj.pk,))
    data = form_data(client.get(url))
    data.update(values)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def test_a_case_edit_records_who_when_what(publisher_client, publisher):
    case = Case.objects.get(slug="2021-best-01")
    old_title = case.title
    change(publisher_client, case, title="改过的标题")
    version = Version.objects.get_for_object(case).first()
    assert version.revision.user == publisher
    assert version.revision.date_created is not None
    assert "案例标题" in version.revision.get_comment()  # Django's change message names the field
    assert version.field_dict["title"] == "改过的标题"
    # The sections were saved in the same revision, so a revert restores the whole case.
    assert (
        version.revision.version_set.filter(
            content_type=ContentType.objects.get_for_model(CaseSection)
        ).count()
        == case.sections.count()
    )
    history = publisher_client.get(reverse("admin:cases_case_history", args=(case.pk,)))
    assert "publisher" in history.text and "查看差异" in history.text
    assert old_title != "改过的标题"


@pytest.mark.parametrize(
    ("model", "field", "value"),
    [
        (Unit, "county", "新县区"),
        (Theme, "description", "新的说明"),
        (Prefecture, "short_name", "测试简称"),
    ],
)
def test_other_models_are_recorded_too(superuser_client, model, field, value):
    obj = model.objects.first()
    if obj is None:
        obj = Theme.objects.create(slug="test", name="测试主题")
    change(superuser_client, obj, **{field: value})
    version = Version.objects.get_for_object(obj).first()
    assert version.field_dict[field] == value


def test_section_edit_through_the_case_form_is_recorded(publisher_client):
    case = Case.objects.get(slug="2021-best-01")
    section = case.sections.order_by("order").last()
    url = reverse("admin:cases_case_change", args=(case.pk,))
    data = form_data(publisher_client.get(url))
    prefix = next(k for k, v in data.items() if k.endswith("-id") and v == str(section.pk))[: -len("-id")]
    data[f"{prefix}-heading"] = "改过的章节标题"
    data[f"{prefix}-paragraphs"] = "第一段。\n\n第二段。"
    assert publisher_client.post(url, data).status_code == 302
    section.refresh_from_db()
    assert section.heading == "改过的章节标题"
    assert section.paragraphs == ["第一段。", "第二段。"]
    assert Version.objects.get_for_object(section).first().field_dict["heading"] == "改过的章节标题"


def test_diff_view_shows_old_and_new_values_field_by_field(publisher_client):
    case = Case.objects.get(slug="2021-best-01")
    change(publisher_client, case, title="第一次修改")
    change(publisher_client, case, title="第二次修改", page="99")
    version = Version.objects.get_for_object(case).first()
    response = publisher_client.get(reverse("admin:cases_case_version_diff", args=(case.pk, version.pk)))
    assert response.status_code == 200
    changed = {c.label: (c.old, c.new) for c in response.context["changes"] if c.changed}
    assert changed["案例标题"] == ("第一次修改", "第二次修改")
    assert changed["汇编页码"][1] == "99"
    assert "通报" not in changed
    # Only the changed character is marked (issue 18 item 6).
    assert "第<del>一</del>次修改" in response.text and "第<ins>二</ins>次修改" in response.text


def test_revert_restores_the_old_values(publisher_client):
    case = Case.objects.get(slug="2021-best-01")
    original = case.title
    change(publisher_client, case, title="第一次修改")
    first = Version.objects.get_for_object(case).first()
    change(publisher_client, case, title="第二次修改")
    case.refresh_from_db()
    version_before_revert = case.version
    url = reverse("admin:cases_case_revision", args=(case.pk, first.pk))
    page = publisher_client.get(url)
    assert page.status_code == 200
    assert "第一次修改" in page.text and "恢复到此版本" in page.text  # what would change, before it does
    case.refresh_from_db()
    assert case.title == "第二次修改"  # looking at an old version changes nothing
    response = publisher_client.post(url, {"loaded_version": case.version})  # as the page carries it
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.title == "第一次修改"
    assert case.version > version_before_revert  # forms opened before the revert are now stale
    assert Version.objects.get_for_object(case).first().revision.get_comment().startswith("恢复到")
    assert original != case.title


def test_deleting_a_case_keeps_its_history_and_can_be_undone(superuser_client, superuser):
    case = Case.objects.get(slug="2021-best-06")
    sections = list(case.sections.order_by("order").values_list("heading", "paragraphs"))
    themes = set(case.themes.values_list("pk", flat=True))
    assert sections
    response = superuser_client.post(reverse("admin:cases_case_delete", args=(case.pk,)), {"post": "yes"})
    assert response.status_code == 302
    assert not Case.objects.filter(slug="2021-best-06").exists()
    assert not CaseSection.objects.filter(case_id=case.pk).exists()

    deleted = Version.objects.get_deleted(Case)
    assert deleted.count() == 1
    version = deleted.first()
    assert version.revision.user == superuser and "删除" in version.revision.comment
    recover_list = superuser_client.get(reverse("admin:cases_case_recoverlist"))
    assert case.title in recover_list.text

    url = reverse("admin:cases_case_recover", args=(version.pk,))
    page = superuser_client.get(url)
    assert page.status_code == 200
    assert not Case.objects.filter(slug="2021-best-06").exists()
    assert superuser_client.post(url).status_code == 302
    restored = Case.objects.get(slug="2021-best-06")
    assert restored.pk == case.pk
    assert list(restored.sections.order_by("order").values_list("heading", "paragraphs")) == sections
    assert set(restored.themes.values_list("pk", flat=True)) == themes


def test_bulk_delete_action_can_be_undone_too(superuser_client):
    cases = list(Case.objects.filter(slug__in=["2021-best-07", "2021-best-08"]))
    response = superuser_client.post(
        reverse("admin:cases_case_changelist"),
        {"action": "delete_selected", "_selected_action": [c.pk for c in cases], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Case.objects.filter(pk__in=[c.pk for c in cases]).exists()
    assert {v.object_id for v in Version.objects.get_deleted(Case)} == {str(c.pk) for c in cases}


def test_theme_changes_are_recorded_shown_and_reverted(publisher_client):
    case = Case.objects.get(slug="2021-best-01")
    original = sorted(case.themes.values_list("pk", flat=True))
    change(publisher_client, case, page="5")  # a version with the original themes
    first = Version.objects.get_for_object(case).first()
    other = Theme.objects.exclude(pk__in=original).first()
    change(publisher_client, case, themes=[str(other.pk)])
    assert list(case.themes.values_list("pk", flat=True)) == [other.pk]
    latest = Version.objects.get_for_object(case).first()
    response = publisher_client.get(reverse("admin:cases_case_version_diff", args=(case.pk, latest.pk)))
    changed = {c.label: (c.old, c.new) for c in response.context["changes"] if c.changed}
    assert changed["主题"][1] == other.name
    url = reverse("admin:cases_case_revision", args=(case.pk, first.pk))
    loaded = Case.objects.get(pk=case.pk).version
    assert publisher_client.post(url, {"loaded_version": loaded}).status_code == 302
    assert sorted(case.themes.values_list("pk", flat=True)) == original


def test_diff_of_paragraphs_shows_only_the_changed_paragraphs(publisher_client):
    case = Case.objects.get(slug="2021-best-01")
    section = max(case.sections.all(), key=lambda s: len(s.paragraphs))
    assert len(section.paragraphs) >= 2
    change(publisher_client, case, page="3")
    url = reverse("admin:cases_case_change", args=(case.pk,))
    data = form_data(publisher_client.get(url))
    prefix = next(k for k, v in data.items() if k.endswith("-id") and v == str(section.pk))[: -len("-id")]
    data[f"{prefix}-paragraphs"] = "\n".join(["改写的第一段。", *section.paragraphs[1:]])
    assert publisher_client.post(url, data).status_code == 302
    version = Version.objects.get_for_object(case).first()
    response = publisher_client.get(reverse("admin:cases_case_version_diff", args=(case.pk, version.pk)))
    (item,) = response.context["related"]
    (paragraphs,) = [c for c in item["changes"] if c.label == "段落"]
    assert paragraphs.old_items == [section.paragraphs[0]]
    assert paragraphs.new_items == ["改写的第一段。"]
    assert paragraphs.unchanged_items == len(section.paragraphs) - 1
    assert f"其余 {len(section.paragraphs) - 1} 项未变" in response.text
