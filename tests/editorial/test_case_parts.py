"""The parts of a case on their own admin pages (section and erratum add, section recover) and the
conflict archive: what an editor submits about a published case is held whole, never applied."""

import pytest
from reversion.models import Version

from cases.models import Case, CaseChange, CaseSection, Erratum, Theme
from portal.admin import record_before_delete

from .browser import post_form
from .steps import change_case, inline_prefix, public_page, recover, url

pytestmark = pytest.mark.django_db


def pending(case):
    return CaseChange.objects.get(case=case, state=CaseChange.State.PENDING)


def test_a_section_added_on_its_page_to_a_published_case_is_held(browsers, reader):
    case = Case.objects.get(slug="2021-best-02")
    page = browsers["editor"].get(url("cases_casesection_add"))
    post_form(
        browsers["editor"],
        page,
        form_id="casesection_form",
        changes={"case": case.pk, "order": 77, "heading": "编辑新增的章节", "paragraphs": "一段。"},
    )
    assert not case.sections.filter(heading="编辑新增的章节").exists()
    assert "编辑新增的章节" not in public_page(reader, case)
    assert any(
        s["heading"] == "编辑新增的章节" and s["id"] is None for s in pending(case).payload["sections"]
    )


def test_an_erratum_added_on_its_page_to_a_published_case_is_held(browsers):
    case = Case.objects.get(slug="2021-best-02")
    page = browsers["editor"].get(url("cases_erratum_add"))
    changes = {
        "notice": case.notice_id,
        "case": case.pk,
        "unit": case.unit_id,
        "kind": "spelling",
        "location": "正文第1段",
        "original": "原来的写法",
        "corrected": "更正的写法",
        "reason": "编辑新增的勘误",
    }
    post_form(browsers["editor"], page, form_id="erratum_form", changes=changes)
    assert not Erratum.objects.filter(reason="编辑新增的勘误").exists()
    assert any(e["reason"] == "编辑新增的勘误" for e in pending(case).payload["errata"])


def test_a_deleted_section_recovered_by_an_editor_into_a_published_case_is_held(browsers, users, reader):
    case = Case.objects.get(slug="2021-best-03")
    section = case.sections.order_by("order").last()
    pk, heading = section.pk, section.heading
    record_before_delete([section], user=users["superuser"])
    section.delete()
    version = Version.objects.get_deleted(CaseSection).get(object_id=str(pk))

    recover(browsers["editor"], CaseSection, version)

    assert not CaseSection.objects.filter(pk=pk).exists()
    assert heading not in public_page(reader, case)
    assert pk in [s["id"] for s in pending(case).payload["sections"]]


def test_the_conflict_archive_keeps_fields_themes_sections_and_errata(browsers):
    case = Case.objects.get(slug="2021-best-04")
    section = case.sections.order_by("order").first()
    erratum = case.errata.first()
    theme = Theme.objects.exclude(cases=case).first()
    stale = browsers["superuser"].get(url("cases_case_change", case.pk))
    change_case(browsers["publisher"], case, {"page": 123})  # someone saves first

    section_prefix, erratum_prefix = inline_prefix(stale, section.pk), inline_prefix(stale, erratum.pk)
    response = post_form(
        browsers["superuser"],
        stale,
        form_id="case_form",
        changes={
            "title": "被拒绝的标题",
            "themes": [theme.pk],
            f"{section_prefix}-heading": "被拒绝的章节标题",
            f"{erratum_prefix}-reason": "被拒绝的勘误理由",
        },
    )
    assert response.status_code == 200 and "编辑冲突" in response.content.decode()

    kept = CaseChange.objects.get(case=case, state=CaseChange.State.CONFLICT)
    assert kept.payload["fields"]["title"] == "被拒绝的标题"
    assert kept.payload["themes"] == [theme.pk]
    assert {s["id"]: s["heading"] for s in kept.payload["sections"]}[section.pk] == "被拒绝的章节标题"
    assert {e["id"]: e["reason"] for e in kept.payload["errata"]}[erratum.pk] == "被拒绝的勘误理由"
    case.refresh_from_db()
    assert case.title != "被拒绝的标题" and case.page == 123
