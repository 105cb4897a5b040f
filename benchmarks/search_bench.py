"""Search benchmark: a synthetic library of N cases, timed against a naive icontains scan.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_search_bench \\
        .venv/bin/python benchmarks/search_bench.py --size 20000

Use a database of its own: the script migrates it, loads the real library if missing, replaces
earlier synthetic cases (slugs starting with "bench-") with N new ones made by recombining the
real paragraphs (each synthetic case takes a real case's unit, title words and themes, and 10-16
real paragraphs from several cases, so lengths and vocabulary are realistic), builds the index in
batches (one segmentation per distinct paragraph), then times the queries below through
``cases.search.apply_search`` (first page of 20 plus the total count, as the list page does) and
through a plain ``icontains`` scan; then GET /api/v1/suggest/ for typed prefixes (Chinese and
pinyin, through the whole Django stack), and the first search of a freshly started process. The
load average is read before and after. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time

import _django  # noqa: E402
from _django import ROOT  # noqa: E402

_django.setup(DJANGO_DEBUG="1")

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Q  # noqa: E402

from awards.models import AwardTier, Notice  # noqa: E402
from cases.models import Case, CaseSection  # noqa: E402
from cases.search import apply_search  # noqa: E402
from cases.search.index import backend, build_doc, case_texts  # noqa: E402

SUGGEST_INPUTS = [
    "凉",
    "凉山",
    "彭",
    "便民",
    "帮办",
    "一件事",
    "政务",
    "雅安",
    "金融",
    "出生",
    "双语",
    "pengs",
    "ywtb",
    "liangsh",
    "bianmin",
    "zhengwu",
]
from cases.services import load_library  # noqa: E402

QUERIES = [
    # places, short and long forms
    "彭山",
    "雷波县",
    "凉山",
    "凉山彝族自治州",
    "甘孜",
    "鄢家",
    "珙县",
    "宝兴",
    "成都市",
    "西昌",
    # topics and brands
    "帮办代办",
    "一件事一次办",
    "政务+金融",
    "政务服务+金融",
    "藏汉双语",
    "亲民化",
    "告知承诺制",
    "12345",
    "农商行",
    "柑橘产业",
    "便民服务",
    # variants and traditional characters
    "欢荟办",
    "涼山州",
    "幫辦代辦",
    # several words
    "凉山 金融",
    "雅安 双语",
    "彭山 出生",
    # questions
    "少数民族地区怎么开展双语服务",
    "哪些地方把金融服务送到村里",
    "便民服务中心能办理告知承诺制吗",
    # should find nothing
    "量子计算机",
    "北京市海淀区",
]
BENCH_PREFIX = "bench-"
PER_NOTICE = 30000  # case numbers are small integers: one synthetic notice per 30,000 cases


def _real_material():
    cases = list(
        Case.objects.exclude(slug__startswith=BENCH_PREFIX)
        .select_related("unit__prefecture")
        .prefetch_related("themes", "sections")
    )
    paragraphs = [p for c in cases for s in c.sections.all() if s.heading for p in s.paragraphs if p]
    headings = sorted({s.heading for c in cases for s in c.sections.all() if s.heading})
    return cases, paragraphs, headings


def _clear_synthetic() -> None:
    # Plain SQL: the ORM's delete would send a signal (and re-index) per case.
    like = BENCH_PREFIX + "%"
    synthetic = "SELECT id FROM cases_case WHERE slug LIKE %s"
    with connection.cursor() as cursor:
        for table, column in (
            ("cases_searchdocument", "case_id"),
            ("cases_casesection", "case_id"),
            ("cases_case_themes", "case_id"),
            ("cases_erratum", "case_id"),
        ):
            cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({synthetic})", [like])
        if connection.vendor == "sqlite":
            cursor.execute(f"DELETE FROM cases_search_fts WHERE rowid IN ({synthetic})", [like])
        cursor.execute("DELETE FROM cases_case WHERE slug LIKE %s", [like])
        notices = "SELECT id FROM awards_notice WHERE slug LIKE %s"
        cursor.execute(f"DELETE FROM awards_awardtier WHERE notice_id IN ({notices})", [like])
        cursor.execute("DELETE FROM awards_notice WHERE slug LIKE %s", [like])


def build_library(size: int, seed: int = 35) -> tuple[int, float]:
    """Create ``size`` synthetic cases and index them; returns (cases, index build seconds)."""
    rng = random.Random(seed)
    phase = time.perf_counter()
    real, paragraphs, headings = _real_material()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Synthetic data: losing it in a crash is fine, waiting for each flush is not.
            cursor.execute("SET synchronous_commit TO off")
    real_notice = Notice.objects.exclude(slug__startswith=BENCH_PREFIX).first()
    with transaction.atomic():
        _clear_synthetic()
        tiers = []
        for block in range((size + PER_NOTICE - 1) // PER_NOTICE):
            notice = Notice.objects.create(
                number=f"基准测试〔{block + 1}〕号",
                slug=f"{BENCH_PREFIX}{block + 1}",
                title="检索基准测试用合成案例",
                issuer="基准测试",
                issued_on=real_notice.issued_on,
                year=real_notice.year,
            )
            tiers.append(
                AwardTier.objects.create(
                    notice=notice,
                    slug="excellent",
                    name="优秀案例",
                    attachment_number=2,
                    declared_count=PER_NOTICE,
                )
            )
    cases_by_id = {}
    batch_cases, batch_sections, batch_themes = [], [], []
    created = 0
    for i in range(size):
        template = rng.choice(real)
        other = rng.choice(real)
        body = rng.sample(paragraphs, rng.randint(10, 16))
        sections_heads = rng.sample(headings, 3)
        case = Case(
            notice_id=tiers[i // PER_NOTICE].notice_id,
            tier=tiers[i // PER_NOTICE],
            number=i % PER_NOTICE + 1,
            title=f"{template.title[: len(template.title) // 2]}{other.title[len(other.title) // 2 :]}",
            unit_id=template.unit_id,
            slug=f"{BENCH_PREFIX}{i + 1}",
            summary=template.summary,
            status=Case.Status.PUBLISHED,
        )
        batch_cases.append((case, template, body, sections_heads))
        if len(batch_cases) >= 2000 or i == size - 1:
            with transaction.atomic():
                Case.objects.bulk_create([c for c, *_ in batch_cases])
                for case, template, body, heads in batch_cases:
                    cut = len(body) // 3
                    parts = [body[:cut], body[cut : 2 * cut], body[2 * cut :]]
                    sections = [CaseSection(case=case, order=1, heading="", paragraphs=[case.summary])]
                    for order, (head, paras) in enumerate(zip(heads, parts, strict=True), start=2):
                        sections.append(CaseSection(case=case, order=order, heading=head, paragraphs=paras))
                    batch_sections += sections
                    themes = list(template.themes.all())
                    batch_themes += [Case.themes.through(case_id=case.pk, theme_id=t.pk) for t in themes]
                    # What case_texts reads, kept in memory for the index build below.
                    case.unit = template.unit
                    case._prefetched_objects_cache = {"sections": sections, "themes": themes}
                    cases_by_id[case.pk] = case
                CaseSection.objects.bulk_create(batch_sections)
                Case.themes.through.objects.bulk_create(batch_themes)
            created += len(batch_cases)
            batch_cases, batch_sections, batch_themes = [], [], []
            if created % 10000 == 0 or created == size:
                print(
                    f"  {created} cases written, {time.perf_counter() - phase:.0f} s",
                    file=sys.stderr,
                    flush=True,
                )
    with connection.cursor() as cursor:
        # As autovacuum would after a load this size; not part of the index build time.
        for table in ("cases_case", "cases_casesection", "cases_case_themes"):
            cursor.execute(f"ANALYZE {table}")
    # Index: the texts come from memory (as case_texts reads them), so the time measured is
    # segmentation + writing.
    started = time.perf_counter()
    be = backend()
    docs = []
    indexed = 0
    with transaction.atomic():
        be.begin_bulk()
        for case_id, case in cases_by_id.items():
            docs.append(build_doc(case_id, case_texts(case)))
            if len(docs) >= 1000:
                be.write(docs, fresh=True)
                docs = []
                indexed += 1000
                if indexed % 10000 == 0:
                    elapsed = time.perf_counter() - started
                    print(f"  {indexed} cases indexed, {elapsed:.0f} s", file=sys.stderr, flush=True)
        be.write(docs, fresh=True)
        be.end_bulk()
    elapsed = time.perf_counter() - started
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a load this size (visibility map for index-only scans,
        # planner statistics); not part of the index build time.
        with connection.cursor() as cursor:
            for table in ("cases_case", "cases_searchdocument", "cases_search_impact"):
                cursor.execute(f"VACUUM ANALYZE {table}")
    return created, elapsed


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * pct
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def _time(fn, repeats: int, warm: bool = True) -> list[float]:
    if warm:
        fn()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def run_search(query: str):
    outcome = apply_search(Case.objects.published(), query)
    return list(outcome.queryset[:20]), outcome.queryset.count()


def run_baseline(query: str):
    qs = (
        Case.objects.published()
        .filter(
            Q(title__icontains=query)
            | Q(title_in_compendium__icontains=query)
            | Q(unit__name__icontains=query)
            | Q(summary__icontains=query)
            | Q(sections__paragraphs__icontains=query)
        )
        .distinct()
    )
    return list(qs[:20]), qs.count()


def run_suggest(client, text: str):
    response = client.get("/api/v1/suggest/", {"q": text})
    assert response.status_code == 200, response.status_code
    return response.json()


FIRST_SEARCH = """
import sys, time
sys.path.insert(0, {benchmarks!r})
started = time.perf_counter()
import _django
_django.setup(DJANGO_DEBUG="1")
ready = time.perf_counter()
from cases.models import Case
from cases.search import apply_search
outcome = apply_search(Case.objects.published(), {query!r})
list(outcome.queryset[:20]); outcome.queryset.count()
done = time.perf_counter()
print(round((ready - started) * 1000, 1), round((done - ready) * 1000, 1))
"""


def first_search_ms(query: str) -> tuple[float, float]:
    """(process start to ready, then the first search) in a fresh interpreter, in ms."""
    code = FIRST_SEARCH.format(benchmarks=str(ROOT / "benchmarks"), query=query)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ
    )
    start, first = out.stdout.split()
    return float(start), float(first)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000, help="number of synthetic cases")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per query")
    parser.add_argument("--baseline-repeats", type=int, default=1, help="timed icontains runs per query")
    parser.add_argument(
        "--reuse", action="store_true", help="keep an existing synthetic library of that size"
    )
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    existing = Case.objects.filter(slug__startswith=BENCH_PREFIX).count()
    if not (args.reuse and existing == args.size):
        with transaction.atomic():
            _clear_synthetic()
    load_library(settings.LIBRARY_FIXTURE)
    if args.reuse and existing == args.size:
        created, build_s = existing, None
    else:
        created, build_s = build_library(args.size)
    print(
        f"library: {created} synthetic + 44 real cases; index build {build_s and round(build_s, 1)} s",
        file=sys.stderr,
    )

    load_before = os.getloadavg()
    search_ms, baseline_ms = [], []
    for query in QUERIES:
        s = _time(lambda q=query: run_search(q), args.repeats)
        # The scan reads the whole table each time; one run per query is representative and
        # keeps the 100,000-case run within reach.
        b = _time(lambda q=query: run_baseline(q), args.baseline_repeats, warm=False)
        search_ms += s
        baseline_ms += b
        print(
            f"{query:<24} search {statistics.median(s):8.1f} ms   icontains {statistics.median(b):8.1f} ms",
            file=sys.stderr,
        )
    from django.test import Client
    from django.test.utils import override_settings

    client = Client()
    suggest_ms = []
    # The page cache off: every answer is computed, as on a first request.
    with override_settings(API_ANON_RATE=None, ALLOWED_HOSTS=["testserver"], PAGE_CACHE_ENABLED=False):
        for text in SUGGEST_INPUTS:
            suggest_ms += _time(lambda t=text: run_suggest(client, t), args.repeats)
    firsts = [first_search_ms(q) for q in ("便民服务", "彭山 出生", "帮班代办")]
    load_after = os.getloadavg()
    print(
        f"suggest p50 {_percentile(suggest_ms, 0.5):.1f} ms p95 {_percentile(suggest_ms, 0.95):.1f} ms; "
        f"first search after start {[f for _, f in firsts]} ms",
        file=sys.stderr,
    )
    result = {
        "size": created,
        "backend": connection.vendor,
        "queries": len(QUERIES),
        "p50_ms": round(_percentile(search_ms, 0.5), 2),
        "p95_ms": round(_percentile(search_ms, 0.95), 2),
        "baseline_p50_ms": round(_percentile(baseline_ms, 0.5), 2),
        "baseline_p95_ms": round(_percentile(baseline_ms, 0.95), 2),
        "speedup_p50": round(_percentile(baseline_ms, 0.5) / max(_percentile(search_ms, 0.5), 1e-9), 1),
        "speedup_p95": round(_percentile(baseline_ms, 0.95) / max(_percentile(search_ms, 0.95), 1e-9), 1),
        "index_build_s": build_s and round(build_s, 1),
        "suggest_p50_ms": round(_percentile(suggest_ms, 0.5), 2),
        "suggest_p95_ms": round(_percentile(suggest_ms, 0.95), 2),
        "startup_ms": max(s for s, _ in firsts),
        "first_search_ms": max(f for _, f in firsts),
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in load_after],
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
