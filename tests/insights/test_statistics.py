"""The statistics page: four bar charts whose every bar is a working filter link, with tables."""

import re

import pytest
from django.urls import reverse

from awards.models import AwardTier, OrganizingAward, Prefecture, Unit
from cases.models import Case, Theme
from tests.insights.conftest import cases_behind, elements_with_class

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(library, client):
    response = client.get(reverse("insights:statistics"))
    assert response.status_code == 200
    return response.content.decode()


def chart(html: str, chart_id: str) -> str:
    return html.split(f'aria-labelledby="{chart_id}-caption"', 1)[1].split("</table>", 1)[0]


@pytest.mark.parametrize(
    ("chart_id", "param", "expected_keys"),
    [
        ("chart-prefecture", "prefecture", lambda: list(Prefecture.objects.values_list("code", flat=True))),
        (
            "chart-tier",
            "tier",
            lambda: list(AwardTier.objects.exclude(slug="organizing").values_list("slug", flat=True)),
        ),
        ("chart-level", "level", lambda: [value for value, _ in Unit.Level.choices]),
        ("chart-theme", "theme", lambda: list(Theme.objects.values_list("slug", flat=True))),
    ],
)
def test_every_bar_links_to_the_list_with_its_filter_and_shows_its_count(
    page, client, chart_id, param, expected_keys
):
    section = chart(page, chart_id)
    bars = elements_with_class(section, "insights-bar")
    assert [b["href"].split(f"?{param}=")[1] for b in bars] == expected_keys()
    values = re.findall(r'<text class="insights-bar-value"[^>]*>(\d+)</text>', section)
    assert len(values) == len(bars)
    for bar, value in zip(bars, values, strict=True):
        shown = cases_behind(bar["href"])
        assert shown.count() == int(value)
        assert bar["aria-label"].endswith(f"：{value} 个案例")
        assert client.get(bar["href"]).status_code == 200
    # The table under the chart repeats the figures with the same links.
    table_links = re.findall(r'<td><a href="([^"]+)"[^>]*>(\d+)</a></td>', section)
    assert [(h.replace("&amp;", "&"), v) for h, v in table_links] == [
        (b["href"], v) for b, v in zip(bars, values, strict=True)
    ]


def test_tier_and_level_totals_equal_the_published_cases(page):
    for chart_id in ("chart-tier", "chart-level", "chart-prefecture"):
        values = re.findall(r'<text class="insights-bar-value"[^>]*>(\d+)</text>', chart(page, chart_id))
        assert sum(map(int, values)) == Case.objects.published().count() == 44


def test_bar_lengths_are_proportional(page):
    section = chart(page, "chart-prefecture")
    widths = [float(w) for w in re.findall(r'class="insights-bar-rect"[^>]*width="([\d.]+)"', section)]
    values = [int(v) for v in re.findall(r'<text class="insights-bar-value"[^>]*>(\d+)</text>', section)]
    assert len(widths) == len(values)
    unit = max(widths) / max(values)
    for width, value in zip(widths, values, strict=True):
        assert width == pytest.approx(value * unit, abs=0.2)


def test_organizing_awards_listed_by_prefecture(page):
    section = page.split('id="organizing"', 1)[1]
    for award in OrganizingAward.objects.select_related("unit__prefecture"):
        assert f'<a href="{award.unit.get_absolute_url()}">{award.unit.name}</a>' in section
        assert award.unit.prefecture.name in section


def test_page_uses_no_inline_styles_or_scripts_and_nothing_from_other_hosts(page):
    assert "style=" not in page
    assert not re.search(r"<script(?![^>]*\ssrc=)", page), "inline script"
    assert not re.search(r"\son[a-z]+=", page), "inline event handler"
    assert not re.search(r'(src|href)="(https?:)?//', page)


def test_statistics_rejects_writes(client, library):
    assert client.post(reverse("insights:statistics")).status_code == 405
    assert client.head(reverse("insights:statistics")).status_code == 200


def test_with_nothing_published_the_pages_still_render(library, client):
    Case.objects.update(status=Case.Status.DRAFT)
    html = client.get(reverse("insights:statistics")).content.decode()
    regions = elements_with_class(html, "insights-region")
    assert len(regions) == 21 and {r["data-cases"] for r in regions} == {"0"}
    assert "无案例" in html.split('class="insights-legend"')[1].split("</ul>")[0]
    assert not re.findall(r'class="insights-bar-rect"', html)  # no bar drawn for zero
    assert len(elements_with_class(html, "insights-bar")) == 21 + 2 + 4 + Theme.objects.count()
    assert client.get(reverse("insights:feed")).status_code == 200


@pytest.mark.parametrize(("size", "ratio"), [("small", 16 / 18), ("medium", 1.0), ("large", 24 / 18)])
def test_charts_follow_the_readers_text_size(library, client, size, ratio):
    """The chart is drawn at a fixed width, so a narrower drawing means larger text and bars."""
    client.cookies["pref_text_size"] = size
    html = client.get(reverse("insights:statistics")).content.decode()
    widths = {int(width) for width in re.findall(r'class="insights-chart-svg" viewBox="0 0 (\d+) \d+"', html)}
    assert widths == {round(360 / ratio)}
    # Every bar still fits in the narrower drawing, with room after it for a two-digit count.
    values = [float(x) for x in re.findall(r'class="insights-bar-value" x="([\d.]+)"', html)]
    assert values and max(values) + 20 <= min(widths)
