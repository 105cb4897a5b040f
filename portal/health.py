"""Probes for load balancers and orchestrators, and the benchmark's trivial view.

/healthz: the process answers (no database, no cache), for liveness.
/readyz: every database alias and the cache answer, for readiness; 503 with the failing part otherwise.
"""

import logging
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


def _check_database(alias: str) -> None:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache() -> None:
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=5)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return what was stored")
    cache.delete(key)


@never_cache
def readyz(request):
    checks = {f"database:{alias}": (lambda alias=alias: _check_database(alias)) for alias in connections}
    checks["cache"] = _check_cache
    results = {}
    ok = True
    for name, check in checks.items():
        started = time.perf_counter()
        try:
            check()
        except Exception as exc:
            ok = False
            results[name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
            logger.warning("readiness check failed: %s", name, extra={"check": name, "error": str(exc)[:300]})
        else:
            results[name] = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 2)}
    return JsonResponse(
        {"status": "ok" if ok else "unavailable", "checks": results}, status=200 if ok else 503
    )


def ceiling(request):
    """The cheapest possible Django view: the benchmark's upper bound for throughput."""
    return HttpResponse(b"ok", content_type="text/plain")


def benchmark_urls() -> list:
    """URL patterns that exist only when DJANGO_BENCH_CEILING=1 (benchmarks/load.sh sets it)."""
    return [path("bench/ceiling", ceiling, name="bench-ceiling")] if settings.BENCHMARK_CEILING else []
