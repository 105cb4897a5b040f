"""axe-core on every page type at 375 px and 1280 px, in the 中 and 大 text sizes and in high contrast:
no serious or critical violation anywhere (folded parts opened first, so that they are checked too)."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import open_api_docs_and_try_it
from tests.browser.test_reader_experience import WIDTHS, prefer

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _database_before_the_live_server(transactional_library):
    """Tests ask for their tab by name (request.getfixturevalue); the test database must exist first."""


PAGE_TYPES = {
    "home": "/",
    "list": "/cases/",
    "filtered list": "/cases/?prefecture=510100&tier=best",
    "search": "/cases/?q=凉山",
    "list by prefecture": "/cases/?sort=prefecture",
    "case": "/cases/2021-best-08/",
    "feedback": "/cases/2021-best-08/feedback/",
    "unit": "/units/1/",
    "prefecture list": "/prefectures/",
    "prefecture": "/prefectures/510100/",
    "tier": "/notices/chuanzhenggonghan-2022-35/best/",
    "notice": "/notices/chuanzhenggonghan-2022-35/",
    "statistics": "/statistics/",
    "api docs": "/api/v1/docs/",
    "open data": "/api/v1/data/",
    "404": "/no-such-page/",
}
MODES = {
    "中": {"size": "medium", "contrast": "normal"},
    "大": {"size": "large", "contrast": "normal"},
    "高对比度": {"size": "medium", "contrast": "high"},
    "大+高对比度": {"size": "large", "contrast": "high"},
}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("tab_name", WIDTHS)
def test_no_serious_or_critical_violations_on_any_page_type(request, tab_name, mode):
    tab = request.getfixturevalue(tab_name)
    prefer(tab, **MODES[mode])
    axe = Axe()
    failures = {}
    for name, path in PAGE_TYPES.items():
        page = tab.open(path)
        if name == "api docs":
            # Checked as a reader leaves it: an operation open, 试用 (Try it out) and 执行 (Execute) pressed.
            open_api_docs_and_try_it(page)
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        results = axe.run(page, options={"resultTypes": ["violations"]})
        serious = [
            f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if serious:
            failures[name] = serious
        assert tab.scroll_width() <= page.viewport_size["width"], name
    assert not failures, failures
    assert not tab.errors
