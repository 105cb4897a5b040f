"""The 差异 page shows what changed and nothing else (issue 18 items 1 and 6): only changed fields,
no id or version number, the changed characters marked inside a paragraph, and a loaded case's
first edit compared with its initial version."""

import re

import pytest
from reversion.models import Version

from cases.models import Case
from portal.admin.diff import inline_marks
from tests.editorial.steps import change_case, url

pytestmark = pytest.mark.django_db


def test_inline_marks_mark_only_the_changed_characters():
    old, new = inline_marks("便民服务中新建设", "便民服务中心建设")
    assert str(old) == "便民服务中<del>新</del>建设"
    assert str(new) == "便民服务中<ins>心</ins>建设"
    old, new = inline_marks("<b>", "<i>")
    assert "<b>" not in old and "&lt;" in old


def test_a_one_character_fix_shows_one_field_with_the_character_marked(superuser_client):
    case = Case.objects.get(slug="2021-best-02")
    section = max(case.sections.all(), key=lambda s: len(s.paragraphs))
    paragraphs = list(section.paragraphs)
    fixed = paragraphs[0][:5] + "■" + paragraphs[0][6:]

    def edit(page):
        from tests.editorial.steps import inline_prefix

        return {f"{inline_prefix(page, section.pk)}-paragraphs": "\n".join([fixed, *paragraphs[1:]])}

    change_case(superuser_client, case, edit=edit)
    version = Version.objects.get_for_object(case).order_by("-pk").first()
    html = superuser_client.get(url("cases_case_version_diff", case.pk, version.pk)).content.decode()
    assert "这是本条记录最早的版本" not in html
    assert "<ins>■</ins>" in html
    assert f"<del>{paragraphs[0][5]}</del>" in html
    body = html.split('id="content-main"', 1)[1]
    assert "版本号" not in body and ">ID<" not in body
    assert "案例标题" not in body  # unchanged fields are not listed
    assert len(re.findall(r'<tr class="diff-changed">', body)) == 1
    assert f"其余 {len(paragraphs) - 1} 项未变" in body  # unchanged paragraphs counted, not listed


def test_the_initial_version_of_a_loaded_case_is_the_starting_point(superuser_client):
    case = Case.objects.get(slug="2021-best-03")
    first = Version.objects.get_for_object(case).order_by("pk").first()
    html = superuser_client.get(url("cases_case_version_diff", case.pk, first.pk)).content.decode()
    assert "初始版本（从通报数据载入）" in html
    assert "对比起点" in html
