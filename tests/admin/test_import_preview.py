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
