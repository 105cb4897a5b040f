"""Loading the library: idempotent, and bad data never gets in quietly."""

import copy
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError

from awards.models import AwardTier, Notice, Prefecture, Unit
from cases.models import Case, CaseSection, Erratum
from cases.services import LibraryLoadError, load_library

MODELS = [Notice, AwardTier, Prefecture, Unit, Case, CaseSection, Erratum]


def snapshot():
    return {m.__name__: sorted(m.objects.values_list("pk", flat=True)) for m in MODELS} | {
        "updated": sorted(Case.objects.values_list("updated", flat=True)),
        "titles": sorted(Case.objects.values_list("title", flat=True)),
    }


def test_the_library_has_everything(library):
    assert Case.objects.count() == 44
    assert Case.objects.published().count() == 44
    assert Prefecture.objects.count() == 21
    assert Unit.objects.count() == 54  # 44 case units + 10 organizing units that have no case


def test_running_load_library_twice_changes_nothing(library, capsys):
    before = snapshot()
    call_command("load_library")
    call_command("load_library")
    assert snapshot() == before
    assert "未作改动" in capsys.readouterr().out


def test_replace_reloads_the_same_data(library):
    before = snapshot()
    load_library(settings.LIBRARY_FIXTURE, replace=True)
    assert snapshot() == before


def bad_fixture(tmp_path, mutate):
    records = json.loads(settings.LIBRARY_FIXTURE.read_text(encoding="utf-8"))
    records = copy.deepcopy(records)
    # A second notice, so the load is not skipped as "already loaded".
    offset = 100000
    for record in records:
        record["pk"] += offset
        for key, value in list(record["fields"].items()):
            if key in {"notice", "tier", "prefecture", "unit", "case"} and isinstance(value, int):
                record["fields"][key] = value + offset
            if key == "themes":
                record["fields"][key] = [v + offset for v in value]
        if record["model"] == "awards.notice":
            record["fields"]["number"] = "川政公函〔2099〕1号"
            record["fields"]["slug"] = "test-notice"
        if record["model"] == "awards.prefecture":
            record["fields"]["code"] = record["fields"]["code"]
        if record["model"] in {"awards.unit"}:
            record["fields"]["name"] += "（测试）"
        if record["model"] in {"cases.case"}:
            record["fields"]["slug"] += "-test"
        if record["model"] in {"cases.theme"}:
            record["fields"]["slug"] += "-test"
            record["fields"]["name"] += "（测试）"
    # Only the records a second notice needs: it shares prefectures with the first.
    records = [r for r in records if r["model"] != "awards.prefecture"]
    for r in records:
        if r["model"] == "awards.unit":
            r["fields"]["prefecture"] -= offset
    mutate(records)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return path


def first(records, model):
    return next(r for r in records if r["model"] == model)


def test_a_valid_second_notice_loads(library, tmp_path):
    path = bad_fixture(tmp_path, lambda records: None)
    load_library(path)
    assert Notice.objects.count() == 2
    assert Case.objects.count() == 88


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda rs: [r for r in rs if r["model"] == "cases.case"][1]["fields"].update(number=1),
            "序号",
        ),
        (lambda rs: first(rs, "awards.unit")["fields"].update(prefecture=9999), "市（州）"),
        (lambda rs: [r for r in rs if r["model"] == "cases.case"][5]["fields"].update(title=""), "案例标题"),
        (lambda rs: [r for r in rs if r["model"] == "cases.case"][5]["fields"].update(title="   "), "案例"),
    ],
    ids=["duplicate-tier-number", "unknown-prefecture", "empty-title", "blank-title"],
)
def test_bad_data_fails_clearly_and_leaves_the_database_as_it_was(library, tmp_path, mutate, message):
    before = snapshot()
    path = bad_fixture(tmp_path, mutate)
    with pytest.raises(LibraryLoadError) as excinfo:
        load_library(path)
    assert message in str(excinfo.value)
    assert "第" in str(excinfo.value)  # names the record
    assert snapshot() == before
    assert not Notice.objects.filter(number="川政公函〔2099〕1号").exists()


def test_the_command_reports_bad_data_in_chinese(library, tmp_path):
    path = bad_fixture(tmp_path, lambda rs: first(rs, "awards.unit")["fields"].update(prefecture=9999))
    with pytest.raises(CommandError, match="载入失败，数据库未作任何改动"):
        call_command("load_library", fixture=path)


def test_an_unreadable_fixture_is_reported(library, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(LibraryLoadError, match="无法读取"):
        load_library(path)


def test_database_constraints_hold_without_the_loader(library):
    case = Case.objects.first()
    with pytest.raises(IntegrityError):
        Case.objects.create(
            notice=case.notice, tier=case.tier, number=case.number, title="重复", unit=case.unit, slug="dup"
        )


def test_blank_title_is_refused_by_the_database(library):
    case = Case.objects.first()
    with pytest.raises(IntegrityError):
        Case.objects.filter(pk=case.pk).update(title="  ")


def test_loading_the_library_replaces_the_version_every_cached_page_keys_on(library):
    # Found from outside: an API schema stored before the load kept serving no enums after it.
    from portal.cache import library_version

    before = library_version()
    load_library(settings.LIBRARY_FIXTURE, replace=True)
    assert library_version() != before
