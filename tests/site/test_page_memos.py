"""Fragments kept once per library version (portal.memo) never show a staff preview stale text, nor
another prefecture's page."""

import pytest

from cases.models import Case
from cases.views import render_case_page

pytestmark = pytest.mark.django_db


def test_a_staff_preview_shows_its_own_text_after_the_public_page_was_drawn(client, library, rf):
    case = Case.objects.published().select_related("notice", "tier", "unit__prefecture").first()
    public = client.get(case.get_absolute_url()).content.decode()
    assert f'<h1 id="case-title">{case.title}</h1>' in public
    case.title = "预览中的新标题"  # a pending change: same pk, not saved
    body = render_case_page(rf.get(case.get_absolute_url()), case, preview=True).content.decode()
    assert '<h1 id="case-title">预览中的新标题</h1>' in body
    # And the preview kept nothing: the public page still shows the published title.
    assert (
        f'<h1 id="case-title">{Case.objects.get(pk=case.pk).title}</h1>'
        in client.get(case.get_absolute_url()).content.decode()
    )


def test_each_prefecture_page_shows_its_own_prefecture(client, library):
    first = client.get("/prefectures/513400/").content.decode()
    second = client.get("/prefectures/511800/").content.decode()
    assert "行政区划代码 513400" in first and "行政区划代码 511800" not in first
    assert "行政区划代码 511800" in second and "行政区划代码 513400" not in second
    assert client.get("/prefectures/999999/").status_code == 404


def test_a_saved_case_title_shows_at_once_on_its_page(client, library):
    case = Case.objects.published().first()
    client.get(case.get_absolute_url())
    case.title = "改过的标题"
    case.save()
    assert '<h1 id="case-title">改过的标题</h1>' in client.get(case.get_absolute_url()).content.decode()


def test_each_list_page_and_filter_shows_its_own_cases(client, library):
    first = client.get("/cases/").context["cases"]
    second = client.get("/cases/?page=2").context["cases"]
    best = client.get("/cases/?tier=best").context["cases"]
    assert len(first) == 20 and not {c.pk for c in first} & {c.pk for c in second}
    assert {c.tier.slug for c in best} == {"best"} and len(best) == 10
    by_prefecture = client.get("/cases/?sort=prefecture").context["cases"]
    assert [c.pk for c in by_prefecture] != [c.pk for c in first]


def test_a_withdrawn_case_leaves_the_list_at_once(client, library):
    first = client.get("/cases/").context["cases"][0]
    case = Case.objects.get(pk=first.pk)
    case.status = Case.Status.DRAFT
    case.save()
    response = client.get("/cases/")
    assert first.pk not in [c.pk for c in response.context["cases"]]
    assert response.context["paginator"].count == 43


def test_a_case_card_shows_the_partial_match_badge_only_where_the_case_matched_partly(library):
    from django.template.loader import render_to_string

    case = Case.objects.published().select_related("notice", "tier", "unit__prefecture").first()
    case.snippets = ["同一段落"]
    case.partial_match = False
    assert "部分匹配" not in render_to_string("includes/case_card.html", {"case": case, "show_summary": True})
    case.partial_match = True  # the same card, same passage, in a search where it matched only partly
    assert "部分匹配" in render_to_string("includes/case_card.html", {"case": case, "show_summary": True})
