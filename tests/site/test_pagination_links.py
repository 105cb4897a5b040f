"""A long list links a few pages around the current one and both ends, not every page: a library of
20,000 cases has 1,000 pages, and drawing a link to each was most of a list page's time."""

import re

import pytest

from cases import views

pytestmark = pytest.mark.django_db


def _page_links(body: str) -> list[str]:
    nav = body.split('<nav class="pagination"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'aria-label="第 (\d+) 页"|aria-current="page">(\d+)<|>(…)<', nav)


@pytest.mark.parametrize("page", [1, 2, 20, 43, 44])
def test_a_long_list_links_the_pages_near_the_current_one_and_both_ends(client, library, monkeypatch, page):
    monkeypatch.setattr(views, "PAGE_SIZE", 1)  # 44 pages
    body = client.get(f"/cases/?page={page}").content.decode()
    shown = ["".join(parts) for parts in _page_links(body)]
    numbers = {int(s) for s in shown if s != "…"}
    assert len(shown) <= 15
    assert {1, 2, 43, 44} <= numbers
    assert {n for n in range(page - 3, page + 4) if 1 <= n <= 44} <= numbers
    if page == 20:
        assert shown.count("…") == 2 and f'aria-current="page">{page}<' in body


def test_a_short_list_links_every_page(client, library):
    body = client.get("/cases/").content.decode()  # 44 cases, 3 pages
    assert ["".join(parts) for parts in _page_links(body)] == ["1", "2", "3"]
