"""load_library --update: a database loaded from an older fixture takes the corrections of the current
one, keeps what editors changed, and records everything in the history."""

import gzip
import json
from pathlib import Path

import pytest
import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from reversion.models import Revision, Version

from awards.models import AwardTier, Notice, OrganizingAward, Prefecture, Unit
from cases.editorial import INITIAL_COMMENT, case_revert
from cases.library_update import UPDATE_COMMENT, LibraryUpdateError, update_library
from cases.library_update.records import database_items, fixture_fields, fixture_items
from cases.models import Case, CaseChange, CaseSection, Erratum, Theme
from cases.services import load_library
from tests.editing import form_save

# fixtures/library.json as it was at commit 1804c4c, before the corrections of issue 13.
OLD_FIXTURE = Path(__file__).parent / "data" / "library-1804c4c.json.gz"
EDITED_SUMMARY = "编辑改写的导语：宝兴县硗碛藏族乡夹金山村。"
EDITED_PARAGRAPH = "（二）上级部门肯定。编辑改写的一段。"


def current_records():
    return json.loads(settings.LIBRARY_FIXTURE.read_text(encoding="utf-8"))


def wipe():
    for model in (
        Erratum,
        CaseSection,
        CaseChange,
        Case,
        OrganizingAward,
        Unit,
        Prefecture,
        AwardTier,
        Notice,
        Theme,
    ):
        model.objects.all().delete()


@pytest.fixture
def old_library(db, tmp_path):
    """The database as a site loaded before the corrections holds it: the old fixture, and no first
    versions (load_library did not record them then)."""
    wipe()
    path = tmp_path / "library.json"
    path.write_bytes(gzip.decompress(OLD_FIXTURE.read_bytes()))
    load_library(path)
    Version.objects.all().delete()
    Revision.objects.all().delete()
    return Notice.objects.get()


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("chief", password=None)


def edit_case_36(user):
    """An editor rewrites the summary of excellent case 26 (宝兴县) and one paragraph of its results."""
    case = Case.objects.get(slug="2021-excellent-26")
    from cases.editorial import case_snapshot

    payload = case_snapshot(case)
    payload["fields"]["summary"] = EDITED_SUMMARY
    results = next(s for s in payload["sections"] if any("上级部门肯定" in p for p in s["paragraphs"]))
    index = next(i for i, p in enumerate(results["paragraphs"]) if "上级部门肯定" in p)
    results["paragraphs"][index] = EDITED_PARAGRAPH
    form_save(user, case, payload, "编辑修改导语和一段")
    return results["order"], index


def test_the_update_applies_the_corrections_and_keeps_the_editors_change(old_library, superuser):
    order, index = edit_case_36(superuser)

    report = update_library(settings.LIBRARY_FIXTURE)

    # The corrections of the current fixture are in.
    assert "优势和农文旅" in Case.objects.get(slug="2021-excellent-34").summary
    assert Unit.objects.get(name__contains="鄯家镇").township == "鄢家镇"
    assert Unit.objects.get(name__contains="北川县").county == "北川羌族自治县"
    assert "绵阳市北川羌族自治县擂鼓镇" in Unit.objects.get(name__contains="北川县").aliases
    assert Prefecture.objects.get(code="513300").name == "甘孜州"
    assert Erratum.objects.filter(original="鄯家镇", corrected="鄢家镇").exists()
    assert not Erratum.objects.filter(original="鄢家镇", corrected="鄯家镇").exists()
    assert Erratum.objects.count() == sum(1 for r in current_records() if r["model"] == "cases.erratum")
    # The editor's change stays, and is reported; the paragraphs the editor did not touch are corrected.
    case = Case.objects.get(slug="2021-excellent-26")
    assert case.summary == EDITED_SUMMARY
    paragraphs = case.sections.get(order=order).paragraphs
    assert paragraphs[index] == EDITED_PARAGRAPH
    assert "硗碛乡集中开展" in paragraphs[0] and "硃" not in "".join(paragraphs)
    assert any("导语" in line for line in report.kept)
    assert any(f"第 {index + 1} 段" in line for line in report.kept)
    # Everything else now equals the fixture.
    records = current_records()
    wanted, live = fixture_items(records), database_items(fixture_fields(records))
    differing = {ref for ref in wanted if wanted[ref].values != getattr(live.get(ref), "values", None)}
    assert differing == {"cases.case｜2021-excellent-26", f"cases.casesection｜2021-excellent-26｜{order}"}
    assert set(live) == set(wanted)
    # Search finds the corrected form.
    assert case in Case.objects.published().search("硗碛")


