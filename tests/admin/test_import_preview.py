"""The import preview says what an import will do (issue 18 item 10): a summary, only the rows
that change, no column shown as imported that the import does not write."""

import pytest

from cases.models import Case
from tests.admin.test_import_export import export, rows_of, upload

pytestmark = pytest.mark.django_db


def changed_export(client, slug="2021-best-02", **cells):
    import tablib

    rows = rows_of(export(client, "admin:cases_case_export"))
    header = rows[0]
    case = Case.objects.get(slug=slug)
    for row in rows[1:]:
        if row[3] == case.title:
            for column, value in cells.items():
                row[header.index(column)] = value
    return tablib.Dataset(*rows[1:], headers=header).export("xlsx"), case


def test_preview_summarises_and_lists_only_changed_rows(editor_client):
    content, case = changed_export(editor_client, 标题="导入修改的标题", 状态="", 县区="", 层级="")
    response = upload(editor_client, content)
    html = response.content.decode()
    summary = html.split('id="import-summary"', 1)[1].split("</div>", 1)[0]
    assert "新增：0 个案例" in summary
    assert "修改：1 个案例，其中 1 个已发布：修改将提交审核" in summary
    assert "无变化：43 行" in summary
    table = html.split("将导入的行", 1)[1].split("</table>", 1)[0]
    assert table.count("<tr") == 2  # the header and the one changed row
    headers = response.context["result"].diff_headers
    assert "状态" not in headers and "县区" not in headers and "层级" not in headers
    assert "标题" in headers


def test_publisher_preview_says_updates_to_published_cases_would_be_held_for_editors(publisher_client):
    content, _ = changed_export(publisher_client, 标题="审核人员导入的标题")
    html = upload(publisher_client, content).content.decode()
    assert "修改：1 个案例" in html and "由案例编辑导入时将提交审核" in html


def test_a_held_rows_preview_shows_the_imported_themes_and_the_result_says_submitted(editor_client):
    from cases.models import CaseChange, Theme
    from tests.admin.test_import_export import confirm

    case = Case.objects.get(slug="2021-best-02")
    theme = Theme.objects.exclude(cases=case).first()
    content, _ = changed_export(editor_client, 主题=theme.name)
    response = upload(editor_client, content)
    table = response.content.decode().split("将导入的行", 1)[1].split("</table>", 1)[0]
    assert theme.name in table
    done = confirm(editor_client, response)
    messages = " ".join(str(m) for m in editor_client.get(done["Location"]).context["messages"])
    assert "已提交审核 1 条" in messages and "忽略" not in messages and "skipped" not in messages
    change = CaseChange.objects.get(case=case, state=CaseChange.State.PENDING)
    assert change.payload["themes"] == [theme.pk]
