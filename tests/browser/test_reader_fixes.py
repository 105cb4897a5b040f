"""Issue 14, second pass: what an outside check found after the first build, one test (or group) per kind.

Small phones in 大, no horizontal scrolling at 320 px or at 200% zoom, focus never under 返回顶部, the
sort choice applied only when chosen, the printed list saying what it shows, and copying without the
Clipboard API. (The API docs page and the 纠错 form on the case page: test_reader_fixes_forms.py.)
"""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Site, open_api_docs_and_try_it
from tests.browser.test_accessibility import PAGE_TYPES
from tests.browser.test_reader_experience import prefer

pytestmark = pytest.mark.browser

# Small phones (iPhone SE 1st/2nd generation, a common Android size) and 1280 x 900 at 200% zoom.
SMALL_PHONES = [(375, 667), (360, 640), (320, 568)]
ZOOMED = (640, 450)
# A 375 x 667 phone at 200% zoom: 187 CSS px (an outside check found two pages overflowing there).
PHONE_ZOOMED = (187, 333)


@pytest.fixture
def tabs(browser, live_server, transactional_library):
    opened = []

    def open_tab(width, height, **prefs):
        tab = Site(browser, live_server, width=width, height=height)
        if prefs:
            prefer(tab, **prefs)
        opened.append(tab)
        return tab

    yield open_tab
    for tab in opened:
        tab.close()


# 1. 大 on small phones: the header within a third of the screen, the first result on the first screen


@pytest.mark.parametrize(("width", "height"), SMALL_PHONES)
@pytest.mark.parametrize("contrast", ["normal", "high"])
def test_in_large_text_the_header_stays_within_a_third_and_results_come_first(tabs, width, height, contrast):
    tab = tabs(width, height, size="large", contrast=contrast)
    for path in ("/", "/cases/2021-best-08/", "/cases/?q=凉山", "/statistics/"):
        page = tab.open(path)
        header = page.locator(".site-header").bounding_box()
        assert header["height"] <= height / 3, (path, header["height"])
        search = page.locator("input[type=search]").first.bounding_box()
        assert search["y"] + search["height"] <= height, path
    for path in ("/cases/?q=凉山", "/cases/?tier=best"):
        page = tab.open(path)
        title = page.locator(".case-cards .case-card-title a").first
        box = title.bounding_box()
        line = page.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('.case-card-title a')).lineHeight)"
        )
        assert box["y"] + line <= height, (path, box)  # its first line is on the first screen


@pytest.mark.parametrize(("width", "height"), SMALL_PHONES[2:])
def test_the_folded_navigation_opens_and_every_link_is_reachable(tabs, width, height):
    tab = tabs(width, height, size="large")
    page = tab.open("/cases/2021-best-08/")
    statistics = page.get_by_role("link", name="统计", exact=True)
    assert not statistics.is_visible()
    page.get_by_text("栏目导航").click()
    assert statistics.is_visible()
    with page.expect_navigation():
        statistics.click()
    assert page.url.endswith("/statistics/")
    # In 中 the links stand open and there is nothing to unfold.
    tab = tabs(width, height)
    page = tab.open("/cases/2021-best-08/")
    assert page.get_by_role("link", name="统计", exact=True).is_visible()
    assert not page.get_by_text("栏目导航").is_visible()


def test_on_a_wide_screen_the_navigation_stands_open_in_large_text(tabs):
    page = tabs(1280, 900, size="large").open("/")
    assert page.get_by_role("link", name="统计", exact=True).is_visible()
    assert not page.get_by_text("栏目导航").is_visible()


# 2. No horizontal scrolling at 320 px and at 200% zoom, on any page type


# The page's width, the window's, and the innermost elements that reach past the window (to name them).
OVERFLOW = """() => {
  const w = window.innerWidth, out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (el.closest('.table-wrap')) continue;  // scrolls inside its own box, not the page
    if (r.right > w + 1 && r.width > 0 && ![...el.children].some(c => c.getBoundingClientRect().right > w + 1))
      out.push(el.tagName.toLowerCase() + '.' + el.className + ' ' + (el.textContent || '').trim().slice(0, 15));
  }
  return [document.documentElement.scrollWidth, w, out.slice(0, 5)];
}"""


