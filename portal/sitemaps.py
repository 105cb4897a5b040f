"""sitemap.xml: the public pages only, and only published cases."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.urls import reverse

from awards.models import AwardTier, Notice, Prefecture
from awards.selectors import public_units
from cases.models import Case


class StaticPagesSitemap(Sitemap):
    priority = 0.8
    changefreq = "weekly"

    def items(self):
        return ["cases:home", "cases:list", "awards:prefecture_list", "insights:statistics", "api:opendata"]

    def location(self, item):
        return reverse(item)


class CaseSitemap(Sitemap):
    priority = 0.9
    changefreq = "monthly"

    def items(self):
        return Case.objects.published().order_by("pk")

    def lastmod(self, item: Case):
        return item.updated


class PrefectureSitemap(Sitemap):
    priority = 0.6

    def items(self):
        return Prefecture.objects.order_by("order", "code")


class UnitSitemap(Sitemap):
    priority = 0.5

    def items(self):
        # The units whose page is public: a published case or an organizing award.
        return public_units().order_by("pk")


class NoticeSitemap(Sitemap):
    priority = 0.7

    def items(self):
        published = Q(cases__status=Case.Status.PUBLISHED)
        return Notice.objects.annotate(last_case=Max("cases__updated", filter=published)).order_by("pk")

    def lastmod(self, item):
        return item.last_case


class TierSitemap(Sitemap):
    priority = 0.6

    def items(self):
        return AwardTier.objects.select_related("notice").order_by("notice__pk", "order")


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "cases": CaseSitemap,
    "prefectures": PrefectureSitemap,
    "units": UnitSitemap,
    "notices": NoticeSitemap,
    "tiers": TierSitemap,
}
