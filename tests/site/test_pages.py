"""Every public page over the real library; drafts never show; the reader's text size."""

import pytest
from django.test import RequestFactory
from django.utils.html import escape
from django.views.defaults import server_error

from awards.models import AwardTier, OrganizingAward, Prefecture, Unit
from cases.models import Case
from cases.search.similarity import related_case_ids
from cases.views import render_case_page

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def test_home_presents_the_notice_counts_entries_and_best_cases(client, library):
    body = text(client.get("/"))
    assert 'lang="zh-CN"' in body
    assert "川政公函〔2022〕35号" in body and "2022年1月26日" in body
    for number, label in [
        (44, "获奖案例"),
        (10, "最佳案例"),
        (34, "优秀案例"),
        (21, "市（州）"),
        (12, "优秀组织单位"),
    ]:
        assert f"<strong>{number}</strong><span>{label}</span>" in body
    assert 'role="search"' in body and 'name="q"' in body
    assert 'href="/cases/?tier=best"' in body and 'href="/cases/?prefecture=511800"' in body
    assert 'href="/cases/?theme=finance"' in body
    for case in Case.objects.filter(tier__slug="best"):
        assert case.get_absolute_url() in body


@pytest.mark.parametrize(
    "slug", [f"2021-best-{n:02}" for n in range(1, 11)] + [f"2021-excellent-{n:02}" for n in range(1, 35)]
)
def test_each_case_page_shows_title_unit_prefecture_and_full_text(client, library, slug):
    case = Case.objects.select_related("unit__prefecture", "notice", "tier").get(slug=slug)
    body = text(client.get(case.get_absolute_url()))
    plain = body.replace("<strong>", "").replace("</strong>", "")
    assert f'<h1 id="case-title">{escape(case.title)}</h1>' in body
    assert escape(case.unit.name) in body and escape(case.unit.prefecture.name) in body
    if case.unit.county:
        assert case.unit.county in body
    for section in case.sections.all():
        if section.heading:
            assert f'<a href="#{section.anchor}">{escape(section.heading)}</a>' in body
        for paragraph in section.paragraphs:
            assert f">{escape(paragraph)}</p>" in plain
    assert case.citation_label in body
    assert '<meta property="og:title"' in body
    assert 'href="/static/css/print.css" media="print"' in body


def test_case_page_details(client, library):
    case = Case.objects.get(slug="2021-best-08")
    body = text(client.get(case.get_absolute_url()))
    assert "川政公函〔2022〕35号 附件1 第8号" in body
    assert "[R/OL]//四川省政府政务服务和公共资源交易服务中心" in body
    assert 'href="/cases/2021-best-07/" rel="prev"' in body
    assert 'href="/cases/2021-best-09/" rel="next"' in body
    related = client.get(case.get_absolute_url()).context["related"]
    assert related and case not in related
    # The most similar texts first, as stored by the search index when the case last changed.
    similar = [
        pk for pk in related_case_ids(case, limit=5) if Case.objects.published().filter(pk=pk).exists()
    ]
    assert [c.pk for c in related][: len(similar)] == similar
    for other in related:
        assert f'href="{other.get_absolute_url()}"' in body


def test_compendium_title_is_shown_where_it_differs(client, library):
    case = Case.objects.exclude(title_in_compendium="").first()
    body = text(client.get(case.get_absolute_url()))
    assert f"案例汇编中的标题：{case.title_in_compendium}" in body


def test_first_and_last_cases_have_one_neighbour(client, library):
    first = text(client.get("/cases/2021-best-01/"))
    assert 'rel="prev"' not in first and 'href="/cases/2021-best-02/" rel="next"' in first
    last = text(client.get("/cases/2021-excellent-34/"))
    assert 'rel="next"' not in last and 'href="/cases/2021-excellent-33/" rel="prev"' in last


def test_prefecture_list_and_pages(client, library):
    body = text(client.get("/prefectures/"))
    for prefecture in Prefecture.objects.all():
        assert prefecture.get_absolute_url() in body
    yaan = text(client.get("/prefectures/511800/"))
    assert "雅安市" in yaan and "案例征集优秀组织单位" in yaan
    for case in Case.objects.filter(unit__prefecture__code="511800"):
        assert case.get_absolute_url() in yaan
    assert client.get("/prefectures/999999/").status_code == 404


def test_unit_page_with_a_case_and_an_organizing_award(client, library):
    unit = Unit.objects.get(name="雅安市政务服务和大数据局")
    assert unit.cases.exists() and OrganizingAward.objects.filter(unit=unit).exists()
    body = text(client.get(unit.get_absolute_url()))
    assert "所获奖项" in body and "优秀组织单位" in body
    for case in unit.cases.all():
        assert case.get_absolute_url() in body
    assert client.get("/units/999999/").status_code == 404


