"""/api/v1/cases/: list, detail, fields and their shapes, filters, ordering, pagination."""

from datetime import datetime

import pytest

from awards.models import Prefecture, Unit
from cases.models import Case, Theme
from cases.search import apply_search
from cases.selectors import related_cases
from tests.api.conftest import ISSUE_CASE_FIELDS

pytestmark = pytest.mark.django_db

LIST_FIELDS = ISSUE_CASE_FIELDS


def ids(response):
    return [item["id"] for item in response.json()["results"]]


def get_all(api, query=""):
    response = api.get(f"/api/v1/cases/?page_size=100&{query}")
    assert response.status_code == 200, response.content
    return response.json()


def test_list_has_the_44_published_cases(api, library):
    data = api.get("/api/v1/cases/").json()
    assert data["count"] == 44
    assert set(data) == {"count", "next", "previous", "results", "search"}
    assert data["search"] is None  # no q: nothing searched
    assert len(data["results"]) == 20  # default page size
    assert data["previous"] is None
    assert data["next"] == "http://testserver/api/v1/cases/?page=2"


def test_list_fields_and_shapes(api, library):
    item = api.get("/api/v1/cases/").json()["results"][0]
    case = Case.objects.select_related("tier", "notice", "unit__prefecture").get(pk=item["id"])
    assert set(item) == LIST_FIELDS
    assert item["url"] == f"http://testserver/api/v1/cases/{case.pk}/"
    assert item["web_url"] == f"http://testserver{case.get_absolute_url()}"
    assert item["slug"] == case.slug
    assert item["title"] == case.title
    assert item["title_in_compendium"] == case.title_in_compendium
    assert item["tier"] == {"slug": case.tier.slug, "name": case.tier.name}
    assert item["number"] == case.number
    assert item["notice"] == {
        "number": "川政公函〔2022〕35号",
        "date": case.notice.issued_on.isoformat(),
        "url": f"http://testserver/api/v1/notices/{case.notice.slug}/",
    }
    assert item["unit"] == {
        "id": case.unit.pk,
        "name": case.unit.name,
        "level": case.unit.level,
        "url": f"http://testserver/api/v1/units/{case.unit.pk}/",
    }
    assert item["prefecture"] == {
        "code": case.unit.prefecture.code,
        "name": case.unit.prefecture.name,
        "url": f"http://testserver/api/v1/prefectures/{case.unit.prefecture.code}/",
    }
    assert item["county"] == case.unit.county
    assert item["themes"] == [{"slug": t.slug, "name": t.name} for t in case.themes.all()]
    assert item["themes"], "every case in the library has themes"
    assert item["page"] == case.page
    assert item["summary"] == case.summary
    assert datetime.fromisoformat(item["updated"]) == case.updated


def test_embedded_urls_resolve(api, library):
    item = api.get("/api/v1/cases/").json()["results"][0]
    for url in [item["url"], item["notice"]["url"], item["unit"]["url"], item["prefecture"]["url"]]:
        assert api.get(url).status_code == 200, url


def test_list_is_in_notice_order_by_default(api, library):
    expected = list(Case.objects.published().in_notice_order().values_list("pk", flat=True))
    assert [c["id"] for c in get_all(api)["results"]] == expected


