"""Page rendering in one process, page cache off: the median time of each page type, and its SQL queries.

    .venv/bin/python benchmarks/render_bench.py                      # SQLite, the real 44 cases
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_render_bench \\
        .venv/bin/python benchmarks/render_bench.py --size 20000      # + 20,000 synthetic cases
    .venv/bin/python benchmarks/render_bench.py --profile search     # where the time of one page goes

Requests go through the whole Django stack (middleware, view, templates) with the test client; each
page is requested once to warm the process (imports, the first query, process-wide memos), then
``--repeats`` times. Without DATABASE_URL the script uses a SQLite file of its own
(benchmarks/results/render_bench.sqlite3). ``--size N`` adds N synthetic cases with
benchmarks/search_bench.py's generator (use a database of its own). The load average is printed
before and after: on a shared machine compare pages and runs taken at the same time, not absolutes.
The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

import _django  # noqa: E402
from _django import ROOT  # noqa: E402

_django.setup(
    DJANGO_SECRET_KEY="render-bench-only-" + "x" * 40,
    DJANGO_ALLOWED_HOSTS="testserver",
    DJANGO_SECURE_SSL_REDIRECT="0",
    DJANGO_LOG_LEVEL="WARNING",
    DJANGO_DEBUG="0",
    DJANGO_PAGE_CACHE="0",
    DATABASE_URL=f"sqlite:///{ROOT / 'benchmarks' / 'results' / 'render_bench.sqlite3'}",
)

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from page_types import PAGES  # noqa: E402 - benchmarks/ is the script's directory


def _get(client: Client, path: str):
    headers = {"HTTP_ACCEPT": "application/json"} if path.startswith("/api/") else {}
    response = client.get(path, **headers)
    assert response.status_code == 200, (path, response.status_code)
    return response


def measure(client: Client, path: str, repeats: int) -> tuple[float, float, float, int]:
    """(median wall ms, median CPU ms of this process, first request ms, SQL queries of a warm request).

    The CPU time counts only this process's own work (not the database server's, nor the time spent
    waiting for a core), so on a loaded machine it varies less than the wall time.
    """
    started = time.perf_counter()
    _get(client, path)
    first = (time.perf_counter() - started) * 1000
    wall, cpu = [], []
    for _ in range(repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        _get(client, path)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    with CaptureQueriesContext(connection) as queries:
        _get(client, path)
    return statistics.median(wall), statistics.median(cpu), first, len(queries)


def profile(client: Client, path: str, repeats: int) -> None:
    _get(client, path)
    try:
        from pyinstrument import Profiler
    except ImportError:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(repeats):
            _get(client, path)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        return
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(repeats):
        _get(client, path)
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False, show_all=False))


def prepare(size: int) -> int:
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # as in production (hashed names)
    from cases.models import Case
    from cases.services import load_library

    if not Case.objects.exclude(slug__startswith="bench-").exists():
        load_library(settings.LIBRARY_FIXTURE)
    if size:
        from benchmarks import search_bench

        existing = Case.objects.filter(slug__startswith=search_bench.BENCH_PREFIX).count()
        if existing != size:
            search_bench.build_library(size)
    return Case.objects.published().count()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=0, help="synthetic cases to add (a database of its own)")
    parser.add_argument("--repeats", type=int, default=30, help="timed requests per page")
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated page types")
    parser.add_argument("--profile", metavar="PAGE", help="profile one page type instead of timing")
    args = parser.parse_args()
    if args.size and connection.vendor == "sqlite":
        print(
            "note: --size on SQLite works, but issue 16's 20,000-case figure is for PostgreSQL",
            file=sys.stderr,
        )
    cases = prepare(args.size)
    settings.PAGE_CACHE_ENABLED = False
    client = Client()
    if args.profile:
        profile(client, PAGES[args.profile], args.repeats)
        return
    load_before = os.getloadavg()
    results = {}
    print(f"{cases} published cases on {connection.vendor}; load average {load_before}", file=sys.stderr)
    print("| page | path | median ms | median CPU ms | first request ms | SQL queries |", file=sys.stderr)
    print("| --- | --- | ---: | ---: | ---: | ---: |", file=sys.stderr)
    for name in args.pages.split(","):
        median, cpu, first, queries = measure(client, PAGES[name], args.repeats)
        results[name] = {
            "median_ms": round(median, 2),
            "cpu_ms": round(cpu, 2),
            "first_ms": round(first, 1),
            "queries": queries,
        }
        print(
            f"| {name} | `{PAGES[name]}` | {median:.1f} | {cpu:.1f} | {first:.0f} | {queries} |",
            file=sys.stderr,
        )
    load_after = os.getloadavg()
    print(f"load average after {load_after}", file=sys.stderr)
    print(
        json.dumps(
            {
                "cases": cases,
                "backend": connection.vendor,
                "repeats": args.repeats,
                "pages": results,
                "load_before": [round(x, 2) for x in load_before],
                "load_after": [round(x, 2) for x in load_after],
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
