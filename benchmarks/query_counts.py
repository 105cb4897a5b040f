"""Count the SQL queries each page type makes, with the page cache off and on.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_prod_bench .venv/bin/python benchmarks/query_counts.py

Reads the pages from benchmarks/urls.txt and prints a Markdown table for docs/benchmarks.md.
"""

import _django
from _django import ROOT

_django.setup(
    DJANGO_SECRET_KEY="query-counts-only-" + "x" * 40,
    DJANGO_ALLOWED_HOSTS="testserver",
    DJANGO_SECURE_SSL_REDIRECT="0",
    DJANGO_BENCH_CEILING="1",
    DJANGO_LOG_LEVEL="WARNING",
)

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def count(client: Client, path: str) -> tuple[int, int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response.status_code, len(queries), response.get("X-Page-Cache", "")


def main() -> None:
    urls = ROOT / "benchmarks" / "urls.txt"
    pages = [
        line.split() for line in urls.read_text().splitlines() if line.strip() and not line.startswith("#")
    ]
    client = Client()
    print("| page | path | status | queries (page cache off) | queries (page cache hit) |")
    print("| --- | --- | --- | ---: | ---: |")
    for name, path in pages:
        settings.PAGE_CACHE_ENABLED = False
        count(client, path)  # first request opens the connection and warms Django's own caches
        status, uncached, _ = count(client, path)
        settings.PAGE_CACHE_ENABLED = True
        cache.clear()
        count(client, path)
        _, hit, state = count(client, path)
        if state == "hit":
            hit_text = str(hit)
        elif state == "bypass":
            hit_text = "— (never cached)"
        else:
            hit_text = f"— (a {status} is not cached)"
        print(f"| {name} | `{path}` | {status} | {uncached} | {hit_text} |")


if __name__ == "__main__":
    main()
