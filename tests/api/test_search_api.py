"""The API says what search did (issue 15, "The API hides what search did") and suggests as the
reader types (GET /api/v1/suggest/), both in the OpenAPI schema."""

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cases.models import Case

SEARCH_KEYS = {
    "query",
    "searched",
    "truncated",
    "partial",
    "full_matches",
    "corrected",
    "readings",
    "suggestions",
}


def listing(api, query, **params):
    extra = "".join(f"&{k}={quote(str(v))}" for k, v in params.items())
    response = api.get(f"/api/v1/cases/?q={quote(query)}{extra}")
    assert response.status_code == 200, response.content[:300]
    return response.json()


def test_the_list_reports_a_correction(api, library):
    data = listing(api, "便民服物")
    assert data["search"] == {
        "query": "便民服物",
        "searched": "便民服务",
        "truncated": False,
        "partial": False,
        "full_matches": None,
        "corrected": "便民服务",
        "readings": [],
        "suggestions": [],
    }
    assert data["count"] == 44


def test_the_list_reports_a_partial_match_and_a_suggestion(api, library):
    assert listing(api, "彭山 柑橘")["search"]["partial"] is True
    assert listing(api, "彭三 柑橘")["search"]["suggestions"] == ["彭山 柑橘"]


def test_the_list_reports_a_cut_and_normalised_query(api, library):
    data = listing(api, "便\u2ea0服务" + "。" * 120)
    assert data["search"]["query"].startswith("便民服务") and data["search"]["truncated"] is True
    data = listing(api, "ＰＥＮＧＳＨＡＮ")
    assert data["search"]["query"] == "PENGSHAN"
    # ... and how it was read: the pinyin as the place.
    assert data["search"]["corrected"] == "彭山"
    assert data["search"]["readings"] == [{"typed": "pengshan", "read_as": "彭山"}]
    assert Case.objects.get(slug=data["results"][0]["slug"]).unit.county == "彭山区"


def test_the_search_object_keeps_the_list_shape(api, library):
    data = listing(api, "凉山", page_size=2)
    assert set(data) == {"count", "next", "previous", "results", "search"}
    assert set(data["search"]) == SEARCH_KEYS
    assert data["count"] == 3 and len(data["results"]) == 2


def test_the_schema_describes_the_search_object_and_the_suggest_endpoint(api, library):
    schema = api.get("/api/v1/schema/?format=json").json()
    listed = schema["paths"]["/api/v1/cases/"]["get"]["responses"]["200"]["content"]["application/json"]
    ref = listed["schema"]["$ref"].rsplit("/", 1)[-1]
    search = schema["components"]["schemas"][ref]["properties"]["search"]
    assert set(search["properties"]) == SEARCH_KEYS and search["nullable"]
    suggest = schema["paths"]["/api/v1/suggest/"]["get"]
    assert [p["name"] for p in suggest["parameters"]] == ["q"]


def suggestions(api, typed):
    response = api.get(f"/api/v1/suggest/?q={quote(typed)}")
    assert response.status_code == 200, response.content[:300]
    data = response.json()
    assert set(data) == {"query", "suggestions"}
    return data["suggestions"]


def test_suggest_completes_places_terms_and_titles(api, library):
    first = suggestions(api, "凉")[0]
    assert first == {"text": "凉山", "kind": "place", "url": "/cases/?q=%E5%87%89%E5%B1%B1"}
    assert any(s["kind"] == "term" and s["text"] == "帮办代办" for s in suggestions(api, "帮办"))
    titled = [s for s in suggestions(api, "出生一件事") if s["kind"] == "title"]
    case = Case.objects.get(unit__county="彭山区")
    assert titled and titled[0] == {"text": case.title, "kind": "title", "url": case.get_absolute_url()}
    assert len(suggestions(api, "便民")) <= 8


@pytest.mark.parametrize(
    ("typed", "expected"), [("pengs", "彭山"), ("ywtb", "一网通办"), ("liangsh", "凉山")]
)
def test_suggest_reads_pinyin(api, library, typed, expected):
    assert expected in [s["text"] for s in suggestions(api, typed)]


def test_suggest_follows_edits(api, library):
    case = Case.objects.get(unit__county="彭山区")
    case.title = "蜀道通衢便民服务新探索"
    case.save()
    assert [s["text"] for s in suggestions(api, "蜀道通衢") if s["kind"] == "title"] == [case.title]


def test_suggest_without_input_suggests_nothing(api, library):
    for typed in ("", " ", "。", "a"):
        assert suggestions(api, typed) == []
    # A NUL never reaches the view: the request guard answers every such request with a JSON 400.
    refused = api.get("/api/v1/suggest/?q=%00")
    assert refused.status_code == 400 and refused.json()["code"] == "bad_request"
    # Bytes that are no UTF-8 (a lone surrogate's encoding) are read as replacement characters.
    response = api.get("/api/v1/suggest/?q=%ED%A0%80%E5%BD%AD")
    assert response.status_code == 200 and response.json()["suggestions"] == []


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(typed=st.text(max_size=200))
@example(typed="\x00彭山")
@example(typed="%" * 300)
def test_suggest_answers_any_input(api, library, typed):
    response = api.get("/api/v1/suggest/", {"q": typed})
    assert response.status_code in (200, 400)
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    ("typed", "searched"),
    [
        ("pengshan", "彭山"),
        ("PengShan 柑橘", "彭山 柑橘"),
        ("一网通半", "一网通办"),
        ("便民服务", "便民服务"),
    ],
)
def test_the_search_object_says_what_was_searched(api, library, typed, searched):
    """``query`` is the reader's input (normalised); ``searched`` what the search looked for, so a
    client never has to put the readings in itself."""
    search = listing(api, typed)["search"]
    assert search["query"] == typed
    assert search["searched"] == searched
    assert search["corrected"] == (None if searched == typed else searched)
