"""Every page type makes a fixed number of SQL queries: not one more for a longer page or a larger library."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case, CaseSection
from cases.search import batched
from portal import memo

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("version_read_as_in_production")]

# Page type -> (path, the most queries it may make when the process has computed what depends only on
# the library (portal.memo), the most it may make when it computes everything).
PAGES = {
    "home": ("/", 0, 10),
    "list": ("/cases/", 3, 12),
    "list page 2": ("/cases/?page=2", 3, 12),
    "list by prefecture page 2": ("/cases/?sort=prefecture&page=2", 5, 14),
    "filtered list": ("/cases/?tier=excellent&theme=finance&theme=one-thing-once", 3, 12),
    # Searches: a search page is kept per library version (none when kept); computed, the word counts
    # are memoised (read in one query),
    # the related/common split is counted in one query and the readings reuse the counts read.
    "search": ("/cases/?q=便民服务", 0, 17),
    "search filtered": ("/cases/?q=便民服务&tier=excellent", 0, 17),
    "case": ("/cases/2021-best-01/", 4, 13),
    "prefecture": ("/prefectures/511800/", 4, 5),
    "prefectures": ("/prefectures/", 1, 3),
    "statistics": ("/statistics/", 0, 8),
    "api list": ("/api/v1/cases/", 0, 8),
    "api search": ("/api/v1/cases/?q=便民服务", 0, 12),
    "api detail": ("/api/v1/cases/1/", 6, 6),
}


def queries(client, path) -> int:
    client.get(path)  # the first request of a process may fill process-wide memos; count the next one
    with CaptureQueriesContext(connection) as context:
        response = client.get(path, HTTP_ACCEPT="application/json" if path.startswith("/api/") else "")
    assert response.status_code == 200, (path, response.status_code)
    return len(context.captured_queries)


def add_cases(count: int) -> None:
    """``count`` more published cases, copies of real ones (same unit, tier, themes, texts) under new numbers."""
    originals = list(Case.objects.published().prefetch_related("sections", "themes").order_by("pk")[:count])
    with batched():  # as a bulk script would: one re-index at the end, not one per row
        _copy_cases(originals, count)


def _copy_cases(originals, count: int) -> None:
    for index, original in enumerate(originals * (count // len(originals) + 1)):
        if index == count:
            break
        sections, themes = list(original.sections.all()), list(original.themes.all())
        copy = Case.objects.get(pk=original.pk)
        copy.pk = None
        copy.slug = f"extra-{index}"
        copy.number = 1000 + index
        copy.title = f"{original.title}（副本{index}）"
        copy.save()
        for section in sections:
            CaseSection.objects.create(
                case=copy, order=section.order, heading=section.heading, paragraphs=section.paragraphs
            )
        copy.themes.set(themes)


@pytest.mark.parametrize("page", PAGES)
def test_queries_per_page_are_few_and_do_not_grow_with_the_library(client, library, page):
    path, warm_bound, cold_bound = PAGES[page]
    warm = queries(client, path)
    assert warm <= warm_bound, f"{page}: {warm} queries with the memos filled"
    # From here this test's transaction holds edits of the library: nothing is memoised, every request
    # computes everything, as the first request after an editor's save does.
    memo.forget()
    cold = queries(client, path)
    assert cold <= cold_bound, f"{page}: {cold} queries computing everything"
    add_cases(6)
    assert queries(client, path) == cold


def test_a_full_list_page_makes_as_many_queries_as_a_short_one(client, library):
    full = queries(client, "/cases/")  # 20 cases
    short = queries(client, "/cases/?page=3")  # the last 4
    one = queries(client, "/cases/?tier=best&prefecture=513400")  # 1 case
    assert full == short == one


@pytest.mark.parametrize("path", ["/api/v1/cases/", "/api/v1/cases/?q=便民服务"])
def test_an_api_page_of_100_makes_as_many_queries_as_a_page_of_1(client, library, path):
    joiner = "&" if "?" in path else "?"
    assert queries(client, f"{path}{joiner}page_size=1") == queries(client, f"{path}{joiner}page_size=100")
