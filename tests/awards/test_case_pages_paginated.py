"""A prefecture, a unit and an award tier list their cases a page at a time, as the case list does.

At 20,000 cases a prefecture page listed every one of its thousands of cases (1.4 s computed); now it
reads one page of ``portal.paging.PAGE_SIZE`` and links the others, with plain links (no script).
"""

import re
from urllib.parse import quote

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cases.models import Case
from portal import paging

pytestmark = pytest.mark.django_db

HYPOTHESIS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

TIER = "/notices/chuanzhenggonghan-2022-35/excellent/"


def _published():
    return Case.objects.published().in_notice_order()


def _pages():
    """path -> the published cases it lists, in the notice's order."""
    unit = Case.objects.published().values("unit").annotate(n=Count("pk")).order_by("-n", "unit")[0]["unit"]
    return {
        "/prefectures/510100/": _published().filter(unit__prefecture__code="510100"),
        f"/units/{unit}/": _published().filter(unit=unit),
        TIER: _published().filter(tier__slug="excellent", tier__notice__slug="chuanzhenggonghan-2022-35"),
    }


def _listed(body: str) -> list[str]:
    """The case slugs of the page's case cards, in order."""
    cards = body.split('<ol class="case-cards"', 1)[1].split("</ol>", 1)[0]
    return re.findall(r'href="/cases/([^/"]+)/"', cards)


def _page_links(body: str) -> list[str]:
    if '<nav class="pagination"' not in body:
        return []
    nav = body.split('<nav class="pagination"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'href="([^"]+)"', nav)


def test_every_case_of_a_page_of_many_is_listed_once_across_its_pages_in_the_notices_order(
    client, library, monkeypatch
):
    monkeypatch.setattr(paging, "PAGE_SIZE", 3)
    for path, cases in _pages().items():
        expected = list(cases.values_list("slug", flat=True))
        pages = -(-len(expected) // 3)
        seen = []
        for number in range(1, pages + 1):
            body = client.get(f"{path}?page={number}").content.decode()
            listed = _listed(body)
            assert len(listed) == min(3, len(expected) - 3 * (number - 1)), (path, number)
            assert f'<ol class="case-cards" start="{3 * (number - 1) + 1}"' in body
            seen += listed
            if pages > 1:  # plain links, the current page marked for screen readers
                assert f'aria-current="page">{number}<' in body
                links = _page_links(body)
                assert all(link.startswith(f"{path}?page=") for link in links), links
        assert seen == expected, path


def test_a_page_of_more_cases_than_a_page_holds_reads_one_page_in_as_many_queries(client, library, settings):
    settings.LIBRARY_MEMO_ENABLED = False  # every request computed, as the first after an editor's save
    body = client.get(TIER).content.decode()  # 34 excellent cases: two pages of 20
    assert len(_listed(body)) == paging.PAGE_SIZE
    assert "共 34 个，本页为第 1/2 页" in body
    assert _page_links(body) == [f"{TIER}?page=2"] * 2  # "2" and "下一页"
    assert len(_listed(client.get(f"{TIER}?page=2").content.decode())) == 14
    with CaptureQueriesContext(connection) as long_page:
        client.get(f"{TIER}?page=2")
    with CaptureQueriesContext(connection) as short_page:
        client.get("/notices/chuanzhenggonghan-2022-35/best/")  # 10 cases, one page
    assert len(long_page) == len(short_page)


def test_the_second_page_is_not_served_the_firsts_kept_cases(client, library):
    # Twice each: the second request of a page reads what the first kept for this library version.
    first = [_listed(client.get(TIER).content.decode()) for _ in range(2)]
    second = [_listed(client.get(f"{TIER}?page=2").content.decode()) for _ in range(2)]
    assert first[0] == first[1] and second[0] == second[1]
    assert not set(first[0]) & set(second[0])


@pytest.mark.parametrize(
    ("raw", "message", "shown"),
    [
        ("abc", "页码应为正整数", 1),
        ("0", "页码应为正整数", 1),
        ("-1", "页码应为正整数", 1),
        ("99", "页码超出范围（共 2 页），已显示最后一页。", 2),
        (
            "99999999999999999999",
            "页码超出范围（共 2 页），已显示最后一页。",
            2,
        ),  # past what is read: past the end
    ],
)
def test_a_bad_page_number_shows_a_chinese_message_and_the_first_or_last_page(
    client, library, raw, message, shown
):
    response = client.get(f"{TIER}?page={raw}")
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert f'aria-current="page">{shown}<' in body
    assert "private" in response["Cache-Control"]


@HYPOTHESIS
@given(raw=st.one_of(st.text(max_size=30), st.integers().map(str)))
@example(raw="\x00")
@example(raw="²")
@example(raw="1" * 40)
def test_whatever_the_page_number_the_case_pages_answer_200_with_a_page(client, library, raw):
    for path in _pages():
        response = client.get(f"{path}?page={quote(raw)}")
        body = response.content.decode()
        assert "\x00" not in body
        if "\x00" in raw:  # refused on every page, before any view (portal.middleware): in Chinese
            assert response.status_code == 400 and "请求无效" in body, (path, raw)
            continue
        assert response.status_code == 200, (path, raw)
        assert _listed(body), (path, raw)


@pytest.mark.parametrize("path", ["/cases/", TIER])
@pytest.mark.parametrize("raw", ["9223372036854775808", "1" + "0" * 40])
def test_a_page_number_too_large_to_read_is_past_the_end_not_a_bad_number(client, library, path, raw):
    # Found by an outside verifier: 10**40 was called "not a positive whole number" and showed page 1.
    body = client.get(path, {"page": raw}).content.decode()
    assert "页码超出范围" in body and "页码应为正整数" not in body
