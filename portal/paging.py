"""Pages of a long list of cases: one page size, one reading of ``?page=``, one set of page links.

Every public page that lists cases (the case list, a prefecture, a unit, an award tier) goes through
``choose_page``: a page number that is not a positive whole number shows page 1 and one beyond the
end shows the last page, each with a message in Chinese, never an error.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator

from portal.query import parse_positive_int

PAGE_SIZE = 20


def choose_page(paginator: Paginator, raw: str | None, messages: list[str]) -> Page:
    """The page ``raw`` (the ``page`` parameter as given) names, or page 1 / the last page with a message."""
    if raw in (None, ""):
        return paginator.page(1)
    number = parse_positive_int(raw)
    digits = raw.strip()
    if number is None and digits.isascii() and digits.isdigit() and digits.lstrip("0"):
        number = paginator.num_pages + 1  # a whole number past what we read (10**40): past the end too
    if number is None:
        messages.append("页码应为正整数，已显示第 1 页。")
        return paginator.page(1)
    if number > paginator.num_pages:
        messages.append(f"页码超出范围（共 {paginator.num_pages} 页），已显示最后一页。")
        return paginator.page(paginator.num_pages)
    return paginator.page(number)


def page_links(page: Page, prefix: str) -> dict:
    """What ``includes/pagination.html`` draws: ``prefix`` is the address a page link appends
    ``page=N`` to (``/cases/?tier=best&`` or ``/units/3/?``)."""
    paginator = page.paginator
    return {
        "page": page,
        "paginator": paginator,
        # A few pages around this one and both ends (every page while there are few): at 20,000
        # cases a link to each of the 1,000 pages was most of the page's time.
        "page_numbers": list(paginator.get_elided_page_range(page.number, on_each_side=3, on_ends=2)),
        "page_prefix": prefix,
    }
