"""Excel/CSV export of the filtered list, previewed all-or-nothing import, formula escaping."""

import io

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from awards.models import Unit
from cases.editorial.resources import CaseResource
from cases.models import Case
from portal.admin import EXPORT_FORMATS, IMPORT_FORMATS

pytestmark = pytest.mark.django_db

XLSX_IMPORT = str(next(i for i, f in enumerate(IMPORT_FORMATS) if f.__name__ == "XLSX"))
CSV_IMPORT = str(next(i for i, f in enumerate(IMPORT_FORMATS) if f.__name__ == "CSV"))


def export(client, admin_url_name, query="", fmt="xlsx"):
    url = reverse(admin_url_name) + (f"?{query}" if query else "")
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: "on" for name, field in form.fields.items() if getattr(field, "is_selectable_field", False)}
    data["resource"] = "0"
    data["format"] = str(next(i for i, f in enumerate(EXPORT_FORMATS) if f.__name__.lower() == fmt))
    response = client.post(url, data)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f".{fmt}")
    return response.content


def rows_of(xlsx_bytes):
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes)).active
    return [[cell.value for cell in row] for row in sheet.rows]


def snapshot():
    return [
        (
            c.notice_id,
            c.tier_id,
            c.number,
            c.title,
            c.unit_id,
            c.page,
            c.status,
            sorted(t.pk for t in c.themes.all()),
        )
        for c in Case.objects.order_by("pk").prefetch_related("themes")
    ] + [
        tuple(u)
        for u in Unit.objects.order_by("pk").values_list("pk", "name", "prefecture_id", "county", "level")
    ]


def upload(client, content, name="cases.xlsx", fmt=XLSX_IMPORT):
    return client.post(
        reverse("admin:cases_case_import"),
        {"resource": "0", "format": fmt, "import_file": SimpleUploadedFile(name, content)},
    )


def confirm(client, response):
    form = response.context["confirm_form"]
    data = {name: form[name].value() for name in form.fields}
    return client.post(reverse("admin:cases_case_process_import"), data)


def test_export_of_the_filtered_list(editor_client, library):
    tier = library.tiers.get(slug="best")
    rows = rows_of(export(editor_client, "admin:cases_case_export", f"tier__id__exact={tier.pk}"))
    header, body = rows[0], rows[1:]
    assert header[:5] == ["通报文号", "奖项类别", "序号", "标题", "单位"]
    assert len(body) == 10
    assert {r[1] for r in body} == {"最佳案例"}
    assert body[0][3] == Case.objects.get(slug="2021-best-01").title


def test_export_csv_and_organizing_awards(editor_client, library):
    text = export(editor_client, "admin:cases_case_export", fmt="csv").decode("utf-8-sig")
    assert len(tablib.Dataset().load(text, format="csv")) == 44
    awards = rows_of(export(editor_client, "admin:awards_organizingaward_export"))
    assert awards[0][:3] == ["通报文号", "序号", "单位"]
    assert len(awards) - 1 == library.organizing_awards.count() == 12


def test_export_round_trips_through_import_unchanged(editor_client):
    before = snapshot()
    content = export(editor_client, "admin:cases_case_export")
    preview = upload(editor_client, content)
    assert preview.status_code == 200
    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == 44 and result.totals["new"] == 0 and result.totals["update"] == 0
    assert confirm(editor_client, preview).status_code == 302
    assert snapshot() == before


def test_import_applies_a_new_list_as_drafts_after_preview(editor_client, library):
    rows = rows_of(export(editor_client, "admin:cases_case_export"))
    header = rows[0]
    new = dict(zip(header, rows[1], strict=True))
    new.update(
        {
            "序号": "11",
            "标题": "新一年的测试案例",
            "单位": "测试县政务服务中心",
            "县区": "测试县",
            "层级": "县级",
            "主题": "",
        }
    )
    book = tablib.Dataset(headers=header)
    book.append([new[h] for h in header])
    before = Case.objects.count()
    preview = upload(editor_client, book.export("xlsx"))
    assert preview.context["result"].totals["new"] == 1
    assert Case.objects.count() == before  # the preview writes nothing
    assert confirm(editor_client, preview).status_code == 302
    case = Case.objects.get(title="新一年的测试案例")
    assert case.status == Case.Status.DRAFT
    assert case.slug == "2021-best-11"
    assert case.unit.county == "测试县" and case.unit.level == "county"


