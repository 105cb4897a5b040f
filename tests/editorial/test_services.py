"""The editorial services on their own (no admin): each asks the policy, never writes around it,
and refuses conflicts and impossible writes with a Chinese message instead of an error page."""

import copy

import pytest
from reversion.models import Version

from cases.editorial import (
    ChangeConflictError,
    EditorialError,
    PolicyRefused,
    PublishPermissionError,
    case_change_publish,
    case_change_return,
    case_change_submit,
    case_publish,
    case_recover,
    case_revert,
    case_snapshot,
    case_unpublish,
)
from cases.editorial.payload import PayloadError, payload_apply
from cases.models import Case, CaseChange, CaseSection, Theme
from cases.search import apply_search
from portal.admin import record_before_delete

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(library):
    return Case.objects.get(slug="2021-excellent-10")


def titled(case, title):
    payload = case_snapshot(case)
    payload["fields"]["title"] = title
    return payload


def found(text) -> list[int]:
    return list(apply_search(Case.objects.published(), text).queryset.values_list("pk", flat=True))


def test_an_editor_cannot_publish_or_unpublish(case, users):
    with pytest.raises(PublishPermissionError):
        case_unpublish(user=users["editor"], cases=[case])
    case.refresh_from_db()
    assert case.is_published
    assert case_unpublish(user=users["publisher"], cases=[case]) == 1
    with pytest.raises(PublishPermissionError):
        case_publish(user=users["editor"], cases=[case])
    case.refresh_from_db()
    assert not case.is_published


def test_a_held_change_goes_live_only_when_a_publisher_publishes_it(case, users):
    version = case.version
    change = case_change_submit(
        user=users["editor"], case=case, payload=titled(case, "待审的新标题"), source="form"
    )
    case.refresh_from_db()
    assert (change.state, case.version, case.title != "待审的新标题") == (
        CaseChange.State.PENDING,
        version,
        True,
    )
    assert found("待审的新标题") == []
    with pytest.raises(PublishPermissionError):
        case_change_publish(user=users["editor"], change=change)

    case_change_publish(user=users["publisher"], change=change)

    case.refresh_from_db()
    change.refresh_from_db()
    assert case.title == "待审的新标题" and case.version > version
    assert found("待审的新标题") == [case.pk]
    assert change.state == CaseChange.State.PUBLISHED and change.decided_by == users["publisher"]
    assert change.revision.comment.startswith(f"发布待审核的修改 #{change.pk}")
    with pytest.raises(EditorialError):
        case_change_publish(user=users["publisher"], change=change)  # once only


def test_a_newer_save_keeps_the_marker_and_an_outdated_change_is_refused(case, users):
    change = case_change_submit(
        user=users["editor"], case=case, payload=titled(case, "编辑的标题"), source="form"
    )
    case.summary = "审核发布人员之后改过的导语"
    case.save()  # a later save by someone else

    change.refresh_from_db()
    assert change.state == CaseChange.State.PENDING  # still waiting: nothing clears it silently
    with pytest.raises(ChangeConflictError, match="覆盖"):
        case_change_publish(user=users["publisher"], change=change)
    case.refresh_from_db()
    assert case.summary == "审核发布人员之后改过的导语" and case.title != "编辑的标题"

    with pytest.raises(EditorialError, match="理由"):
        case_change_return(user=users["publisher"], change=change, note="  ")
    case_change_return(user=users["publisher"], change=change, note="导语已改，请在新内容上重改标题。")
    change.refresh_from_db()
    assert change.state == CaseChange.State.RETURNED and "导语已改" in change.note


def test_a_change_that_changes_nothing_is_not_filed(case, users):
    assert (
        case_change_submit(user=users["editor"], case=case, payload=case_snapshot(case), source="form")
        is None
    )
    assert not CaseChange.objects.exists()


def test_an_editor_revert_of_a_published_case_is_held(case, users):
    first = Version.objects.get_for_object(case).last()
    case.title = "改过的标题"
    case.save()
    version = case.version

    result = case_revert(user=users["editor"], version=first)

    case.refresh_from_db()
    assert result.held and result.change.payload["fields"]["title"] == first.field_dict["title"]
    assert case.title == "改过的标题" and case.version == version


def test_a_publisher_revert_applies_keeps_the_status_and_raises_the_version(case, users):
    first = Version.objects.get_for_object(case).last()
    case.title = "改过的标题"
    case.status = Case.Status.DRAFT
    case.save()
    version = case.version

    result = case_revert(user=users["publisher"], version=first)

    case.refresh_from_db()
    assert not result.held and case.title == first.field_dict["title"]
    assert case.status == Case.Status.DRAFT  # a revert restores content, never the publication state
    assert case.version > version


def test_a_recovered_case_is_a_draft_for_editors_with_a_higher_version(case, users):
    sections = list(case.sections.values_list("heading", flat=True))
    record_before_delete([case], user=users["superuser"])
    deleted_at, pk = case.version, case.pk
    case.delete()
    version = Version.objects.get_deleted(Case).get(object_id=str(pk))

    result = case_recover(user=users["editor"], version=version)

    restored = Case.objects.get(pk=pk)
    assert result.case.pk == pk and restored.status == Case.Status.DRAFT
    assert restored.version > deleted_at
    assert list(restored.sections.values_list("heading", flat=True)) == sections
    assert pk not in found(restored.title)  # not public
    assert pk in apply_search(Case.objects.all(), restored.title).queryset.values_list("pk", flat=True)


def test_recover_refuses_clearly_when_its_slug_was_taken(case, users):
    record_before_delete([case], user=users["superuser"])
    slug, pk = case.slug, case.pk
    case.delete()
    other = Case.objects.exclude(pk=pk).first()
    other.slug = slug
    other.save()
    version = Version.objects.get_deleted(Case).get(object_id=str(pk))
    with pytest.raises(EditorialError, match="网址标识"):
        case_recover(user=users["publisher"], version=version)
    assert not Case.objects.filter(pk=pk).exists()


def test_services_refuse_anonymous_callers(case):
    with pytest.raises(PolicyRefused):
        case_change_submit(user=None, case=case, payload=titled(case, "x"), source="form")


def test_sections_swap_their_order_in_one_write(case):
    payload = case_snapshot(case)
    first, second = payload["sections"][0], payload["sections"][1]
    first["order"], second["order"] = second["order"], first["order"]
    payload_apply(case, payload)
    orders = dict(CaseSection.objects.filter(case=case).values_list("pk", "order"))
    assert (orders[first["id"]], orders[second["id"]]) == (first["order"], second["order"])


def test_two_sections_with_one_order_are_refused(case):
    payload = copy.deepcopy(case_snapshot(case))
    payload["sections"][1]["order"] = payload["sections"][0]["order"]
    with pytest.raises(PayloadError, match="顺序"):
        payload_apply(case, payload)


def test_publishing_a_change_whose_theme_was_deleted_since_leaves_it_out(case, users):
    theme = Theme.objects.create(slug="gone-soon", name="将被删除的主题")
    payload = case_snapshot(case)
    payload["themes"] = [*payload["themes"], theme.pk]
    change = case_change_submit(user=users["editor"], case=case, payload=payload, source="form")
    theme.delete()

    notes = case_change_publish(user=users["publisher"], change=change)

    assert any("已被删除" in note for note in notes)
    assert theme.pk not in case.themes.values_list("pk", flat=True)
