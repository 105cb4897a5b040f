"""The page cache: anonymous GETs are cached, every editor save invalidates them (real Redis too)."""

import pytest
from django.core.cache import cache
from django.db import connection

from cases.models import Case, Erratum
from tests.portal.conftest import run_manage

CASE_URL = "/cases/2021-best-01/"

pytestmark = pytest.mark.usefixtures("page_cache")


def test_second_anonymous_get_is_a_hit_with_the_same_content(client, library):
    first = client.get("/cases/")
    second = client.get("/cases/")
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    head = client.head("/cases/")
    assert head["X-Page-Cache"] == "hit"


def test_query_strings_are_separate_pages(client, library):
    client.get("/cases/", {"q": "凉山"})
    assert client.get("/cases/", {"q": "凉山"})["X-Page-Cache"] == "hit"
    assert client.get("/cases/", {"q": "成都"})["X-Page-Cache"] == "miss"


@pytest.mark.parametrize("path", [CASE_URL, "/api/v1/cases/?page_size=2"])
def test_http_and_https_are_separate_pages(client, library, settings, path):
    # Absolute links (canonical URL, the API's links) name the scheme: one scheme's answer must not
    # be served to the other on a site reachable by both (found by an outside verifier). As behind
    # gunicorn: the same host and port for both, the scheme from the proxy's X-Forwarded-Proto.
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    where = {"HTTP_HOST": "testserver:8721", "SERVER_PORT": "8721"}
    plain = client.get(path, **where)
    secure = client.get(path, headers={"x-forwarded-proto": "https"}, **where)
    assert secure["X-Page-Cache"] == "miss"
    assert b"https://testserver:8721/" in secure.content and b"http://testserver" not in secure.content
    assert b"http://testserver:8721/" in plain.content
    assert client.get(path, **where)["X-Page-Cache"] == "hit"
    assert client.get(path, headers={"x-forwarded-proto": "https"}, **where)["X-Page-Cache"] == "hit"


def test_preference_cookies_are_part_of_the_key(client, library):
    client.get("/cases/")
    client.cookies["pref_text_size"] = "large"
    assert client.get("/cases/")["X-Page-Cache"] == "miss"
    assert client.get("/cases/")["X-Page-Cache"] == "hit"
    client.cookies["pref_text_size"] = "small"
    assert client.get("/cases/")["X-Page-Cache"] == "miss"
    del client.cookies["pref_text_size"]
    client.cookies["unrelated"] = "x"  # e.g. a cookie of the portal the site is mounted in
    assert client.get("/cases/")["X-Page-Cache"] == "hit"


@pytest.mark.parametrize("cookie", ["sessionid", "csrftoken", "messages"])
def test_personal_cookies_bypass_the_cache(client, library, cookie):
    client.get("/cases/")
    client.cookies[cookie] = "something"
    response = client.get("/cases/")
    assert response["X-Page-Cache"] == "bypass"


def test_staff_and_admin_are_never_cached(admin_client, client, library):
    assert admin_client.get("/cases/")["X-Page-Cache"] == "bypass"
    assert client.get("/cases/")["X-Page-Cache"] == "miss"  # the staff view was not stored
    assert admin_client.get("/admin/")["X-Page-Cache"] == "bypass"
    client.get("/admin/login/")
    assert client.get("/admin/login/")["X-Page-Cache"] == "bypass"


def test_unsafe_methods_errors_and_cookies_are_not_cached(client, library, settings):
    assert client.post("/cases/")["X-Page-Cache"] == "bypass"
    client.get("/cases/no-such-case/")
    assert client.get("/cases/no-such-case/")["X-Page-Cache"] == "miss"  # 404s are not stored
    assert client.get("/cases/", HTTP_AUTHORIZATION="Token abc")["X-Page-Cache"] == "bypass"
    settings.ROOT_URLCONF = "tests.portal.urls_cookie"
    client.get("/sets-cookie/")
    client.cookies.clear()
    assert client.get("/sets-cookie/")["X-Page-Cache"] == "miss"


def test_cache_can_be_switched_off(client, library, settings):  # DJANGO_PAGE_CACHE=0
    settings.PAGE_CACHE_ENABLED = False
    client.get("/cases/")
    assert client.get("/cases/")["X-Page-Cache"] == "bypass"


