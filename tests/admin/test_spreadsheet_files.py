"""Spreadsheet files as Chinese staff's tools make and read them (issue 17 item 10, issue 18 item 8):
exports named in Chinese, CSV with a BOM, GBK uploads read, control characters never break .xlsx."""

from urllib.parse import unquote

import pytest
import tablib
from django.utils import timezone

from cases.models import Case
from tests.admin.test_import_export import CSV_IMPORT, export, rows_of, upload

pytestmark = pytest.mark.django_db


def exported(client, fmt):
    from django.urls import reverse

    from portal.admin import EXPORT_FORMATS

    url = reverse("admin:cases_case_export")
    form = client.get(url).context["form"]
    data = {n: "on" for n, f in form.fields.items() if getattr(f, "is_selectable_field", False)}
    data["resource"] = "0"
    data["format"] = str(next(i for i, f in enumerate(EXPORT_FORMATS) if f.__name__.lower() == fmt))
    return client.post(url, data)


def test_export_file_is_named_in_chinese_with_the_date(editor_client):
    response = exported(editor_client, "xlsx")
    header = response["Content-Disposition"]
    assert header.startswith("attachment;")
    assert unquote(header.split("''", 1)[1]) == f"案例-{timezone.localdate():%Y-%m-%d}.xlsx"
    assert "Case-" not in header


def test_csv_export_starts_with_a_utf8_byte_order_mark(editor_client):
    content = exported(editor_client, "csv").content
    assert content.startswith(b"\xef\xbb\xbf")
    assert "通报文号" in content.decode("utf-8-sig").splitlines()[0]


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig"])
def test_csv_saved_by_a_chinese_excel_is_read(editor_client, encoding):
    text = export(editor_client, "admin:cases_case_export", fmt="csv").decode("utf-8-sig")
    response = upload(editor_client, text.encode(encoding), name="名单.csv", fmt=CSV_IMPORT)
    assert response.status_code == 200
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == 44


def test_csv_in_an_unknown_encoding_gets_a_chinese_message(editor_client):
    response = upload(editor_client, b"\xff\xfe\x00\xd8\x81" * 50, name="名单.csv", fmt=CSV_IMPORT)
    assert response.status_code == 200
    assert "无法识别 CSV 文件的文字编码" in response.text
    assert "codec" not in response.text and "Traceback" not in response.text


def test_csv_with_missing_columns_gets_a_chinese_message_and_no_traceback(editor_client):
    content = tablib.Dataset(["甲", "乙"], headers=["通报文号", "备注"]).export("csv").encode("gbk")
    response = upload(editor_client, content, name="名单.csv", fmt=CSV_IMPORT)
    assert response.status_code == 200
    assert "表格缺少必需的列" in response.text
    assert "Traceback" not in response.text and "site-packages" not in response.text


def test_xlsx_export_of_stored_control_characters(editor_client):
    # An older row (a direct SQL write, before the text rule) may hold what .xlsx forbids.
    Case.objects.filter(slug="2021-best-01").update(title="便民\x0b服务\x01中心")
    rows = rows_of(exported(editor_client, "xlsx").content)
    assert "便民\n服务中心" in [r[3] for r in rows]


def test_export_page_select_all_works_without_inline_script(editor_client):
    from django.urls import reverse

    html = editor_client.get(reverse("admin:cases_case_export")).text
    assert "onchange=" not in html and "onclick=" not in html
    assert '<input type="checkbox" class="select-toggle" id="select-all-toggle" checked>' in html
    assert '<label class="select-all-label" for="select-all-toggle">全选</label>' in html
    assert "admin_editorial/export.js" in html
    assert "Select all" not in html
