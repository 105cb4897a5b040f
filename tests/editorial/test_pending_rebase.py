"""An editor's re-save of their pending change never restores what a publisher changed live after
it was submitted: the form shows the pending change on top of the live content and says so."""

import pytest

from cases.editorial.services import ChangeConflictError, case_change_publish
from cases.models import Case, CaseChange

from .browser import post_form
from .steps import change_case, inline_prefix, url

pytestmark = pytest.mark.django_db


def publish(client, change):
    page = client.get(url("cases_case_change_detail", change.case_id, change.pk))
    return post_form(client, page, button="发布")


def test_an_editors_resave_keeps_the_title_a_publisher_changed_after_the_submission(browsers):
    case = Case.objects.get(slug="2021-best-02")
    editor, publisher = browsers["editor"], browsers["publisher"]
    change_case(editor, case, {"summary": case.summary + "（编辑改的导语）"})
    first = CaseChange.objects.get(case=case, state=CaseChange.State.PENDING)
    change_case(publisher, case, {"title": "发布人员改的新标题"})
    case.refresh_from_db()
    assert case.title == "发布人员改的新标题"

    page = editor.get(url("cases_case_change", case.pk))
    html = page.content.decode()
    assert "此案例在您提交后已被修改" in html
    assert 'value="发布人员改的新标题"' in html  # the live title, not the one the editor saw
    assert "（编辑改的导语）" in html  # their own change is still shown
    post_form(editor, page, form_id="case_form", changes={"summary": case.summary + "（再改导语）"})
    second = CaseChange.objects.get(case=case, state=CaseChange.State.PENDING)
    assert second.pk != first.pk
    assert second.payload["fields"]["title"] == "发布人员改的新标题"

    publish(publisher, second)
    case.refresh_from_db()
    assert case.title == "发布人员改的新标题" and case.summary.endswith("（再改导语）")


def test_a_section_changed_live_after_the_submission_keeps_its_live_text(browsers):
    case = Case.objects.get(slug="2021-best-03")
    first, second = case.sections.order_by("order")[:2]
    editor, publisher = browsers["editor"], browsers["publisher"]
    change_case(
        editor, case, edit=lambda page: {f"{inline_prefix(page, first.pk)}-heading": "编辑改的小标题"}
    )
    change_case(
        publisher, case, edit=lambda page: {f"{inline_prefix(page, second.pk)}-heading": "发布人员改的"}
    )
    page = editor.get(url("cases_case_change", case.pk))
    html = page.content.decode()
    assert 'value="编辑改的小标题"' in html and 'value="发布人员改的"' in html
    assert "此案例在您提交后已被修改" in html


def test_an_unchanged_case_shows_the_pending_change_without_the_warning(browsers):
    case = Case.objects.get(slug="2021-best-02")
    change_case(browsers["editor"], case, {"title": "编辑的标题"})
    html = browsers["editor"].get(url("cases_case_change", case.pk)).content.decode()
    assert 'value="编辑的标题"' in html and "此案例在您提交后已被修改" not in html


def test_publishing_a_change_whose_base_is_older_than_the_live_case_is_refused(browsers):
    case = Case.objects.get(slug="2021-best-02")
    change_case(browsers["editor"], case, {"summary": "编辑的导语"})
    change = CaseChange.objects.get(case=case, state=CaseChange.State.PENDING)
    change_case(browsers["publisher"], case, {"title": "较新的标题"})
    page = browsers["publisher"].get(url("cases_case_change_detail", case.pk, change.pk))
    assert 'disabled aria-describedby="stale-note"' in page.content.decode()  # 发布 is disabled
    with pytest.raises(ChangeConflictError, match="无法发布"):
        case_change_publish(user=page.wsgi_request.user, change=change)
    case.refresh_from_db()
    assert case.title == "较新的标题" and case.summary != "编辑的导语"


def test_a_resave_of_the_same_content_after_a_publisher_changed_the_same_field_files_it_again(browsers):
    """The publisher changed the very field the editor had changed: the editor's re-save holds the same
    content as before, but on the live case it is new (the earlier one can no longer be published)."""
    case = Case.objects.get(slug="2021-best-04")
    editor, publisher = browsers["editor"], browsers["publisher"]
    change_case(editor, case, {"title": "编辑的标题壬午"})
    first = CaseChange.objects.get(case=case, state=CaseChange.State.PENDING)
    change_case(publisher, case, {"title": "发布人员的标题癸未"})

    page = editor.get(url("cases_case_change", case.pk))
    assert 'value="编辑的标题壬午"' in page.content.decode()
    post_form(editor, page, form_id="case_form")
    assert "没有新的修改" not in editor.get(url("cases_case_change", case.pk)).content.decode()
    second = CaseChange.objects.get(case=case, state=CaseChange.State.PENDING)
    assert second.pk != first.pk and second.payload["fields"]["title"] == "编辑的标题壬午"

    publish(publisher, second)
    case.refresh_from_db()
    assert case.title == "编辑的标题壬午"


def test_a_resave_of_the_same_content_on_an_unchanged_case_files_nothing_new(browsers):
    case = Case.objects.get(slug="2021-best-04")
    change_case(browsers["editor"], case, {"title": "编辑的标题甲子"})
    first = CaseChange.objects.get(case=case, state=CaseChange.State.PENDING)
    page = browsers["editor"].get(url("cases_case_change", case.pk))
    post_form(browsers["editor"], page, form_id="case_form")
    assert "没有新的修改" in browsers["editor"].get(url("cases_case_change", case.pk)).content.decode()
    assert CaseChange.objects.get(case=case, state=CaseChange.State.PENDING).pk == first.pk
