"""Two editors, one case: the save based on an old version is refused and both versions are kept."""

import pytest
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from cases.models import Case, CaseChange

from .conftest import form_data

pytestmark = pytest.mark.django_db


def test_a_stale_save_is_refused_and_both_versions_are_kept(editor, publisher):
    case = Case.objects.get(slug="2021-best-09")
    case.status = Case.Status.DRAFT  # an editor's edits to a draft are saved directly
    case.save()
    url = reverse("admin:cases_case_change", args=(case.pk,))
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(publisher)
    first_data = form_data(first.get(url))
    second_data = form_data(second.get(url))  # both opened the same version

    first_data["title"] = "甲的修改"
    assert first.post(url, first_data).status_code == 302

    second_data["title"] = "乙的修改"
    second_data["summary"] = "乙写的导语"
    response = second.post(url, second_data)
    assert response.status_code == 200
    assert "未保存" in response.text and "editor" in response.text
    # The refused values are still in the form ...
    assert response.context["adminform"].form["title"].value() == "乙的修改"
    # ... the database keeps the first save ...
    case.refresh_from_db()
    assert case.title == "甲的修改"
    assert case.summary != "乙写的导语"
    # ... and the refused one is kept in the case's history.
    kept = CaseChange.objects.get(case=case, state=CaseChange.State.CONFLICT)
    assert "编辑冲突" in kept.summary
    assert kept.submitted_by == publisher
    assert kept.payload["fields"]["title"] == "乙的修改"
    assert kept.payload["fields"]["summary"] == "乙写的导语"
    assert "编辑冲突" in second.get(reverse("admin:cases_case_history", args=(case.pk,))).text

    # Submitting the same stale form again is refused again; reloading gives a fresh version.
    assert second.post(url, second_data).status_code == 200
    fresh = form_data(second.get(url))
    fresh["title"] = "乙合并后的修改"
    assert second.post(url, fresh).status_code == 302
    case.refresh_from_db()
    assert case.title == "乙合并后的修改"


def test_version_rises_with_every_save(publisher_client):
    case = Case.objects.get(slug="2021-best-09")
    before = case.version
    url = reverse("admin:cases_case_change", args=(case.pk,))
    data = form_data(publisher_client.get(url))
    data["page"] = "7"
    assert publisher_client.post(url, data).status_code == 302
    case.refresh_from_db()
    assert case.version == before + 1


def test_units_are_locked_the_same_way(superuser, publisher):
    from awards.models import Unit

    unit = Unit.objects.get(name="成都市青白江区行政审批和营商环境建设局")
    url = reverse("admin:awards_unit_change", args=(unit.pk,))
    first, second = Client(), Client()
    first.force_login(superuser)
    second.force_login(publisher)
    first_data, second_data = form_data(first.get(url)), form_data(second.get(url))
    first_data["township"] = "甲填的乡镇"
    assert first.post(url, first_data).status_code == 302
    second_data["township"] = "乙填的乡镇"
    response = second.post(url, second_data)
    assert response.status_code == 200
    assert "这个单位的新版本" in response.text
    unit.refresh_from_db()
    assert unit.township == "甲填的乡镇"
    assert Version.objects.get_for_object(unit).first().field_dict["township"] == "乙填的乡镇"
