"""axe-core on the admin pages staff use, at 1440 and 390 px (issue 18 item 11): no serious or
critical violation, no horizontal scrolling of the page, and the list's filters before its rows
on a phone."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from cases.models import Case, CaseChange
from tests.browser.admin_tabs import signed_in, staff

pytestmark = pytest.mark.browser

WIDTHS = (1440, 390)


def serious(page) -> list[str]:
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("width", WIDTHS)
def test_admin_pages_have_no_serious_or_critical_violations(
    browser, live_server, transactional_library, width
):
    from django.urls import reverse
    from reversion.models import Version

    from tests.editorial.conftest import browser_for
    from tests.editorial.steps import change_case

    editor, publisher = staff("editor"), staff("publisher")
    case = Case.objects.get(slug="2021-best-04")  # has errata
    change_case(browser_for(editor), case, {"title": case.title + "（改）"})
    change = CaseChange.objects.get(case=case)
    version = Version.objects.get_for_object(case).order_by("pk").first()
    pages = {
        "index": reverse("admin:index"),
        "case list": reverse("admin:cases_case_changelist"),
        "case form": reverse("admin:cases_case_change", args=(case.pk,)),
        "history": reverse("admin:cases_case_history", args=(case.pk,)),
        "diff": reverse("admin:cases_case_version_diff", args=(case.pk, version.pk)),
        "pending change": reverse("admin:cases_case_change_detail", args=(case.pk, change.pk)),
        "import": reverse("admin:cases_case_import"),
        "export": reverse("admin:cases_case_export"),
        "case add": reverse("admin:cases_case_add"),
        "section add": reverse("admin:cases_casesection_add"),
        "erratum add": reverse("admin:cases_erratum_add"),
        "theme list": reverse("admin:cases_theme_changelist"),
    }
    tab = signed_in(browser, live_server, publisher, width)
    failures, wide = {}, []
    try:
        for name, path in pages.items():
            page = tab.open(path)
            found = serious(page)
            if found:
                failures[name] = found
            if tab.scroll_width() > width:
                wide.append((name, tab.scroll_width()))
        assert not failures, failures
        assert not wide, wide
        assert not tab.errors
    finally:
        tab.close()


def test_the_case_list_shows_its_filters_before_the_rows_on_a_phone(
    browser, live_server, transactional_library
):
    from django.urls import reverse

    tab = signed_in(browser, live_server, staff("publisher"), 390, 844)
    try:
        page = tab.open(reverse("admin:cases_case_changelist"))
        filters = page.locator("#changelist-filter").bounding_box()
        rows = page.locator("#result_list").bounding_box()
        assert filters["y"] < rows["y"]
        assert page.get_by_text("有待审核的修改").first.bounding_box()["y"] < 844 * 2
    finally:
        tab.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_review_queue_on_the_index_is_readable_and_fits_a_phone(
    browser, live_server, transactional_library, width
):
    from django.urls import reverse

    from tests.editorial.conftest import browser_for
    from tests.editorial.steps import change_case

    editor, publisher = staff("editor"), staff("publisher")
    for slug in ("2021-best-02", "2021-best-03"):
        case = Case.objects.get(slug=slug)
        long = {
            "title": case.title + "（改）",
            "summary": case.summary + "（改）",
            "page": str((case.page or 0) + 1),
        }
        change_case(browser_for(editor), case, long)
    assert CaseChange.objects.filter(state=CaseChange.State.PENDING).count() == 2
    tab = signed_in(browser, live_server, publisher, width)
    try:
        page = tab.open(reverse("admin:index"))
        title = page.locator("#review-queue th[scope=row]").first.bounding_box()
        assert title["width"] >= min(150, width * 0.6), title
        assert tab.scroll_width() <= width, tab.scroll_width()
    finally:
        tab.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_long_sections_textarea_fits_its_text_at_every_width(
    browser, live_server, transactional_library, width
):
    from django.urls import reverse

    case = Case.objects.get(slug="2021-best-02")
    section = max(case.sections.all(), key=lambda s: len("".join(s.paragraphs)))
    assert len("".join(section.paragraphs)) > 400
    tab = signed_in(browser, live_server, staff("publisher"), width)
    try:
        page = tab.open(reverse("admin:cases_case_change", args=(case.pk,)))
        box = page.locator("textarea[name$='-paragraphs'] >> nth=0").bounding_box()
        heights = page.eval_on_selector_all(
            "textarea[name$='-paragraphs']", "els => els.map(e => e.getBoundingClientRect().height)"
        )
        assert box is not None and max(heights) > 200, heights
    finally:
        tab.close()