# A phone at 200% zoom in 中 and in 大, the largest text size (in 大 the open-data page, the data
# dictionary, once reached 12 px past 187 px).
@pytest.mark.parametrize(
    ("width", "height", "size"),
    [
        (*SMALL_PHONES[2], "medium"),
        (*SMALL_PHONES[2], "large"),
        (*ZOOMED, "medium"),
        (*ZOOMED, "large"),
        (*PHONE_ZOOMED, "medium"),
        (*PHONE_ZOOMED, "large"),
    ],
)
def test_no_page_type_scrolls_sideways_at_320_px_or_200_percent_zoom(tabs, width, height, size):
    tab = tabs(width, height, size=size)
    wide = {}
    for name, path in PAGE_TYPES.items():
        page = tab.open(path)
        if name == "api docs":
            page.wait_for_selector(".opblock")
        measured = page.evaluate(OVERFLOW)
        if measured[0] > measured[1]:
            wide[name] = measured
    assert not wide, wide


# 3. The focused element is never hidden under the floating 返回顶部 (WCAG 2.4.11)

OBSCURED = """() => {
  const el = document.activeElement, back = document.querySelector('.back-to-top');
  if (!el || el === document.body || el === back) return null;
  const s = getComputedStyle(back);
  if (!back.classList.contains('floating') || s.visibility === 'hidden' || s.display === 'none') return null;
  const a = el.getBoundingClientRect(), b = back.getBoundingClientRect();
  const apart = a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
  return apart ? null : (el.id || el.className || el.tagName) + ' ' + (el.textContent || '').trim().slice(0, 20);
}"""


@pytest.mark.parametrize(
    ("width", "height", "size"), [(375, 667, "medium"), (320, 568, "large"), (1280, 900, "medium")]
)
def test_tabbing_through_a_long_page_never_hides_the_focus_under_back_to_top(tabs, width, height, size):
    tab = tabs(width, height, size=size)
    page = tab.open("/cases/2021-best-08/")
    page.evaluate("window.scrollTo(0, window.innerHeight * 1.5)")
    expect(page.locator(".back-to-top")).to_have_class("back-to-top floating")
    page.locator(".case-text p").nth(3).click()  # start tabbing from the middle of the text
    hidden = []
    seen = 0
    for _ in range(70):
        page.keyboard.press("Tab")
        page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        covered = page.evaluate(OBSCURED)
        if covered:
            hidden.append(covered)
        seen += 1
        if page.evaluate("document.activeElement === document.body"):
            break
    assert seen > 10
    assert not hidden, hidden


# 7. The sort choice applies only when chosen; the printed list says what it shows


@pytest.mark.parametrize(("width", "height"), [(375, 812), (1280, 900)])
def test_arrow_keys_in_the_sort_menu_do_not_reload_the_list(tabs, width, height):
    tab = tabs(width, height)
    page = tab.open("/cases/?tier=best")
    if page.locator("details.filters-panel").get_attribute("open") is None:
        page.locator(".filters-panel > summary").click()
    url = page.url
    page.locator("#sort").focus()
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(700)
    assert page.url == url  # no reload while moving through the options
    apply = page.get_by_role("button", name="按此排序")
    assert apply.is_visible()
    with page.expect_navigation():
        page.locator("#sort").press("Enter")
    assert "sort=" in page.url and "tier=best" in page.url
    assert page.evaluate("document.activeElement.id") == "sort"
    assert not tab.errors


def test_a_printed_filtered_list_names_its_filters_and_quotes_without_bullets(tabs):
    page = tabs(1280, 900).open("/cases/?q=凉山&tier=best")
    page.emulate_media(media="print")
    chips = page.locator(".chips")
    assert chips.is_visible()
    text = chips.inner_text()
    assert "已选条件" in text and "凉山" in text and "最佳案例" in text
    assert "清除全部" not in text and "×" not in text
    styles = page.evaluate(
        "[...document.querySelectorAll('.snippets li')].map(li => getComputedStyle(li).listStyleType)"
    )
    assert styles and set(styles) == {"none"}, styles


# 9. Copying a link without the Clipboard API


@pytest.mark.parametrize("variant", ["missing", "refusing"])
def test_copy_link_without_the_clipboard_api_selects_the_address_instead(tabs, variant):
    tab = tabs(375, 812)
    if variant == "missing":
        tab.context.add_init_script(
            "Object.defineProperty(Navigator.prototype, 'clipboard', {get: () => undefined})"
        )
    else:
        tab.context.add_init_script(
            "Object.defineProperty(Navigator.prototype, 'clipboard', {get: () => ({writeText: () => Promise.reject(new Error('denied'))})})"
        )
    page = tab.open("/cases/2021-best-01/")
    page.get_by_role("button", name="复制链接").click()
    expect(page.locator(".share .copy-status")).to_contain_text("已选中")
    assert page.evaluate("window.getSelection().toString().trim()") == tab.base + "/cases/2021-best-01/"
    assert not tab.errors


# 6. The short 纠错 form on the case page itself (no CSRF token: the page stays cached)


