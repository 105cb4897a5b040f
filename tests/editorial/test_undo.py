"""Every change can be undone, starting with the first: records loaded from the notice have a
first version, so a publisher can take an editor's first change of a case, a section or a unit
back to the notice's text."""

import pytest
from django.core.management import call_command
from reversion.models import Version

from awards.models import Unit
from cases.editorial import INITIAL_COMMENT
from cases.models import Case, CaseChange, CaseSection, Erratum, Theme

from .browser import post_form
from .steps import api_finds, change_case, change_record, public_page, revert, run_action, url

pytestmark = pytest.mark.django_db


def initial_version(obj) -> Version:
    first = Version.objects.get_for_object(obj).select_related("revision").last()
    assert first is not None and first.revision.comment.startswith(INITIAL_COMMENT)
    return first


def test_every_loaded_record_has_a_first_version(library):
    for model in (Case, CaseSection, Erratum, Theme, Unit):
        objects = list(model.objects.all())
        assert objects, model
        versioned = {
            int(pk) for pk in Version.objects.get_for_model(model).values_list("object_id", flat=True)
        }
        assert {o.pk for o in objects} <= versioned, model


def publish_held(publisher_browser, case):
    held = CaseChange.objects.get(case=case, state=CaseChange.State.PENDING)
    page = publisher_browser.get(url("cases_case_change_detail", case.pk, held.pk))
    post_form(publisher_browser, page, button="发布")
    held.refresh_from_db()
    assert held.state == CaseChange.State.PUBLISHED


def test_an_editors_first_change_of_a_case_is_undone_to_the_notice_text(browsers, reader):
    case = Case.objects.get(slug="2021-excellent-05")
    notice_title = case.title
    section = case.sections.order_by("order").last()
    notice_paragraphs = list(section.paragraphs)
    first = initial_version(case)

    def edit(page):
        from .steps import inline_prefix

        return {f"{inline_prefix(page, section.pk)}-paragraphs": "编辑第一次改写的段落。"}

    change_case(browsers["editor"], case, {"title": "编辑第一次改的标题"}, edit=edit)
    publish_held(browsers["publisher"], case)
    assert "编辑第一次改的标题" in public_page(reader, case)

    revert(browsers["publisher"], case, first)

    case.refresh_from_db()
    section.refresh_from_db()
    assert case.title == notice_title and section.paragraphs == notice_paragraphs
    assert notice_title in public_page(reader, case)
    assert api_finds(reader, notice_title, case)
    assert not api_finds(reader, "编辑第一次改的标题", case)


def test_an_editors_first_change_of_a_section_is_undone_to_the_notice_text(browsers, reader):
    section = Case.objects.get(slug="2021-excellent-06").sections.order_by("order").last()
    notice = (section.heading, list(section.paragraphs))
    first = initial_version(section)
    change_record(browsers["editor"], section, {"heading": "编辑改的章节标题"})
    publish_held(browsers["publisher"], section.case)
    assert "编辑改的章节标题" in public_page(reader, section.case)

    revert(browsers["publisher"], section, first)

    section.refresh_from_db()
    assert (section.heading, section.paragraphs) == notice
    page = public_page(reader, section.case)
    assert notice[0] in page and "编辑改的章节标题" not in page


def test_an_editors_first_change_of_a_unit_is_undone_to_the_notice_text(browsers, reader):
    # A unit only its (unpublished) case names, so an editor may change it directly.
    unit = next(u for u in Unit.objects.all() if u.cases.count() == 1 and not u.organizing_awards.exists())
    case = unit.cases.get()
    notice_name, notice_county = unit.name, unit.county
    first = initial_version(unit)
    run_action(browsers["publisher"], Case, "unpublish_selected", [case])
    change_record(browsers["editor"], unit, {"name": "编辑改过的单位名称", "county": unit.county or "某县"})
    unit.refresh_from_db()
    assert unit.name == "编辑改过的单位名称"

    revert(browsers["publisher"], unit, first)
    run_action(browsers["publisher"], Case, "publish_selected", [case])

    unit.refresh_from_db()
    assert (unit.name, unit.county) == (notice_name, notice_county)
    assert notice_name in public_page(reader, case)
    assert api_finds(reader, notice_name, case)


def test_existing_databases_get_first_versions_with_createinitialrevisions(library):
    """docs/deploy.md: a library loaded before first versions existed gets them with one command."""
    Version.objects.all().delete()
    call_command("createinitialrevisions", comment=INITIAL_COMMENT, verbosity=0)
    case = Case.objects.get(slug="2021-best-01")
    first = initial_version(case)
    sections = first.revision.version_set.filter(content_type__model="casesection")
    assert sections.count() == case.sections.count()
    assert initial_version(Unit.objects.first())
