"""The staff-only errata on the notice page in real Chromium: readable at 375 px, no serious or
critical accessibility violation."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = pytest.mark.browser


def sign_in_as_staff(tab):
    user = get_user_model().objects.create_user("errata-editor", is_staff=True)
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    tab.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": tab.base}])


@pytest.mark.parametrize("tab_name", ["site", "phone"])
def test_staff_errata_on_the_notice_page_are_accessible(request, tab_name, transactional_library):
    tab = request.getfixturevalue(tab_name)
    sign_in_as_staff(tab)
    page = tab.open(transactional_library.get_absolute_url())
    section = page.get_by_role("region", name="勘误记录")
    assert section.is_visible()
    assert section.locator("li").count() == transactional_library.errata.count()
    if tab_name == "phone":
        assert tab.scroll_width() <= 375
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not violations, "\n".join(violations)