def test_a_save_invalidates_only_when_the_transaction_commits(
    client, library, django_capture_on_commit_callbacks
):
    assert "新的标题" not in client.get(CASE_URL).content.decode()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        case = Case.objects.get(slug="2021-best-01")
        case.title = "新的标题"
        case.save()
        case.sections.first().save()  # a second save in the same transaction: still one invalidation
    assert len(callbacks) == 1
    # Before the commit the cached page stands (another request could not see the new title yet).
    assert client.get(CASE_URL)["X-Page-Cache"] == "hit"
    callbacks[0]()
    response = client.get(CASE_URL)
    assert response["X-Page-Cache"] == "miss"
    assert "新的标题" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_editor_save_invalidates_pages_in_real_redis(client, transactional_library, redis_cache):
    """GET, change a case title through the ORM, GET again: the new title, from the shared Redis cache."""
    original = Case.objects.get(slug="2021-best-01").title
    assert original in client.get(CASE_URL).content.decode()
    assert client.get(CASE_URL)["X-Page-Cache"] == "hit"
    assert original in client.get("/cases/").content.decode()
    assert client.get("/cases/")["X-Page-Cache"] == "hit"
    from portal.cache import page_key

    key = page_key(client.get(CASE_URL).wsgi_request)
    assert redis_cache.get(key) is not None  # really stored in Redis

    case = Case.objects.get(slug="2021-best-01")
    case.title = "乡村便民服务改革新标题"
    case.save()

    page = client.get(CASE_URL)
    assert page["X-Page-Cache"] == "miss"
    assert "乡村便民服务改革新标题" in page.content.decode()
    assert original not in page.content.decode()
    assert client.get(CASE_URL)["X-Page-Cache"] == "hit"
    assert "乡村便民服务改革新标题" in client.get("/cases/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_deletes_and_theme_changes_invalidate_in_real_redis(client, transactional_library, redis_cache):
    client.get(CASE_URL)
    assert client.get(CASE_URL)["X-Page-Cache"] == "hit"
    case = Case.objects.get(slug="2021-best-01")
    theme = case.themes.first()
    assert theme is not None, "the fixture gives every case at least one theme"
    case.themes.remove(theme)  # an m2m change, which sends no post_save
    assert client.get(CASE_URL)["X-Page-Cache"] == "miss"
    assert client.get(CASE_URL)["X-Page-Cache"] == "hit"
    Erratum.objects.filter(case__isnull=False).first().delete()
    assert client.get(CASE_URL)["X-Page-Cache"] == "miss"


@pytest.mark.django_db(transaction=True)
def test_a_save_on_another_app_server_invalidates_this_ones_pages(
    client, transactional_library, redis_cache, settings
):
    """Two processes share PostgreSQL and Redis, as two app servers do: a save in one reaches the other."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: a second process needs the test database; runs in CI's PostgreSQL pass")
    from tests.portal.pg import server_url

    client.get(CASE_URL)
    assert client.get(CASE_URL)["X-Page-Cache"] == "hit"
    run_manage(
        "shell",
        "-c",
        "from cases.models import Case; c = Case.objects.get(slug='2021-best-01'); "
        "c.title = '另一台服务器保存的标题'; c.save()",
        env={
            "DJANGO_DEBUG": "1",
            "DATABASE_URL": server_url(connection.settings_dict["NAME"]),
            "REDIS_URL": settings.CACHES["default"]["LOCATION"],
            "DJANGO_CACHE_PREFIX": settings.CACHES["default"]["KEY_PREFIX"],
        },
    )
    page = client.get(CASE_URL)
    assert page["X-Page-Cache"] == "miss"
    assert "另一台服务器保存的标题" in page.content.decode()


def test_public_pages_set_no_cookie_so_they_can_be_cached(client, library):
    """A page that sets a cookie (a CSRF token, a session) would never be served from the page cache."""
    for path in ("/", "/cases/", "/cases/2021-best-01/", "/prefectures/513400/", "/api/v1/cases/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert not response.cookies, (path, list(response.cookies))


def test_a_process_serves_its_own_copy_but_checks_the_version_every_time(client, library):
    from portal.cache import bump_library_version, page_key

    assert client.get("/cases/")["X-Page-Cache"] == "miss"
    # The shared entry is gone (evicted, say): this process still has the page under the same version.
    key = page_key(client.get("/cases/").wsgi_request)
    cache.delete(key)
    assert client.get("/cases/")["X-Page-Cache"] == "hit"
    # Another app server saved an edit: the new version makes the local copy stale at once.
    bump_library_version()
    assert client.get("/cases/")["X-Page-Cache"] == "miss"


def test_a_new_release_of_the_code_does_not_serve_the_old_releases_pages(client, library, monkeypatch):
    """A deploy that changes a template or the API schema but not the library: the cached answers
    of the previous release are not served (they were, from Redis, for up to ten minutes)."""
    from portal.release import release_id

    client.get("/api/v1/schema/")
    assert client.get("/api/v1/schema/")["X-Page-Cache"] == "hit"
    monkeypatch.setenv("PORTAL_RELEASE", "next-release")
    release_id.cache_clear()
    try:
        assert release_id() == "next-release"
        assert client.get("/api/v1/schema/")["X-Page-Cache"] == "miss"
        assert client.get("/api/v1/schema/")["X-Page-Cache"] == "hit"
    finally:
        release_id.cache_clear()


def test_the_release_digest_follows_the_code_it_serves(settings, tmp_path):
    from portal.release import release_id

    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("一", encoding="utf-8")
    settings.BASE_DIR = tmp_path
    release_id.cache_clear()
    try:
        first = release_id()
        release_id.cache_clear()
        assert release_id() == first  # the same files: the same release on every app server
        page.write_text("二", encoding="utf-8")
        release_id.cache_clear()
        assert release_id() != first
    finally:
        release_id.cache_clear()
