"""The prefecture map: all 21 prefectures, the right counts, working filter links, a small file."""

import json
import re

import pytest
from django.template import Context, Template
from django.urls import reverse

from awards.models import Prefecture
from cases.insights import MAP_DATA, map_geometry
from cases.models import Case
from cases.templatetags.insights_tags import BAR_FILL, PALETTE, shade_of, shades_for
from tests.insights.conftest import cases_behind, elements_with_class

pytestmark = pytest.mark.django_db


def render_map(**kwargs) -> str:
    args = " ".join(f'{k}="{v}"' if isinstance(v, str) else f"{k}={v}" for k, v in kwargs.items())
    return Template("{% load insights_tags %}{% prefecture_map " + args + " %}").render(Context({}))


def path_rings(d: str) -> list[list[tuple[int, int]]]:
    """Absolute rings from the compact path data the build command writes (m, implicit l, z)."""
    rings, cursor, start = [], (0, 0), (0, 0)
    tokens = re.findall(r"[mz]|-?\d+", d)
    i = 0
    while i < len(tokens):
        if tokens[i] == "m":
            start = cursor = (cursor[0] + int(tokens[i + 1]), cursor[1] + int(tokens[i + 2]))
            rings.append([cursor])
            i += 3
        elif tokens[i] == "z":
            cursor = start
            i += 1
        else:
            cursor = (cursor[0] + int(tokens[i]), cursor[1] + int(tokens[i + 1]))
            rings[-1].append(cursor)
            i += 2
    return rings


def inside(point, rings) -> bool:
    hits = 0
    for ring in rings:
        for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
            crosses = (a[1] > point[1]) != (b[1] > point[1])
            if crosses and point[0] < a[0] + (point[1] - a[1]) * (b[0] - a[0]) / (b[1] - a[1]):
                hits += 1
    return hits % 2 == 1


def test_map_shows_all_21_prefectures_with_their_published_case_counts(library):
    regions = elements_with_class(render_map(), "insights-region")
    assert len(regions) == 21
    assert {r["data-code"] for r in regions} == set(Prefecture.objects.values_list("code", flat=True))
    for region in regions:
        prefecture = Prefecture.objects.get(code=region["data-code"])
        expected = Case.objects.published().filter(unit__prefecture=prefecture).count()
        assert int(region["data-cases"]) == expected
        assert region["aria-label"] == f"{prefecture.short_name} {expected} 个案例（{prefecture.name}）"


def test_every_region_links_to_the_case_list_filtered_to_it(library, client):
    for region in elements_with_class(render_map(), "insights-region"):
        href = region["href"]
        shown = cases_behind(href)
        expected = Case.objects.published().filter(unit__prefecture__code=region["data-code"])
        assert set(shown) == set(expected)
        assert shown.count() == int(region["data-cases"])
        assert client.get(href).status_code == 200


def test_regions_can_link_to_the_prefecture_pages(library, client):
    regions = elements_with_class(render_map(link_to="prefecture"), "insights-region")
    for region in regions:
        assert region["href"] == reverse("awards:prefecture", kwargs={"code": region["data-code"]})
        assert client.get(region["href"]).status_code == 200


def test_the_data_table_holds_the_same_figures(library):
    html = render_map()
    rows = re.findall(
        r'<th scope="row"><a href="/prefectures/(\d{6})/">([^<]+)</a></th>\s*<td><a href="([^"]+)"[^>]*>(\d+)</a></td>',
        html,
    )
    assert len(rows) == 21
    figures = {r["data-code"]: int(r["data-cases"]) for r in elements_with_class(html, "insights-region")}
    for code, name, href, count in rows:
        assert Prefecture.objects.get(code=code).name == name
        assert figures[code] == int(count) == cases_behind(href.replace("&amp;", "&")).count()


def test_a_withdrawn_case_leaves_the_map(unpublish_one):
    regions = {r["data-code"]: r for r in elements_with_class(render_map(), "insights-region")}
    assert (
        int(regions["510100"]["data-cases"])
        == Case.objects.published().filter(unit__prefecture__code="510100").count()
        == 2
    )


def test_each_region_is_shaded_by_its_count_with_a_legend(library):
    html = render_map()
    counts = {r["data-code"]: int(r["data-cases"]) for r in elements_with_class(html, "insights-region")}
    shades = shades_for(max(counts.values()))
    fills = re.findall(r'<path class="insights-region-shape" d="[^"]+" fill="(#[0-9a-f]{6})"', html)
    assert [shade_of(n, shades).fill for n in counts.values()] == fills
    # Distinct counts get distinct shades here (1, 2 and 3 cases), each in the legend.
    assert len({shade_of(n, shades).fill for n in counts.values()}) == len(set(counts.values()))
    legend = html.split('class="insights-legend"')[1].split("</ul>")[0]
    for n in set(counts.values()):
        assert shade_of(n, shades).fill in legend


@pytest.mark.parametrize("top", [1, 2, 3, 5, 7, 12, 44])
def test_shade_classes_cover_every_count(top):
    shades = shades_for(top)
    assert shades[0].low == shades[0].high == 0
    steps = shades[1:]
    assert 1 <= len(steps) <= 5
    assert steps[0].low == 1 and steps[-1].high == top
    for a, b in zip(steps, steps[1:], strict=False):
        assert b.low == a.high + 1
    assert len({s.fill for s in shades}) == len(shades)  # sequential, never the same shade twice


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_labels_reach_aa_contrast_on_every_shade():
    for fill, ink in PALETTE:
        assert contrast(fill, ink) >= 4.5, (fill, ink)
    assert contrast(BAR_FILL, "#ffffff") >= 3  # a graphical object against the page


def test_geometry_file_is_small_complete_and_labels_sit_inside(library):
    assert MAP_DATA.stat().st_size < 200 * 1024
    svg = render_map().split("<svg", 1)[1].split("</svg>", 1)[0]
    assert len(svg.encode()) < 200 * 1024
    geometry = map_geometry()
    assert json.loads(MAP_DATA.read_text(encoding="utf-8")) == geometry
    assert [r["code"] for r in geometry["regions"]] == list(
        Prefecture.objects.order_by("code").values_list("code", flat=True)
    )
    for region in geometry["regions"]:
        rings = path_rings(region["d"])
        assert rings, region["code"]
        for x, y in (p for ring in rings for p in ring):
            assert 0 <= x <= geometry["width"] and 0 <= y <= geometry["height"]
        assert inside(tuple(region["label"]), rings), region["code"]


def test_map_is_on_the_statistics_page_and_links_work(library, client):
    response = client.get(reverse("insights:statistics"))
    assert response.status_code == 200
    regions = elements_with_class(response.content.decode(), "insights-region")
    assert len(regions) == 21
    assert 'href="/static/css/insights.css"' in response.content.decode()


@pytest.mark.parametrize(
    ("name", "region_href"),
    [("cases:home", "/cases/?prefecture={code}"), ("awards:prefecture_list", "/prefectures/{code}/")],
)
def test_home_and_prefecture_index_place_the_map(library, client, name, region_href):
    html = client.get(reverse(name)).content.decode()
    regions = elements_with_class(html, "insights-region")
    assert len(regions) == 21
    for region in regions:
        assert region["href"] == region_href.format(code=region["data-code"])
    more = re.search(r'<p class="insights-more"><a href="([^"]+)"', html)
    assert more and more.group(1) == reverse("insights:statistics")
