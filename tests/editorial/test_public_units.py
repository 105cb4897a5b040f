"""A unit reaches the public only through a published case or an organizing award: a unit whose
only case is a draft, and a unit just created by an editor, are absent from every public path
(pages, API, open-data files, sitemap, feed, filters, suggestions), and appear everywhere once a
publisher publishes the case. One rule (awards.selectors.public_units) behind all of them."""

import json

import pytest
from django.test import Client

from awards.models import Prefecture, Unit
from awards.selectors import public_units, unit_is_public
from cases.editorial import case_publish
from cases.models import Case

from .conftest import make_user

pytestmark = pytest.mark.django_db

DRAFT_UNIT = "测试草稿县甲乡便民服务中心"
NEW_UNIT = "测试新建县乙镇便民服务中心"


@pytest.fixture
def hidden_units(library):
    prefecture = Prefecture.objects.get(code="510100")
    drafted = Unit.objects.create(name=DRAFT_UNIT, prefecture=prefecture, county="测试县", level="township")
    empty = Unit.objects.create(name=NEW_UNIT, prefecture=prefecture, county="测试县", level="township")
    model = Case.objects.published().first()
    case = Case.objects.create(
        notice=model.notice,
        tier=model.tier,
        number=90,
        title="测试草稿案例的标题",
        unit=drafted,
        slug="test-draft-only-unit",
        status=Case.Status.DRAFT,
    )
    return drafted, empty, case


def public_texts(reader: Client, unit: Unit) -> dict[str, str]:
    """Every public answer that lists or names units, as text (status codes checked)."""
    pages = {
        "units api": "/api/v1/units/?page_size=100",
        "json": "/api/v1/data/library.json",
        "csv": "/api/v1/data/library.csv",
        "organizing awards api": "/api/v1/organizing-awards/?page_size=100",
        "prefecture api": f"/api/v1/prefectures/{unit.prefecture.code}/",
        "sitemap": "/sitemap.xml",
        "feed": "/feeds/cases.atom",
        "home": "/",
        "prefecture page": f"/prefectures/{unit.prefecture.code}/",
        "statistics": "/statistics/",
        "case list filtered by the unit": f"/cases/?unit={unit.pk}",
        "suggest": "/api/v1/suggest/?q=" + unit.name[:6],
    }
    texts = {}
    for name, url in pages.items():
        response = reader.get(url)
        assert response.status_code == 200, (name, response.status_code)
        texts[name] = response.content.decode("utf-8")
    api_filter = reader.get("/api/v1/cases/", {"unit": unit.pk})
    assert api_filter.status_code in (200, 400)
    texts["case api filtered by the unit"] = api_filter.content.decode()
    return texts


def detail_statuses(reader: Client, unit: Unit) -> dict[str, int]:
    return {
        "unit page": reader.get(f"/units/{unit.pk}/").status_code,
        "unit api": reader.get(f"/api/v1/units/{unit.pk}/").status_code,
    }


def listed(texts: dict[str, str], unit: Unit) -> set[str]:
    """The answers that show the unit (by name, by its page address or as a unit record)."""
    found = {name for name, text in texts.items() if unit.name in text or f"/units/{unit.pk}/" in text}
    data = json.loads(texts["json"])
    if unit.pk in {u["id"] for u in data["units"]}:
        found.add("json units")
    return found


def test_a_unit_whose_only_case_is_a_draft_is_on_no_public_path(hidden_units):
    drafted, empty, case = hidden_units
    reader = Client()
    for unit in (drafted, empty):
        assert listed(public_texts(reader, unit), unit) == set(), unit.name
        assert detail_statuses(reader, unit) == {"unit page": 404, "unit api": 404}
        assert not unit_is_public(unit)
    # The same rule lets the others through: a unit with published cases is everywhere.
    shown = Case.objects.published().first().unit
    assert {"units api", "json", "csv", "sitemap", "json units"} <= listed(public_texts(reader, shown), shown)
    assert detail_statuses(reader, shown) == {"unit page": 200, "unit api": 200}


def test_publishing_the_only_case_makes_the_unit_public_everywhere(hidden_units):
    drafted, _, case = hidden_units
    case_publish(user=make_user("publisher"), cases=[case])
    reader = Client()
    found = listed(public_texts(reader, drafted), drafted)
    assert {"units api", "json", "csv", "sitemap", "json units", "feed", "prefecture page"} <= found
    assert detail_statuses(reader, drafted) == {"unit page": 200, "unit api": 200}
    assert unit_is_public(drafted)


def test_the_policy_and_the_public_paths_share_one_rule(hidden_units):
    from cases.editorial import policy

    assert policy.unit_is_public is unit_is_public
    public = set(public_units().values_list("pk", flat=True))
    assert public == {u.pk for u in Unit.objects.all() if unit_is_public(u)}
    assert hidden_units[0].pk not in public and hidden_units[1].pk not in public
