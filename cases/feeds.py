"""Atom feed of published cases, most recently published or updated first."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from cases.models import Case

SITE_TITLE = "四川省镇村便民服务“三化”建设案例库"


class LatestCasesFeed(Feed):
    feed_type = Atom1Feed
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
