"""Warm a server process before it takes requests, so the first reader is served as fast as the second.

``warm_process()`` does what needs no database: the search dictionary (jieba), the URL patterns, the
public templates compiled by the cached loader. gunicorn calls it in the master after loading the
application (``preload_app``), so every worker shares those pages of memory.

``warm_worker()`` opens the database connection and requests one page of each type through the whole
Django stack, filling this process's memos (portal.memo) and the lazy imports of the views. gunicorn
calls it in each worker after it loaded the application (``post_worker_init``). A failure is logged
and ignored: a worker that could not warm still serves.
"""

from __future__ import annotations

import logging
import time

logger = logging.getLogger("portal.warmup")

TEMPLATES = [
    "base.html",
    "home.html",
    "cases/case_list.html",
    "cases/case_detail.html",
    "includes/case_card.html",
    "includes/facet_option.html",
    "awards/prefecture_detail.html",
    "awards/prefecture_list.html",
    "insights/statistics.html",
    "insights/_map.html",
    "insights/_bar_chart.html",
    "404.html",
]


def warm_process() -> float:
    """Load what every worker needs and no database: returns the seconds it took."""
    started = time.perf_counter()
    from django.template.loader import get_template
    from django.urls import get_resolver

    from cases.search import segmenter
    from portal.release import release_id

    release_id()  # the page cache keys on it: digested once, here
    get_resolver().url_patterns  # noqa: B018 - imports every view module
    for name in TEMPLATES:
        get_template(name)
    segmenter.get_segmenter().initialize()  # jieba's dictionary and the domain lexicon
    segmenter.warm()  # and its adjectives and adverbs (the particle 地), off every other process's start
    return time.perf_counter() - started


def _host() -> str:
    from django.conf import settings

    for host in settings.ALLOWED_HOSTS:
        host = host.lstrip(".")
        if host and host != "*":
            return host
    return "localhost"


def warm_paths() -> list[str]:
    """One page of each type, for the library in the database."""
    from awards.models import Prefecture
    from cases.models import Case

    paths = ["/", "/cases/", "/cases/?tier=best", "/cases/?q=便民服务", "/prefectures/", "/statistics/"]
    paths.append("/api/v1/cases/")
    case = Case.objects.published().order_by("pk").first()
    if case is not None:
        paths += [case.get_absolute_url(), f"/api/v1/cases/{case.pk}/"]
    prefecture = Prefecture.objects.order_by("order").first()
    if prefecture is not None:
        paths.append(prefecture.get_absolute_url())
    return paths


def warm_worker() -> float:
    """Request one page of each type in this process: returns the seconds it took."""
    started = time.perf_counter()
    from django.db import close_old_connections
    from django.test import Client
    from django.urls import set_script_prefix

    try:
        client = Client(HTTP_HOST=_host(), headers={"accept": "text/html"})
        for path in warm_paths():
            accept = "application/json" if path.startswith("/api/") else "text/html"
            client.get(path, secure=True, HTTP_ACCEPT=accept)
    except Exception:  # a worker that could not warm still serves
        logger.exception("warm-up failed")
    finally:
        set_script_prefix("/")  # the test client's requests set it; the real ones will again
        close_old_connections()
    return time.perf_counter() - started