def test_detail_adds_sections_and_related(api, library):
    case = Case.objects.get(slug="2021-best-01")
    response = api.get(f"/api/v1/cases/{case.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert set(data) == LIST_FIELDS | {"sections", "related"}
    assert data["sections"] == [
        {"heading": s.heading, "paragraphs": s.paragraphs} for s in case.sections.all()
    ]
    assert all(isinstance(p, str) for s in data["sections"] for p in s["paragraphs"])
    expected_related = [c.pk for c in related_cases(case, limit=5)]
    assert expected_related, "every case has related cases"
    assert [r["id"] for r in data["related"]] == expected_related
    for related in data["related"]:
        assert set(related) == {"id", "url", "title"}
        assert related["title"] == Case.objects.get(pk=related["id"]).title
        assert related["id"] != case.pk


def test_related_are_the_case_pages_related_cases(api, library):
    for slug in ("2021-best-01", "2021-excellent-22", "2021-excellent-34"):
        case = Case.objects.get(slug=slug)
        page = api.get(f"/api/v1/cases/{case.pk}/").json()["related"]
        assert [r["id"] for r in page] == [c.pk for c in related_cases(case, limit=5)]


def test_related_never_lists_drafts(api, library):
    case = Case.objects.get(slug="2021-best-01")
    first = api.get(f"/api/v1/cases/{case.pk}/").json()["related"][0]["id"]
    # Withdrawn as an editor does (a save: the per-library-version memos follow the signal; a bare
    # update() must call portal.cache.schedule_invalidation, see portal/memo.py).
    withdrawn = Case.objects.get(pk=first)
    withdrawn.status = Case.Status.DRAFT
    withdrawn.save()
    assert first not in [r["id"] for r in api.get(f"/api/v1/cases/{case.pk}/").json()["related"]]


def test_only_published_cases_appear(api, library):
    draft = Case.objects.get(slug="2021-best-01")
    draft.status = Case.Status.DRAFT
    draft.save()
    data = get_all(api)
    assert data["count"] == 43
    assert draft.pk not in [c["id"] for c in data["results"]]
    assert api.get(f"/api/v1/cases/{draft.pk}/").status_code == 404


def test_unknown_case_ids_are_404_json(api, library):
    for path in [
        "/api/v1/cases/999999/",
        "/api/v1/cases/0/",
        "/api/v1/cases/abc/",
        "/api/v1/cases/1x/",
        "/api/v1/cases/99999999999999999999999/",
    ]:
        response = api.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"detail": "未找到。", "code": "not_found"}


# --- Filters ---------------------------------------------------------------------------------------


def test_filter_tier(api, library):
    assert get_all(api, "tier=best")["count"] == 10
    assert get_all(api, "tier=excellent")["count"] == 34
    assert all(c["tier"]["slug"] == "best" for c in get_all(api, "tier=best")["results"])


def test_filter_prefecture(api, library):
    data = get_all(api, "prefecture=513400")
    assert data["count"] == 3
    assert {c["prefecture"]["name"] for c in data["results"]} == {"凉山州"}


def test_filter_level(api, library):
    for level in Unit.Level.values:
        expected = Case.objects.published().filter(unit__level=level).count()
        data = get_all(api, f"level={level}")
        assert data["count"] == expected
        assert all(c["unit"]["level"] == level for c in data["results"])


def test_filter_theme(api, library):
    theme = Theme.objects.get(slug="finance")
    data = get_all(api, "theme=finance")
    assert data["count"] == theme.cases.filter(status="published").count() > 0
    assert all("finance" in [t["slug"] for t in c["themes"]] for c in data["results"])


def test_filter_unit(api, library):
    case = Case.objects.get(slug="2021-best-01")
    data = get_all(api, f"unit={case.unit_id}")
    assert [c["id"] for c in data["results"]] == list(
        Case.objects.published().filter(unit=case.unit).values_list("pk", flat=True)
    )


def test_filter_notice(api, library):
    assert get_all(api, "notice=川政公函〔2022〕35号")["count"] == 44


def test_several_values_of_one_filter_are_or(api, library):
    assert get_all(api, "tier=best&tier=excellent")["count"] == 44
    chengdu = Case.objects.published().filter(unit__prefecture__code="510100").count()
    assert get_all(api, "prefecture=513400&prefecture=510100")["count"] == 3 + chengdu
    two_themes = (
        Case.objects.published().filter(themes__slug__in=["finance", "devolution"]).distinct().count()
    )
    assert get_all(api, "theme=finance&theme=devolution")["count"] == two_themes


def test_filters_combine_with_and(api, library):
    expected = Case.objects.published().filter(tier__slug="best", unit__prefecture__code="510100").count()
    data = get_all(api, "tier=best&prefecture=510100")
    assert data["count"] == expected
    assert all(c["tier"]["slug"] == "best" and c["prefecture"]["code"] == "510100" for c in data["results"])


