"""Editorial writes: publishing, held changes (submit, publish, return), revert and recover.

Every service asks the policy (cases.editorial.policy.decide) first and raises ``PolicyRefused``
or ``PublishPermissionError`` (both PermissionDenied, with a Chinese message) when it refuses, or
``EditorialError`` when the write cannot be made (a conflict, a record gone). Each write runs in
one transaction inside a django-reversion revision named after what happened (“发布待审核的修改”,
“恢复到 … 的版本”), never disguised as another kind of write. Saves are ordinary model saves, so
the search index and the page cache follow; the cache is also invalidated explicitly.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field

import reversion
from django.db import IntegrityError, router, transaction
from django.utils import timezone
from reversion.models import Version

from cases.editorial.payload import (
    PayloadError,
    case_snapshot,
    normalized,
    payload_apply,
    payload_from_version,
    pruned,
    with_part,
)
from cases.editorial.policy import decide
from cases.models import Case, CaseChange
from cases.search import batched
from portal import memo
from portal.admin import revert_comment
from portal.admin.policy import Action, Decision, Outcome, PolicyRefused, PublishPermissionError
from portal.admin.restore import missing_relation_message, related_exists
from portal.cache import schedule_invalidation


class EditorialError(Exception):
    """A write that cannot be made as asked; ``str(error)`` says why, in Chinese."""


class ChangeConflictError(EditorialError):
    """A held change was made on content that has changed since; publishing it would overwrite."""


class AlreadyRecoveredError(EditorialError):
    """The deleted case is back already (a second click, or someone else was quicker)."""

    def __init__(self, case: Case | None = None):
        super().__init__("这个案例已经恢复（可能是重复提交，或他人刚刚恢复了它），无需再次恢复。")
        self.case = case


@dataclass
class WriteResult:
    """What a content write did: applied now, or held as ``change``; ``notes`` list what was
    left out because it no longer exists."""

    outcome: Outcome
    case: Case | None
    change: CaseChange | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def held(self) -> bool:
        return self.outcome is Outcome.HOLD


def _require(decision: Decision, *, publishing: bool = False) -> Decision:
    if decision.refused:
        raise (PublishPermissionError if publishing else PolicyRefused)(decision.message)
    return decision


def _invalidate() -> None:
    using = router.db_for_write(Case)
    memo.forget(using)  # this process's memos at once; other servers' when the version changes
    schedule_invalidation(using)


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


# Publishing.


def _set_status(*, user, cases: Iterable[Case], status: str, action: Action, comment: str) -> int:
    changed = 0
    with transaction.atomic(), reversion.create_revision(), batched():
        reversion.set_user(user)
        reversion.set_comment(comment)
        for case in cases:
            _require(decide(user=user, action=action, target=case), publishing=True)
            if case.status == status:
                continue
            case.status = status
            case.save(update_fields=["status", "version", "updated"])
            changed += 1
        _invalidate()
    return changed


def case_publish(*, user, cases: Iterable[Case]) -> int:
    """Make cases public; returns how many changed. Raises PublishPermissionError."""
    return _set_status(
        user=user,
        cases=cases,
        status=Case.Status.PUBLISHED,
        action=Action.PUBLISH,
        comment="发布（公众可见）",
    )


def case_unpublish(*, user, cases: Iterable[Case]) -> int:
    """Take cases off the public site (back to draft); returns how many changed."""
    return _set_status(
        user=user,
        cases=cases,
        status=Case.Status.DRAFT,
        action=Action.UNPUBLISH,
        comment="撤回发布（改为草稿）",
    )


# Held changes.


def case_change_submit(
    *, user, case: Case, payload: dict, source: str, summary: str = "", action: Action = Action.CHANGE
) -> CaseChange | None:
    """File ``payload`` (the whole wanted content) as a change waiting for a publisher.

    Returns None when it equals the live content (nothing to review). The live content is
    kept as ``base``: publishing is refused if the case changes in between.
    """
    _require(decide(user=user, action=action, target=case, proposed=copy.copy(case)))
    base = case_snapshot(case)
    payload = normalized(payload)
    if payload == base:
        return None
    return CaseChange.objects.create(
        case=case,
        state=CaseChange.State.PENDING,
        source=source,
        summary=summary[:255],
        payload=payload,
        base=base,
        based_on_version=case.version,
        submitted_by=user,
    )


def case_change_publish(*, user, change: CaseChange) -> list[str]:
    """Publish a held change: write its content live, in a revision of its own.

    Raises PublishPermissionError (not a publisher), EditorialError (already decided, case
    gone), ChangeConflictError (the case changed since it was submitted). Returns notes on
    what was left out because it no longer exists.
    """
    with transaction.atomic():
        change = CaseChange.objects.select_for_update().get(pk=change.pk)
        case = Case.objects.select_for_update().filter(pk=change.case_id).first()
        _require(decide(user=user, action=Action.CHANGE_PUBLISH, target=case or change), publishing=True)
        _check_pending(change)
        if case is None:
            raise EditorialError("无法发布：这个案例已被删除。")
        if not change_is_current(change, case_snapshot(case)):
            raise ChangeConflictError(
                f"无法发布：这项修改基于第 {change.based_on_version} 版提交，此后案例已被修改（现为第 {case.version} 版），"
                "直接发布会覆盖较新的内容。请退回这项修改并说明原因，由编辑在最新内容上重新修改后提交。"
            )
        submitter = change.submitted_by.get_username() if change.submitted_by else "编辑"
        with reversion.create_revision():
            reversion.set_user(user)
            reversion.set_comment(
                f"发布待审核的修改 #{change.pk}（{submitter} 于 {_when(change.submitted_at)} 提交）"
            )
            try:
                notes = payload_apply(case, change.payload)
            except PayloadError as error:
                raise EditorialError(str(error)) from error
        change.state = CaseChange.State.PUBLISHED
        change.decided_by, change.decided_at = user, timezone.now()
        latest = Version.objects.get_for_object(case).select_related("revision").first()
        change.revision = latest.revision if latest else None
        change.save()
        _invalidate()
    return notes


def case_change_return(*, user, change: CaseChange, note: str) -> None:
    """Send a held change back to its editor with ``note`` (required); nothing goes live."""
    with transaction.atomic():
        change = CaseChange.objects.select_for_update().get(pk=change.pk)
        _require(decide(user=user, action=Action.CHANGE_RETURN, target=change), publishing=True)
        _check_pending(change)
        if not (note or "").strip():
            raise EditorialError("请写明退回的理由：编辑会看到这段说明。")
        change.state = CaseChange.State.RETURNED
        change.decided_by, change.decided_at, change.note = user, timezone.now(), note.strip()
        change.save()


def change_is_current(change: CaseChange, live: dict) -> bool:
    """Whether ``change`` was submitted on the live content ``live`` (a case_snapshot): only then
    can it be published as it is, and only then is a re-save of the same content nothing new."""
    return normalized(change.base) == live


def _check_pending(change: CaseChange) -> None:
    if not change.is_pending:
        raise EditorialError(f"这项修改{change.get_state_display()}，不能再发布或退回。")


def case_change_archive_conflict(
    *, user, case: Case, payload: dict, based_on: int, current: int
) -> CaseChange:
    """Keep a refused stale submission (fields, themes, sections, errata) on record; not for review."""
    return CaseChange.objects.create(
        case=case,
        state=CaseChange.State.CONFLICT,
        source=CaseChange.Source.FORM,
        summary=f"编辑冲突：未保存的提交（基于第 {based_on} 版，数据库已是第 {current} 版），仅存档供比较",
        payload=normalized(payload),
        base=case_snapshot(case),
        based_on_version=based_on,
        submitted_by=user,
    )


# Content writes that the policy may hold: revert, a section or erratum, an import row.


@transaction.atomic
def case_content_save(
    *, user, case: Case, payload: dict, action: Action, source: str, summary: str, comment: str
) -> WriteResult:
    """Write ``payload`` as the case's content now, or hold it, as the policy decides."""
    live_case = Case.objects.select_for_update().get(pk=case.pk)
    decision = _require(decide(user=user, action=action, target=live_case, proposed=copy.copy(live_case)))
    payload, notes = pruned(payload, case_snapshot(live_case))
    if decision.held:
        change = case_change_submit(
            user=user, case=live_case, payload=payload, source=source, summary=summary, action=action
        )
        return WriteResult(Outcome.HOLD, live_case, change, notes)
    try:
        with transaction.atomic(), reversion.create_revision():
            reversion.set_user(user)
            reversion.set_comment(comment)
            notes += payload_apply(live_case, payload)
    except PayloadError as error:
        raise EditorialError(str(error)) from error
    _invalidate()
    return WriteResult(Outcome.APPLY, live_case, None, notes)


