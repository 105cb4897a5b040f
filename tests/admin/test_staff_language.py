"""Every string staff see is Chinese, the admin's JavaScript catalogue included (issue 18 item 8)."""

import pytest

pytestmark = pytest.mark.django_db


def test_theme_selector_strings_are_translated_in_the_javascript_catalogue(editor_client):
    # The catalogue is JavaScript with \\uXXXX escapes; read it as the browser would.
    catalogue = editor_client.get("/admin/jsi18n/").content.decode("unicode_escape")
    for chinese in (
        "全部选择（%s）",
        "全部移除（%s）",
        "选中左侧的%s",
        "选择选中的%s",
        "移除选中的%s",
        "全选",
    ):
        assert chinese in catalogue


def test_delete_confirmation_names_no_model_internals(superuser_client):
    from django.urls import reverse

    from cases.models import Case

    case = Case.objects.filter(themes__isnull=False).first()
    html = superuser_client.get(reverse("admin:cases_case_delete", args=(case.pk,))).content.decode()
    assert "object (" not in html
    assert "relationship" not in html.lower()
    assert case.sections.first().heading in html or "导语" in html  # real parts are still listed


def test_admin_index_and_error_titles_are_chinese(editor_client):
    from django.urls import reverse

    html = editor_client.get(reverse("admin:index")).content.decode()
    for english in ("Model name", "Add link", "Change or view list link"):
        assert english not in html
    case_form = editor_client.post(reverse("admin:cases_case_add"), {}).content.decode()
    assert "<title>Error:" not in case_form and "<title>有错误：" in case_form
