"""Playwright for Python driving Debian's Chromium against Django's live server.

Never ``playwright install``: the browser is /usr/bin/chromium (``apt-get install -y chromium``).
Without it the browser tests are skipped with a reason, except in CI (CI is set), where they fail.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses that unless told.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
# The README's screenshots are refreshed only on request (UPDATE_SCREENSHOTS=1): each run differs
# (live-server port, today's date in the citation), and CI must not leave a dirty work tree.
_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = _ROOT / (
    "docs/screenshots" if os.environ.get("UPDATE_SCREENSHOTS") else "test-artifacts/screenshots"
)


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        # In CI a missing browser is a failure, never a silent skip.
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} 不存在（apt-get install -y chromium）：跳过浏览器测试")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"CI 环境缺少 {CHROMIUM}：.ci/run 应先 apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Site:
    """A browser tab on the live server that records every host it asks for."""

    def __init__(self, browser, live_server, width, height=900, javascript=True):
        self.base = live_server.url
        self.context = browser.new_context(
            viewport={"width": width, "height": height}, locale="zh-CN", java_script_enabled=javascript
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.hosts = set()
        self.page.on("request", lambda request: self.hosts.add(urlsplit(request.url).netloc))
        self.errors = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def open(self, path):
        self.page.goto(self.base + path)
        return self.page

    def scroll_width(self) -> int:
        return self.page.evaluate("document.documentElement.scrollWidth")

    def close(self):
        self.context.close()


@pytest.fixture
def site(browser, live_server, transactional_library):
    tab = Site(browser, live_server, width=1280)
    yield tab
    tab.close()


@pytest.fixture
def phone(browser, live_server, transactional_library):
    tab = Site(browser, live_server, width=375, height=812)
    yield tab
    tab.close()


@pytest.fixture
def no_js(browser, live_server, transactional_library):
    tab = Site(browser, live_server, width=375, height=812, javascript=False)
    yield tab
    tab.close()


def open_api_docs_and_try_it(page):
    """Expand the first operation, press 试用 (Try it out) and 执行 (Execute), wait for the answer."""
    page.wait_for_selector(".opblock")
    page.locator(".opblock-summary-control").first.click()
    page.get_by_role("button", name="试用").first.click()
    page.get_by_role("button", name="执行").first.click()
    page.wait_for_selector(
        ".opblock.is-open .live-responses-table, .opblock.is-open .responses-inner .download-contents"
    )
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