@dataclass
class RestorePlan:
    """What reverting to / recovering from a version would do, before it is done."""

    case: Case  # the live case (revert) or the case to be created (recover)
    payload: dict  # the content to write, without what no longer exists
    decision: Decision
    notes: list[str]  # what was left out because it no longer exists


def _version_payload(version: Version) -> dict:
    try:
        return payload_from_version(version)
    except PayloadError as error:
        raise EditorialError(str(error)) from error


def case_revert_plan(*, user, version: Version) -> RestorePlan:
    """The policy's answer and the content for reverting a case to ``version`` (its status stays)."""
    case = Case.objects.filter(pk=version.object_id).first()
    if case is None:
        raise EditorialError("这个案例已被删除，请在“恢复已删除的案例”中恢复。")
    payload, notes = pruned(_version_payload(version), case_snapshot(case))
    decision = decide(user=user, action=Action.REVERT, target=case, proposed=copy.copy(case))
    return RestorePlan(case, payload, decision, notes)


def case_revert(*, user, version: Version) -> WriteResult:
    """Bring a case back to an old version's content (its status stays as it is). Held for
    review when the policy says so (an editor and a published case)."""
    plan = case_revert_plan(user=user, version=version)
    result = case_content_save(
        user=user,
        case=plan.case,
        payload=plan.payload,
        action=Action.REVERT,
        source=CaseChange.Source.REVERT,
        summary=revert_comment(version),
        comment=revert_comment(version),
    )
    result.notes = plan.notes + result.notes
    return result


