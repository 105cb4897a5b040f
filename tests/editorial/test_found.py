"""Each problem found in issue 12, as staff met it: through admin pages (CSRF enforced), checked
on the public site and the API. Each of these failed on the code before the editorial package."""

import io

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from reversion.models import Version

from cases.models import Case, CaseSection, Theme

from .browser import post_form
from .steps import (
    admin_search_finds,
    api_finds,
    change_case,
    delete_record,
    deleted_version,
    fresh,
    history_links,
    public_page,
    recover,
    revert,
    run_action,
    url,
)

pytestmark = pytest.mark.django_db


# 1. Revert publishes.


def test_editor_revert_does_not_republish_an_unpublished_case(browsers, reader):
    case = Case.objects.get(slug="2021-best-03")
    change_case(browsers["publisher"], case, {"title": "发布时改过的标题甲"})
    published_version = Version.objects.get_for_object(case).first()
    run_action(browsers["publisher"], Case, "unpublish_selected", [case])
    assert public_page(reader, case) is None

    revert(browsers["editor"], case, published_version)

    assert fresh(case).status == Case.Status.DRAFT
    assert public_page(reader, case) is None
    assert not api_finds(reader, "发布时改过的标题甲", case)


def test_editor_cannot_put_a_held_change_live_through_the_history(browsers, reader):
    case = Case.objects.get(slug="2021-best-04")
    original = case.title
    change_case(browsers["editor"], case, {"title": "编辑待审核的标题乙"})
    assert original in public_page(reader, case)

    # The editor opens the newest entry of the history and saves it.
    newest = next(link for link in history_links(browsers["editor"], Case, case.pk) if "/history/" in link)
    page = browsers["editor"].get(newest)
    post_form(browsers["editor"], page)

    assert "编辑待审核的标题乙" not in public_page(reader, case)
    assert not api_finds(reader, "编辑待审核的标题乙", case)
    assert fresh(case).title == original


@pytest.mark.parametrize(
    ("role", "slug", "draft"),
    [
        ("editor", "2021-best-05", True),
        ("editor", "2021-best-05", False),
        ("publisher", "2021-best-05", False),
    ],
)
def test_revert_never_lowers_the_version_number(browsers, role, slug, draft):
    case = Case.objects.get(slug=slug)
    if draft:
        run_action(browsers["publisher"], Case, "unpublish_selected", [case])
    change_case(browsers["publisher"], case, {"title": "第一次修改的标题"})
    first = Version.objects.get_for_object(case).first()
    change_case(browsers["publisher"], case, {"title": "第二次修改的标题"})
    before = fresh(case).version

    revert(browsers[role], case, first)

    assert fresh(case).version >= before


# 2. Recover publishes; the recovered case was missing from the search index.


def _delete_as_superuser(browsers, case):
    delete_record(browsers["superuser"], case)
    assert fresh(case) is None
    return deleted_version(Case, case.pk)


def test_a_case_recovered_by_an_editor_stays_off_the_public_site_and_is_searchable(browsers, reader):
    case = Case.objects.get(slug="2021-best-06")
    version = _delete_as_superuser(browsers, case)

    recover(browsers["editor"], Case, version)

    restored = fresh(case)
    assert restored is not None and restored.status == Case.Status.DRAFT
    assert public_page(reader, case) is None
    assert not api_finds(reader, case.title, case)
    assert admin_search_finds(browsers["editor"], case.title, case)


def test_a_case_recovered_by_a_publisher_is_public_and_found_by_its_title(browsers, reader):
    case = Case.objects.get(slug="2021-best-07")
    version = _delete_as_superuser(browsers, case)

    recover(browsers["publisher"], Case, version)

    assert case.title in public_page(reader, case)
    assert api_finds(reader, case.title, case)


# 3. Sections deleted directly from the section admin.


def test_editor_cannot_delete_a_published_section_on_its_page(browsers, reader):
    case = Case.objects.get(slug="2021-best-08")
    section = case.sections.order_by("order").last()
    text = section.paragraphs[0]

    delete_record(browsers["editor"], section)

    assert CaseSection.objects.filter(pk=section.pk).exists()
    assert text in public_page(reader, case)


def test_editor_cannot_empty_a_published_case_with_delete_selected(browsers, reader):
    case = Case.objects.get(slug="2021-best-09")
    sections = list(case.sections.all())

    run_action(browsers["editor"], CaseSection, "delete_selected", sections)

    assert case.sections.count() == len(sections)
    page = public_page(reader, case)
    assert all(s.heading in page for s in sections if s.heading)


# 4. An import changed published cases with no review.


