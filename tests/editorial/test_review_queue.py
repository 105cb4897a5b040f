"""The review work as a new publisher and editor find it (issue 18 items 5 and 10): the admin index
shows what waits, the case list says which cases wait and who edited them last, and a pending
change is published in at most 4 clicks from the index."""

import re

import pytest
from django.contrib.auth.models import User

from cases.models import Case, CaseChange

from .browser import post_form
from .steps import change_case, public_page, url

pytestmark = pytest.mark.django_db


def submit_typo_fix(client, slug="2021-best-02", new_title=None):
    case = Case.objects.get(slug=slug)
    title = new_title or case.title.replace("三化", "三 化")
    change_case(client, case, {"title": title})
    return case, title, CaseChange.objects.get(case=case, state=CaseChange.State.PENDING)


def links(response) -> list[str]:
    return re.findall(r'href="([^"#]+)"', response.content.decode())


def test_publisher_sees_what_waits_on_the_index(browsers, users):
    case, _, change = submit_typo_fix(browsers["editor"])
    index = browsers["publisher"].get(url("index")).content.decode()
    queue = index.split('id="review-queue"', 1)[1]
    assert "待审核的修改（1 项）" in queue
    assert case.title[:20] in queue
    assert users["editor"].username in queue
    assert change.submitted_at.astimezone().strftime("%Y-%m-%d") in queue
    assert url("cases_case_change_detail", case.pk, change.pk) in queue


def test_editor_sees_their_own_changes_and_a_returned_note_on_the_index(browsers):
    case, _, change = submit_typo_fix(browsers["editor"])
    index = browsers["editor"].get(url("index")).content.decode()
    assert "待审核的修改（" not in index  # the publisher's queue is not an editor's
    mine = index.split("我提交审核的修改", 1)[1]
    assert case.title[:20] in mine and "待审核" in mine
    page = browsers["publisher"].get(url("cases_case_change_detail", case.pk, change.pk))
    post_form(browsers["publisher"], page, button="退回", changes={"note": "请核对原文第3段"})
    mine = browsers["editor"].get(url("index")).content.decode().split("我提交审核的修改", 1)[1]
    assert "已退回" in mine and "请核对原文第3段" in mine


def test_a_publisher_publishes_a_pending_change_in_at_most_four_clicks(browsers, reader):
    case, title, change = submit_typo_fix(browsers["editor"])
    publisher = browsers["publisher"]
    clicks = 0
    page = publisher.get(url("index"))
    # 1: the change in the index's queue.
    target = url("cases_case_change_detail", case.pk, change.pk)
    assert target in links(page)
    page = publisher.get(target)
    clicks += 1
    # (The preview and the differences are on this page or one click away; not needed to publish.)
    assert url("cases_case_change_preview", case.pk, change.pk) in links(page)
    assert title in page.content.decode()
    # 2: 发布.
    response = post_form(publisher, page, button="发布")
    clicks += 1
    assert response.status_code == 302
    assert clicks <= 4
    assert title in public_page(reader, case)
    change.refresh_from_db()
    assert change.state == CaseChange.State.PUBLISHED


def test_case_list_shows_status_pending_and_last_editor(browsers, users):
    case, _, _ = submit_typo_fix(browsers["editor"])
    listing = browsers["publisher"].get(url("cases_case_changelist"), {"pending": "yes"})
    assert [c.pk for c in listing.context["cl"].result_list] == [case.pk]
    html = listing.content.decode()
    assert "case-status-pending" in html and "待审核" in html
    assert "最后修改" in html and "系统（载入）" in html
    # After a publisher's direct save the list names them.
    other = Case.objects.get(slug="2021-best-05")
    change_case(browsers["publisher"], other, {"title": other.title + "（修订）"})
    listing = browsers["publisher"].get(url("cases_case_changelist"), {"q": "修订"})
    table = listing.content.decode().split('id="result_list"', 1)[1]
    rows = [r for r in table.split("<tr") if "（修订）" in r]
    assert rows and users["publisher"].username in rows[0].split("</tr>", 1)[0]


def test_my_pending_filter_and_county_filter(browsers, users):
    case, _, _ = submit_typo_fix(browsers["editor"])
    mine = browsers["editor"].get(url("cases_case_changelist"), {"pending": "mine"})
    assert [c.pk for c in mine.context["cl"].result_list] == [case.pk]
    theirs = browsers["publisher"].get(url("cases_case_changelist"), {"pending": "mine"})
    assert list(theirs.context["cl"].result_list) == []
    county = case.unit.county
    by_county = browsers["editor"].get(url("cases_case_changelist"), {"county": county})
    assert by_county.status_code == 200
    result = list(by_county.context["cl"].result_list)
    assert case in result and all(c.unit.county == county for c in result)