def test_import_with_one_bad_row_changes_nothing_and_names_the_row(editor_client):
    rows = rows_of(export(editor_client, "admin:cases_case_export"))
    header = rows[0]
    book = tablib.Dataset(headers=header)
    good = list(rows[1])
    good[header.index("标题")] = "这一行本身没有问题"
    bad = list(rows[2])
    bad[header.index("单位")] = "不存在的单位"
    bad[header.index("市州代码")] = "519900"
    book.append(good)
    book.append(bad)
    before = snapshot()
    response = upload(editor_client, book.export("xlsx"))
    assert response.status_code == 200
    assert "confirm_form" not in response.context
    assert "第 3 行" in response.text  # spreadsheet row 3: header, good row, bad row
    assert "未知的市州代码“519900”" in response.text
    assert snapshot() == before

    # Applied directly (as the confirm step does), the bad row rolls back the good one.
    result = CaseResource().import_data(book, dry_run=False, rollback_on_validation_errors=True)
    assert result.has_validation_errors()
    assert snapshot() == before


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("标题", "", "标题：此字段不能为空"),
        ("序号", "abc", "不是整数"),
        ("奖项类别", "特等奖", "没有奖项类别“特等奖”"),
        ("通报文号", "川政公函〔2099〕1号", "找不到通报"),
        ("主题", "不存在的主题", "未知的主题"),
    ],
)
def test_malformed_rows_get_chinese_messages(editor_client, column, value, message):
    rows = rows_of(export(editor_client, "admin:cases_case_export"))
    header = rows[0]
    row = list(rows[1])
    row[header.index(column)] = value
    book = tablib.Dataset(row, headers=header)
    before = snapshot()
    response = upload(editor_client, book.export("xlsx"))
    assert response.status_code == 200
    assert message in response.text
    assert "第 2 行" in response.text
    assert "confirm_form" not in response.context
    assert snapshot() == before


def test_duplicate_number_in_import_is_refused(editor_client):
    rows = rows_of(export(editor_client, "admin:cases_case_export"))
    header = rows[0]
    first = list(rows[1])
    clash = list(rows[2])
    clash[header.index("序号")] = first[header.index("序号")]  # same tier, same number, other title
    book = tablib.Dataset(first, clash, headers=header)
    before = snapshot()
    response = upload(editor_client, book.export("xlsx"))
    assert "confirm_form" not in response.context
    assert "第 3 行 序号：与第 2 行重复" in response.text
    assert snapshot() == before


def test_a_table_without_the_needed_columns(editor_client):
    book = tablib.Dataset(["a", "b"], headers=["甲", "乙"])
    response = upload(editor_client, book.export("xlsx"))
    assert response.status_code == 200
    assert "表格缺少必需的列" in response.text
    assert "confirm_form" not in response.context


def test_a_file_that_is_not_a_spreadsheet(editor_client):
    before = snapshot()
    response = upload(editor_client, b"%PDF-1.4 this is not a table", name="cases.xlsx")
    assert response.status_code == 200
    assert "不是有效的 Excel" in response.text
    response = upload(editor_client, b"PK\x03\x04 broken zip", name="cases.xlsx")
    assert response.status_code == 200
    assert "不是有效的 Excel" in response.text
    response = upload(editor_client, b"hello", name="cases.pdf")
    assert "只能导入 Excel（.xlsx）或 CSV 文件" in response.text
    assert snapshot() == before


@override_settings(CASE_IMPORT_MAX_BYTES=1000)
def test_an_oversized_upload(editor_client):
    response = upload(editor_client, b"PK\x03\x04" + b"0" * 5000)
    assert response.status_code == 200
    assert "文件过大" in response.text


def test_cells_that_start_a_formula_are_escaped_and_round_trip(editor_client, library):
    best = library.tiers.get(slug="best")
    titles = {
        "2021-best-01": '=HYPERLINK("http://example.com","点击")',
        "2021-best-02": "+1+1",
        "2021-best-03": "-2+3",
        "2021-best-04": "@SUM(1,2)",
    }
    for slug, title in titles.items():
        Case.objects.filter(slug=slug).update(title=title)
    for fmt in ("xlsx", "csv"):
        content = export(editor_client, "admin:cases_case_export", f"tier__id__exact={best.pk}", fmt=fmt)
        if fmt == "xlsx":
            rows = rows_of(content)
        else:
            rows = [list(r) for r in tablib.Dataset().load(content.decode("utf-8-sig"), format="csv")]
        exported = {r[3] for r in rows}
        for title in titles.values():
            assert "'" + title in exported
            assert title not in exported
        before = snapshot()
        preview = upload(
            editor_client, content, name=f"cases.{fmt}", fmt=XLSX_IMPORT if fmt == "xlsx" else CSV_IMPORT
        )
        assert preview.context["result"].totals["skip"] == 10, fmt
        assert confirm(editor_client, preview).status_code == 302
        assert snapshot() == before


def test_import_is_recorded_in_the_history(publisher_client, publisher):
    from reversion.models import Version

    rows = rows_of(export(publisher_client, "admin:cases_case_export"))
    header = rows[0]
    row = list(rows[1])
    row[header.index("标题")] = "导入修改的标题"
    preview = upload(publisher_client, tablib.Dataset(row, headers=header).export("xlsx"))
    assert confirm(publisher_client, preview).status_code == 302
    case = Case.objects.get(title="导入修改的标题")
    version = Version.objects.get_for_object(case).first()
    assert version.revision.user == publisher
    assert "导入" in version.revision.comment


def test_export_form_names_columns_as_the_spreadsheet_does(editor_client):
    page = editor_client.get(reverse("admin:cases_case_export"))
    labels = [
        str(f.label) for f in page.context["form"].fields.values() if getattr(f, "is_selectable_field", False)
    ]
    assert labels[:4] == ["通报文号", "奖项类别", "序号", "标题"]


def test_editor_may_import_but_a_viewer_may_not(client, library):
    from django.contrib.auth.models import Permission, User

    viewer = User.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_case"))
    client.force_login(viewer)
    assert client.get(reverse("admin:cases_case_import")).status_code == 403
    assert client.get(reverse("admin:cases_case_export")).status_code == 200
