"""Deploying the editorial package loses no waiting work: an editor's change held the old way (a
history version marked 待审核的修改) becomes a pending CaseChange (migration 0009)."""

import copy
import importlib

import pytest
import reversion
from django.apps import apps

from cases.editorial import case_snapshot
from cases.models import Case, CaseChange

from .conftest import make_user

pytestmark = pytest.mark.django_db

convert = importlib.import_module("cases.migrations.0009_editorial_pending_versions").convert


def file_the_old_way(case, user, **values):
    """What cases/editorial.py's save_pending_edit did: a version of unsaved values."""
    edited = copy.copy(case)
    for name, value in values.items():
        setattr(edited, name, value)
    section = copy.copy(case.sections.order_by("order").first())
    section.paragraphs = ["旧方式待审核的段落。"]
    with reversion.create_revision(manage_manually=True):
        reversion.set_user(user)
        reversion.set_comment(
            f"待审核的修改（基于第 {case.version} 版，尚未公开；审核发布人员打开此版本并保存即发布）"
        )
        reversion.add_to_revision(edited)
        reversion.add_to_revision(section)
    return section


def test_a_waiting_old_style_version_becomes_a_pending_change(library):
    case = Case.objects.get(slug="2021-best-01")
    editor = make_user("editor")
    live = case_snapshot(case)
    section = file_the_old_way(case, editor, title="旧方式待审核的标题")

    convert(apps, None)

    change = CaseChange.objects.get(case=case, state=CaseChange.State.PENDING)
    assert change.submitted_by == editor and change.based_on_version == case.version
    assert change.payload["fields"]["title"] == "旧方式待审核的标题"
    assert {s["id"]: s["paragraphs"] for s in change.payload["sections"]}[section.pk] == [
        "旧方式待审核的段落。"
    ]
    assert change.base == live
    case.refresh_from_db()
    assert case.title != "旧方式待审核的标题"  # still waiting, not applied


def test_a_version_that_no_longer_waits_is_not_converted(library):
    case = Case.objects.get(slug="2021-best-02")
    file_the_old_way(case, make_user("editor"), title="已被后来的保存取代")
    with reversion.create_revision():
        case.summary += "。"
        case.save()  # a newer version: the old way, the marker was gone
    convert(apps, None)
    assert not CaseChange.objects.filter(case=case).exists()
