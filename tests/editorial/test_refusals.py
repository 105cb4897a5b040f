"""A refused write is answered on the page the user submitted, in Chinese, and changes nothing."""

import pytest

from cases.models import Case, Theme

from .browser import post_form
from .steps import change_record, url

pytestmark = pytest.mark.django_db


def test_editor_reordering_themes_in_the_list_is_refused_with_a_message(browsers):
    editor = browsers["editor"]
    theme = Theme.objects.order_by("order", "slug").first()
    listing = editor.get(url("cases_theme_changelist"))
    prefix = next(f.prefix for f in listing.context["cl"].formset.forms if f.instance.pk == theme.pk)
    response = post_form(
        editor,
        listing,
        form_id="changelist-form",
        changes={f"{prefix}-order": theme.order + 5},
        button="_save",
    )
    assert response.status_code == 200
    assert "只有审核发布人员可以添加、修改或删除主题" in response.content.decode()
    theme.refresh_from_db()
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
    assert "删除将作为待审核的修改提交" in page.content.decode()
