"""Issue 14 on the server side: dates, downloads and sharing, the footer, display preferences, the small
things, and map labels that never overlap at any text size or width."""

import io
import itertools
import os
import re
import subprocess
import sys
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import unquote

import pytest
import segno
from django.test import override_settings
from django.utils import timezone
from docx import Document

from awards.models import Notice
from cases.insight_map import box_inside, path_rings, text_width
from cases.insights import map_geometry
from cases.models import Case
from cases.selectors import neighbours, related_cases
from cases.templatetags.insights_tags import MAP_LAYOUTS, _map_labels
from portal.cache import bump_library_version
from portal.preferences import PREFERENCE_COOKIES

pytestmark = pytest.mark.django_db

PAGE_TYPES = [
    "/",
    "/cases/",
    "/cases/?prefecture=510100&tier=best",
    "/cases/?q=凉山",
    "/cases/?sort=prefecture",
    "/cases/2021-best-01/",
    "/cases/2021-best-01/feedback/",
    "/units/1/",
    "/prefectures/",
    "/prefectures/510100/",
    "/notices/chuanzhenggonghan-2022-35/",
    "/notices/chuanzhenggonghan-2022-35/best/",
    "/notices/chuanzhenggonghan-2022-35/organizing/",
    "/statistics/",
    "/api/v1/data/",
]


def text(response) -> str:
    return response.content.decode()


class Headings(HTMLParser):
    def __init__(self):
        super().__init__()
        self.levels = []

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self.levels.append(int(tag[1]))


@pytest.mark.parametrize("url", PAGE_TYPES)
def test_headings_never_skip_a_level(client, library, url):
    parser = Headings()
    parser.feed(text(client.get(url)))
    levels = parser.levels
    assert levels and levels[0] == 1 and levels.count(1) == 1, levels
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, (url, levels)


def test_cases_carry_the_notice_date_and_their_last_published_change(client, library):
    case = Case.objects.get(slug="2021-best-03")
    changed = timezone.now() - timedelta(days=3)
    Case.objects.filter(pk=case.pk).update(updated=changed)
    day = timezone.localtime(changed).date().isoformat()
    page = text(client.get(case.get_absolute_url()))
    assert '<dt>发布日期</dt><dd><time datetime="2022-01-26">2022-01-26</time></dd>' in page
    assert f">{day}</time>" in page.split("<dt>更新日期</dt>")[1][:120]
    listing = text(client.get("/cases/?tier=best"))
    card = listing.split(f'id="case-{case.pk}-title"')[1].split("</article>")[0]
    assert '发布日期 <time datetime="2022-01-26">2022-01-26</time>' in card and f">{day}</time>" in card
    # The notice page: its own date and the latest change among its published cases.
    latest = max(Case.objects.published().values_list("updated", flat=True))
    notice = text(client.get(library.get_absolute_url()))
    assert '发布日期 <time datetime="2022-01-26">' in notice
    assert f">{timezone.localtime(latest).date().isoformat()}</time>" in notice.split("更新日期")[1][:120]


