"""Every admin page of the project opens for a superuser, in Chinese, without an error."""

import pytest
from django.contrib import admin
from django.urls import reverse

from cases.models import Case
from portal.admin import HistoryAdmin

pytestmark = pytest.mark.django_db

PROJECT_APPS = {"awards", "cases"}


def project_admins():
    return [(m, a) for m, a in admin.site._registry.items() if m._meta.app_label in PROJECT_APPS]


def test_every_project_model_has_an_admin_with_history():
    registered = {m._meta.label for m, _ in project_admins()}
    assert registered == {
        "awards.Notice",
        "awards.AwardTier",
        "awards.Prefecture",
        "awards.Unit",
        "awards.OrganizingAward",
        "cases.Case",
        "cases.CaseSection",
        "cases.Theme",
        "cases.Erratum",
        "cases.Feedback",
    }
    assert all(isinstance(a, HistoryAdmin) for _, a in project_admins())


def test_site_header_is_chinese(superuser_client):
    response = superuser_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "四川省镇村便民服务案例库 管理" in response.text


@pytest.mark.parametrize("view", ["changelist", "add"])
def test_every_changelist_and_add_page_opens(superuser_client, view):
    for model, _ in project_admins():
        opts = model._meta
        response = superuser_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}"))
        assert response.status_code == 200, (model, view)


def test_every_change_and_history_page_opens(superuser_client):
    for model, _ in project_admins():
        opts = model._meta
        obj = model.objects.first()
        if obj is None:
            continue
        for view in ("change", "history"):
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=(obj.pk,))
            assert superuser_client.get(url).status_code == 200, (model, view)


def test_case_list_shows_columns_links_and_filters(superuser_client):
    response = superuser_client.get(reverse("admin:cases_case_changelist"))
    text = response.text
    case = Case.objects.select_related("unit__prefecture").get(slug="2021-best-01")
    assert case.title in text
    # The unit and prefecture cells filter the list (issue 18 item 10); the records are linked from the form.
    listing = reverse("admin:cases_case_changelist")
    assert f"{listing}?unit__id__exact={case.unit_id}" in text
    assert f"{listing}?unit__prefecture__id__exact={case.unit.prefecture_id}" in text
    for heading in ("奖项类别", "获奖单位", "市（州）", "状态", "最后修改", "单位层级", "主题", "县区"):
        assert heading in text
    assert response.context["cl"].result_count == 44


def test_case_change_form_has_sections_themes_and_links(superuser_client):
    case = Case.objects.get(slug="2021-best-01")
    response = superuser_client.get(reverse("admin:cases_case_change", args=(case.pk,)))
    text = response.text
    assert 'name="sections-TOTAL_FORMS"' in text
    assert "selectfilter" in text  # the two-pane theme selector
    assert reverse("admin:awards_notice_change", args=(case.notice_id,)) in text
    assert reverse("admin:cases_case_preview", args=(case.pk,)) in text
    assert 'name="loaded_version"' in text


def test_unit_autocomplete_finds_units(superuser_client):
    response = superuser_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "cases", "model_name": "case", "field_name": "unit", "term": "青白江"},
    )
    assert response.status_code == 200
    assert "青白江区行政审批和营商环境建设局" in response.json()["results"][0]["text"]
