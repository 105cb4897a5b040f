"""Requests that mean the same page are one cache entry, whatever their spelling: a page number with
leading zeros or spaces, repeated or reordered values of a multiple-choice filter, a search text with
extra spaces or invisible characters, Accept header parameters no renderer reads, the Host name's case.
Junk spellings neither miss the cache nor grow it (issue 17, cache busting by value)."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from portal.cache import local_pages, page_key

pytestmark = pytest.mark.django_db

SETTINGS = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SPACES = st.text(alphabet=" \t", max_size=3)


def key_of(path, **headers):
    response = Client().get(path, **headers)
    assert response.status_code == 200, (path, response.status_code)
    return page_key(response.wsgi_request)


@SETTINGS
@given(
    zeros=st.integers(0, 6), before=SPACES, after=SPACES, base=st.sampled_from(["/cases/", "/api/v1/cases/"])
)
@example(zeros=3, before="", after=" ", base="/cases/")
def test_a_page_number_in_any_spelling_is_one_entry(library, zeros, before, after, base):
    from urllib.parse import quote

    spelled = quote(f"{before}{'0' * zeros}1{after}")
    assert key_of(f"{base}?page={spelled}") == key_of(f"{base}?page=1")


@SETTINGS
@given(values=st.lists(st.sampled_from(["best", "excellent"]), min_size=1, max_size=6))
def test_multiple_choice_values_in_any_order_and_number_are_one_entry(library, values):
    query = "&".join(f"tier={v}" for v in values)
    canonical = "&".join(f"tier={v}" for v in sorted(set(values)))
    assert key_of(f"/api/v1/cases/?{query}") == key_of(f"/api/v1/cases/?{canonical}")


@SETTINGS
@given(
    around=st.text(alphabet=" \u3000\t\u200b\ufeff", max_size=4),
    inside=st.text(alphabet="\u200b\u00ad\u2060\u202e\ufeff", max_size=4),
)
def test_a_search_text_with_extra_spaces_or_invisible_characters_is_one_entry(library, around, inside):
    from urllib.parse import quote

    spelled = quote(around + "便" + inside + "民服务" + around)
    assert key_of(f"/cases/?q={spelled}") == key_of(f"/cases/?q={quote('便民服务')}")


@SETTINGS
@given(
    extra=st.lists(
        st.sampled_from(["q=0.9", "charset=utf-8", "version=2", "foo=bar", "indent=0", "indent=x"]),
        max_size=3,
    )
)
def test_accept_parameters_no_renderer_reads_are_one_entry(library, extra):
    accept = "; ".join(["application/json", *extra])
    assert key_of("/api/v1/themes/", HTTP_ACCEPT=accept) == key_of(
        "/api/v1/themes/", HTTP_ACCEPT="application/json"
    )


def test_json_indent_is_part_of_the_key_in_one_spelling(library):
    plain = key_of("/api/v1/themes/", HTTP_ACCEPT="application/json")
    four = key_of("/api/v1/themes/", HTTP_ACCEPT="application/json; indent=4")
    assert four != plain
    assert key_of("/api/v1/themes/", HTTP_ACCEPT='application/json; indent="04"; q=1') == four
    assert key_of("/api/v1/themes/", HTTP_ACCEPT="application/json; indent=99") == key_of(
        "/api/v1/themes/", HTTP_ACCEPT="application/json; indent=8"
    )


@pytest.mark.parametrize("host", ["TESTSERVER", "TestServer.", "testserver."])
def test_the_host_name_in_any_case_is_one_entry_and_one_spelling_in_links(library, host):
    response = Client().get("/api/v1/themes/", HTTP_HOST=host)
    assert response.status_code == 200
    assert page_key(response.wsgi_request) == key_of("/api/v1/themes/")
    assert "http://testserver/" in response.content.decode()


def test_junk_spellings_do_not_grow_the_cache(library, page_cache):
    client = Client()
    client.get("/cases/?page=1&tier=best")
    stored = len(local_pages.entries)
    for number in range(1, 30):
        zeros = "0" * number
        for url in (
            f"/cases/?page={zeros}1&tier=best",
            f"/cases/?tier=best&tier=best&page=1{' ' * (number % 3)}",
            f"/cases/?tier=best&page=+{zeros}1",
        ):
            assert client.get(url)["X-Page-Cache"] == "hit", url
    assert len(local_pages.entries) == stored
