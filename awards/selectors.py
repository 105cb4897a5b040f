"""Read-side queries for the public pages about notices, tiers, prefectures and units.

Cases are always narrowed to published ones: drafts never reach a public page. Units are narrowed
by ``public_units()``: the one rule, for every public path (pages, API, open data, sitemap,
filters) and for the editorial policy (``unit_is_public``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from awards.models import AwardTier, Notice, OrganizingAward, Prefecture, Unit
from cases.models import Case, Erratum

PUBLISHED = Q(cases__status=Case.Status.PUBLISHED)


def public_units() -> QuerySet[Unit]:
    """The units the public may see: those with a published case or an organizing award.

    A unit with only drafts, or none at all (just created by an editor), is not public: it is
    absent from its page, the API, the open-data files, the sitemap and the case filters.
    """
    published_case = Case.objects.published().filter(unit=OuterRef("pk"))
    award = OrganizingAward.objects.filter(unit=OuterRef("pk"))
    return Unit.objects.filter(Q(Exists(published_case)) | Q(Exists(award)))


def unit_is_public(unit: Unit | None) -> bool:
    """``unit`` is among ``public_units()`` (an unsaved or missing unit is not)."""
    if unit is None or unit.pk is None:
        return False
    return public_units().filter(pk=unit.pk).exists()


def current_notice() -> Notice | None:
    """The newest notice: what the home page presents."""
    return Notice.objects.order_by("-issued_on").first()


def _cases() -> QuerySet:
    return (
        Case.objects.published()
        .select_related("notice", "tier", "unit__prefecture")
        .prefetch_related("themes")
        .in_notice_order()
    )


@dataclass
class LibraryStats:
    cases: int
    tiers: list[AwardTier]  # case tiers, each annotated with case_count
    prefectures: int
    organizing_awards: int


def library_stats(notice: Notice) -> LibraryStats:
    tiers = list(
        notice.tiers.exclude(slug=AwardTier.Slug.ORGANIZING)
        .annotate(case_count=Count("cases", filter=PUBLISHED))
        .order_by("order")
    )
    return LibraryStats(
        cases=sum(t.case_count for t in tiers),
        tiers=tiers,
        prefectures=Prefecture.objects.count(),
        organizing_awards=notice.organizing_awards.count(),
    )


def best_cases(notice: Notice) -> QuerySet:
    return _cases().filter(notice=notice, tier__slug=AwardTier.Slug.BEST)


def prefectures_with_counts() -> QuerySet:
    return Prefecture.objects.annotate(
        case_count=Count("units__cases", filter=Q(units__cases__status=Case.Status.PUBLISHED), distinct=True),
        best_count=Count(
            "units__cases",
            filter=Q(
                units__cases__status=Case.Status.PUBLISHED, units__cases__tier__slug=AwardTier.Slug.BEST
            ),
            distinct=True,
        ),
        award_count=Count("units__organizing_awards", distinct=True),
    ).order_by("order", "code")


def _published_count(path: str = "cases") -> Count:
    """The number of published cases through ``path``, read with the row it counts for (no query of its own)."""
    return Count(path, filter=Q(**{f"{path}__status": Case.Status.PUBLISHED}), distinct=True)


@dataclass
class PrefecturePage:
    prefecture: Prefecture  # with case_count
    awards: list[OrganizingAward]

    @property
    def case_count(self) -> int:
        return self.prefecture.case_count

    def cases(self) -> QuerySet:
        """The prefecture's published cases, in the notice's order (a page of them is read)."""
        return _cases().filter(unit__prefecture=self.prefecture)


def prefecture_page(code: str) -> PrefecturePage:
    prefecture = get_object_or_404(
        Prefecture.objects.annotate(case_count=_published_count("units__cases")), code=code
    )
    return PrefecturePage(
        prefecture=prefecture,
        awards=list(
            OrganizingAward.objects.filter(unit__prefecture=prefecture).select_related(
                "unit", "notice", "tier"
            )
        ),
    )


@dataclass
class UnitPage:
    unit: Unit  # with case_count
    awards: list[OrganizingAward]

    @property
    def case_count(self) -> int:
        return self.unit.case_count

    def cases(self) -> QuerySet:
        return _cases().filter(unit=self.unit)


def unit_page(pk: int) -> UnitPage:
    """A unit is public through its published cases or its organizing awards; otherwise 404."""
    unit = (
        public_units()
        .select_related("prefecture")
        .annotate(case_count=_published_count())
        .filter(pk=pk)
        .first()
    )
    if unit is None:
        raise Http404("该单位没有公开的案例或奖项")
    awards = list(unit.organizing_awards.select_related("notice", "tier"))
    return UnitPage(unit=unit, awards=awards)


@dataclass
class TierPage:
    tier: AwardTier  # with case_count
    awards: list[OrganizingAward]

    @property
    def case_count(self) -> int:
        return self.tier.case_count if self.tier.is_case_tier else 0

    def cases(self) -> QuerySet:
        return _cases().filter(tier=self.tier)


def tier_page(notice_slug: str, slug: str) -> TierPage:
    tier = get_object_or_404(
        AwardTier.objects.select_related("notice").annotate(case_count=_published_count()),
        notice__slug=notice_slug,
        slug=slug,
    )
    if tier.is_case_tier:
        return TierPage(tier=tier, awards=[])
    awards = list(tier.organizing_awards.select_related("unit__prefecture").order_by("order"))
    return TierPage(tier=tier, awards=awards)


@dataclass
class NoticePage:
    notice: Notice
    paragraphs: list[tuple[str, str]]  # (kind, text): salutation, body, attachment-line, signature
    tiers: list[AwardTier]  # each with .public_cases or .public_awards prefetched


def notice_page(slug: str) -> NoticePage:
    notice = get_object_or_404(Notice, slug=slug)
    tiers = list(
        notice.tiers.order_by("order").prefetch_related(
            Prefetch(
                "cases",
                queryset=Case.objects.published().select_related("unit").order_by("number"),
                to_attr="public_cases",
            ),
            Prefetch(
                "organizing_awards",
                queryset=OrganizingAward.objects.select_related("unit").order_by("order"),
                to_attr="public_awards",
            ),
        )
    )
    lines = [p.strip() for p in notice.text.splitlines() if p.strip()]
    return NoticePage(
        notice=notice,
        paragraphs=[(_line_kind(notice, i, lines), p) for i, p in enumerate(lines)],
        tiers=tiers,
    )


def notice_errata(notice: Notice) -> list[Erratum]:
    """Every correction recorded against the notice's source, in the order the importer made them
    (staff only: it names what the public text does not show). Each with its case and unit loaded."""
    return list(notice.errata.select_related("case__tier", "unit").order_by("id"))


ATTACHMENT_LINE = re.compile(r"^(附件：)?\d+\.")


def _line_kind(notice: Notice, index: int, lines: list[str]) -> str:
    """How an official document sets out each line: salutation flush left, signature and date flush right."""
    line = lines[index]
    if index == 0 and line.endswith("："):
        return "salutation"
    if line == notice.issuer or (
        index == len(lines) - 1 and re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", line)
    ):
        return "signature"
    if ATTACHMENT_LINE.match(line):
        return "attachment-line"
    return "body"


def units_known_as(term: str) -> set[int]:
    """Ids of the units whose name or any recorded other form (aliases: variants, official names)
    contains ``term``, read as written and with the reviewed variant spellings put right (鄯家镇
    finds what 鄢家镇 finds). For the admin's search, which cannot look inside a JSON list on every
    database (SQLite stores it with escaped characters)."""
    from cases.reference import SPELLING_VARIANTS

    term = " ".join(term.split()).casefold()
    if not term:
        return set()
    forms = {term}
    for variant, official, _ in SPELLING_VARIANTS:
        forms |= {f.replace(variant.casefold(), official.casefold()) for f in list(forms)}
        forms |= {f.replace(official.casefold(), variant.casefold()) for f in list(forms)}
    found = set()
    for pk, name, aliases in Unit.objects.values_list("pk", "name", "aliases"):
        texts = [name, *(a for a in aliases or [] if isinstance(a, str))]
        if any(form in text.casefold() for form in forms for text in texts):
            found.add(pk)
    return found
