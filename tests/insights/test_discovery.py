"""sitemap.xml, robots.txt and the Atom feed: public pages and published cases only."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from awards.models import AwardTier, Notice, Prefecture
from cases.models import Case

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
ATOM_NS = {"a": "http://www.w3.org/2005/Atom"}


def sitemap_paths(client) -> list[str]:
    response = client.get(reverse("insights:sitemap"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    return [loc.text.removeprefix("http://testserver") for loc in root.findall("s:url/s:loc", SITEMAP_NS)]


def test_sitemap_lists_the_public_pages(library, client):
    paths = sitemap_paths(client)
    assert len(paths) == len(set(paths))
    for name in ("cases:home", "cases:list", "awards:prefecture_list", "insights:statistics", "api:opendata"):
        assert reverse(name) in paths
    for case in Case.objects.published():
        assert case.get_absolute_url() in paths
    for model in (Prefecture, Notice, AwardTier):
        for obj in model.objects.all():
            assert obj.get_absolute_url() in paths
    for case in Case.objects.published().select_related("unit"):
        assert case.unit.get_absolute_url() in paths
    for path in paths:
        assert client.get(path).status_code == 200, path


def test_sitemap_and_feed_leave_out_drafts(unpublish_one, client):
    draft = unpublish_one
    assert draft.get_absolute_url() not in sitemap_paths(client)
    feed = ET.fromstring(client.get(reverse("insights:feed")).content)
    links = [link.get("href") for link in feed.findall("a:entry/a:link", ATOM_NS)]
    assert len(links) == 43
    assert not any(link.endswith(draft.get_absolute_url()) for link in links)


def test_robots_allows_all_but_admin_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert not any(line.strip() == "Disallow: /" for line in lines)


def test_feed_is_atom_of_published_cases_newest_update_first(library, client):
    case = Case.objects.published().order_by("pk").last()
    case.summary = case.summary + "（更新）"
    case.save()  # ``updated`` moves forward: the case becomes the newest entry

    response = client.get(reverse("insights:feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall("a:entry", ATOM_NS)
    assert len(entries) == Case.objects.published().count() == 44
    first = entries[0]
    assert first.find("a:title", ATOM_NS).text == case.title
    assert first.find("a:link", ATOM_NS).get("href") == f"http://testserver{case.get_absolute_url()}"
    assert first.find("a:id", ATOM_NS).text.startswith("http://testserver/cases/")
    updated = [e.find("a:updated", ATOM_NS).text for e in entries]
    assert updated == sorted(updated, reverse=True)
    categories = {c.get("term") for c in first.findall("a:category", ATOM_NS)}
    assert {case.tier.name, case.unit.prefecture.name} <= categories
    assert feed.find("a:link[@rel='self']", ATOM_NS).get("href") == "http://testserver/feeds/cases.atom"
