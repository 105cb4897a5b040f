"""The counts behind the map and charts, checked against the cases themselves."""

from collections import Counter

import pytest

from awards.models import OrganizingAward, Prefecture, Unit
from cases import insights
from cases.models import Case, Theme

pytestmark = pytest.mark.django_db


def published():
    return Case.objects.published().select_related("unit__prefecture", "tier")


def test_every_prefecture_is_counted_once_with_its_published_cases(library):
    rows = insights.counts_by_prefecture()
    expected = Counter(case.unit.prefecture.code for case in published())
    assert [row.code for row in rows] == list(
        Prefecture.objects.order_by("order").values_list("code", flat=True)
    )
    assert len(rows) == 21
    assert {row.code: row.cases for row in rows} == {
        p.code: expected[p.code] for p in Prefecture.objects.all()
    }
    assert sum(row.cases for row in rows) == 44
    for row in rows:
        assert row.best + row.excellent == row.cases
        assert row.url == f"/cases/?prefecture={row.code}"


def test_the_notice_figures_come_out(library):
    # 10 最佳案例 + 34 优秀案例; 12 优秀组织单位; every prefecture has at least one case.
    tiers = {row.key: row.count for row in insights.counts_by_tier()}
    assert tiers == {"best": 10, "excellent": 34}
    rows = insights.counts_by_prefecture()
    assert sum(row.best for row in rows) == 10
    assert sum(row.organizing for row in rows) == OrganizingAward.objects.count() == 12
    assert all(row.cases >= 1 for row in rows)


def test_levels_and_themes_match_the_cases(library):
    levels = {row.key: row.count for row in insights.counts_by_level()}
    assert levels == {
        value: Counter(c.unit.level for c in published())[value] for value, _ in Unit.Level.choices
    }
    assert [row.label for row in insights.counts_by_level()] == [label for _, label in Unit.Level.choices]

    themes = insights.counts_by_theme()
    assert [row.key for row in themes] == list(
        Theme.objects.order_by("order", "slug").values_list("slug", flat=True)
    )
    for row in themes:
        assert row.count == Case.objects.published().filter(themes__slug=row.key).count()
        assert row.url == f"/cases/?theme={row.key}"


def test_drafts_are_not_counted_anywhere(unpublish_one):
    case = unpublish_one
    by_code = {row.code: row for row in insights.counts_by_prefecture()}
    assert by_code["510100"].cases == Case.objects.filter(unit__prefecture__code="510100").count() - 1
    assert sum(row.cases for row in by_code.values()) == 43
    assert insights.published_total() == 43
    assert sum(row.count for row in insights.counts_by_tier()) == 43
    assert sum(row.count for row in insights.counts_by_level()) == 43
    for row in insights.counts_by_theme():
        assert row.count == Case.objects.published().filter(themes__slug=row.key).count()
    assert case.themes.exists()


def test_organizing_awards_grouped_by_prefecture(library):
    groups = insights.organizing_awards_by_prefecture()
    awards = [award for group in groups for award in group.awards]
    assert len(awards) == 12
    assert {a.pk for a in awards} == set(OrganizingAward.objects.values_list("pk", flat=True))
    for group in groups:
        assert group.awards
        assert all(award.unit.prefecture == group.prefecture for award in group.awards)
    orders = [group.prefecture.order for group in groups]
    assert orders == sorted(orders)
