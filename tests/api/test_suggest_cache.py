"""The suggest endpoint's cache: the page cache keys an answer on ``q`` as the suggestions read it (two
spellings that read the same share one entry; junk does not grow the cache), and the candidates follow
the library's durable version in the database, not a key of their own in Redis: a Redis flush or outage
cannot bring back suggestions older than an editor's save."""

from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cases.models import Case
from cases.search.complete import MAX_INPUT
from portal.cache import local_pages, page_key

pytestmark = pytest.mark.django_db

SETTINGS = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
INVISIBLE = st.text(alphabet=" \u3000\t\u200b\u00ad\u2060\ufeff", max_size=4)


def suggest(client, spelled):
    response = client.get(f"/api/v1/suggest/?q={quote(spelled)}")
    assert response.status_code == 200, spelled
    return response


def key_of(spelled):
    return page_key(suggest(Client(), spelled).wsgi_request)


@SETTINGS
@given(
    around=INVISIBLE, inside=INVISIBLE.filter(lambda s: " " not in s and "\u3000" not in s and "\t" not in s)
)
@example(around="\u3000", inside="\u200b")
def test_spellings_that_read_the_same_share_one_entry(library, around, inside):
    spelled = around + "彭" + inside + "山" + around
    assert suggest(Client(), spelled).json()["query"] == "彭山"
    assert key_of(spelled) == key_of("彭山")


@SETTINGS
@given(tail=st.text(min_size=1, max_size=40).filter(lambda s: "\x00" not in s))
def test_what_lies_beyond_the_input_limit_is_not_part_of_the_key(library, tail):
    typed = "便" * MAX_INPUT
    assert key_of(typed + tail) == key_of(typed)


def test_junk_spellings_do_not_grow_the_cache(library, settings):
    settings.PAGE_CACHE_ENABLED = True
    local_pages.clear()
    client = Client()
    suggest(client, "彭山")
    stored = len(local_pages.entries)
    for n in range(1, 25):
        for spelled in ("\u200b" * n + "彭山", "彭" + "\u00ad" * n + "山", " " * n + "彭山" + "\u3000" * n):
            assert suggest(client, spelled)["X-Page-Cache"] == "hit", repr(spelled)
    assert len(local_pages.entries) == stored


def test_an_edit_saved_while_redis_fails_shows_in_the_suggestions(library, monkeypatch):
    client = Client()
    case = Case.objects.published().get(slug="2021-best-01")
    word = "独一无二的测试标题"
    assert suggest(client, word).json()["suggestions"] == []

    def unreachable(*args, **kwargs):
        raise ConnectionError("Redis is down")

    with monkeypatch.context() as patched:  # the save happens during an outage of the shared cache
        patched.setattr(cache, "set", unreachable)
        patched.setattr(cache, "add", unreachable)
        case.title = word + case.title
        case.save()
    titles = [s["text"] for s in suggest(client, word).json()["suggestions"]]
    assert case.title in titles


def test_the_suggestions_keep_no_version_of_their_own_in_the_cache(library):
    suggest(Client(), "彭山")
    assert cache.get("search:complete:version") is None