def test_q_searches_and_keeps_relevance_order(api, library):
    outcome = apply_search(Case.objects.published().in_notice_order(), "金融")
    expected = list(outcome.queryset.values_list("pk", flat=True))
    data = get_all(api, "q=金融")
    assert 0 < data["count"] < 44
    assert [c["id"] for c in data["results"]] == expected


def test_q_with_explicit_ordering_uses_that_ordering(api, library):
    data = get_all(api, "q=金融&ordering=-title")
    titles = [c["title"] for c in data["results"]]
    assert titles == sorted(titles, reverse=True)


def test_q_combines_with_filters(api, library):
    data = get_all(api, "q=金融&tier=best")
    assert 0 < data["count"] <= 10
    assert all(c["tier"]["slug"] == "best" for c in data["results"])


def test_blank_q_lists_everything(api, library):
    assert get_all(api, "q=")["count"] == 44


# --- Ordering ------------------------------------------------------------------------------------


def test_ordering_by_title_and_descending(api, library):
    titles = [c["title"] for c in get_all(api, "ordering=title")["results"]]
    assert titles == sorted(titles)
    assert [c["title"] for c in get_all(api, "ordering=-title")["results"]] == sorted(titles, reverse=True)


def test_ordering_by_prefecture_then_title(api, library):
    results = get_all(api, "ordering=prefecture,title")["results"]
    order = {p.code: p.order for p in Prefecture.objects.all()}
    keys = [order[c["prefecture"]["code"]] for c in results]
    assert keys == sorted(keys)


def test_ordering_by_updated(api, library):
    case = Case.objects.get(slug="2021-excellent-05")
    case.summary += "（更正）"
    case.save()  # auto_now: now the most recent
    assert get_all(api, "ordering=-updated")["results"][0]["id"] == case.pk
    assert get_all(api, "ordering=updated")["results"][-1]["id"] == case.pk


def test_ordering_by_page(api, library):
    pages = [c["page"] for c in get_all(api, "ordering=page")["results"] if c["page"] is not None]
    assert pages == sorted(pages)


# --- Pagination ----------------------------------------------------------------------------------


def test_page_size_and_pages(api, library):
    first = api.get("/api/v1/cases/?page_size=10").json()
    assert len(first["results"]) == 10
    assert first["next"] == "http://testserver/api/v1/cases/?page=2&page_size=10"
    last = api.get("/api/v1/cases/?page_size=10&page=5").json()
    assert len(last["results"]) == 4
    assert last["next"] is None
    assert last["previous"] == "http://testserver/api/v1/cases/?page=4&page_size=10"
    collected = []
    for page in range(1, 6):
        collected += ids(api.get(f"/api/v1/cases/?page_size=10&page={page}"))
    assert collected == list(Case.objects.published().in_notice_order().values_list("pk", flat=True))


def test_page_size_up_to_100(api, library):
    assert len(api.get("/api/v1/cases/?page_size=100").json()["results"]) == 44
    for bad in ["101", "0", "-1", "abc", "²", "１０", " 1 0"]:
        response = api.get(f"/api/v1/cases/?page_size={bad}")
        assert response.status_code == 400, bad
        assert response.json()["errors"][0]["parameter"] == "page_size"
    # Empty is no value at all, as for every parameter of every endpoint.
    assert len(api.get("/api/v1/cases/?page_size=").json()["results"]) == 20


def test_page_out_of_range_is_404_json(api, library):
    for page in ["4", "999999999999"]:
        response = api.get(f"/api/v1/cases/?page={page}")
        assert response.status_code == 404, page
        assert response["Content-Type"] == "application/json"
        assert response.json()["code"] == "not_found"
    assert api.get("/api/v1/cases/?page=3&page_size=20").status_code == 200


def test_page_that_is_not_a_whole_number_is_400_naming_it(api, library):
    for page in ["0", "abc", "²", "①", "₂", "１", "1.5"]:
        response = api.get(f"/api/v1/cases/?page={page}")
        assert response.status_code == 400, page
        assert response.json()["errors"][0]["parameter"] == "page"
    assert api.get("/api/v1/cases/?page=").json()["previous"] is None  # empty: the first page