def test_the_update_is_in_the_history_and_can_be_undone(old_library, superuser):
    update_library(settings.LIBRARY_FIXTURE)

    case = Case.objects.get(slug="2021-excellent-34")
    versions = list(Version.objects.get_for_object(case).select_related("revision"))
    assert versions[0].revision.comment == UPDATE_COMMENT
    unit = Unit.objects.get(name__contains="北川县")
    assert Version.objects.get_for_object(unit).first().revision.comment == UPDATE_COMMENT
    # The version before the update (recorded by the update, as the old load recorded none) brings
    # the old text back.
    case_revert(user=superuser, version=versions[1])
    assert "优势 and 农文旅" in Case.objects.get(pk=case.pk).summary


def test_a_second_update_changes_nothing(old_library, superuser):
    edit_case_36(superuser)
    update_library(settings.LIBRARY_FIXTURE)
    revisions = Revision.objects.count()

    again = update_library(settings.LIBRARY_FIXTURE)

    assert not again.changed
    assert again.kept  # the editor's change is still reported
    assert Revision.objects.count() == revisions  # nothing written, no empty history entry


def test_a_dry_run_writes_nothing(old_library, capsys):
    call_command("load_library", "--update", "--dry-run")
    assert "试运行" in capsys.readouterr().out
    assert "优势 and 农文旅" in Case.objects.get(slug="2021-excellent-34").summary
    assert not Version.objects.exists()


def test_the_command_reports_what_it_did(old_library, superuser, capsys):
    edit_case_36(superuser)
    call_command("load_library", "--update")
    out = capsys.readouterr().out
    assert "已更正" in out and "保留不动" in out and "导语" in out


def test_an_editors_erratum_is_kept_and_an_erratum_an_editor_changed_is_not_replaced(old_library, superuser):
    case = Case.objects.get(slug="2021-best-05")
    from cases.editorial import case_snapshot

    payload = case_snapshot(case)
    for item in payload["errata"]:
        if item["original"] == "鄢家镇":
            item["reason"] = "编辑核实后写的理由。"
    payload["errata"].append(
        {
            "id": None,
            "notice": case.notice_id,
            "unit": case.unit_id,
            "kind": "spelling",
            "location": "正文",
            "original": "甲",
            "corrected": "乙",
            "reason": "编辑自己加的勘误。",
        }
    )
    form_save(superuser, case, payload, "勘误")

    report = update_library(settings.LIBRARY_FIXTURE)

    errata = case.errata.all()
    assert errata.filter(reason="编辑自己加的勘误。").exists()
    assert errata.filter(reason="编辑核实后写的理由。", original="鄢家镇").exists()
    assert not errata.filter(original="鄯家镇", corrected="鄢家镇").exists()
    assert any("编辑改过这条勘误" in line for line in report.kept)


def test_an_update_needs_the_notice_loaded(db):
    wipe()
    with pytest.raises(LibraryUpdateError, match="load_library"):
        update_library(settings.LIBRARY_FIXTURE)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["model", "fields", "pk", "number"]), inner, max_size=3)
    ),
    max_leaves=8,
)


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=JSON)
def test_an_odd_fixture_is_refused_with_a_message(library, tmp_path, data):
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(LibraryUpdateError):
        update_library(path)


def test_a_record_of_the_notice_with_a_wrong_field_is_refused(library, tmp_path):
    records = current_records()
    unit = next(r for r in records if r["model"] == "awards.unit")
    unit["fields"]["level"] = "planet"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(LibraryUpdateError, match="无法保存"):
        update_library(path)
    assert Unit.objects.get(pk=unit["pk"]).level != "planet"


def test_the_current_library_needs_no_update(library):
    report = update_library(settings.LIBRARY_FIXTURE)
    assert not report.changed and not report.kept