def case_recover_plan(*, user, version: Version) -> RestorePlan:
    """The policy's answer and the content for bringing a deleted case back; a draft unless the
    user may publish. Its version number continues after the deleted one's."""
    live = Case.objects.filter(pk=version.object_id).first()
    if live is not None:
        raise AlreadyRecoveredError(live)
    payload = _version_payload(version)
    for name in ("notice", "tier", "unit"):
        # Said on the confirmation page, before the button: a case cannot come back without them.
        model_field = Case._meta.get_field(name)
        value = payload["fields"].get(name)
        if value is not None and not related_exists(model_field, value):
            raise EditorialError(missing_relation_message(Case, model_field, value))
    stored = version.field_dict
    case = Case(
        pk=int(version.object_id),
        status=stored.get("status") or Case.Status.DRAFT,
        version=int(stored.get("version") or 0) + 1,
    )
    decision = decide(user=user, action=Action.RECOVER, proposed=case)
    if decision.force_draft:
        case.status = Case.Status.DRAFT
    payload, notes = pruned(payload, None)
    return RestorePlan(case, payload, decision, notes)


@transaction.atomic
def case_recover(*, user, version: Version) -> WriteResult:
    """Bring a deleted case back with its sections and errata (see case_recover_plan).

    Once only: concurrent recovers of one deletion wait for each other (the version's row is
    locked), and a recover that finds the case back already, or loses the race for its id,
    raises AlreadyRecoveredError (a message, not a database error).
    """
    Version.objects.select_for_update().filter(pk=version.pk).first()
    plan = case_recover_plan(user=user, version=version)
    _require(plan.decision)
    was_public = version.field_dict.get("status") == Case.Status.PUBLISHED
    comment = "从删除记录中恢复"
    if plan.decision.force_draft and was_public:
        comment += "（恢复为草稿，发布须经审核）"
    try:
        with transaction.atomic(), reversion.create_revision():
            reversion.set_user(user)
            reversion.set_comment(comment)
            notes = payload_apply(plan.case, plan.payload, creating=True)
    except PayloadError as error:
        raise EditorialError(str(error)) from error
    except IntegrityError as error:
        live = Case.objects.filter(pk=plan.case.pk).first()
        if live is None:
            raise
        raise AlreadyRecoveredError(live) from error
    _invalidate()
    return WriteResult(Outcome.APPLY, plan.case, None, plan.notes + notes)


def case_parts_hold(
    *, user, case: Case, parts: Iterable, delete: bool, source: str, summary: str
) -> CaseChange | None:
    """Hold a change of some of a case's sections or errata (changed, added or deleted) as a
    change of the whole case for review."""
    payload = case_snapshot(case)
    for part in parts:
        payload = with_part(payload, part, delete=delete)
    return case_change_submit(user=user, case=case, payload=payload, source=source, summary=summary)


def case_change_supersede(*, user, change: CaseChange, by: CaseChange | None) -> None:
    """Close ``user``'s own earlier pending change when they submit again on the same case (the
    form showed them that change, so ``by`` contains it) or take their change back (``by`` None).
    Kept on record as 已退回 with a note saying why; only the submitter may do this."""
    with transaction.atomic():
        change = CaseChange.objects.select_for_update().get(pk=change.pk)
        if not change.is_pending or change.submitted_by_id != getattr(user, "pk", None):
            return
        change.state = CaseChange.State.RETURNED
        change.decided_by, change.decided_at = user, timezone.now()
        change.note = (
            f"已由同一编辑的新提交（待审核的修改 #{by.pk}）取代。"
            if by is not None
            else "编辑把内容改回了公开的版本，撤回了这项修改。"
        )
        change.save()
