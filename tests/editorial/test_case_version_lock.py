"""A case with its sections, errata and theme links is one record for the optimistic lock: a write to
any part is a new version of the case, and every admin page that saves a part (or the case) checks
the version it was loaded with. Two staff members, each in their own browser (CSRF enforced)."""

import pytest
from django.db import transaction
from reversion.models import Version

from awards.models import Unit
from cases.editorial.payload import case_snapshot, payload_apply
from cases.models import Case, CaseSection, Erratum, Theme

from .browser import post_form
from .conftest import browser_for, make_user
from .steps import inline_prefix, url

pytestmark = pytest.mark.django_db

REFUSED = "未保存"


@pytest.fixture
def two(library):
    """Two publishers (their saves apply at once, so only the lock can stop them)."""
    return browser_for(make_user("publisher")), browser_for(make_user("superuser"))


@pytest.fixture
def case(library):
    return Case.objects.filter(errata__isnull=False, sections__isnull=False).distinct().first()


def open_case(client, case):
    page = client.get(url("cases_case_change", case.pk))
    assert page.status_code == 200
    return page


def open_part(client, part):
    name = part._meta.model_name
    page = client.get(url(f"cases_{name}_change", part.pk))
    assert page.status_code == 200
    return page


def save_part(client, page, part, changes):
    return post_form(client, page, form_id=f"{part._meta.model_name}_form", changes=changes)


def save_case(client, page, changes):
    return post_form(client, page, form_id="case_form", changes=changes)


def refused(response) -> bool:
    return response.status_code == 200 and REFUSED in response.content.decode()


def test_a_case_form_opened_before_a_section_edit_cannot_overwrite_it(two, case):
    first, second = two
    section = case.sections.order_by("order").first()
    stale_case_form = open_case(first, case)  # shows the section as it was

    response = save_part(second, open_part(second, section), section, {"paragraphs": "乙在章节页改的段落。"})
    assert response.status_code == 302

    response = save_case(first, stale_case_form, {"title": "甲改的标题"})
    assert refused(response), response.status_code
    section.refresh_from_db()
    assert section.paragraphs == ["乙在章节页改的段落。"]
    assert Case.objects.get(pk=case.pk).title != "甲改的标题"


def test_a_case_form_opened_before_an_erratum_edit_cannot_overwrite_it(two, case):
    first, second = two
    erratum = case.errata.first()
    stale_case_form = open_case(first, case)
    response = save_part(second, open_part(second, erratum), erratum, {"reason": "乙在勘误页写的理由"})
    assert response.status_code == 302
    assert refused(save_case(first, stale_case_form, {"summary": "甲写的导语"}))
    erratum.refresh_from_db()
    assert erratum.reason == "乙在勘误页写的理由"


@pytest.mark.parametrize("kind", ["section", "erratum"])
def test_two_people_on_the_same_part_page_do_not_overwrite_each_other(two, case, kind):
    first, second = two
    part = case.sections.order_by("order").first() if kind == "section" else case.errata.first()
    field, mine, theirs = (
        ("heading", "甲的标题", "乙的标题") if kind == "section" else ("reason", "甲的理由", "乙的理由")
    )
    first_page, second_page = open_part(first, part), open_part(second, part)
    assert save_part(second, second_page, part, {field: theirs}).status_code == 302
    response = save_part(first, first_page, part, {field: mine})
    assert refused(response)
    assert "案例" in response.content.decode()  # says the case (its part) has changed since
    part.refresh_from_db()
    assert getattr(part, field) == theirs
    # Reopened, the page carries the new version and saves.
    assert save_part(first, open_part(first, part), part, {field: mine}).status_code == 302
    part.refresh_from_db()
    assert getattr(part, field) == mine


def test_a_section_page_opened_before_an_inline_edit_cannot_overwrite_it(two, case):
    first, second = two
    section = case.sections.order_by("order").first()
    stale_section_page = open_part(first, section)
    case_form = open_case(second, case)
    prefix = inline_prefix(case_form, section.pk)
    assert save_case(second, case_form, {f"{prefix}-heading": "乙在案例页改的标题"}).status_code == 302
    assert refused(save_part(first, stale_section_page, section, {"heading": "甲在章节页改的标题"}))
    section.refresh_from_db()
    assert section.heading == "乙在案例页改的标题"


def test_adding_a_section_on_its_page_is_a_new_version_of_the_case(two, case):
    first, second = two
    stale_case_form = open_case(first, case)
    add = second.get(url("cases_casesection_add"))
    changes = {"case": case.pk, "order": 88, "heading": "乙新增的章节", "paragraphs": "一段。"}
    assert post_form(second, add, form_id="casesection_form", changes=changes).status_code == 302
    assert refused(save_case(first, stale_case_form, {"title": "甲改的标题"}))
    assert case.sections.filter(heading="乙新增的章节").exists()


def test_an_erratum_of_a_unit_alone_is_locked_by_its_unit(two, library):
    first, second = two
    erratum = Erratum.objects.filter(case=None, unit__isnull=False).first()
    if erratum is None:
        model = Erratum.objects.filter(unit__isnull=False).first()
        erratum = Erratum.objects.create(
            notice=model.notice,
            unit=model.unit,
            kind="spelling",
            location="附件3",
            original="甲",
            corrected="乙",
            reason="只属于单位的勘误",
        )
    first_page, second_page = open_part(first, erratum), open_part(second, erratum)
    assert save_part(second, second_page, erratum, {"reason": "乙的理由"}).status_code == 302
    assert refused(save_part(first, first_page, erratum, {"reason": "甲的理由"}))
    erratum.refresh_from_db()
    assert erratum.reason == "乙的理由"