def test_editor_import_does_not_change_a_published_title(browsers, reader):
    editor = browsers["editor"]
    export_page = editor.get(url("cases_case_export"))
    exported = post_form(editor, export_page, changes={"format": "0"})
    sheet = openpyxl.load_workbook(io.BytesIO(exported.content)).active
    rows = [[cell.value for cell in row] for row in sheet.rows]
    header = rows[0]
    case = Case.objects.get(slug="2021-best-01")
    row = next(r for r in rows[1:] if r[header.index("标题")] == case.title)
    row[header.index("标题")] = "导入改过的标题丙"
    upload = SimpleUploadedFile("cases.xlsx", tablib.Dataset(row, headers=header).export("xlsx"))

    import_page = editor.get(url("cases_case_import"))
    preview = post_form(
        editor, import_page, changes={"format": "0", "resource": "0"}, files={"import_file": upload}
    )
    post_form(editor, preview)

    assert "导入改过的标题丙" not in public_page(reader, case)
    assert not api_finds(reader, "导入改过的标题丙", case)
    assert fresh(case).title == case.title


# 5. The first change of a loaded record could not be undone: see test_undo.py. Its diff:


def test_the_first_change_of_a_loaded_case_has_a_before(browsers):
    case = Case.objects.get(slug="2021-best-02")
    assert Version.objects.get_for_object(case).exists()  # loaded with a first version
    change_case(browsers["publisher"], case, {"title": "改过一次的标题"})
    latest = Version.objects.get_for_object(case).first()
    diff = browsers["publisher"].get(url("cases_case_version_diff", case.pk, latest.pk))
    assert diff.context["previous"] is not None
    title = next(c for c in diff.context["changes"] if c.label == "案例标题")
    assert (title.old, title.new) == (case.title, "改过一次的标题")


# 6. Revert after a related record is gone gave an IntegrityError.


def test_revert_after_its_theme_was_deleted_skips_the_theme(browsers):
    case = Case.objects.get(slug="2021-best-10")
    theme = Theme.objects.create(slug="short-lived", name="短暂的主题", order=99)
    themes = [t.pk for t in case.themes.all()] + [theme.pk]
    change_case(browsers["publisher"], case, {"themes": themes, "title": "带新主题时的标题"})
    with_theme = Version.objects.get_for_object(case).first()
    change_case(browsers["publisher"], case, {"title": "之后的标题"})
    delete_record(browsers["superuser"], theme)
    assert not Theme.objects.filter(pk=theme.pk).exists()

    response = revert(browsers["publisher"], case, with_theme)

    assert response.status_code == 302
    connection.check_constraints()  # no dangling reference, on SQLite and PostgreSQL
    case.refresh_from_db()
    assert case.title == "带新主题时的标题"
    assert theme.pk not in case.themes.values_list("pk", flat=True)
    followed = browsers["publisher"].get(response["Location"])
    assert "已被删除" in followed.content.decode()


# 7. The conflict archive dropped the refused section text.


def test_a_refused_stale_save_keeps_the_refused_section_text(browsers, users):
    case = Case.objects.get(slug="2021-best-09")
    section = case.sections.order_by("order").first()
    first, second = browsers["publisher"], browsers["superuser"]
    stale_page = second.get(url("cases_case_change", case.pk))
    change_case(first, case, {"title": "先保存的标题"})

    from .steps import inline_prefix

    prefix = inline_prefix(stale_page, section.pk)
    refused = post_form(
        second,
        stale_page,
        form_id="case_form",
        changes={"summary": "被拒绝的导语", f"{prefix}-paragraphs": "被拒绝的章节段落丁"},
    )
    assert refused.status_code == 200 and "未保存" in refused.content.decode()

    # Somewhere in the case's history (its entries and the pages they link to) the text is kept.
    pages = [second.get(link) for link in history_links(second, Case, case.pk) if f"/case/{case.pk}/" in link]
    assert any("被拒绝的章节段落丁" in p.content.decode() for p in pages if p.status_code == 200)


def test_the_delete_confirmation_pages_say_before_the_click_that_the_delete_will_be_held(browsers):
    from .browser import post_form
    from .steps import url

    case = Case.objects.get(slug="2021-best-09")
    sections = list(case.sections.all()[:2])
    editor = browsers["editor"]
    listing = editor.get(url("cases_casesection_changelist"), {"all": ""})
    confirm = post_form(
        editor,
        listing,
        form_id="changelist-form",
        changes={"action": "delete_selected", "_selected_action": [s.pk for s in sections]},
    ).content.decode()
    single = editor.get(url("cases_casesection_delete", sections[0].pk)).content.decode()
    for page in (confirm, single):
        assert "确认后不会直接删除" in page and "待审核的修改" in page
        assert "已作为“待审核的修改”提交" not in page  # nothing has been filed yet
    assert case.sections.filter(pk__in=[s.pk for s in sections]).count() == 2  # only asked so far