def test_a_database_loaded_from_an_uncommitted_fixture_is_compared_with_its_first_versions(db, tmp_path):
    """A value no released fixture held, but load_library recorded as loaded, is not an editor's."""
    records = current_records()
    wanted = next(
        r for r in records if r["model"] == "cases.case" and r["fields"]["slug"] == "2021-excellent-34"
    )
    real = wanted["fields"]["summary"]
    wanted["fields"]["summary"] = "开发中的数据文件里的导语。"
    wipe()
    path = tmp_path / "library.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    load_library(path)

    report = update_library(settings.LIBRARY_FIXTURE, dry_run=True)
    assert any("开发中的数据文件里的导语" in line for line in report.applied) and not report.kept
    # Without the first versions the value could be an editor's: it is kept.
    Version.objects.all().delete()
    report = update_library(settings.LIBRARY_FIXTURE, dry_run=True)
    assert any("导语" in line for line in report.kept)
    assert Case.objects.get(slug="2021-excellent-34").summary != real  # dry runs write nothing


def test_the_list_of_known_values_holds_the_committed_fixture_and_reads_back():
    from cases.library_update import Known, read_known

    known = read_known(settings.LIBRARY_FIXTURE)
    assert known.covers(current_records())
    assert Known.parse(known.render()).render() == known.render()
    records = current_records()
    next(r for r in records if r["model"] == "cases.case")["fields"]["summary"] = "从未发布过的导语。"
    assert not known.covers(records)
    # The 1804c4c fixture's values are in it: a database loaded from it can be updated.
    assert known.covers(json.loads(gzip.decompress(OLD_FIXTURE.read_bytes())))


EDITED_TITLE = "编辑改写的标题"
EDITED_TOWNSHIP = "编辑核实的乡镇"


def edit_without_the_editor(case_slug="2021-excellent-34"):
    """An editor's fix saved outside the editorial services (a shell or SQL fix, a restored database):
    a case's title and summary, one paragraph of a section, and a unit's township."""
    case = Case.objects.get(slug=case_slug)
    case.title, case.summary = EDITED_TITLE, EDITED_SUMMARY
    case.save()
    section = case.sections.order_by("order").first()
    section.paragraphs = [EDITED_PARAGRAPH, *section.paragraphs[1:]]
    section.save()
    unit = Unit.objects.get(name__contains="北川县")  # a unit the new fixture corrects (its county)
    unit.township = EDITED_TOWNSHIP
    unit.save()
    return section.pk


def assert_the_edits_stay(section_pk):
    case = Case.objects.get(slug="2021-excellent-34")
    assert (case.title, case.summary) == (EDITED_TITLE, EDITED_SUMMARY)
    assert CaseSection.objects.get(pk=section_pk).paragraphs[0] == EDITED_PARAGRAPH
    assert Unit.objects.get(name__contains="北川县").township == EDITED_TOWNSHIP


def save_plainly():
    return edit_without_the_editor()


def save_in_a_revision():
    with reversion.create_revision():
        reversion.set_comment("编辑在命令行里修改")
        return edit_without_the_editor()


def save_then_createinitialrevisions():
    """The edits, then the command docs/deploy.md gives for databases loaded before first versions."""
    section_pk = edit_without_the_editor()
    call_command("createinitialrevisions", comment=INITIAL_COMMENT, verbosity=0)
    return section_pk


@pytest.mark.parametrize("edit", [save_plainly, save_in_a_revision, save_then_createinitialrevisions])
def test_running_the_update_again_changes_nothing_and_keeps_edits_saved_any_way(old_library, edit):
    """The versions an update (or an editor, or createinitialrevisions) records hold no loaded values:
    only the first versions load_library records while loading do."""
    section_pk = edit()

    first = update_library(settings.LIBRARY_FIXTURE)
    assert first.changed
    assert_the_edits_stay(section_pk)
    kept = "\n".join(first.kept)
    assert all(word in kept for word in ("标题", "导语", "第 1 段", "乡镇")), kept
    revisions = Revision.objects.count()

    for _ in range(2):
        again = update_library(settings.LIBRARY_FIXTURE)
        assert not again.changed, again.applied
        assert_the_edits_stay(section_pk)
        assert sorted(again.kept) == sorted(first.kept)
        assert Revision.objects.count() == revisions


def test_the_command_run_twice_reports_no_correction_the_second_time(old_library, capsys):
    section_pk = save_plainly()
    call_command("load_library", "--update")
    capsys.readouterr()
    call_command("load_library", "--update")
    out = capsys.readouterr().out
    assert "已更正" not in out and "保留" in out
    assert_the_edits_stay(section_pk)
