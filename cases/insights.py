"""Selectors for the map and the statistics page: counts of published cases by facet.

Only published cases are counted anywhere. Every count carries the case-list URL with the
matching ``CaseFilter`` parameter set, so a bar or a region is a working filter link.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from django.db.models import Count, Min, Q
from django.urls import reverse

from awards.models import AwardTier, OrganizingAward, Prefecture, Unit
from cases.models import Case, Theme

PUBLISHED = Case.Status.PUBLISHED


def case_list_url(**params: str) -> str:
    """The public case list with filters set, e.g. ``/cases/?prefecture=510100``."""
    return f"{reverse('cases:list')}?{urlencode(params)}"


@dataclass(frozen=True)
class FacetCount:
    """One bar or table row: a facet value and its number of published cases."""

    key: str
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class PrefectureCount:
    prefecture: Prefecture
    cases: int
    best: int
    excellent: int
    organizing: int
    url: str = field(default="")

    @property
    def code(self) -> str:
        return self.prefecture.code


def counts_by_prefecture() -> list[PrefectureCount]:
    """All prefectures (also those without a case), in the notice's order, with their counts."""
    published = Q(units__cases__status=PUBLISHED)
    rows = Prefecture.objects.annotate(
        n_cases=Count("units__cases", filter=published, distinct=True),
        n_best=Count(
            "units__cases",
            filter=published & Q(units__cases__tier__slug=AwardTier.Slug.BEST),
            distinct=True,
        ),
        n_excellent=Count(
            "units__cases",
            filter=published & Q(units__cases__tier__slug=AwardTier.Slug.EXCELLENT),
            distinct=True,
        ),
        n_organizing=Count("units__organizing_awards", distinct=True),
    ).order_by("order", "code")
    return [
        PrefectureCount(
            prefecture=p,
            cases=p.n_cases,
            best=p.n_best,
            excellent=p.n_excellent,
            organizing=p.n_organizing,
            url=case_list_url(prefecture=p.code),
        )
        for p in rows
    ]


def counts_by_tier() -> list[FacetCount]:
    """Case tiers (not the organizing-unit award), merged by slug across notices."""
    rows = (
        AwardTier.objects.exclude(slug=AwardTier.Slug.ORGANIZING)
        .values("slug")
        .annotate(
            n=Count("cases", filter=Q(cases__status=PUBLISHED), distinct=True),
            first_order=Min("order"),
            label=Min("name"),
        )
        .order_by("first_order", "slug")
    )
    return [FacetCount(r["slug"], r["label"], r["n"], case_list_url(tier=r["slug"])) for r in rows]


def counts_by_level() -> list[FacetCount]:
    """Unit levels from the province down, each with its published cases."""
    counted = dict(
        Case.objects.published()
        .values_list("unit__level")
        .annotate(n=Count("id"))
        .values_list("unit__level", "n")
    )
    return [
        FacetCount(value, label, counted.get(value, 0), case_list_url(level=value))
        for value, label in Unit.Level.choices
    ]


def counts_by_theme() -> list[FacetCount]:
    """Themes in their editorial order; a case with several themes counts once under each."""
    rows = Theme.objects.annotate(
        n=Count("cases", filter=Q(cases__status=PUBLISHED), distinct=True)
    ).order_by("order", "slug")
    return [FacetCount(t.slug, t.name, t.n, case_list_url(theme=t.slug)) for t in rows]


@dataclass(frozen=True)
class PrefectureAwards:
    prefecture: Prefecture
    awards: list[OrganizingAward]


def organizing_awards_by_prefecture() -> list[PrefectureAwards]:
    """The 案例征集优秀组织单位 grouped by prefecture, prefectures in the notice's order."""
    awards = OrganizingAward.objects.select_related("unit__prefecture", "notice", "tier").order_by(
        "unit__prefecture__order", "unit__prefecture__code", "notice__issued_on", "order"
    )
    groups: dict[int, PrefectureAwards] = {}
    for award in awards:
        prefecture = award.unit.prefecture
        groups.setdefault(prefecture.pk, PrefectureAwards(prefecture, [])).awards.append(award)
    return list(groups.values())


def published_total() -> int:
    return Case.objects.published().count()


MAP_DATA = Path(__file__).resolve().parent.parent / "awards" / "data" / "sichuan_prefectures.json"


@functools.cache
def map_geometry() -> dict:
    """The committed, pre-simplified prefecture outlines (see ``manage.py build_prefecture_map``)."""
    return json.loads(MAP_DATA.read_text(encoding="utf-8"))
