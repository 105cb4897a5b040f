"""Atom feed of published cases, most recently published or updated first."""

from typing import Any

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from cases.models import Case
from portal.text import clean_data

SITE_TITLE = "四川省镇村便民服务“三化”建设案例库"


class CleanAtom1Feed(Atom1Feed):
    """Atom, valid XML 1.0 whatever the database holds: every item's text passes through the site's
    text rule (portal/text.py) first, so a control character left in an older row or written by SQL
    cannot make the whole feed fail."""

    def add_item(self, *args: Any, **kwargs: Any) -> None:
        super().add_item(
            *clean_data(list(args)), **{name: clean_data(value) for name, value in kwargs.items()}
        )


class LatestCasesFeed(Feed):
    feed_type = CleanAtom1Feed
    title = f"{SITE_TITLE}：新发布和更新的案例"
    subtitle = "川政公函〔2022〕35号通报的获奖案例，按发布或更新时间排列。"
    author_name = SITE_TITLE
    limit = 50

    def link(self):
        return reverse("cases:list")

    def feed_url(self):
        return reverse("insights:feed")

    def items(self):
        return (
            Case.objects.published()
            .select_related("tier", "unit__prefecture", "notice")
            .prefetch_related("themes")
            .order_by("-updated", "pk")[: self.limit]
        )

    def item_title(self, item: Case) -> str:
        return item.title

    def item_description(self, item: Case) -> str:
        return item.summary or f"{item.unit.name}（{item.tier.name}）"

    def item_link(self, item: Case) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Case):
        return item.created

    def item_updateddate(self, item: Case):
        return item.updated

    def item_author_name(self, item: Case) -> str:
        return item.unit.name

    def item_categories(self, item: Case) -> list[str]:
        return [item.tier.name, item.unit.prefecture.name, *(theme.name for theme in item.themes.all())]
