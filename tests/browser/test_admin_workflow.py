"""The editor's and the publisher's main tasks in Chromium (issue 18): fix a typo and submit; find,
preview, read the difference and publish or return; reorder sections; add an erratum; import a
file with a changed row; and the widgets that need the admin's JavaScript (全选, the theme selector)
work in Chinese under our CSP."""

import re

import pytest
import tablib
from django.urls import reverse

from cases.models import Case, CaseChange
from tests.browser.admin_tabs import signed_in, staff

pytestmark = pytest.mark.browser


@pytest.fixture
def tabs(browser, live_server, transactional_library):
    opened = []

    def open_tab(role, width=1440):
        tab = signed_in(browser, live_server, staff(role), width)
        opened.append(tab)
        return tab

    yield open_tab
    for tab in opened:
        tab.close()


def test_editor_fixes_a_typo_and_the_publisher_finds_previews_reads_and_publishes(tabs):
    case = Case.objects.get(slug="2021-best-02")
    typo_fixed = case.title.replace("三化", "“三化”", 1) if "“三化”" not in case.title else case.title + "。"
    editor = tabs("editor", 390)
    page = editor.open(reverse("admin:cases_case_change", args=(case.pk,)))
    assert "提交审核" in page.locator("#form-holds-note").inner_text()
    page.fill("#id_title", typo_fixed)
    page.get_by_role("button", name="提交审核").click()
    page.wait_for_selector(".messagelist")
    messages = page.locator(".messagelist li").all_inner_texts()
    assert len(messages) == 1 and "已提交审核，发布人员审核后公开" in messages[0]
    assert page.input_value("#id_title") == typo_fixed  # the form shows what was submitted
    assert Case.objects.get(pk=case.pk).title == case.title  # not live yet

    publisher = tabs("publisher")
    page = publisher.open(reverse("admin:index"))
    clicks = 0
    page.locator("#review-queue a", has_text=case.title[:10]).first.click()
    clicks += 1
    assert page.locator(".version-diff ins").count() >= 1
    preview = page.locator("a", has_text="预览待审核的修改").get_attribute("href")
    shown = publisher.context.new_page()
    shown.goto(publisher.base + preview)
    assert typo_fixed in shown.content() and "待审核的修改" in shown.locator(".preview-banner").inner_text()
    shown.close()
    page.get_by_role("button", name="发布", exact=True).click()
    clicks += 1
    page.wait_for_selector(".messagelist")
    assert "已发布" in page.locator(".messagelist").inner_text()
    assert clicks <= 4
    assert Case.objects.get(pk=case.pk).title == typo_fixed
    assert not editor.errors and not publisher.errors


def test_publisher_returns_a_change_with_a_note_the_editor_reads(tabs):
    case = Case.objects.get(slug="2021-best-03")
    editor = tabs("editor")
    page = editor.open(reverse("admin:cases_case_change", args=(case.pk,)))
    page.fill("#id_title", case.title + "（待退回）")
    page.get_by_role("button", name="提交审核").click()
    page.wait_for_selector(".messagelist")
    publisher = tabs("publisher", 390)
    page = publisher.open(reverse("admin:index"))
    page.locator("#review-queue a", has_text=case.title[:10]).first.click()
    page.fill("#id_note", "标题应与通报一致")
    page.get_by_role("button", name="退回", exact=True).click()
    page.wait_for_selector(".messagelist")
    assert CaseChange.objects.get(case=case).state == CaseChange.State.RETURNED
    mine = editor.open(reverse("admin:index")).locator("#review-queue").inner_text()
    assert "已退回" in mine and "标题应与通报一致" in mine


def test_publisher_moves_a_section_down_with_the_button(tabs):
    case = Case.objects.get(slug="2021-best-02")
    first, second = list(case.sections.order_by("order"))[1:3]
    page = tabs("publisher").open(reverse("admin:cases_case_change", args=(case.pk,)))
    row = page.locator("#sections-group .inline-related.has_original").nth(1)
    row.get_by_role("button", name="下移章节").click()
    assert "下移" in page.locator("#sections-move-status").inner_text()
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_selector(".messagelist")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.order > second.order


def test_a_new_section_gets_the_next_order(tabs):
    case = Case.objects.get(slug="2021-best-02")
    last = case.sections.order_by("order").last().order
    page = tabs("publisher").open(reverse("admin:cases_case_change", args=(case.pk,)))
    page.locator("#sections-group .add-row a").click()
    new = page.locator("#sections-group .inline-related.dynamic-sections").last
    assert new.locator('input[name$="-order"]').input_value() == str(last + 1)


def test_publisher_adds_an_erratum_without_choosing_the_notice(tabs):
    case = Case.objects.get(slug="2021-best-04")
    tab = tabs("publisher", 390)
    page = tab.open(reverse("admin:cases_case_change", args=(case.pk,)))
    page.locator("#errata-group .add-row a").click()
    new = page.locator("#errata-group .inline-related.dynamic-errata").last
    new.locator('select[name$="-kind"]').select_option("spelling")
    new.locator('input[name$="-location"]').fill("正文第2段")
    new.locator('textarea[name$="-original"]').fill("登纪")
    new.locator('textarea[name$="-corrected"]').fill("登记")
    new.locator('textarea[name$="-reason"]').fill("错别字")
    assert tab.scroll_width() <= 390
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_selector(".messagelist")
    assert case.errata.get(original="登纪").notice_id == case.notice_id


def test_editor_imports_a_file_with_a_changed_row(tabs, tmp_path):
    from tests.browser.admin_tabs import exported_rows

    header, rows = exported_rows()
    case = Case.objects.get(slug="2021-best-05")
    for row in rows:
        if row[header.index("标题")] == case.title:
            row[header.index("标题")] = case.title + "（导入修改）"
    path = tmp_path / "名单.xlsx"
    path.write_bytes(tablib.Dataset(*rows, headers=header).export("xlsx"))
    page = tabs("editor", 390).open(reverse("admin:cases_case_import"))
    page.set_input_files("#id_import_file", str(path))
    xlsx = page.locator("#id_format option", has_text=re.compile("xlsx", re.I)).first.get_attribute("value")
    page.select_option("#id_format", value=xlsx)
    page.locator('input[type="submit"]').first.click()
    summary = page.locator("#import-summary").inner_text()
    assert "修改：1 个案例" in summary and "提交审核" in summary and "无变化：43 行" in summary
    page.locator('form input[type="submit"]').last.click()
    page.wait_for_selector(".messagelist")
    assert Case.objects.get(pk=case.pk).title == case.title
    assert CaseChange.objects.filter(case=case, state=CaseChange.State.PENDING).exists()


def test_export_select_all_and_the_theme_selector_work_in_chinese(tabs):
    tab = tabs("publisher")
    page = tab.open(reverse("admin:cases_case_export"))
    boxes = page.locator('.selectable-field-export-row input[type="checkbox"]')
    page.get_by_label("全选").uncheck()
    assert all(not boxes.nth(i).is_checked() for i in range(boxes.count()))
    page.get_by_label("全选").check()
    assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    case = Case.objects.get(slug="2021-best-02")
    page = tab.open(reverse("admin:cases_case_change", args=(case.pk,)))
    selector = page.locator(".selector").inner_text()
    assert "全部选择" in selector and "Choose" not in selector and "Remove" not in selector
    assert not tab.errors
