"""Probes for load balancers and orchestrators, and the benchmark's trivial view.

/healthz: the process answers (no database, no cache), for liveness.
/readyz: can this app server serve? Every database alias and the cache are checked. 503 only when the
primary database fails (nothing can be served then); a failed cache or replica answers 200 with
``"status": "degraded"``: the site keeps serving without them (portal/redis_cache.py), and a Redis
outage must not make the load balancer take every app server out of rotation at once.
The public answer says only ok/failed per check; the reason goes to the log.
"""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.cache import never_cache

from portal.redis_cache import cache_available

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
        breaker = getattr(cache, "breaker", None)
        reason = breaker.last_error if breaker is not None and not cache_available(cache) else ""
        raise RuntimeError(reason or "cache did not return what was stored")
    cache.delete(key)


@never_cache
def readyz(request):
    checks = {f"database:{alias}": (lambda alias=alias: _check_database(alias)) for alias in connections}
    checks["cache"] = _check_cache
    results = {}
    for name, check in checks.items():
        try:
            check()
        except Exception as exc:
            results[name] = "failed"
            logger.warning(
                "readiness check failed: %s: %s",
                name,
                f"{type(exc).__name__}: {exc}"[:300],
                extra={"check": name, "error": f"{type(exc).__name__}: {exc}"[:300]},
            )
        else:
            results[name] = "ok"
    if results[f"database:{DEFAULT_DB_ALIAS}"] != "ok":
        status, code = "unavailable", 503
    elif "failed" in results.values():
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return JsonResponse({"status": status, "checks": results}, status=code)


def ceiling(request):
    """The cheapest possible Django view: the benchmark's upper bound for throughput."""
    return HttpResponse(b"ok", content_type="text/plain")


def benchmark_urls() -> list:
    """URL patterns that exist only when DJANGO_BENCH_CEILING=1 (benchmarks/load.sh sets it)."""
    return [path("bench/ceiling", ceiling, name="bench-ceiling")] if settings.BENCHMARK_CEILING else []
