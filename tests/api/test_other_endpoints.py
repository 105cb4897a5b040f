"""prefectures/, units/, tiers/, organizing-awards/, notices/, themes/: list and detail."""

import pytest

from awards.models import AwardTier, Notice, OrganizingAward, Prefecture, Unit
from cases.models import Case, Theme

pytestmark = pytest.mark.django_db


def results(api, path):
    response = api.get(path + "?page_size=100")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == len(data["results"])
    return data["results"]


def test_api_root_lists_the_endpoints(api, library):
    data = api.get("/api/v1/").json()
    for name in ["cases", "prefectures", "units", "tiers", "organizing-awards", "notices", "themes"]:
        assert data[name] == f"http://testserver/api/v1/{name}/"


def test_prefectures(api, library):
    items = results(api, "/api/v1/prefectures/")
    assert len(items) == 21
    assert [p["code"] for p in items] == list(
        Prefecture.objects.order_by("order", "code").values_list("code", flat=True)
    )
    liangshan = api.get("/api/v1/prefectures/513400/").json()
    assert liangshan == {
        "code": "513400",
        "url": "http://testserver/api/v1/prefectures/513400/",
        "web_url": "http://testserver/prefectures/513400/",
        "name": "凉山州",
        "full_name": "凉山彝族自治州",
        "short_name": "凉山",
        "kind": "autonomous",
        "order": Prefecture.objects.get(code="513400").order,
        "case_count": 3,
    }
    assert sum(p["case_count"] for p in items) == 44


def test_units(api, library):
    items = results(api, "/api/v1/units/")
    assert len(items) == Unit.objects.count() == 54
    unit = Unit.objects.select_related("prefecture").get(pk=items[0]["id"])
    detail = api.get(f"/api/v1/units/{unit.pk}/").json()
    assert detail == items[0]
    assert detail["name"] == unit.name
    assert detail["level"] == unit.level
    assert detail["prefecture"]["code"] == unit.prefecture.code
    assert detail["web_url"] == f"http://testserver/units/{unit.pk}/"
    assert detail["aliases"] == unit.aliases


def test_tiers(api, library):
    items = results(api, "/api/v1/tiers/")
    assert [t["slug"] for t in items] == ["best", "excellent", "organizing"]
    best = AwardTier.objects.get(slug="best")
    detail = api.get(f"/api/v1/tiers/{best.pk}/").json()
    assert detail["declared_count"] == 10
    assert detail["notice"]["number"] == "川政公函〔2022〕35号"
    assert detail["web_url"] == f"http://testserver{best.get_absolute_url()}"


def test_organizing_awards(api, library):
    items = results(api, "/api/v1/organizing-awards/")
    assert len(items) == 12
    assert [a["order"] for a in items] == list(range(1, 13))
    award = OrganizingAward.objects.select_related("unit").get(pk=items[0]["id"])
    detail = api.get(f"/api/v1/organizing-awards/{award.pk}/").json()
    assert detail["unit"]["name"] == award.unit.name
    assert detail["tier"] == {"slug": "organizing", "name": award.tier.name}


def test_notices(api, library):
    items = results(api, "/api/v1/notices/")
    assert [n["number"] for n in items] == ["川政公函〔2022〕35号"]
    assert "text" not in items[0]
    notice = Notice.objects.get()
    detail = api.get(f"/api/v1/notices/{notice.slug}/").json()
    assert detail["text"] == notice.text
    assert detail["issued_on"] == notice.issued_on.isoformat()
    assert detail["year"] == notice.year


def test_themes(api, library):
    items = results(api, "/api/v1/themes/")
    assert [t["slug"] for t in items] == list(Theme.objects.values_list("slug", flat=True))
    finance = api.get("/api/v1/themes/finance/").json()
    assert finance["case_count"] == Case.objects.published().filter(themes__slug="finance").count()
    assert finance["url"] == "http://testserver/api/v1/themes/finance/"


def test_theme_counts_leave_out_drafts(api, library):
    before = api.get("/api/v1/themes/finance/").json()["case_count"]
    Case.objects.filter(themes__slug="finance").filter(
        pk=Case.objects.filter(themes__slug="finance").first().pk
    ).update(status=Case.Status.DRAFT)
    assert api.get("/api/v1/themes/finance/").json()["case_count"] == before - 1
