"""A refused write is answered on the page the user submitted, in Chinese, and changes nothing."""

import pytest

from cases.models import Case, Theme

from .steps import change_record, url

pytestmark = pytest.mark.django_db


def test_editor_reordering_themes_in_the_list_is_refused(browsers):
    # Editors are not offered the 显示顺序 inputs (themes are the publishers'); a crafted post of the
    # publisher's list form changes nothing.
    editor, publisher = browsers["editor"], browsers["publisher"]
    theme = Theme.objects.order_by("order", "slug").first()
    listing = editor.get(url("cases_theme_changelist"))
    assert listing.status_code == 200 and listing.context["cl"].formset is None
    offered = publisher.get(url("cases_theme_changelist"))
    forms = offered.context["cl"].formset.forms
    prefix = next(f.prefix for f in forms if f.instance.pk == theme.pk)
    token = str(listing.context["csrf_token"])  # the editor's own page's token, as a forged form would carry
    data = {
        "csrfmiddlewaretoken": token,
        "form-TOTAL_FORMS": str(len(forms)),
        "form-INITIAL_FORMS": str(len(forms)),
        "_save": "保存",
    }
    for form in forms:
        data[f"{form.prefix}-id"] = str(form.instance.pk)
        data[f"{form.prefix}-order"] = str(form.instance.order)
    data[f"{prefix}-order"] = str(theme.order + 5)
    response = editor.post(url("cases_theme_changelist"), data)
    assert response.status_code in (200, 302)  # past the CSRF check: the refusal is the admin's
    assert Theme.objects.get(pk=theme.pk).order == theme.order


def test_editor_changing_a_public_unit_is_told_to_ask_a_publisher(browsers):
    unit = Case.objects.published().first().unit
    response = change_record(browsers["editor"], unit, {"county": "编辑改的县区"})
    assert response.status_code == 200
    assert "单位信息只有审核发布人员可以修改" in response.content.decode()
    unit.refresh_from_db()
    assert unit.county != "编辑改的县区"


def test_editor_delete_of_a_published_section_says_it_will_be_held_before_confirming(browsers):
    section = Case.objects.get(slug="2021-best-01").sections.first()
    page = browsers["editor"].get(url("cases_casesection_delete", section.pk))
    assert page.status_code == 200
    assert "确认后不会直接删除，而是作为“待审核的修改”提交" in page.content.decode()