def test_unit_and_prefecture_cells_filter_the_list(browsers):
    case = Case.objects.get(slug="2021-best-02")
    listing = browsers["editor"].get(url("cases_case_changelist")).content.decode()
    unit_query = f"?unit__id__exact={case.unit_id}"
    prefecture_query = f"?unit__prefecture__id__exact={case.unit.prefecture_id}"
    assert url("cases_case_changelist") + unit_query in listing
    assert url("cases_case_changelist") + prefecture_query in listing
    by_unit = browsers["editor"].get(url("cases_case_changelist") + unit_query)
    assert by_unit.status_code == 200
    assert {c.unit_id for c in by_unit.context["cl"].result_list} == {case.unit_id}
    by_prefecture = browsers["editor"].get(url("cases_case_changelist") + prefecture_query)
    assert {c.unit.prefecture_id for c in by_prefecture.context["cl"].result_list} == {
        case.unit.prefecture_id
    }


def test_publishing_a_change_older_than_the_live_text_is_refused_with_a_message(browsers, reader):
    case, title, change = submit_typo_fix(browsers["editor"])
    change_case(browsers["publisher"], case, {"summary": "审核人员直接修改的导语。"})
    page = browsers["publisher"].get(url("cases_case_change_detail", case.pk, change.pk))
    html = page.content.decode()
    assert "不能直接发布" in html
    # The button is disabled; a forced post is refused too.
    response = post_form(browsers["publisher"], page, changes={"decision": "publish"})
    assert "无法发布" in browsers["publisher"].get(response["Location"]).content.decode()
    assert title not in public_page(reader, case)
    assert "审核人员直接修改的导语" in public_page(reader, case)
    change.refresh_from_db()
    assert change.state == CaseChange.State.PENDING


def test_publish_and_return_are_recorded_under_their_own_names(browsers):
    case, _, change = submit_typo_fix(browsers["editor"])
    page = browsers["publisher"].get(url("cases_case_change_detail", case.pk, change.pk))
    post_form(browsers["publisher"], page, button="发布")
    other, _, returned = submit_typo_fix(browsers["editor"], "2021-best-03")
    page = browsers["publisher"].get(url("cases_case_change_detail", other.pk, returned.pk))
    post_form(browsers["publisher"], page, button="退回", changes={"note": "标题不需要改"})
    history = browsers["publisher"].get(url("cases_case_history", case.pk)).content.decode()
    assert "发布待审核的修改" in history and "恢复到" not in history
    history = browsers["publisher"].get(url("cases_case_history", other.pk)).content.decode()
    assert "已退回" in history and "标题不需要改" in history


def test_nobody_else_is_named_in_an_editors_messages(browsers, users):
    User.objects.filter(pk=users["editor"].pk).update(username="Editor1")
    case = Case.objects.get(slug="2021-best-02")
    response = change_case(browsers["editor"], case, {"title": case.title + "改"})
    page = browsers["editor"].get(response["Location"])
    messages = [str(m) for m in page.context["messages"]]
    assert len(messages) == 1
    assert "已提交审核，发布人员审核后公开" in messages[0]


def test_a_pending_change_can_be_previewed_as_the_public_page_would_show_it(browsers, reader):
    case, title, change = submit_typo_fix(browsers["editor"])
    preview = browsers["publisher"].get(url("cases_case_change_preview", case.pk, change.pk))
    assert preview.status_code == 200
    html = preview.content.decode()
    assert title in html and f"待审核的修改 #{change.pk}" in html
    assert "no-store" in preview["Cache-Control"]
    # Nothing was written.
    assert Case.objects.get(pk=case.pk).title != title
    assert title not in public_page(reader, case)
    assert reader.get(url("cases_case_change_preview", case.pk, change.pk)).status_code == 302


def test_editors_have_a_bulk_action_to_export_the_selected_cases(browsers):
    from tests.editorial.steps import run_action

    cases = list(Case.objects.order_by("pk")[:2])
    page = run_action(browsers["editor"], Case, "export_selected", cases)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="export_items"' in html
    data_form = post_form(browsers["editor"], page, changes={"format": "0"})
    assert data_form.status_code == 200
    import io

    import openpyxl

    rows = list(openpyxl.load_workbook(io.BytesIO(data_form.content)).active.rows)
    assert len(rows) == 3  # the header and the two selected cases
