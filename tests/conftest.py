import pytest
from django.conf import settings

from awards.models import Notice
from cases.services import load_library
from portal import memo
from portal.cache import bump_library_version
from tests import library_snapshot


@pytest.fixture(autouse=True)
def _fresh_memos():
    """Each test starts without values memoised by an earlier one (whose writes were rolled back)."""
    memo.clear()
    yield
    memo.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real library once into the test database; tests roll back their own changes."""
    with django_db_blocker.unblock():
        load_library(settings.LIBRARY_FIXTURE)


def _ensure_library():
    # Transactional tests (live server, browser) flush the database when they end. The first load
    # into a flushed database is copied; later ones restore that copy (the same rows, in ms).
    if Notice.objects.exists():
        return
    if library_snapshot.usable() and library_snapshot.restore():
        bump_library_version()  # as load_library does last
        return
    load_library(settings.LIBRARY_FIXTURE)
    if library_snapshot.usable():
        library_snapshot.take()


@pytest.fixture
def library(db):
    _ensure_library()
    return Notice.objects.get(number="川政公函〔2022〕35号")


@pytest.fixture
def transactional_library(transactional_db):
    _ensure_library()
    return Notice.objects.get(number="川政公函〔2022〕35号")


@pytest.fixture(autouse=True)
def _fresh_page_cache_process_state():
    """Each test starts with no page held by this process and no library version remembered: the
    version is a database row, and a test's rollback brings back the token an earlier test's pages
    were stored under (in production nothing rolls it back)."""
    from portal.cache import local_pages, version_memo

    local_pages.clear()
    version_memo.clear()
    yield