def test_every_write_to_a_part_raises_the_case_version(case):
    def version():
        return Case.objects.get(pk=case.pk).version

    steps = []
    section = case.sections.order_by("order").first()
    section.heading = "改"
    steps.append(lambda: section.save())
    steps.append(lambda: CaseSection.objects.create(case=case, order=99, heading="新", paragraphs=["一"]))
    steps.append(lambda: CaseSection.objects.filter(case=case, order=99).delete())  # a bulk delete too
    erratum = case.errata.first()
    erratum.reason = "改过"
    steps.append(lambda: erratum.save())
    theme = Theme.objects.exclude(cases=case).first()
    steps.append(lambda: case.themes.add(theme))
    steps.append(lambda: theme.cases.remove(case))
    steps.append(lambda: theme.cases.add(case))
    steps.append(lambda: theme.cases.clear())
    for step in steps:
        before = version()
        step()
        assert version() > before, step


def test_one_case_form_save_with_every_section_changed_raises_the_version_by_exactly_one(two, case):
    first, second = two
    before = Case.objects.get(pk=case.pk).version
    stale_case_form = open_case(second, case)
    page = open_case(first, case)
    sections = list(case.sections.order_by("order"))
    assert len(sections) > 1
    changes = {"title": "一次保存的标题"}
    for number, section in enumerate(sections):
        changes[f"{inline_prefix(page, section.pk)}-heading"] = f"一次保存的第{number + 1}节"
    assert save_case(first, page, changes).status_code == 302
    assert Case.objects.get(pk=case.pk).version == before + 1
    # One new version is still a new version: a form loaded before it is refused.
    assert refused(save_case(second, stale_case_form, {"title": "乙改的标题"}))
    assert Case.objects.get(pk=case.pk).title == "一次保存的标题"


def test_a_transaction_writing_a_case_and_its_parts_is_one_new_version(case):
    def version():
        return Case.objects.get(pk=case.pk).version

    before = version()
    with transaction.atomic():
        for section in case.sections.all():
            section.heading += "（改）"
            section.save()
        erratum = case.errata.first()
        erratum.reason = "一起改的理由"
        erratum.save()
        case.themes.add(Theme.objects.exclude(cases=case).first())
        case.summary = "一起改的导语"
        case.save()
    assert version() == before + 1
    with transaction.atomic():  # the next transaction is the next version
        CaseSection.objects.filter(case=case).first().save()
    assert version() == before + 2


def test_a_part_write_undone_with_its_savepoint_does_not_use_up_the_transactions_new_version(case):
    before = Case.objects.get(pk=case.pk).version
    section = case.sections.first()
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            section.save()  # raises the version, then is rolled back with it
            raise RuntimeError
        assert Case.objects.get(pk=case.pk).version == before
        section.save()
    assert Case.objects.get(pk=case.pk).version == before + 1


def test_a_part_moved_to_another_case_is_a_new_version_of_both(case):
    other = Case.objects.exclude(pk=case.pk).first()
    erratum = case.errata.first()
    before = {c.pk: c.version for c in Case.objects.filter(pk__in=[case.pk, other.pk])}
    erratum.case = other
    erratum.save()
    after = {c.pk: c.version for c in Case.objects.filter(pk__in=[case.pk, other.pk])}
    assert after[case.pk] > before[case.pk] and after[other.pk] > before[other.pk]


def test_the_version_never_goes_down_when_a_loaded_case_is_saved_after_a_part(case):
    loaded = Case.objects.get(pk=case.pk)  # a copy loaded before the part's write
    section = CaseSection.objects.filter(case=case).first()
    section.heading = "先改章节"
    section.save()
    stored = Case.objects.get(pk=case.pk).version
    loaded.summary = "后存的导语"
    loaded.save()
    assert Case.objects.get(pk=case.pk).version == stored + 1


def test_a_content_write_leaves_the_written_case_with_its_stored_version(case):
    payload = case_snapshot(case)
    payload["sections"][0]["heading"] = "整体写入"
    payload_apply(case, payload)
    assert case.version == Case.objects.get(pk=case.pk).version


def test_units_keep_their_own_version(library):
    unit = Unit.objects.first()
    before = unit.version
    unit.township = "某镇"
    unit.save()
    assert Unit.objects.get(pk=unit.pk).version == before + 1


def test_a_revert_confirmed_after_someone_else_saved_is_not_applied(two, case):
    first, second = two
    initial = Version.objects.get_for_object(case).order_by("pk").first()
    confirm = first.get(url("cases_case_revision", case.pk, initial.pk))  # differences against now
    assert save_case(second, open_case(second, case), {"summary": "乙后来写的导语"}).status_code == 302

    response = post_form(first, confirm)
    assert response.status_code == 302
    assert "未恢复" in first.get(response["Location"]).content.decode()
    assert Case.objects.get(pk=case.pk).summary == "乙后来写的导语"
    # Confirmed again on the page as it is now, it applies.
    post_form(first, first.get(url("cases_case_revision", case.pk, initial.pk)))
    assert Case.objects.get(pk=case.pk).summary == initial.field_dict["summary"]


@pytest.mark.parametrize("value", ["", "-1", str(10**30), "abc", "0"])
def test_a_revert_posted_with_a_malformed_version_is_refused_with_a_message(two, case, value):
    first, _ = two
    initial = Version.objects.get_for_object(case).order_by("pk").first()
    confirm = first.get(url("cases_case_revision", case.pk, initial.pk))
    before = case_snapshot(Case.objects.get(pk=case.pk))
    response = post_form(first, confirm, changes={"loaded_version": value})
    assert response.status_code == 302
    assert "未恢复" in first.get(response["Location"]).content.decode()
    assert case_snapshot(Case.objects.get(pk=case.pk)) == before