@pytest.mark.parametrize(("width", "height"), [(375, 812), (1280, 900)])
def test_a_reader_reports_an_error_from_the_case_page_itself(tabs, width, height):
    from cases.models import Feedback

    tab = tabs(width, height)
    page = tab.open("/cases/2021-best-01/")
    form = page.locator("form.feedback-short")
    form.get_by_label("哪里有误").fill("第三段“一窗通办”应为“一窗综办”。")
    form.get_by_label("联系方式（选填）").fill("13800000000")
    with page.expect_navigation():
        form.get_by_role("button", name="提交纠错").click()
    assert "已收到您的纠错" in page.locator("h1").inner_text()
    stored = Feedback.objects.get()
    assert stored.case.slug == "2021-best-01" and stored.contact == "13800000000"
    # Only blanks: refused on the form's own page, the message focused and tied to the field.
    page = tab.open("/cases/2021-best-01/")
    page.locator("form.feedback-short").get_by_label("哪里有误").fill("\u200b\u3000 ")
    with page.expect_navigation():
        page.locator("form.feedback-short").get_by_role("button", name="提交纠错").click()
    assert page.evaluate("document.activeElement.getAttribute('role')") == "alert"
    described = page.get_by_label("哪里有误").get_attribute("aria-describedby").split()
    assert "请写下您发现的问题" in page.locator(f"#{described[0]}").inner_text()
    assert Feedback.objects.count() == 1 and not tab.errors
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"resultTypes": ["violations"]})
    assert not [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


# 4. The API docs page: the site's page, its preferences, Chinese controls, clean after 试用 and 执行


@pytest.mark.parametrize(("width", "height"), [(375, 812), (1280, 900)])
@pytest.mark.parametrize(
    "prefs",
    [{}, {"size": "large"}, {"contrast": "high"}, {"size": "large", "contrast": "high"}],
    ids=["中", "大", "高对比度", "大+高对比度"],
)
def test_the_api_docs_after_try_it_out_follow_the_site_and_pass_the_scan(tabs, width, height, prefs):
    from axe_playwright_python.sync_playwright import Axe

    tab = tabs(width, height, **prefs)
    page = tab.open("/api/v1/docs/")
    open_api_docs_and_try_it(page)
    # The site's page around it: header with the switch, footer, the reader's preferences.
    assert page.get_by_role("button", name="高对比度").is_visible()
    assert page.locator(".site-footer").get_by_role("link", name="网站纠错").is_visible()
    classes = page.locator("html").get_attribute("class")
    assert ("text-large" in classes) is (prefs.get("size") == "large")
    assert ("contrast-high" in classes) is (prefs.get("contrast") == "high")
    # Swagger UI's own controls in Chinese.
    for english in ("Try it out", "Execute", "Cancel", "Parameters", "Responses", "Download"):
        assert not page.get_by_role("button", name=english, exact=True).count(), english
        assert not page.get_by_text(english, exact=True).count(), english
    assert page.get_by_role("button", name="取消").first.is_visible()
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    serious = [
        (v["id"], [n["target"] for n in v["nodes"]][:4])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, serious
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert not tab.errors


def test_the_api_docs_text_follows_large(tabs):
    sizes = {}
    for size in ("medium", "large"):
        page = tabs(1280, 900, size=size).open("/api/v1/docs/")
        page.wait_for_selector(".opblock-summary-path")
        sizes[size] = page.evaluate(
            "(() => { const e = document.querySelector('.opblock-summary-path');"
            " return parseFloat(getComputedStyle(e).fontSize) * (parseFloat(getComputedStyle(document.querySelector('.docs-swagger')).zoom) || 1); })()"
        )
    assert sizes["large"] >= sizes["medium"] * 1.3, sizes


# 10. What the README and the notice page say is true


@pytest.mark.parametrize(
    ("width", "height", "size", "screens"),
    [
        (375, 812, "medium", 1),
        (375, 667, "medium", 1),
        (320, 568, "medium", 2),
        (320, 568, "large", 2),
        (375, 667, "large", 2),
    ],
)
def test_the_readme_words_on_where_the_case_text_starts_hold(tabs, width, height, size, screens):
    tab = tabs(width, height, size=size)
    for slug in ("2021-best-01", "2021-best-08", "2021-excellent-12", "2021-excellent-34"):
        top = tab.open(f"/cases/{slug}/").evaluate(
            "document.querySelector('.case-text p').getBoundingClientRect().top"
        )
        assert top < screens * height, (slug, top)


def test_the_notice_page_says_the_original_pdf_is_not_kept(tabs):
    page = tabs(1280, 900).open("/notices/chuanzhenggonghan-2022-35/")
    source = page.locator(".notice-source")
    assert "由发布的 PDF 转换而来" in source.inner_text() and "没有保存通报的原始 PDF" in source.inner_text()
