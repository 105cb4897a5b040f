"""Bad input in admin forms gets a Chinese message, changes nothing and never a 500."""

import pytest
from django.urls import reverse

from awards.models import Prefecture, Unit
from cases.models import Case

from .conftest import form_data

pytestmark = pytest.mark.django_db


def post_change(client, obj, **values):
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=(obj.pk,))
    data = form_data(client.get(url))
    data.update(values)
    return client.post(url, data)


def errors_of(response):
    assert response.status_code == 200
    form = response.context["adminform"].form
    return " ".join(str(e) for errs in form.errors.values() for e in errs)


def test_duplicate_tier_number_is_refused(editor_client):
    case = Case.objects.get(slug="2021-best-02")
    response = post_change(editor_client, case, number="1")
    assert "附件中的序号 1 已被使用" in errors_of(response)
    case.refresh_from_db()
    assert case.number == 2


def test_empty_title_is_refused(editor_client):
    case = Case.objects.get(slug="2021-best-02")
    for title in ("", "   "):
        response = post_change(editor_client, case, title=title)
        assert "必填" in errors_of(response) or "不能为空" in errors_of(response)
    case.refresh_from_db()
    assert case.title


def test_unknown_prefecture_code_is_refused(superuser_client):
    response = superuser_client.post(
        reverse("admin:awards_prefecture_add"),
        {
            "code": "123456",
            "name": "测试州",
            "full_name": "测试自治州",
            "short_name": "测",
            "kind": "city",
            "order": "0",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not Prefecture.objects.filter(code="123456").exists()


def test_unit_with_an_unknown_prefecture_is_refused(editor_client):
    unit = Unit.objects.get(name="成都市青白江区行政审批和营商环境建设局")
    response = post_change(editor_client, unit, prefecture="999999")
    assert "选择一个有效的选项" in errors_of(response)
    unit.refresh_from_db()
    assert unit.prefecture.code == "510100"


@pytest.mark.parametrize(
    "values",
    [
        {"number": "abc"},
        {"number": "-3"},
        {"page": "很多"},
        {"unit": "abc"},
        {"tier": "999999"},
        {"themes": ["x"]},
        {"loaded_version": "not-a-number"},
        {"title": "长" * 1000},
        {"slug": "带 空格 的 标识"},
        {"sections-TOTAL_FORMS": "abc"},
    ],
)
def test_garbage_never_gives_a_500(editor_client, values):
    case = Case.objects.get(slug="2021-best-02")
    before = (case.title, case.number, case.version)
    response = post_change(editor_client, case, **values)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert "请更正下列错误" in response.text or "errornote" in response.text
    case.refresh_from_db()
    if response.status_code == 200:
        assert (case.title, case.number, case.version) == before


def test_unknown_ids_and_versions_are_not_errors(editor_client):
    assert editor_client.get(reverse("admin:cases_case_change", args=(999999,))).status_code == 302
    assert editor_client.get(reverse("admin:cases_case_revision", args=(1, 999999))).status_code == 404
    assert editor_client.get(reverse("admin:cases_case_version_diff", args=(1, 999999))).status_code == 404
    assert editor_client.get(reverse("admin:cases_case_history", args=("abc",))).status_code in (
        200,
        302,
        404,
    )
