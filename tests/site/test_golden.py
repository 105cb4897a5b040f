"""A speed-up cannot silently change what readers get: the results, facet counts and texts of a set of
list, search, case and other public pages, and the API's JSON, are held to golden files on the real
library (tests/site/golden/).

After an intended change of what a page shows, rewrite the files and review their diff:

    GOLDEN_REGENERATE=1 .venv/bin/python -m pytest tests/site/test_golden.py
"""

import pytest
from django.db import connection

from tests.site.golden import api_record, check, page_record

pytestmark = pytest.mark.django_db

PAGES = {
    "home": "/",
    "list": "/cases/",
    "list-page-2": "/cases/?page=2",
    "list-by-prefecture-page-2": "/cases/?sort=prefecture&page=2",
    "filtered": "/cases/?tier=best&prefecture=513400",
    "filtered-theme-level": "/cases/?theme=finance&theme=one-thing-once&level=township",
    "filtered-nothing": "/cases/?tier=best&level=prefecture&theme=oversight",
    "filtered-bad-values": "/cases/?tier=nope&prefecture=513400&page=99&sort=odd",
    "search-place": "/cases/?q=凉山",
    "search-topic": "/cases/?q=帮办代办",
    "search-filtered": "/cases/?q=便民服务&tier=excellent&sort=prefecture",
    "search-relevance-page-2": "/cases/?q=服务&page=2",
    "search-typo": "/cases/?q=帮半代办",
    "search-nothing": "/cases/?q=量子计算机",
    "case-best": "/cases/2021-best-01/",
    "case-excellent": "/cases/2021-excellent-17/",
    "prefectures": "/prefectures/",
    "prefecture": "/prefectures/513400/",
    "unit": "/units/3/",
    "notice": "/notices/chuanzhenggonghan-2022-35/",
    "tier": "/notices/chuanzhenggonghan-2022-35/best/",
    "statistics": "/statistics/",
}

API = {
    "api-cases": "/api/v1/cases/",
    "api-cases-search": "/api/v1/cases/?q=凉山",
    "api-cases-filtered": "/api/v1/cases/?tier=excellent&theme=finance&ordering=-updated",
    "api-case": "/api/v1/cases/1/",
    "api-prefectures": "/api/v1/prefectures/",
    "api-themes": "/api/v1/themes/",
}


@pytest.mark.parametrize("name", PAGES)
def test_page_shows_what_its_golden_file_holds(client, library, name):
    # Twice: the first request computes what the process keeps per library version, the second reuses it.
    for _ in range(2):
        check(name, page_record(client.get(PAGES[name])), connection.vendor)


@pytest.mark.parametrize("name", API)
def test_api_answers_what_its_golden_file_holds(client, library, name):
    for _ in range(2):
        check(name, api_record(client.get(API[name], HTTP_ACCEPT="application/json")), connection.vendor)
