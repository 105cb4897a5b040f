from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.http import QueryDict

from cases.filters import CaseFilter
from cases.models import Case


class LinkCollector(HTMLParser):
    """Every element with a given class, as its attribute dict (stdlib only, no extra parser)."""

    def __init__(self, css_class: str):
        super().__init__()
        self.css_class = css_class
        self.found: list[dict[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.css_class in (attrs.get("class") or "").split():
            self.found.append({"tag": tag, **attrs})


def elements_with_class(html: str, css_class: str) -> list[dict[str, str]]:
    parser = LinkCollector(css_class)
    parser.feed(html)
    return parser.found


def cases_behind(href: str):
    """The published cases the case list shows for this link, through the one CaseFilter."""
    parts = urlsplit(href)
    assert parts.path == "/cases/", href
    return CaseFilter(QueryDict(parts.query), queryset=Case.objects.published()).qs


@pytest.fixture
def unpublish_one(library):
    """Withdraw one case from Chengdu (a prefecture with three) and return it."""
    case = Case.objects.published().filter(unit__prefecture__code="510100").order_by("pk").first()
    case.status = Case.Status.DRAFT
    case.save()
    return case
