"""The permission matrix: every role × every admin write path × a draft and a published case.

Each cell is real admin requests as a browser sends them (the page's form, its CSRF token, a client
that enforces CSRF), then what the public site shows: the case page ``/cases/<slug>/`` and
``GET /api/v1/cases/?q=…``, with the page cache on (primed before the write), so a path that the
search index or the cache does not follow fails too. Besides the public view each cell checks the
write's effect: applied (LIVE), held for review (HELD: a waiting CaseChange with the new content),
or nothing (NONE). An editor must never change what the public sees.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.db import connection

from cases.models import Case, CaseChange

from .conftest import ROLES
from .matrix_paths import HELD, LIVE, PATHS, Ctx

pytestmark = pytest.mark.django_db


@pytest.fixture
def matrix_case(library):
    """A case whose unit is public through it alone (so the unit path depends on its status)."""
    return next(
        c
        for c in Case.objects.order_by("pk").select_related("unit")
        if c.unit.cases.count() == 1 and not c.unit.organizing_awards.exists() and c.errata.exists()
    )


@contextmanager
def committed(capture):
    """As if the block's transaction committed: its on-commit callbacks (the page cache's
    invalidation) run, and are then gone, as after a real commit (the test's transaction never
    commits, and a callback still queued would stop the next write from queueing its own)."""
    start = len(connection.run_on_commit)
    with capture(execute=True):
        yield
    del connection.run_on_commit[start:]


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("state", ["draft", "published"])
@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
@pytest.mark.parametrize("role", ROLES)
def test_matrix(
    role, path, state, matrix_case, browsers, reader, page_cache_on, django_capture_on_commit_callbacks
):
    published = state == "published"
    case = matrix_case
    Case.objects.filter(pk=case.pk).update(status=Case.Status.PUBLISHED if published else Case.Status.DRAFT)
    case.refresh_from_db()
    ctx = Ctx(case=case, reader=reader, extra={})
    with committed(django_capture_on_commit_callbacks):
        path.prepare(ctx)
    live_before, public_before = path.live(ctx), path.public(ctx)  # also primes the page cache
    pending_before = set(
        CaseChange.objects.filter(state=CaseChange.State.PENDING).values_list("pk", flat=True)
    )

    with committed(django_capture_on_commit_callbacks):
        path.act(browsers[role], ctx)

    effect = path.effect(role, published)
    held = CaseChange.objects.filter(state=CaseChange.State.PENDING).exclude(pk__in=pending_before)
    if effect == LIVE:
        assert path.live(ctx), "the write should have been applied"
        assert not held.exists()
    elif effect == HELD:
        assert not path.live(ctx), "the write should have been held, not applied"
        assert [c for c in held if path.held(ctx, c.payload)], "no held change carries the write"
    else:
        assert path.live(ctx) == live_before, "the write should have been refused"
        assert not held.exists()
    assert path.public(ctx) == path.expect_public(effect, role, published), "what the public sees"
    if role == "editor" and published:
        assert path.public(ctx) == public_before, "an editor changed what the public sees"