def test_tier_pages(client, library):
    notice = library
    best = text(client.get(f"/notices/{notice.slug}/best/"))
    assert best.count('class="case-card"') == 10
    organizing = text(client.get(f"/notices/{notice.slug}/organizing/"))
    for award in OrganizingAward.objects.all():
        assert award.unit.get_absolute_url() in organizing
    assert client.get(f"/notices/{notice.slug}/nope/").status_code == 404


def test_notice_page_links_every_line_of_its_three_lists(client, library):
    body = text(client.get(library.get_absolute_url()))
    assert '<p class="notice-salutation">各市（州）政务服务管理机构：</p>' in body
    assert '<p class="notice-signature">2022年1月26日</p>' in body
    assert '<p class="notice-signature">四川省政府政务服务和公共资源交易服务中心</p>' in body
    for tier in AwardTier.objects.all():
        assert f"附件{tier.attachment_number}：{tier.list_title}" in body
    for case in Case.objects.all():
        assert case.get_absolute_url() in body
    for award in OrganizingAward.objects.all():
        assert award.unit.get_absolute_url() in body


def test_404_is_chinese_in_the_site_layout(client, library):
    response = client.get("/cases/no-such-case/")
    assert response.status_code == 404
    body = text(response)
    assert "页面不存在" in body and 'class="skip-link"' in body and 'lang="zh-CN"' in body


def test_500_is_chinese_in_the_site_layout(library):
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    body = text(response)
    assert "服务器出错" in body and 'class="skip-link"' in body and 'lang="zh-CN"' in body


def test_no_request_to_another_host(client, library):
    for url in ("/", "/cases/", "/cases/2021-best-01/", library.get_absolute_url()):
        body = text(client.get(url))
        for attr in ('src="http', 'src="//', 'href="//', "@import", "url(http"):
            assert attr not in body, (url, attr)
        assert 'style="' not in body and "<script>" not in body  # CSP-ready: no inline style or script


class TestUnpublished:
    @pytest.fixture
    def draft(self, library):
        case = Case.objects.select_related("unit__prefecture").get(slug="2021-excellent-25")
        case.status = Case.Status.DRAFT
        case.save()
        return case

    def test_a_draft_appears_on_no_public_page(self, client, draft):
        urls = [
            "/",
            "/cases/",
            "/cases/?page=2",
            "/cases/?page=3",
            f"/cases/?prefecture={draft.unit.prefecture.code}",
            draft.unit.prefecture.get_absolute_url(),
            draft.tier.get_absolute_url(),
            draft.notice.get_absolute_url(),
            "/cases/2021-excellent-24/",
            "/cases/2021-excellent-26/",
        ]
        for url in urls:
            body = text(client.get(url))
            assert draft.get_absolute_url() not in body, url
            assert draft.title not in body, url
        assert client.get(draft.get_absolute_url()).status_code == 404
        listing = client.get("/cases/").context["listing"]
        assert listing.queryset.count() == 43
        tier_counts = {o.value: o.count for o in listing.facets[0].options}
        assert tier_counts == {"best": 10, "excellent": 33}

    def test_a_unit_with_only_a_draft_is_not_public(self, client, library):
        unit = Unit.objects.filter(organizing_awards__isnull=True, cases__isnull=False).first()
        unit.cases.update(status=Case.Status.DRAFT)
        assert client.get(unit.get_absolute_url()).status_code == 404

    def test_staff_preview_renders_a_draft_with_a_banner(self, draft, rf):
        request = rf.get(draft.get_absolute_url())
        body = text(render_case_page(request, draft, preview=True))
        assert "预览：草稿，未发布" in body and 'content="noindex' in body and draft.title in body


def test_text_size_is_a_cookie_set_without_javascript(client, library):
    response = client.post("/preferences/text-size/", {"size": "large", "next": "/cases/?tier=best"})
    assert response.status_code == 302 and response["Location"] == "/cases/?tier=best"
    assert response.cookies["pref_text_size"].value == "large"
    body = text(client.get("/cases/?tier=best"))
    assert '<html lang="zh-CN" class="text-large">' in body
    assert 'value="large" aria-pressed="true"' in body
    # A foreign redirect target and an unknown size are refused.
    response = client.post("/preferences/text-size/", {"size": "huge", "next": "https://evil.example/"})
    assert response["Location"] == "/" and "pref_text_size" not in response.cookies
    assert client.get("/preferences/text-size/").status_code == 405
    response = client.post("/preferences/text-size/", {"size": "small", "next": "/cases/\x00\r\nX: y"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_case_text_sets_captions_apart_and_bolds_each_numbered_point(client, library):
    body = text(client.get("/cases/2021-best-08/"))
    assert '<p class="figure-caption">图1 群众视角</p>' in body
    assert "<p><strong>（一）坚持群众视角，力促办事最简。</strong>一是将办事窗口前移" in body


def test_one_search_form_per_page(client, library):
    for url in ("/", "/cases/", "/cases/2021-best-01/", "/prefectures/", library.get_absolute_url()):
        body = text(client.get(url))
        assert body.count('role="search"') == 1, url
    assert 'id="header-q"' in text(client.get("/cases/2021-best-01/"))
