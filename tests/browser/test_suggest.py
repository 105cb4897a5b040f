"""Search suggestions in real Chromium: the ARIA 1.2 combobox on the site's search boxes, used by
keyboard and mouse, on a phone, without accessibility violations, and absent without JavaScript."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser


def type_into(page, selector, text):
    box = page.locator(selector)
    box.click()
    box.press_sequentially(text, delay=30)
    page.locator(f"#{box.get_attribute('aria-controls')} [role=option]").first.wait_for()
    return box


def test_keyboard_chooses_a_suggestion(site):
    page = site.open("/cases/")
    box = type_into(page, "#list-q", "凉")
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-expanded") == "true"
    listbox = page.locator(f"#{box.get_attribute('aria-controls')}")
    assert listbox.get_attribute("role") == "listbox" and listbox.is_visible()
    first = listbox.get_by_role("option").first
    assert first.inner_text().startswith("凉山")
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.get_attribute("aria-selected") == "true"
    assert box.input_value() == "凉山"
    with page.expect_navigation():
        box.press("Enter")
    assert re.search(r"/cases/\?q=%E5%87%89%E5%B1%B1$", page.url)
    assert "共 3 个案例" in page.locator("#results-title").inner_text()
    assert not site.errors


def test_escape_closes_and_enter_searches_what_was_typed(site):
    page = site.open("/")
    box = type_into(page, "#home-q", "帮办")
    box.press("ArrowDown")
    box.press("ArrowUp")  # back to what was typed
    assert box.input_value() == "帮办" and box.get_attribute("aria-activedescendant") is None
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    with page.expect_navigation():
        box.press("Enter")
    assert "q=%E5%B8%AE%E5%8A%9E" in page.url


def test_pinyin_and_titles_are_suggested_and_clicked(site):
    page = site.open("/")
    box = type_into(page, "#header-q" if page.locator("#header-q").count() else "#home-q", "pengs")
    options = page.locator(f"#{box.get_attribute('aria-controls')} [role=option]")
    assert "彭山" in options.all_inner_texts()[0]
    page.goto(site.base + "/cases/")
    box = type_into(page, "#list-q", "出生一件事")
    option = page.locator(f"#{box.get_attribute('aria-controls')} [role=option]", has_text="案例").first
    with page.expect_navigation():
        option.click()
    assert re.search(r"/cases/2021-best-08/$", page.url)


def test_suggestions_fit_a_phone_and_pass_axe(phone):
    page = phone.open("/cases/")
    type_into(page, "#list-q", "便民")
    assert phone.scroll_width() <= 375
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    serious = [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious


def test_without_javascript_the_box_is_a_plain_search_field(no_js):
    page = no_js.open("/cases/")
    box = page.locator("#list-q")
    assert box.get_attribute("role") is None and page.locator("[role=listbox]").count() == 0
    box.fill("凉山")
    with page.expect_navigation():
        box.press("Enter")
    assert "共 3 个案例" in page.locator("#results-title").inner_text()


def test_each_option_is_named_with_a_separator_between_text_and_kind(site):
    # Issue 15 (verifier): a screen reader read "凉山地区"; the name is "凉山，地区" now.
    page = site.open("/cases/")
    box = type_into(page, "#list-q", "凉")
    listbox = page.locator(f"#{box.get_attribute('aria-controls')}")
    first = listbox.get_by_role("option").first
    name = first.evaluate("e => e.textContent")
    assert re.fullmatch(r"凉山，\S+", name), name
    # The accessible name Chromium computes: text, separator, kind.
    assert listbox.get_by_role("option", name=re.compile(r"^凉山\s*，\s*地区$")).count() == 1


def test_the_listbox_follows_the_high_contrast_mode(site):
    page = site.open("/cases/")
    page.evaluate("document.documentElement.classList.add('contrast-high')")
    box = type_into(page, "#list-q", "凉")
    listbox = page.locator(f"#{box.get_attribute('aria-controls')}")
    style = listbox.evaluate("e => { const s = getComputedStyle(e); return [s.backgroundColor, s.color] }")
    assert style == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"]
    box.press("ArrowDown")
    chosen = listbox.locator("[aria-selected=true]")
    outline = chosen.evaluate("e => [getComputedStyle(e).outlineStyle, getComputedStyle(e).outlineColor]")
    assert outline == ["solid", "rgb(255, 235, 59)"]


def test_a_cleared_box_reopens_nothing_and_the_live_region_falls_silent(site):
    # Found by an outside verifier: after a second Escape emptied the box, ArrowDown reopened the
    # old suggestions and filled one in; the live region kept announcing them after the list closed.
    page = site.open("/cases/")
    box = type_into(page, "#list-q", "peng")
    status = page.locator("[role=status][aria-live=polite]").first
    assert "条搜索建议" in status.inner_text()
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false" and status.inner_text() == ""
    box.press("Escape")
    assert box.input_value() == ""
    box.press("ArrowDown")
    assert box.get_attribute("aria-expanded") == "false" and box.input_value() == ""
    assert not site.errors
