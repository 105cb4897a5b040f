"""Errors are JSON: 400 for bad filter values (naming the parameter and its allowed values),
404 for unknown addresses and ids, 405 for every write method."""

import pytest

from awards.models import Prefecture, Unit
from cases.models import Theme

pytestmark = pytest.mark.django_db

LIST_ENDPOINTS = [
    "/api/v1/cases/",
    "/api/v1/prefectures/",
    "/api/v1/units/",
    "/api/v1/tiers/",
    "/api/v1/organizing-awards/",
    "/api/v1/notices/",
    "/api/v1/themes/",
]


def detail_endpoints():
    from awards.models import AwardTier, Notice, OrganizingAward
    from cases.models import Case

    return [
        f"/api/v1/cases/{Case.objects.first().pk}/",
        "/api/v1/prefectures/513400/",
        f"/api/v1/units/{Unit.objects.first().pk}/",
        f"/api/v1/tiers/{AwardTier.objects.first().pk}/",
        f"/api/v1/organizing-awards/{OrganizingAward.objects.first().pk}/",
        f"/api/v1/notices/{Notice.objects.first().slug}/",
        f"/api/v1/themes/{Theme.objects.first().slug}/",
    ]


def bad_filter(api, query):
    response = api.get(f"/api/v1/cases/?{query}")
    assert response.status_code == 400, query
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == "invalid_parameter"
    assert body["detail"]
    return {error["parameter"]: error for error in body["errors"]}


def test_bad_tier(api, library):
    errors = bad_filter(api, "tier=gold")
    assert errors["tier"]["allowed_values"] == ["best", "excellent"]
    assert any("gold" in m for m in errors["tier"]["messages"])


def test_bad_prefecture(api, library):
    errors = bad_filter(api, "prefecture=519999")
    assert errors["prefecture"]["allowed_values"] == list(Prefecture.objects.values_list("code", flat=True))
    assert "513400" in errors["prefecture"]["allowed_values"]


def test_bad_level(api, library):
    errors = bad_filter(api, "level=province")
    assert errors["level"]["allowed_values"] == ["prefecture", "county", "township", "village"]


def test_bad_theme(api, library):
    errors = bad_filter(api, "theme=nope")
    assert errors["theme"]["allowed_values"] == list(Theme.objects.values_list("slug", flat=True))


def test_bad_unit(api, library):
    expected = [str(pk) for pk in Unit.objects.order_by("pk").values_list("pk", flat=True)]
    for value in ["abc", "999999", "-1", "99999999999999999999999"]:
        errors = bad_filter(api, f"unit={value}")
        assert errors["unit"]["allowed_values"] == expected


def test_bad_notice(api, library):
    errors = bad_filter(api, "notice=川政公函〔2023〕1号")
    assert errors["notice"]["allowed_values"] == ["川政公函〔2022〕35号"]


def test_bad_ordering(api, library):
    errors = bad_filter(api, "ordering=-id")
    assert "title" in errors["ordering"]["allowed_values"]
    assert "-updated" in errors["ordering"]["allowed_values"]
    bad_filter(api, "ordering=title,nope")


def test_one_bad_value_among_good_ones_is_not_ignored(api, library):
    errors = bad_filter(api, "tier=best&tier=gold")
    assert set(errors) == {"tier"}


def test_every_bad_parameter_is_named(api, library):
    errors = bad_filter(api, "tier=gold&level=province&prefecture=1")
    assert set(errors) == {"tier", "level", "prefecture"}


@pytest.mark.parametrize("query", ["q=%00", "tier=best%00", "page=%00", "ordering=title%00", "x%00=1"])
def test_null_character_in_any_parameter_is_json_400_not_500(api, library, query):
    response = api.get(f"/api/v1/cases/?{query}")
    assert response.status_code == 400
    assert response.json() == {"detail": "请求无效：地址或参数中含有无法处理的字符。", "code": "bad_request"}


def test_unknown_query_parameters_are_ignored(api, library):
    assert api.get("/api/v1/cases/?colour=blue").json()["count"] == 44


def test_detail_ignores_list_filters(api, library):
    assert api.get(detail_endpoints()[0] + "?tier=gold").status_code == 200


def test_unknown_ids_are_404(api, library):
    for path in [
        "/api/v1/prefectures/519900/",
        "/api/v1/prefectures/abc/",
        "/api/v1/units/999999/",
        "/api/v1/units/99999999999999999999999/",
        "/api/v1/tiers/999999/",
        "/api/v1/organizing-awards/999999/",
        "/api/v1/notices/no-such-notice/",
        "/api/v1/themes/no-such-theme/",
    ]:
        response = api.get(path)
        assert response.status_code == 404, path
        assert response.json() == {"detail": "未找到。", "code": "not_found"}