def test_each_case_downloads_as_a_word_document_with_a_chinese_name(client, library):
    case = Case.objects.select_related("unit", "tier", "notice").get(slug="2021-best-08")
    response = client.get("/cases/2021-best-08.docx")
    assert response.status_code == 200
    assert (
        response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert unquote(disposition.split("''", 1)[1]) == f"最佳案例第8号 {case.title}.docx"
    document = Document(io.BytesIO(response.content))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == case.title and document.paragraphs[0].style.name == "Heading 1"
    joined = "\n".join(paragraphs)
    for expected in (
        case.unit.name,
        "最佳案例（第 8 号）",
        case.citation_label,
        "GB/T 7714",
        "发布日期：2022-01-26",
    ):
        assert expected in joined, expected
    for section in case.sections.all():
        if section.heading:
            assert section.heading in paragraphs
        for paragraph in section.paragraphs:
            assert paragraph in paragraphs
    assert document.core_properties.title == case.title
    assert 'href="/cases/2021-best-08.docx"' in text(client.get(case.get_absolute_url()))


def test_drafts_and_unknown_cases_have_no_word_document(client, library):
    Case.objects.filter(slug="2021-best-08").update(status=Case.Status.DRAFT)
    assert client.get("/cases/2021-best-08.docx").status_code == 404
    assert client.get("/cases/no-such-case.docx").status_code == 404


def test_the_share_box_shows_the_address_and_its_qr_code(client, library):
    body = text(client.get("/cases/2021-best-01/"))
    url = "http://testserver/cases/2021-best-01/"
    assert f'<span class="share-url-text" id="share-url" data-copy-label="复制链接">{url}</span>' in body
    svg = re.search(
        r'<svg viewBox="[^"]+" role="img" aria-label="本案例网址的二维码：([^"]+)"[^>]*>.*?</svg>', body, re.S
    )
    assert svg and svg.group(1) == url
    expected = segno.make(url, error="m", micro=False).svg_inline(scale=4, border=4, omitsize=True)
    modules = r'stroke="#000" d="(M[^"]+)"'
    assert re.search(modules, svg.group(0)).group(1) == re.search(modules, expected).group(1)  # this address
    assert "style=" not in svg.group(0)


def test_footer_shows_the_sites_identity_only_when_set(client, library, settings):
    body = text(client.get("/"))
    assert "网站标识码" not in body and "ICP" not in body and "主办单位" not in body
    assert 'href="/feedback/?page=/"' in body  # 网站纠错 from every page
    settings.SITE_ORGANIZER = "四川省政府政务服务和公共资源交易服务中心"
    settings.SITE_CONTACT = "028-12345678"
    settings.SITE_ID_CODE = "5100000001"
    settings.SITE_ICP_NUMBER = "蜀ICP备12345678号"
    settings.SITE_PSB_NUMBER = "川公网安备51010402000001号"
    footer = text(client.get("/prefectures/")).split('<footer class="site-footer">')[1]
    assert (
        "主办单位：四川省政府政务服务和公共资源交易服务中心" in footer and "联系方式：028-12345678" in footer
    )
    assert "网站标识码：5100000001" in footer
    assert '<a href="https://beian.miit.gov.cn/" rel="noopener noreferrer">蜀ICP备12345678号</a>' in footer
    assert "webSearch?code=51010402000001" in footer and "川公网安备51010402000001号</a>" in footer
    assert 'href="/feedback/?page=/prefectures/"' in footer
    case_footer = text(client.get("/cases/2021-best-01/")).split('<footer class="site-footer">')[1]
    assert 'href="/cases/2021-best-01/feedback/">网站纠错' in case_footer


@pytest.mark.parametrize(
    ("code", "ok"), [("5100000001", True), ("", True), ("51-000", False), ("51000000012", False)]
)
def test_a_site_identity_code_must_be_ten_digits(code, ok):
    env = {**os.environ, "SITE_ID_CODE": code, "DJANGO_DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, "-c", "import portal.settings"], env=env, capture_output=True, text=True
    )
    assert (result.returncode == 0) is ok, result.stderr
    if not ok:
        assert "SITE_ID_CODE" in result.stderr and "ten digits" in result.stderr


def test_the_display_switch_sets_size_and_contrast_without_javascript(client, library):
    assert PREFERENCE_COOKIES == {
        "pref_text_size": ("large", "medium", "small"),
        "pref_contrast": ("normal", "high"),
    }
    response = client.post("/preferences/", {"contrast": "high", "next": "/cases/"})
    assert response.status_code == 302 and response["Location"] == "/cases/"
    assert response.cookies["pref_contrast"].value == "high" and "pref_text_size" not in response.cookies
    body = text(client.get("/cases/"))
    assert '<html lang="zh-CN" class="text-medium contrast-high">' in body
    assert 'name="contrast" value="normal" aria-pressed="true">高对比度</button>' in body
    client.post("/preferences/", {"size": "large", "next": "/"})
    assert '<html lang="zh-CN" class="text-large contrast-high">' in text(client.get("/"))
    # Unknown values set nothing; a cookie holding one reads as the default.
    response = client.post("/preferences/", {"contrast": "inverted", "size": "huge"})
    assert not response.cookies
    client.cookies["pref_contrast"] = "<script>"
    assert '<html lang="zh-CN" class="text-large">' in text(client.get("/"))


def test_the_unit_breadcrumb_names_the_prefecture_list(client, library):
    body = text(client.get("/units/1/"))
    crumbs = body.split('aria-label="当前位置"')[1].split("</nav>")[0]
    assert re.findall(r'<a href="([^"]+)">', crumbs)[:2] == ["/", "/prefectures/"]


def test_next_case_is_never_repeated_among_related_cases(client, library):
    for case in Case.objects.published():
        previous, following = neighbours(case)
        around = {row["pk"] for row in (previous, following) if row}
        shown = [c.pk for c in client.get(case.get_absolute_url()).context["related"]]
        assert not set(shown) & around, case.slug
        expected = [c.pk for c in related_cases(case, limit=5 + len(around)) if c.pk not in around][:5]
        assert shown == expected, case.slug


def test_statistics_say_how_many_prefectures_in_plain_words(client, library):
    body = text(client.get("/statistics/"))
    assert "全省 21 个市（州）都有获奖案例" in body and "中的 21 个" not in body
    Case.objects.filter(unit__prefecture__code="510100").update(status=Case.Status.DRAFT)
    bump_library_version()  # update() sends no signal: what every such write does (portal.cache)
    body = text(client.get("/statistics/"))
    assert "分布在 20 个市（州）（全省共 21 个）" in body


def test_the_notice_page_links_to_the_source_document(client, library, settings):
    body = text(client.get(library.get_absolute_url()))
    assert 'href="/notices/chuanzhenggonghan-2022-35/source.txt"' in body
    response = client.get("/notices/chuanzhenggonghan-2022-35/source.txt")
    assert response.status_code == 200 and response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content == settings.LIBRARY_SOURCE.read_bytes()
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert client.get("/notices/no-such-notice/source.txt").status_code == 404
    other = Notice.objects.create(
        number="川政公函〔2099〕1号",
        slug="no-source",
        title="测试",
        issuer="测试",
        issued_on="2099-01-01",
        year=2099,
    )
    assert client.get(f"/notices/{other.slug}/source.txt").status_code == 404
    assert "source.txt" not in text(client.get(other.get_absolute_url()))


def test_sorting_by_prefecture_groups_the_results_under_headings(client, library):
    body = text(client.get("/cases/?sort=prefecture"))
    groups = re.findall(
        r'<h3 class="group-heading" id="group-(\d{6})">([^<]+)<span class="group-count">（共 (\d+) 个', body
    )
    assert groups[0][:2] == ("510100", "成都市")
    first_page = client.get("/cases/?sort=prefecture").context["cases"]
    assert len(groups) == len({c.unit.prefecture.code for c in first_page})
    for code, _, total in groups:
        assert int(total) == Case.objects.published().filter(unit__prefecture__code=code).count()
    assert body.count('class="case-card"') == len(first_page)
    # A group that goes on from the previous page says so.
    page2 = client.get("/cases/?sort=prefecture&page=2")
    continued = page2.context["cases"][0].unit.prefecture_id == first_page[-1].unit.prefecture_id
    heading = re.search(r'<h3 class="group-heading".*?</h3>', text(page2)).group(0)
    assert ("接上页" in heading) == continued


def test_filters_hide_options_that_find_nothing_but_never_a_selected_one(client, library):
    body = text(client.get("/cases/?q=凉山&prefecture=510100"))
    assert '<span class="filter-count" aria-hidden="true"> (1)</span>' in body
    prefecture = body.split('class="facet facet-prefecture"')[1].split("</fieldset>")[0]
    shown, _, hidden = prefecture.partition('<details class="facet-more">')
    assert 'value="510100" checked' in shown  # selected, although it finds nothing with 凉山
    assert 'value="513400"' in shown  # 凉山州 finds cases
    assert 'value="510300"' in hidden and "显示全部" in hidden


LABEL_SIZES = ["small", "medium", "large"]


@pytest.mark.parametrize("size", LABEL_SIZES)
@pytest.mark.parametrize("digits", [1, 2])
def test_map_labels_never_overlap_and_stay_on_the_map(size, digits):
    geometry = map_geometry()
    names = ["成都", "自贡", "攀枝花", "泸州", "德阳", "绵阳", "广元", "遂宁", "内江", "乐山", "南充"]
    names += ["眉山", "宜宾", "广安", "达州", "雅安", "巴中", "资阳", "阿坝", "甘孜", "凉山"]
    counts = tuple(
        (shape["code"], name, 10**digits - 1) for shape, name in zip(geometry["regions"], names, strict=True)
    )
    layouts = _map_labels(size, counts)["layouts"]
    for variant, layout in layouts.items():
        placed = layout["placed"]
        assert len(placed) == 21
        for a, b in itertools.combinations(placed.values(), 2):
            overlap = not (
                a.box[2] <= b.box[0] or b.box[2] <= a.box[0] or a.box[3] <= b.box[1] or b.box[3] <= a.box[1]
            )
            assert not overlap, (variant, size, a, b)
        for p in placed.values():
            assert (
                p.box[0] >= 0
                and p.box[2] <= geometry["width"]
                and p.box[1] >= 0
                and p.box[3] <= geometry["height"]
            )
        # Shown on a phone the labels are at least 12 px tall, on a wide screen at least 13 px.
        px = MAP_LAYOUTS[variant]["px"]
        px = px if isinstance(px, int) else px[size]
        assert layout["font"] * px / geometry["width"] >= (12 if variant == "narrow" else 13)


def test_a_label_drawn_without_a_tag_lies_inside_its_own_region():
    geometry = map_geometry()
    shapes = {s["code"]: s for s in geometry["regions"]}
    counts = tuple((s["code"], "内江", 3) for s in geometry["regions"])
    for layout in _map_labels("medium", counts)["layouts"].values():
        for code, p in layout["placed"].items():
            if not p.tagged:
                assert box_inside(p.box, path_rings(shapes[code]["d"])), code


def test_text_width_is_on_the_safe_side():
    assert text_width("内江 2", 10) == pytest.approx(10 + 10 + 3.5 + 6.2)


@override_settings(PAGE_CACHE_ENABLED=False)
def test_the_map_draws_both_label_layers_with_names(client, library):
    body = text(client.get("/statistics/"))
    for variant in ("wide", "narrow"):
        layer = body.split(f'class="insights-labels insights-labels-{variant}"')[1]
        layer = re.split(r'class="insights-labels |</svg>', layer)[0]
        assert layer.count('class="insights-region-label"') == 21
        assert ">内江" in layer and ">自贡" in layer
    wide = body.split('class="insights-labels insights-labels-wide"')[1]
    assert '>内江 <tspan class="insights-region-count">' in wide