def test_unknown_api_address_is_json_404(api, library):
    response = api.get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    response = api.get("/api/v1/no-such-endpoint", follow=True)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_missing_trailing_slash_redirects(api, library):
    response = api.get("/api/v1/cases?tier=best")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/cases/?tier=best"


def test_unacceptable_accept_header_is_json_406(api, library):
    response = api.get("/api/v1/cases/", HTTP_ACCEPT="application/xml")
    assert response.status_code == 406
    assert response.json()["code"] == "not_acceptable"
    assert api.get("/api/v1/cases/", HTTP_ACCEPT="text/html,*/*;q=0.8").status_code == 200


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_write_methods_answer_405(api, library, method):
    for path in (
        LIST_ENDPOINTS + detail_endpoints() + ["/api/v1/data/library.csv", "/api/v1/data/library.json"]
    ):
        response = getattr(api, method)(path, {"title": "x"}, format="json")
        assert response.status_code == 405, (method, path)
        assert response.json()["code"] == "method_not_allowed"
        assert "POST" not in response["Allow"]


def test_writes_change_nothing(api, library):
    from cases.models import Case

    case = Case.objects.first()
    api.put(f"/api/v1/cases/{case.pk}/", {"title": "篡改"}, format="json")
    api.delete(f"/api/v1/cases/{case.pk}/")
    case.refresh_from_db()
    assert case.title != "篡改"


@pytest.fixture
def failing(settings):
    from django.test import Client

    settings.ROOT_URLCONF = "tests.portal.urls_failing"
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [("test-database-gone/", 503, "service_unavailable"), ("test-bug/", 500, "server_error")],
)
def test_api_failures_are_json_and_leak_nothing(failing, db, path, status, code):
    response = failing.get(f"/api/v1/{path}")
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail", "code"} and response.json()["code"] == code
    assert ("Retry-After" in response) == (status == 503)
    body = response.content.decode()
    assert "10.0.1.10" not in body and "secret" not in body and "caselib" not in body


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [("test-database-gone/", 503, "服务暂时不可用"), ("test-bug/", 500, "服务器出错")],
)
def test_page_failures_are_chinese_pages(failing, db, path, status, words):
    response = failing.get(f"/{path}")
    assert response.status_code == status
    body = response.content.decode()
    assert words in body and 'lang="zh-CN"' in body
    assert "10.0.1.10" not in body and "secret" not in body


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"path": "/api/v1/schema/?format=xml"},
        {"path": "/api/v1/schema/", "HTTP_ACCEPT": "application/xml"},
        {"path": "/api/v1/docs/", "HTTP_ACCEPT": "application/xml"},
    ],
)
def test_schema_and_docs_errors_are_json_not_yaml(api, library, request_kwargs):
    response = api.get(**request_kwargs)
    assert 400 <= response.status_code < 500
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail", "code"}


def test_a_throttled_schema_request_is_json(api, library, settings):
    settings.API_ANON_RATE = "1/min"
    api.get("/api/v1/schema/")
    response = api.get("/api/v1/schema/")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "throttled"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/cases%0A/",
        "/api/v1/a%0Ab/",
        "/api/v1/cases/%0A/",
        "/api/v1/cases/1%0A/",
        "/api/v2/",
        "/api/x",
    ],
)
def test_unknown_api_addresses_with_new_lines_are_json_404(api, library, path):
    response = api.get(path, follow=True)
    assert response.status_code == 404, path
    assert response.json() == {"detail": "未找到。", "code": "not_found"}


@pytest.mark.parametrize("endpoint", LIST_ENDPOINTS)
def test_empty_page_and_filter_values_mean_no_value_on_every_endpoint(api, library, endpoint):
    plain = api.get(endpoint).json()
    assert api.get(f"{endpoint}?page=&page_size=").json() == plain
    if endpoint == "/api/v1/cases/":
        for name in ("q", "tier", "prefecture", "level", "theme", "unit", "notice", "ordering"):
            assert api.get(f"{endpoint}?{name}=").json() == plain, name


@pytest.mark.parametrize("value", ["²", "①", "₂", "１", "٣", "1.5", "0"])
def test_unicode_digits_are_400_naming_the_parameter(api, library, value):
    for name in ("unit", "page", "page_size"):
        errors = {e["parameter"] for e in api.get(f"/api/v1/cases/?{name}={value}").json()["errors"]}
        assert errors == {name}
